-- Running cases (registered, dispatched, being fixed) by area and due time, carrying reported_at and
-- id: "overdue cases under an area" (lists, inbox, bulletin, map) can walk the area's subtree by
-- area_path_idx and read each area's running cases from this index alone, without touching the
-- rows of the millions of closed cases. Small: only running cases are in it.
-- (bench: cases.overdue.city; see bench/README.md for the figures and the query shape it needs)
CREATE INDEX "case_open_area_due_idx" ON "case_file" ("area_id", "due_at") INCLUDE ("reported_at", "id") WHERE "state" IN ('registered', 'dispatched', 'fixing');
