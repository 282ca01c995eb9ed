-- The event table as the town starts it (editable data). 大类 rows first, then 小类 with their deadline,
-- closing requirement and whom a case goes to (the responsibility kind of the area's holder).
INSERT INTO case_category (code, parent_id, name, name_en, deadline_amount, deadline_unit, closing_requirement, route_kind, sort) VALUES ('01', NULL, '市容环境', 'Environment and sanitation', NULL, NULL, NULL, NULL, 0);
--> statement-breakpoint
INSERT INTO case_category (code, parent_id, name, name_en, deadline_amount, deadline_unit, closing_requirement, route_kind, sort) VALUES ('0101', (SELECT id FROM case_category WHERE code = '01'), '暴露垃圾', 'Exposed garbage', 4, 'work_hour', '清除', 'cleaner_patch', 1);
--> statement-breakpoint
INSERT INTO case_category (code, parent_id, name, name_en, deadline_amount, deadline_unit, closing_requirement, route_kind, sort) VALUES ('0102', (SELECT id FROM case_category WHERE code = '01'), '积存垃圾渣土', 'Accumulated garbage and muck', 2, 'work_day', '清运', 'cleaner_patch', 2);
--> statement-breakpoint
INSERT INTO case_category (code, parent_id, name, name_en, deadline_amount, deadline_unit, closing_requirement, route_kind, sort) VALUES ('0103', (SELECT id FROM case_category WHERE code = '01'), '乱堆物堆料', 'Piled materials', 2, 'work_day', '清理', 'grid_worker_grid', 3);
--> statement-breakpoint
INSERT INTO case_category (code, parent_id, name, name_en, deadline_amount, deadline_unit, closing_requirement, route_kind, sort) VALUES ('0104', (SELECT id FROM case_category WHERE code = '01'), '道路不洁', 'Dirty road', 4, 'work_hour', '清扫', 'cleaner_patch', 4);
--> statement-breakpoint
INSERT INTO case_category (code, parent_id, name, name_en, deadline_amount, deadline_unit, closing_requirement, route_kind, sort) VALUES ('0105', (SELECT id FROM case_category WHERE code = '01'), '水域不洁', 'Dirty water', 2, 'work_day', '打捞清理', 'grid_worker_grid', 5);
--> statement-breakpoint
INSERT INTO case_category (code, parent_id, name, name_en, deadline_amount, deadline_unit, closing_requirement, route_kind, sort) VALUES ('0106', (SELECT id FROM case_category WHERE code = '01'), '绿地脏乱', 'Untidy green space', 1, 'work_day', '清理', 'cleaner_patch', 6);
--> statement-breakpoint
INSERT INTO case_category (code, parent_id, name, name_en, deadline_amount, deadline_unit, closing_requirement, route_kind, sort) VALUES ('0107', (SELECT id FROM case_category WHERE code = '01'), '秸秆柴草乱堆', 'Straw and firewood piles', 3, 'work_day', '清运或规整', 'grid_worker_grid', 7);
--> statement-breakpoint
INSERT INTO case_category (code, parent_id, name, name_en, deadline_amount, deadline_unit, closing_requirement, route_kind, sort) VALUES ('0108', (SELECT id FROM case_category WHERE code = '01'), '废弃车辆', 'Abandoned vehicle', 5, 'work_day', '拖移', 'grid_worker_grid', 8);
--> statement-breakpoint
INSERT INTO case_category (code, parent_id, name, name_en, deadline_amount, deadline_unit, closing_requirement, route_kind, sort) VALUES ('0109', (SELECT id FROM case_category WHERE code = '01'), '垃圾桶（箱）满溢', 'Overflowing bins', 4, 'work_hour', '清运', 'cleaner_patch', 9);
--> statement-breakpoint
INSERT INTO case_category (code, parent_id, name, name_en, deadline_amount, deadline_unit, closing_requirement, route_kind, sort) VALUES ('02', NULL, '村容村貌', 'Village appearance', NULL, NULL, NULL, NULL, 10);
--> statement-breakpoint
INSERT INTO case_category (code, parent_id, name, name_en, deadline_amount, deadline_unit, closing_requirement, route_kind, sort) VALUES ('0201', (SELECT id FROM case_category WHERE code = '02'), '私搭乱建', 'Illegal structure', 10, 'work_day', '拆除', 'village_cadre_group', 11);
--> statement-breakpoint
INSERT INTO case_category (code, parent_id, name, name_en, deadline_amount, deadline_unit, closing_requirement, route_kind, sort) VALUES ('0202', (SELECT id FROM case_category WHERE code = '02'), '残垣断壁', 'Ruined walls', 10, 'work_day', '拆除', 'village_cadre_group', 12);
--> statement-breakpoint
INSERT INTO case_category (code, parent_id, name, name_en, deadline_amount, deadline_unit, closing_requirement, route_kind, sort) VALUES ('0203', (SELECT id FROM case_category WHERE code = '02'), '乱贴乱画', 'Flyposting and graffiti', 1, 'work_day', '清除', 'cleaner_patch', 13);
--> statement-breakpoint
INSERT INTO case_category (code, parent_id, name, name_en, deadline_amount, deadline_unit, closing_requirement, route_kind, sort) VALUES ('0204', (SELECT id FROM case_category WHERE code = '02'), '乱拉乱挂', 'Hanging wires and clutter', 2, 'work_day', '清除', 'grid_worker_grid', 14);
--> statement-breakpoint
INSERT INTO case_category (code, parent_id, name, name_en, deadline_amount, deadline_unit, closing_requirement, route_kind, sort) VALUES ('0205', (SELECT id FROM case_category WHERE code = '02'), '杂物清运', 'Clutter to haul', 3, 'work_day', '清运', 'grid_worker_grid', 15);
--> statement-breakpoint
INSERT INTO case_category (code, parent_id, name, name_en, deadline_amount, deadline_unit, closing_requirement, route_kind, sort) VALUES ('03', NULL, '户厕与设施', 'Toilets and facilities', NULL, NULL, NULL, NULL, 16);
--> statement-breakpoint
INSERT INTO case_category (code, parent_id, name, name_en, deadline_amount, deadline_unit, closing_requirement, route_kind, sort) VALUES ('0301', (SELECT id FROM case_category WHERE code = '03'), '户厕问题', 'Household toilet', 5, 'work_day', '维修改造', 'village_cadre_group', 17);
--> statement-breakpoint
INSERT INTO case_category (code, parent_id, name, name_en, deadline_amount, deadline_unit, closing_requirement, route_kind, sort) VALUES ('0302', (SELECT id FROM case_category WHERE code = '03'), '公厕不洁', 'Dirty public toilet', 1, 'work_day', '清洁', 'cleaner_patch', 18);
--> statement-breakpoint
INSERT INTO case_category (code, parent_id, name, name_en, deadline_amount, deadline_unit, closing_requirement, route_kind, sort) VALUES ('0303', (SELECT id FROM case_category WHERE code = '03'), '公共设施损坏', 'Damaged facility', 5, 'work_day', '维修', 'village_cadre_group', 19);
--> statement-breakpoint
INSERT INTO case_category (code, parent_id, name, name_en, deadline_amount, deadline_unit, closing_requirement, route_kind, sort) VALUES ('04', NULL, '路域环境', 'Road corridors', NULL, NULL, NULL, NULL, 20);
--> statement-breakpoint
INSERT INTO case_category (code, parent_id, name, name_en, deadline_amount, deadline_unit, closing_requirement, route_kind, sort) VALUES ('0401', (SELECT id FROM case_category WHERE code = '04'), '路域环境脏乱', 'Untidy road corridor', 3, 'work_day', '清理整治', 'grid_worker_grid', 21);
--> statement-breakpoint
INSERT INTO case_category (code, parent_id, name, name_en, deadline_amount, deadline_unit, closing_requirement, route_kind, sort) VALUES ('0402', (SELECT id FROM case_category WHERE code = '04'), '路边秸秆焚烧隐患', 'Roadside straw fire risk', 1, 'work_day', '清除', 'grid_worker_grid', 22);
--> statement-breakpoint
INSERT INTO case_category (code, parent_id, name, name_en, deadline_amount, deadline_unit, closing_requirement, route_kind, sort) VALUES ('0403', (SELECT id FROM case_category WHERE code = '04'), '道路破损', 'Damaged road', 10, 'work_day', '修复', 'village_cadre_group', 23);
