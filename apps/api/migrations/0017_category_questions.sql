-- A few categories ask the reporter a question (Open311 attributes; all optional, so the phone page
-- may skip them). The town edits these in 设置 → 事件分类.
UPDATE case_category SET public_attributes = '[{"code":"plate","description":"车牌号（如能看到）","datatype":"string","required":false,"order":1}]'::jsonb WHERE name = '废弃车辆' AND parent_id IS NOT NULL;
--> statement-breakpoint
UPDATE case_category SET public_attributes = '[{"code":"reformed","description":"是否为改厕户","datatype":"singlevaluelist","required":false,"order":1,"values":[{"key":"yes","name":"是"},{"key":"no","name":"否"},{"key":"unknown","name":"不清楚"}]}]'::jsonb WHERE name = '户厕问题' AND parent_id IS NOT NULL;
--> statement-breakpoint
UPDATE case_category SET public_attributes = '[{"code":"facility","description":"损坏的设施","datatype":"singlevaluelist","required":false,"order":1,"values":[{"key":"fitness","name":"健身器材"},{"key":"lamp","name":"路灯"},{"key":"bin","name":"垃圾桶"},{"key":"other","name":"其他"}]}]'::jsonb WHERE name = '公共设施损坏' AND parent_id IS NOT NULL;
