-- Scores: the facts of each village-month are kept in score_fact and recomputed per county and
-- month when something changes. These statement-level triggers log which county-months changed
-- (append-only, so no writer ever waits on another); the scores service consumes the log.
-- Every fact row is keyed by its county (the scores' change log and partitioning rely on it):
-- a row written without one takes its area's.
CREATE FUNCTION fill_county_code() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT county_code INTO NEW.county_code FROM area WHERE id = NEW.area_id;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER case_file_county BEFORE INSERT ON case_file FOR EACH ROW WHEN (NEW.county_code IS NULL) EXECUTE FUNCTION fill_county_code();
--> statement-breakpoint
CREATE TRIGGER routine_task_county BEFORE INSERT ON routine_task FOR EACH ROW WHEN (NEW.county_code IS NULL) EXECUTE FUNCTION fill_county_code();
--> statement-breakpoint
UPDATE case_file c SET county_code = a.county_code FROM area a WHERE a.id = c.area_id AND c.county_code IS NULL;
--> statement-breakpoint
UPDATE routine_task t SET county_code = a.county_code FROM area a WHERE a.id = t.area_id AND t.county_code IS NULL;
--> statement-breakpoint
CREATE FUNCTION score_month_of(t timestamptz) RETURNS date LANGUAGE sql IMMUTABLE AS
$$ SELECT date_trunc('month', (t AT TIME ZONE 'UTC') + interval '8 hours')::date $$;
--> statement-breakpoint
CREATE FUNCTION score_dirty_case() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO score_dirty (county_code, month) SELECT DISTINCT coalesce(county_code, ''), score_month_of(reported_at) FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO score_dirty (county_code, month) SELECT DISTINCT coalesce(county_code, ''), score_month_of(reported_at) FROM old_rows;
  ELSE
    INSERT INTO score_dirty (county_code, month)
      SELECT coalesce(county_code, ''), score_month_of(reported_at) FROM new_rows
      UNION SELECT coalesce(county_code, ''), score_month_of(reported_at) FROM old_rows;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER score_dirty_case_ins AFTER INSERT ON case_file REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_dirty_case();
--> statement-breakpoint
CREATE TRIGGER score_dirty_case_upd AFTER UPDATE ON case_file REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_dirty_case();
--> statement-breakpoint
CREATE TRIGGER score_dirty_case_del AFTER DELETE ON case_file REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION score_dirty_case();
--> statement-breakpoint
CREATE FUNCTION score_dirty_task() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO score_dirty (county_code, month) SELECT DISTINCT coalesce(county_code, ''), date_trunc('month', due_date)::date FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO score_dirty (county_code, month) SELECT DISTINCT coalesce(county_code, ''), date_trunc('month', due_date)::date FROM old_rows;
  ELSE
    INSERT INTO score_dirty (county_code, month)
      SELECT coalesce(county_code, ''), date_trunc('month', due_date)::date FROM new_rows
      UNION SELECT coalesce(county_code, ''), date_trunc('month', due_date)::date FROM old_rows;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER score_dirty_task_ins AFTER INSERT ON routine_task REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_dirty_task();
--> statement-breakpoint
CREATE TRIGGER score_dirty_task_upd AFTER UPDATE ON routine_task REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_dirty_task();
--> statement-breakpoint
CREATE TRIGGER score_dirty_task_del AFTER DELETE ON routine_task REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION score_dirty_task();
--> statement-breakpoint
-- Results, turnout and visits count in the month of their task.
CREATE FUNCTION score_dirty_task_child() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO score_dirty (county_code, month) SELECT DISTINCT coalesce(t.county_code, ''), date_trunc('month', t.due_date)::date
      FROM new_rows n JOIN routine_task t ON t.id = n.task_id;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO score_dirty (county_code, month) SELECT DISTINCT coalesce(t.county_code, ''), date_trunc('month', t.due_date)::date
      FROM old_rows o JOIN routine_task t ON t.id = o.task_id;
  ELSE
    INSERT INTO score_dirty (county_code, month)
      SELECT coalesce(t.county_code, ''), date_trunc('month', t.due_date)::date FROM new_rows n JOIN routine_task t ON t.id = n.task_id
      UNION SELECT coalesce(t.county_code, ''), date_trunc('month', t.due_date)::date FROM old_rows o JOIN routine_task t ON t.id = o.task_id;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER score_dirty_result_ins AFTER INSERT ON task_result REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_dirty_task_child();
--> statement-breakpoint
CREATE TRIGGER score_dirty_result_upd AFTER UPDATE ON task_result REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_dirty_task_child();
--> statement-breakpoint
CREATE TRIGGER score_dirty_result_del AFTER DELETE ON task_result REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION score_dirty_task_child();
--> statement-breakpoint
CREATE TRIGGER score_dirty_turnout_ins AFTER INSERT ON cleaning_turnout REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_dirty_task_child();
--> statement-breakpoint
CREATE TRIGGER score_dirty_turnout_upd AFTER UPDATE ON cleaning_turnout REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_dirty_task_child();
--> statement-breakpoint
CREATE TRIGGER score_dirty_turnout_del AFTER DELETE ON cleaning_turnout REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION score_dirty_task_child();
--> statement-breakpoint
CREATE TRIGGER score_dirty_visit_ins AFTER INSERT ON observation_visit REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_dirty_task_child();
--> statement-breakpoint
CREATE TRIGGER score_dirty_visit_upd AFTER UPDATE ON observation_visit REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_dirty_task_child();
--> statement-breakpoint
CREATE TRIGGER score_dirty_visit_del AFTER DELETE ON observation_visit REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION score_dirty_task_child();
--> statement-breakpoint
-- Recomputing a county-month reads its tasks by due month.
CREATE INDEX "routine_task_county_due_idx" ON "routine_task" ("county_code", "due_date");
--> statement-breakpoint
-- The seeded indicators: the case indicators of the city-management standard, the routines'
-- completeness and timeliness, the checklists' average, cleaning-day turnout and observation.
INSERT INTO score_indicator (code, name, name_en, formula, direction, unit, target, green, yellow, base_fact, min_base, period_types, sort) VALUES
  ('on_time_fix_rate', '按期处置率', 'On-time fix rate', 'cases_fixed_on_time / cases_due * 100', 'up', '%', 90, 90, 75, 'cases_due', 3, '["monthly","quarterly","yearly"]', 10),
  ('closure_rate', '结案率', 'Closure rate', 'cases_closed / cases_registered * 100', 'up', '%', 90, 90, 70, 'cases_registered', 3, '["monthly","quarterly","yearly"]', 20),
  ('rework_rate', '返工率', 'Rework rate', 'cases_reworked / cases_registered * 100', 'down', '%', 10, 10, 20, 'cases_registered', 3, '["monthly","quarterly","yearly"]', 30),
  ('overdue_rate', '超期率', 'Overdue rate', 'cases_overdue / cases_due * 100', 'down', '%', 5, 5, 15, 'cases_due', 3, '["monthly","quarterly","yearly"]', 40),
  ('routine_completeness', '例行工作完成率', 'Routine completeness', 'tasks_done / tasks_due * 100', 'up', '%', 95, 95, 80, 'tasks_due', 5, '["monthly","quarterly","yearly"]', 50),
  ('routine_timeliness', '例行工作及时率', 'Routine timeliness', 'tasks_on_time / tasks_due * 100', 'up', '%', 90, 90, 75, 'tasks_due', 5, '["monthly","quarterly","yearly"]', 60),
  ('checklist_avg', '自查平均得分', 'Average checklist score', 'checklist_percent_sum / checklist_count', 'up', '分', 90, 90, 75, 'checklist_count', 3, '["monthly","quarterly","yearly"]', 70),
  ('cleaning_turnout', '清洁日平均到场人次', 'Cleaning-day turnout (per day)', 'cleaning_present / cleaning_days', 'up', '人次', 20, 20, 10, 'cleaning_days', 1, '["monthly","quarterly","yearly"]', 80),
  ('observation_score', '观摩得分', 'Observation score', 'observation_score_sum / observation_count', 'up', '分', 85, 85, 70, 'observation_count', 1, '["monthly","quarterly","yearly"]', 90);
--> statement-breakpoint
INSERT INTO score_weight_set (valid_from, weights, note) VALUES ('2000-01-01',
  '{"environment": 40, "other": 60, "indicators": {"on_time_fix_rate": 25, "closure_rate": 15, "rework_rate": 10, "overdue_rate": 10, "routine_completeness": 15, "routine_timeliness": 5, "checklist_avg": 10, "cleaning_turnout": 5, "observation_score": 5}}'::jsonb,
  '初始权重：环境整治占综合评价 40%');
