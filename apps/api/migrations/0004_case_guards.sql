-- A category's 大类: a parent must exist.
ALTER TABLE "case_category" ADD CONSTRAINT "case_category_parent_fk" FOREIGN KEY ("parent_id") REFERENCES "case_category"("id");
--> statement-breakpoint
ALTER TABLE "case_file" ADD CONSTRAINT "case_file_duplicate_fk" FOREIGN KEY ("duplicate_of") REFERENCES "case_file"("id");
--> statement-breakpoint
-- Open cases by due time: the overdue sweep and the overdue lists read only these rows.
CREATE INDEX "case_open_due_idx" ON "case_file" ("due_at") WHERE "state" IN ('registered', 'dispatched', 'fixing');
--> statement-breakpoint
-- An issued bulletin never changes: a correction is a new version.
CREATE OR REPLACE FUNCTION bulletin_immutable() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'an issued bulletin never changes; issue a new version';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER bulletin_no_change BEFORE UPDATE OR DELETE ON "bulletin"
  FOR EACH ROW EXECUTE FUNCTION bulletin_immutable();
--> statement-breakpoint
-- A case's history is append-only too.
CREATE OR REPLACE FUNCTION case_step_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'case_step is append-only';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER case_step_no_change BEFORE UPDATE OR DELETE ON "case_step"
  FOR EACH ROW EXECUTE FUNCTION case_step_append_only();
