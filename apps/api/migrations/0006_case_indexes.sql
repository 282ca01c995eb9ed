-- Open cases by area and due time: "overdue cases under an area" (lists, bulletin, map) walks the
-- area's subtree by area_path_idx and, for each area, reads only its running cases here. Without
-- it PostgreSQL took every case of each area through case_area_idx and filtered the few open ones
-- (3.6 s for one county of a city with 3 million cases a year; 60-170 ms with it). Small: only
-- registered, dispatched and fixing cases are in it. (bench: cases.overdue.city)
CREATE INDEX "case_open_area_due_idx" ON "case_file" ("area_id", "due_at") WHERE "state" IN ('registered', 'dispatched', 'fixing');
