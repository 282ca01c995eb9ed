ALTER TABLE "public_report" ADD COLUMN "responded_at" timestamp with time zone;--> statement-breakpoint
-- The 12345 response time: the first registration or refusal of a resident's case, at the step's own time.
CREATE FUNCTION public_report_responded() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE public_report SET responded_at = NEW.at WHERE case_id = NEW.case_id AND responded_at IS NULL;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER case_step_public_responded AFTER INSERT ON case_step FOR EACH ROW
  WHEN (NEW.action IN ('register', 'refuse')) EXECUTE FUNCTION public_report_responded();
--> statement-breakpoint
-- The three rates of the 12345 hotlines, per village: shown on the scorecard; their weight is the
-- town's to set (考核设置 → 权重), so the initial weights are unchanged.
INSERT INTO score_indicator (code, name, name_en, formula, direction, unit, target, green, yellow, base_fact, min_base, period_types, sort) VALUES
  ('public_response_rate', '群众上报响应率', 'Resident reports answered within 24 h', 'public_responded / public_reports * 100', 'up', '%', 95, 95, 80, 'public_reports', 3, '["monthly","quarterly","yearly"]', 100),
  ('public_resolution_rate', '群众上报解决率', 'Resident reports resolved', 'public_resolved / public_handled * 100', 'up', '%', 90, 90, 75, 'public_handled', 3, '["monthly","quarterly","yearly"]', 110),
  ('public_satisfaction_rate', '群众满意率', 'Residents satisfied', 'public_satisfied / public_rated * 100', 'up', '%', 90, 90, 75, 'public_rated', 3, '["monthly","quarterly","yearly"]', 120);
