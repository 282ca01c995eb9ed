CREATE TABLE "duty" (
	"key" text PRIMARY KEY NOT NULL,
	"seeded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "login_throttle" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"window_start" timestamp with time zone DEFAULT now() NOT NULL,
	"blocked_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "role_duty" (
	"duty" text NOT NULL,
	"role_key" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "app_user" ADD COLUMN "totp_secret" text;--> statement-breakpoint
ALTER TABLE "app_user" ADD COLUMN "totp_enabled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "app_user" ADD COLUMN "totp_last_step" bigint;--> statement-breakpoint
ALTER TABLE "app_user" ADD COLUMN "recovery_codes" jsonb;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "area_path" text;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "mac" text;--> statement-breakpoint
ALTER TABLE "public_report" ADD COLUMN "public_no" text;--> statement-breakpoint
ALTER TABLE "public_report" ADD COLUMN "contact_purged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "session" ADD COLUMN "second_factor_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "role_duty" ADD CONSTRAINT "role_duty_role_key_role_key_fk" FOREIGN KEY ("role_key") REFERENCES "public"."role"("key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "role_duty_uq" ON "role_duty" USING btree ("duty","role_key");--> statement-breakpoint
CREATE INDEX "audit_area_idx" ON "audit_log" USING btree ("area_path" text_pattern_ops,"id");--> statement-breakpoint
CREATE UNIQUE INDEX "public_report_public_no_uq" ON "public_report" USING btree ("public_no");--> statement-breakpoint
-- `admin` is held only over the whole install: an admin grant on an area becomes a town admin
-- there when the area is a town, and is removed otherwise.
INSERT INTO "user_role" ("user_id", "role_key", "area_id")
  SELECT ur."user_id", 'town_admin', ur."area_id" FROM "user_role" ur JOIN "area" a ON a."id" = ur."area_id"
  WHERE ur."role_key" = 'admin' AND a."level_key" = 'town'
  ON CONFLICT DO NOTHING;--> statement-breakpoint
DELETE FROM "user_role" WHERE "role_key" = 'admin' AND "area_id" IS NOT NULL;--> statement-breakpoint
-- Existing reports get a tracking number that cannot be guessed (new ones get theirs from the app).
UPDATE "public_report" SET "public_no" = upper(substr(md5(random()::text || clock_timestamp()::text || "id"::text), 1, 12)) WHERE "public_no" IS NULL;
