-- The public's part: guards the services rely on, the scores' change log for residents' ratings,
-- and the default points rules (rules are data; 设置 changes them).
ALTER TABLE bounty ADD CONSTRAINT bounty_amount_range CHECK (amount_yuan BETWEEN 50 AND 1000);
--> statement-breakpoint
ALTER TABLE points_exchange ADD CONSTRAINT points_exchange_positive CHECK (quantity > 0 AND points > 0);
--> statement-breakpoint
ALTER TABLE shop_item ADD CONSTRAINT shop_item_points_positive CHECK (points > 0 AND (stock IS NULL OR stock >= 0));
--> statement-breakpoint
ALTER TABLE public_report ADD CONSTRAINT public_report_rating_ok CHECK (rating IS NULL OR rating IN ('satisfied', 'basically', 'unsatisfied'));
--> statement-breakpoint
-- A rating or a reopen changes the 12345 rates of the case's village and month.
CREATE FUNCTION score_dirty_public() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO score_dirty (county_code, month)
    SELECT DISTINCT coalesce(c.county_code, ''), score_month_of(c.reported_at)
    FROM case_file c WHERE c.id IN (SELECT case_id FROM new_rows);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER score_dirty_public_ins AFTER INSERT ON public_report REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_dirty_public();
--> statement-breakpoint
CREATE TRIGGER score_dirty_public_upd AFTER UPDATE ON public_report REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_dirty_public();
--> statement-breakpoint
CREATE INDEX case_public_idx ON case_file (source, state) WHERE source = 'public';
--> statement-breakpoint
INSERT INTO points_rule (event, category_id, grade, points, note) VALUES
  ('report_valid', NULL, NULL, 5, '随手拍有效上报（立案）'),
  ('report_confirmed', NULL, NULL, 10, '上报问题经核查结案（奖励）'),
  ('frontage_check', NULL, 'good', 3, '门前三包检查：好'),
  ('frontage_check', NULL, 'fair', 1, '门前三包检查：一般'),
  ('frontage_check', NULL, 'poor', 0, '门前三包检查：差'),
  ('model_household', NULL, 'courtyard', 50, '最美庭院示范户'),
  ('model_household', NULL, 'family', 50, '美在家庭示范户');
