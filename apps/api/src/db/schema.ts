import { sql } from 'drizzle-orm';
import {
  bigint, boolean, date, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex,
} from 'drizzle-orm/pg-core';

const id = () => bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity();
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const areaLevel = pgTable('area_level', {
  key: text('key').primaryKey(),
  rank: integer('rank').notNull().unique(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
});

// The grid network. `path` is the chain of ids from the root ('/1/5/23/'), so that a subtree
// is one indexed prefix scan on both PGlite and PostgreSQL, with no extension needed.
export const area = pgTable('area', {
  id: id(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  officialName: text('official_name'),
  levelKey: text('level_key').notNull().references(() => areaLevel.key),
  parentId: bigint('parent_id', { mode: 'number' }),
  path: text('path').notNull(),
  depth: integer('depth').notNull(),
  // The county's 6-digit code: every fact row keyed by it keeps partitioning by county possible.
  countyCode: text('county_code'),
  population: integer('population'),
  households: integer('households'),
  sizeClass: text('size_class'),
  isKey: boolean('is_key').notNull().default(false),
  boundary: jsonb('boundary'),
  search: text('search').notNull().default(''),
  demo: boolean('demo').notNull().default(false),
  archivedAt: ts('archived_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  version: integer('version').notNull().default(1),
}, (t) => [
  uniqueIndex('area_code_uq').on(t.code),
  index('area_path_idx').using('btree', sql`${t.path} text_pattern_ops`),
  index('area_parent_idx').on(t.parentId),
  index('area_level_idx').on(t.levelKey),
]);

export const areaMove = pgTable('area_move', {
  id: id(),
  areaId: bigint('area_id', { mode: 'number' }).notNull().references(() => area.id),
  fromParentId: bigint('from_parent_id', { mode: 'number' }),
  toParentId: bigint('to_parent_id', { mode: 'number' }),
  fromPath: text('from_path').notNull(),
  toPath: text('to_path').notNull(),
  actorId: bigint('actor_id', { mode: 'number' }),
  note: text('note'),
  at: ts('at').notNull().defaultNow(),
}, (t) => [index('area_move_area_idx').on(t.areaId)]);

export const role = pgTable('role', {
  key: text('key').primaryKey(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  canWrite: boolean('can_write').notNull(),
  canManage: boolean('can_manage').notNull(),
  sort: integer('sort').notNull(),
});

// Duties are data (the trust issue): which roles may do each named action. A duty's key is in
// `duty` once its default roles were seeded, so a role an administrator took away is never put back.
export const duty = pgTable('duty', {
  key: text('key').primaryKey(),
  seededAt: ts('seeded_at').notNull().defaultNow(),
});
export const roleDuty = pgTable('role_duty', {
  duty: text('duty').notNull(),
  roleKey: text('role_key').notNull().references(() => role.key),
}, (t) => [uniqueIndex('role_duty_uq').on(t.duty, t.roleKey)]);

// Failed logins per address and per user name, counted atomically (one UPSERT each).
export const loginThrottle = pgTable('login_throttle', {
  key: text('key').primaryKey(), // 'ip:<hash>' | 'user:<name>'
  failures: integer('failures').notNull().default(0),
  windowStart: ts('window_start').notNull().defaultNow(),
  blockedUntil: ts('blocked_until'),
});

export const appUser = pgTable('app_user', {
  id: id(),
  username: text('username').notNull(),
  displayName: text('display_name').notNull(),
  phone: text('phone'),
  passwordHash: text('password_hash'),
  mustChangePassword: boolean('must_change_password').notNull().default(false),
  failedLogins: integer('failed_logins').notNull().default(0),
  lastFailedAt: ts('last_failed_at'),
  lockedUntil: ts('locked_until'),
  disabledAt: ts('disabled_at'),
  // second factor (TOTP, RFC 6238): the secret, when it was confirmed, the last step used (no replay)
  totpSecret: text('totp_secret'),
  totpEnabledAt: ts('totp_enabled_at'),
  totpLastStep: bigint('totp_last_step', { mode: 'number' }),
  recoveryCodes: jsonb('recovery_codes'), // sha-256 of each unused recovery code
  demo: boolean('demo').notNull().default(false),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [uniqueIndex('app_user_username_uq').on(t.username)]);

// A role held inside an area: the area's subtree is where the user may see and act.
// area_id null is the whole install (the system administrator only).
export const userRole = pgTable('user_role', {
  id: id(),
  userId: bigint('user_id', { mode: 'number' }).notNull().references(() => appUser.id),
  roleKey: text('role_key').notNull().references(() => role.key),
  areaId: bigint('area_id', { mode: 'number' }).references(() => area.id),
  createdAt: ts('created_at').notNull().defaultNow(),
}, (t) => [
  uniqueIndex('user_role_uq').on(t.userId, t.roleKey, t.areaId),
  index('user_role_area_idx').on(t.areaId),
]);

// Who answers for what, with effective dates (valid_to inclusive; null = still in force).
export const responsibility = pgTable('responsibility', {
  id: id(),
  kind: text('kind').notNull(),
  areaId: bigint('area_id', { mode: 'number' }).notNull().references(() => area.id),
  userId: bigint('user_id', { mode: 'number' }).references(() => appUser.id),
  holderName: text('holder_name'),
  principal: boolean('principal').notNull().default(false),
  validFrom: date('valid_from', { mode: 'string' }).notNull(),
  validTo: date('valid_to', { mode: 'string' }),
  note: text('note'),
  createdBy: bigint('created_by', { mode: 'number' }),
  createdAt: ts('created_at').notNull().defaultNow(),
}, (t) => [
  index('responsibility_area_idx').on(t.areaId, t.validFrom),
  index('responsibility_user_idx').on(t.userId),
]);

export const session = pgTable('session', {
  id: text('id').primaryKey(), // sha-256 of the cookie token: a stolen table gives no session
  userId: bigint('user_id', { mode: 'number' }).notNull().references(() => appUser.id),
  createdAt: ts('created_at').notNull().defaultNow(),
  expiresAt: ts('expires_at').notNull(),
  lastSeenAt: ts('last_seen_at').notNull().defaultNow(),
  ip: text('ip'),
  userAgent: text('user_agent'),
  secondFactorAt: ts('second_factor_at'), // when this session passed the second factor
}, (t) => [index('session_user_idx').on(t.userId)]);

// Append-only, hash-chained: each entry's hash covers its content and the previous hash.
export const auditLog = pgTable('audit_log', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  at: ts('at').notNull(),
  actorId: bigint('actor_id', { mode: 'number' }),
  actorName: text('actor_name'),
  action: text('action').notNull(),
  entity: text('entity').notNull(),
  entityId: text('entity_id'),
  before: jsonb('before'),
  after: jsonb('after'),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
  areaPath: text('area_path'), // the area the entry concerns: readers see entries of their areas
  mac: text('mac'), // HMAC of the hash with a key kept outside the database
}, (t) => [index('audit_entity_idx').on(t.entity, t.entityId), index('audit_area_idx').using('btree', sql`${t.areaPath} text_pattern_ops`, t.id)]);

export const setting = pgTable('setting', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

// ---------------------------------------------------------------- the case loop (案件闭环)

// The event table (事部件分类): 大类 rows have no parent; 小类 rows carry the deadline and the
// closing requirement. `routeKind` names the responsibility whose holder a case is dispatched to.
export const caseCategory = pgTable('case_category', {
  id: id(),
  code: text('code').notNull(),
  parentId: bigint('parent_id', { mode: 'number' }),
  name: text('name').notNull(),
  nameEn: text('name_en'),
  deadlineAmount: integer('deadline_amount'),
  deadlineUnit: text('deadline_unit'), // 'work_hour' | 'work_day' | 'day'
  closingRequirement: text('closing_requirement'),
  routeKind: text('route_kind'),
  duplicateRadiusM: integer('duplicate_radius_m'),
  // Open311: offered to the public as a service, with its attributes (questions asked on report).
  publicVisible: boolean('public_visible').notNull().default(true),
  publicAttributes: jsonb('public_attributes'),
  sort: integer('sort').notNull().default(0),
  active: boolean('active').notNull().default(true),
  version: integer('version').notNull().default(1),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [uniqueIndex('case_category_code_uq').on(t.code), index('case_category_parent_idx').on(t.parentId)]);

// The working calendar: only the exceptions are stored (a weekday off, a weekend 调休 worked).
export const workCalendar = pgTable('work_calendar', {
  day: date('day', { mode: 'string' }).primaryKey(),
  workday: boolean('workday').notNull(),
  name: text('name'),
  source: text('source').notNull().default('seed'), // 'seed' | 'admin'
  updatedBy: bigint('updated_by', { mode: 'number' }),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

// One row per problem. `county_code` keys the fact for partitioning by county; the area's path
// is looked up through area_id (areas move, cases follow).
export const caseFile = pgTable('case_file', {
  id: id(),
  no: text('no').notNull(),
  clientId: text('client_id'),
  source: text('source').notNull(), // field | desk | phone | feedback | supervision | routine | public
  state: text('state').notNull(),
  categoryId: bigint('category_id', { mode: 'number' }).notNull().references(() => caseCategory.id),
  areaId: bigint('area_id', { mode: 'number' }).notNull().references(() => area.id),
  countyCode: text('county_code'),
  description: text('description').notNull(),
  address: text('address'),
  lat: doublePrecision('lat'),
  lng: doublePrecision('lng'),
  reportedBy: bigint('reported_by', { mode: 'number' }),
  reporterName: text('reporter_name'),
  reportedAt: ts('reported_at').notNull(),
  registeredAt: ts('registered_at'),
  dispatchedAt: ts('dispatched_at'),
  assigneeId: bigint('assignee_id', { mode: 'number' }),
  dispatcherId: bigint('dispatcher_id', { mode: 'number' }),
  dueAt: ts('due_at'),
  deadlineRule: text('deadline_rule'),
  fixedAt: ts('fixed_at'),
  closedAt: ts('closed_at'),
  refusedReason: text('refused_reason'),
  duplicateOf: bigint('duplicate_of', { mode: 'number' }),
  reworkCount: integer('rework_count').notNull().default(0),
  extensionCount: integer('extension_count').notNull().default(0),
  remindedAt: ts('reminded_at'),
  escalatedAt: ts('escalated_at'),
  demo: boolean('demo').notNull().default(false),
  version: integer('version').notNull().default(1),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [
  uniqueIndex('case_no_uq').on(t.no),
  uniqueIndex('case_client_uq').on(t.clientId),
  index('case_area_idx').on(t.areaId, t.reportedAt),
  index('case_state_idx').on(t.state, t.dueAt),
  index('case_assignee_idx').on(t.assigneeId, t.state),
  index('case_reported_idx').on(t.reportedAt),
  index('case_closed_idx').on(t.closedAt),
  // the duplicates offered for a resident's report: open cases of a category near a point
  index('case_open_point_idx').on(t.categoryId, t.lat).where(sql`state IN ('reported', 'registered', 'dispatched', 'fixing', 'fixed')`),
]);

// Every step of a case, in order; (case_id, seq) unique, so two racing steps cannot both land.
export const caseStep = pgTable('case_step', {
  id: id(),
  caseId: bigint('case_id', { mode: 'number' }).notNull().references(() => caseFile.id),
  seq: integer('seq').notNull(),
  action: text('action').notNull(),
  fromState: text('from_state'),
  toState: text('to_state').notNull(),
  actorId: bigint('actor_id', { mode: 'number' }),
  actorName: text('actor_name'),
  at: ts('at').notNull().defaultNow(),
  note: text('note'),
  data: jsonb('data'),
}, (t) => [uniqueIndex('case_step_seq_uq').on(t.caseId, t.seq), index('case_step_at_idx').on(t.at, t.action)]);

// An extension (延期) or a return to the dispatcher (回退) waits here for a second person.
export const caseRequest = pgTable('case_request', {
  id: id(),
  caseId: bigint('case_id', { mode: 'number' }).notNull().references(() => caseFile.id),
  kind: text('kind').notNull(), // 'extension' | 'return'
  reason: text('reason').notNull(),
  requestedDueAt: ts('requested_due_at'),
  requestedBy: bigint('requested_by', { mode: 'number' }).notNull(),
  requestedAt: ts('requested_at').notNull().defaultNow(),
  decision: text('decision'), // null pending | 'approved' | 'rejected'
  decidedBy: bigint('decided_by', { mode: 'number' }),
  decidedAt: ts('decided_at'),
  decisionNote: text('decision_note'),
}, (t) => [
  index('case_request_case_idx').on(t.caseId),
  uniqueIndex('case_request_pending_uq').on(t.caseId).where(sql`decision IS NULL`),
]);

// Photos are uploaded first (a weak connection sends one at a time), then attached to a step.
export const casePhoto = pgTable('case_photo', {
  id: id(),
  caseId: bigint('case_id', { mode: 'number' }).references(() => caseFile.id),
  stepId: bigint('step_id', { mode: 'number' }),
  // or a routine task's result (a self-check's photos, a visit's, a cleaning day's)
  taskId: bigint('task_id', { mode: 'number' }),
  phase: text('phase'), // 'before' | 'after' | 'check'
  storageKey: text('storage_key').notNull(),
  thumbKey: text('thumb_key').notNull(),
  mime: text('mime').notNull(),
  bytes: integer('bytes').notNull(),
  width: integer('width'),
  height: integer('height'),
  sha256: text('sha256').notNull(),
  phash: text('phash'),
  takenAt: ts('taken_at'),
  lat: doublePrecision('lat'),
  lng: doublePrecision('lng'),
  flags: jsonb('flags'),
  // Moderation: a hidden photo is never served publicly (staff still see it, marked).
  hiddenAt: ts('hidden_at'),
  hiddenBy: bigint('hidden_by', { mode: 'number' }),
  uploadedBy: bigint('uploaded_by', { mode: 'number' }),
  uploadedAt: ts('uploaded_at').notNull().defaultNow(),
}, (t) => [index('case_photo_case_idx').on(t.caseId), index('case_photo_phash_idx').on(t.phash)]);

// The daily bulletin (每天通报): issued once per scope and day; a correction is a new version.
// A trigger refuses UPDATE and DELETE.
export const bulletin = pgTable('bulletin', {
  id: id(),
  scopeAreaId: bigint('scope_area_id', { mode: 'number' }).notNull().references(() => area.id),
  day: date('day', { mode: 'string' }).notNull(),
  version: integer('version').notNull(),
  content: jsonb('content').notNull(),
  note: text('note'),
  issuedBy: bigint('issued_by', { mode: 'number' }),
  issuedAt: ts('issued_at').notNull().defaultNow(),
}, (t) => [uniqueIndex('bulletin_version_uq').on(t.scopeAreaId, t.day, t.version)]);

// In-app notifications.
export const notification = pgTable('notification', {
  id: id(),
  userId: bigint('user_id', { mode: 'number' }).notNull().references(() => appUser.id),
  kind: text('kind').notNull(),
  caseId: bigint('case_id', { mode: 'number' }),
  title: text('title').notNull(),
  body: text('body'),
  createdAt: ts('created_at').notNull().defaultNow(),
  readAt: ts('read_at'),
}, (t) => [index('notification_user_idx').on(t.userId, t.readAt)]);

// Group-robot webhooks (WeCom / DingTalk / plain JSON), scoped to an area's subtree.
export const webhook = pgTable('webhook', {
  id: id(),
  name: text('name').notNull(),
  url: text('url').notNull(),
  format: text('format').notNull(), // 'wecom' | 'dingtalk' | 'json'
  secret: text('secret'),
  areaId: bigint('area_id', { mode: 'number' }).references(() => area.id),
  events: jsonb('events').notNull(), // string[] of event kinds
  active: boolean('active').notNull().default(true),
  createdAt: ts('created_at').notNull().defaultNow(),
});

// The outbox: written in the same transaction as the change, delivered later with retries.
// A delivery that keeps failing ends 'dead' and stays here to be retried by hand: never lost.
export const outbox = pgTable('outbox', {
  id: id(),
  webhookId: bigint('webhook_id', { mode: 'number' }).notNull().references(() => webhook.id),
  event: text('event').notNull(),
  payload: jsonb('payload').notNull(),
  status: text('status').notNull().default('pending'), // pending | delivered | dead
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
  lastError: text('last_error'),
  createdAt: ts('created_at').notNull().defaultNow(),
  deliveredAt: ts('delivered_at'),
}, (t) => [index('outbox_due_idx').on(t.status, t.nextAttemptAt)]);

// ---------------------------------------------------------------- the routines (7个1) as data

// A checklist template: its items (sections, kinds, weights) are kept as JSON and checked by
// routines/checklist.rules.ts; a result stores the items it was answered against.
export const checklistTemplate = pgTable('checklist_template', {
  id: id(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  items: jsonb('items').notNull(),
  active: boolean('active').notNull().default(true),
  version: integer('version').notNull().default(1),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [uniqueIndex('checklist_template_code_uq').on(t.code)]);

// A plan: what (routine kind, checklist), who (a responsibility kind or a role), where (the level
// of the areas), when (a recurrence) and by when (grace days after the window).
export const routinePlan = pgTable('routine_plan', {
  id: id(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  kind: text('kind').notNull(),
  templateId: bigint('template_id', { mode: 'number' }).references(() => checklistTemplate.id),
  assignee: jsonb('assignee').notNull(), // { responsibility: kind } | { role: key }
  areaLevel: text('area_level').notNull(),
  scopeAreaId: bigint('scope_area_id', { mode: 'number' }).references(() => area.id),
  recurrence: jsonb('recurrence').notNull(),
  graceDays: integer('grace_days').notNull().default(0),
  active: boolean('active').notNull().default(true),
  version: integer('version').notNull().default(1),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [uniqueIndex('routine_plan_code_uq').on(t.code)]);

// One task per occurrence, area and person: the unique index (NULLS NOT DISTINCT, set in the
// migration) makes generation idempotent: a restart or a replay inserts nothing twice.
export const routineTask = pgTable('routine_task', {
  id: id(),
  planId: bigint('plan_id', { mode: 'number' }).notNull().references(() => routinePlan.id),
  period: text('period').notNull(),
  areaId: bigint('area_id', { mode: 'number' }).notNull().references(() => area.id),
  userId: bigint('user_id', { mode: 'number' }).references(() => appUser.id),
  countyCode: text('county_code'),
  windowStart: date('window_start', { mode: 'string' }).notNull(),
  windowEnd: date('window_end', { mode: 'string' }).notNull(),
  dueDate: date('due_date', { mode: 'string' }).notNull(),
  doneAt: ts('done_at'),
  onTime: boolean('on_time'),
  createdAt: ts('created_at').notNull().defaultNow(),
}, (t) => [
  uniqueIndex('routine_task_occurrence_uq').on(t.planId, t.period, t.areaId, t.userId),
  index('routine_task_user_idx').on(t.userId, t.dueDate),
  index('routine_task_plan_period_idx').on(t.planId, t.period),
  index('routine_task_area_idx').on(t.areaId, t.dueDate),
  // completeness: a plan's tasks whose window starts in the report period (and the gap list)
  index('routine_task_plan_window_idx').on(t.planId, t.windowStart),
]);

// The one result of a task (task_id unique: a second submission is refused, never doubled).
export const taskResult = pgTable('task_result', {
  id: id(),
  taskId: bigint('task_id', { mode: 'number' }).notNull().references(() => routineTask.id),
  clientId: text('client_id'),
  submittedBy: bigint('submitted_by', { mode: 'number' }).notNull(),
  submittedAt: ts('submitted_at').notNull().defaultNow(),
  templateItems: jsonb('template_items'),
  answers: jsonb('answers').notNull(),
  score: doublePrecision('score'),
  maxScore: doublePrecision('max_score'),
  percent: doublePrecision('percent'),
  note: text('note'),
  caseIds: jsonb('case_ids'),
}, (t) => [uniqueIndex('task_result_task_uq').on(t.taskId), uniqueIndex('task_result_client_uq').on(t.clientId)]);

// A locked period takes no more results (the month's figures are final).
export const periodLock = pgTable('period_lock', {
  planId: bigint('plan_id', { mode: 'number' }).notNull().references(() => routinePlan.id),
  period: text('period').notNull(),
  lockedBy: bigint('locked_by', { mode: 'number' }),
  lockedAt: ts('locked_at').notNull().defaultNow(),
}, (t) => [uniqueIndex('period_lock_uq').on(t.planId, t.period)]);

// 全民清洁日: who signed up and who came, per village and month (the cleaning-day task).
export const cleaningTurnout = pgTable('cleaning_turnout', {
  id: id(),
  taskId: bigint('task_id', { mode: 'number' }).notNull().references(() => routineTask.id),
  name: text('name').notNull(),
  userId: bigint('user_id', { mode: 'number' }).references(() => appUser.id),
  kind: text('kind').notNull(), // party_member | volunteer | villager | cadre
  signedUpAt: ts('signed_up_at').notNull().defaultNow(),
  signedInAt: ts('signed_in_at'),
  area: text('area'),
  createdBy: bigint('created_by', { mode: 'number' }),
}, (t) => [index('cleaning_turnout_task_idx').on(t.taskId), uniqueIndex('cleaning_turnout_name_uq').on(t.taskId, t.name)]);

// 每月一观摩: the villages an observation visits (picked by hand until the scores pick them), and
// each visit's score, notes and photos.
export const observationVisit = pgTable('observation_visit', {
  id: id(),
  taskId: bigint('task_id', { mode: 'number' }).notNull().references(() => routineTask.id),
  villageId: bigint('village_id', { mode: 'number' }).notNull().references(() => area.id),
  pickedBy: text('picked_by').notNull().default('hand'), // hand | scores
  reason: text('reason'),
  visitedAt: ts('visited_at'),
  score: doublePrecision('score'),
  note: text('note'),
  photoIds: jsonb('photo_ids'),
  visitedBy: bigint('visited_by', { mode: 'number' }),
}, (t) => [uniqueIndex('observation_visit_uq').on(t.taskId, t.villageId)]);

// ---------------------------------------------------------------- scores (考核评价)

// An indicator is data: a formula over the named facts (see scores/facts.ts), its direction,
// unit, target, a traffic-light legend (green/yellow thresholds) and the thin-data rule: below
// `min_base` of `base_fact` the value is shown but neither scored nor ranked.
export const scoreIndicator = pgTable('score_indicator', {
  id: id(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  nameEn: text('name_en'),
  formula: text('formula').notNull(),
  direction: text('direction').notNull(), // up | down
  unit: text('unit').notNull(), // % | 分 | 人次 | 件 …
  target: doublePrecision('target'),
  green: doublePrecision('green').notNull(),
  yellow: doublePrecision('yellow').notNull(),
  baseFact: text('base_fact'),
  minBase: integer('min_base').notNull().default(0),
  periodTypes: jsonb('period_types').notNull(),
  sort: integer('sort').notNull().default(0),
  active: boolean('active').notNull().default(true),
  version: integer('version').notNull().default(1),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [uniqueIndex('score_indicator_code_uq').on(t.code)]);

// Weights are versioned by the month they take effect: a period is scored with the set in force
// at its start (the latest valid_from on or before it; on a tie, the later id).
export const scoreWeightSet = pgTable('score_weight_set', {
  id: id(),
  validFrom: date('valid_from').notNull(),
  weights: jsonb('weights').notNull(),
  note: text('note'),
  createdBy: bigint('created_by', { mode: 'number' }),
  createdAt: ts('created_at').notNull().defaultNow(),
}, (t) => [index('score_weight_set_from_idx').on(t.validFrom)]);

// The other 60%: each village's score for the town's other work, entered or imported per month.
export const scoreOther = pgTable('score_other', {
  villageId: bigint('village_id', { mode: 'number' }).notNull().references(() => area.id),
  month: date('month').notNull(),
  score: doublePrecision('score').notNull(),
  note: text('note'),
  source: text('source').notNull().default('entered'), // entered | imported | demo
  enteredBy: bigint('entered_by', { mode: 'number' }),
  enteredAt: ts('entered_at').notNull().defaultNow(),
}, (t) => [uniqueIndex('score_other_uq').on(t.villageId, t.month)]);

// The facts of each village and month, kept from the raw records: recomputed per county and
// month when a trigger logs a change (score_dirty) or the clock passes `stale_at`.
export const scoreFact = pgTable('score_fact', {
  villageId: bigint('village_id', { mode: 'number' }).notNull(),
  month: date('month').notNull(),
  countyCode: text('county_code').notNull(),
  casesReported: integer('cases_reported').notNull().default(0),
  casesRefused: integer('cases_refused').notNull().default(0),
  casesRegistered: integer('cases_registered').notNull().default(0),
  casesDue: integer('cases_due').notNull().default(0),
  casesFixed: integer('cases_fixed').notNull().default(0),
  casesFixedOnTime: integer('cases_fixed_on_time').notNull().default(0),
  casesOverdue: integer('cases_overdue').notNull().default(0),
  casesReworked: integer('cases_reworked').notNull().default(0),
  casesClosed: integer('cases_closed').notNull().default(0),
  tasksDue: integer('tasks_due').notNull().default(0),
  tasksDone: integer('tasks_done').notNull().default(0),
  tasksOnTime: integer('tasks_on_time').notNull().default(0),
  cleaningDays: integer('cleaning_days').notNull().default(0),
  checklistCount: integer('checklist_count').notNull().default(0),
  checklistPercentSum: doublePrecision('checklist_percent_sum').notNull().default(0),
  cleaningSignedUp: integer('cleaning_signed_up').notNull().default(0),
  cleaningPresent: integer('cleaning_present').notNull().default(0),
  observationCount: integer('observation_count').notNull().default(0),
  observationScoreSum: doublePrecision('observation_score_sum').notNull().default(0),
  // The 12345 hotlines' three rates, over residents' reports (随手拍 and Open311).
  publicReports: integer('public_reports').notNull().default(0),
  publicResponded: integer('public_responded').notNull().default(0),
  publicHandled: integer('public_handled').notNull().default(0),
  publicResolved: integer('public_resolved').notNull().default(0),
  publicRated: integer('public_rated').notNull().default(0),
  publicSatisfied: integer('public_satisfied').notNull().default(0),
}, (t) => [uniqueIndex('score_fact_uq').on(t.month, t.villageId)]);

// Which county-months have been computed, when, and until when they hold by the clock alone.
export const scoreMonth = pgTable('score_month', {
  countyCode: text('county_code').notNull(),
  month: date('month').notNull(),
  computedAt: ts('computed_at').notNull().defaultNow(),
  staleAt: ts('stale_at'),
}, (t) => [uniqueIndex('score_month_uq').on(t.countyCode, t.month)]);

// Append-only log of changed county-months, written by triggers (never blocks a writer).
export const scoreDirty = pgTable('score_dirty', {
  id: id(),
  countyCode: text('county_code').notNull(),
  month: date('month').notNull(),
});

// 每季一评比 / 每全年一大奖: a proposed rating (snapshot of the ranking and tiers), approved by a
// second person; each award row carries its amount and is marked paid.
export const scoreRating = pgTable('score_rating', {
  id: id(),
  kind: text('kind').notNull(), // quarter | year
  areaId: bigint('area_id', { mode: 'number' }).notNull().references(() => area.id),
  period: text('period').notNull(),
  status: text('status').notNull(), // proposed | approved
  content: jsonb('content').notNull(),
  proposedBy: bigint('proposed_by', { mode: 'number' }).notNull(),
  proposedAt: ts('proposed_at').notNull().defaultNow(),
  approvedBy: bigint('approved_by', { mode: 'number' }),
  approvedAt: ts('approved_at'),
  version: integer('version').notNull().default(1),
}, (t) => [uniqueIndex('score_rating_uq').on(t.kind, t.areaId, t.period)]);

export const scoreAward = pgTable('score_award', {
  id: id(),
  ratingId: bigint('rating_id', { mode: 'number' }).notNull().references(() => scoreRating.id),
  villageId: bigint('village_id', { mode: 'number' }).notNull().references(() => area.id),
  rank: integer('rank').notNull(),
  tier: text('tier').notNull(),
  composite: doublePrecision('composite').notNull(),
  amount: integer('amount').notNull().default(0),
  paidAt: ts('paid_at'),
  paidBy: bigint('paid_by', { mode: 'number' }),
}, (t) => [uniqueIndex('score_award_uq').on(t.ratingId, t.villageId)]);

// ---------------------------------------------------------------- the public (随手拍, Open311)

// A resident's report: the case it became, how it came (the phone page or an Open311 partner),
// the contact kept for follow-up (the phone is stored, only ever shown masked), hashes that rate
// limit by address and phone, and what the reporter did after: a rating and at most one reopen.
// Nothing is public until staff have reviewed it (reviewed_at); staff may publish a redacted text.
export const publicReport = pgTable('public_report', {
  id: id(),
  caseId: bigint('case_id', { mode: 'number' }).notNull().references(() => caseFile.id),
  token: text('token').notNull(), // the reporter's secret: rating and reopening need it
  channel: text('channel').notNull(), // 'web' | 'open311'
  partnerId: bigint('partner_id', { mode: 'number' }),
  phone: text('phone'),
  phoneHash: text('phone_hash'),
  name: text('name'),
  email: text('email'),
  deviceId: text('device_id'),
  ipHash: text('ip_hash'),
  placement: text('placement').notNull(), // 'micro_grid' | 'queue' (outside every micro-grid)
  attributes: jsonb('attributes'), // Open311 attribute answers, media_url
  // when the case was first registered or refused (a trigger on case_step): the 12345 response time
  respondedAt: ts('responded_at'),
  reviewedAt: ts('reviewed_at'),
  reviewedBy: bigint('reviewed_by', { mode: 'number' }),
  publicText: text('public_text'), // the redacted text shown publicly; null: the original
  rating: text('rating'), // 'satisfied' | 'basically' | 'unsatisfied'
  ratingNote: text('rating_note'),
  ratedAt: ts('rated_at'),
  reopenedAt: ts('reopened_at'),
  reopenNote: text('reopen_note'),
  createdAt: ts('created_at').notNull().defaultNow(),
  publicNo: text('public_no'), // the tracking number residents and partners see: random, not guessable
  contactPurgedAt: ts('contact_purged_at'), // phone, name and e-mail removed after the retention time
}, (t) => [
  uniqueIndex('public_report_case_uq').on(t.caseId),
  uniqueIndex('public_report_public_no_uq').on(t.publicNo),
  uniqueIndex('public_report_token_uq').on(t.token),
  index('public_report_phone_idx').on(t.phoneHash, t.createdAt),
  index('public_report_ip_idx').on(t.ipHash, t.createdAt),
  index('public_report_partner_idx').on(t.partnerId, t.createdAt),
]);

// Partners (a city app, a hotline) that post through Open311 with an api_key; only its hash is kept.
export const open311Partner = pgTable('open311_partner', {
  id: id(),
  name: text('name').notNull(),
  keyHash: text('key_hash').notNull(),
  keyPrefix: text('key_prefix').notNull(),
  active: boolean('active').notNull().default(true),
  createdBy: bigint('created_by', { mode: 'number' }),
  createdAt: ts('created_at').notNull().defaultNow(),
  lastUsedAt: ts('last_used_at'),
}, (t) => [uniqueIndex('open311_partner_key_uq').on(t.keyHash)]);

// ---------------------------------------------------------------- rewards and credit (信用赋能)

// A household of a village (户), for 门前三包 checks, model-household rounds and points.
export const household = pgTable('household', {
  id: id(),
  areaId: bigint('area_id', { mode: 'number' }).notNull().references(() => area.id),
  no: text('no').notNull(), // 户号 within the village
  headName: text('head_name').notNull(),
  address: text('address'),
  phone: text('phone'),
  members: integer('members'),
  active: boolean('active').notNull().default(true),
  createdAt: ts('created_at').notNull().defaultNow(),
  version: integer('version').notNull().default(1),
}, (t) => [uniqueIndex('household_no_uq').on(t.areaId, t.no), index('household_phone_idx').on(t.phone)]);

// Who holds points: a household, or a reporter known only by phone (until matched to a household).
export const pointsAccount = pgTable('points_account', {
  id: id(),
  householdId: bigint('household_id', { mode: 'number' }).references(() => household.id),
  phoneHash: text('phone_hash'),
  phone: text('phone'),
  name: text('name'),
  createdAt: ts('created_at').notNull().defaultNow(),
}, (t) => [uniqueIndex('points_account_household_uq').on(t.householdId), uniqueIndex('points_account_phone_uq').on(t.phoneHash)]);

// Points rules as data: an event, optionally narrowed to a category or a grade, and its points.
export const pointsRule = pgTable('points_rule', {
  id: id(),
  event: text('event').notNull(), // report_valid | report_confirmed | frontage_check | model_household
  categoryId: bigint('category_id', { mode: 'number' }).references(() => caseCategory.id),
  grade: text('grade'), // frontage: good | fair | poor; model household: courtyard | family
  points: integer('points').notNull(),
  active: boolean('active').notNull().default(true),
  note: text('note'),
  updatedBy: bigint('updated_by', { mode: 'number' }),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [index('points_rule_event_idx').on(t.event)]);

// The ledger: every change of points is a row; a balance is a sum. (kind, ref_type, ref_id,
// account) is unique, so settling the same event twice adds nothing.
export const pointsEntry = pgTable('points_entry', {
  id: id(),
  accountId: bigint('account_id', { mode: 'number' }).notNull().references(() => pointsAccount.id),
  delta: integer('delta').notNull(),
  kind: text('kind').notNull(), // report_valid | report_confirmed | frontage_check | model_household | exchange | adjust
  refType: text('ref_type'),
  refId: bigint('ref_id', { mode: 'number' }),
  note: text('note'),
  by: bigint('by', { mode: 'number' }),
  at: ts('at').notNull().defaultNow(),
}, (t) => [
  index('points_entry_account_idx').on(t.accountId, t.at),
  uniqueIndex('points_entry_ref_uq').on(t.kind, t.refType, t.refId, t.accountId),
]);

// 积分超市: what points buy, and each exchange (its ledger row carries the points).
export const shopItem = pgTable('shop_item', {
  id: id(),
  name: text('name').notNull(),
  points: integer('points').notNull(),
  stock: integer('stock'),
  active: boolean('active').notNull().default(true),
  version: integer('version').notNull().default(1),
});

export const pointsExchange = pgTable('points_exchange', {
  id: id(),
  accountId: bigint('account_id', { mode: 'number' }).notNull().references(() => pointsAccount.id),
  itemId: bigint('item_id', { mode: 'number' }).notNull().references(() => shopItem.id),
  quantity: integer('quantity').notNull(),
  points: integer('points').notNull(),
  entryId: bigint('entry_id', { mode: 'number' }).references(() => pointsEntry.id),
  by: bigint('by', { mode: 'number' }),
  at: ts('at').notNull().defaultNow(),
}, (t) => [index('points_exchange_account_idx').on(t.accountId)]);

// A bounty (爆料奖励) for a significant tip: 50–1,000 yuan, proposed by staff, decided by a second
// person, then marked paid.
export const bounty = pgTable('bounty', {
  id: id(),
  caseId: bigint('case_id', { mode: 'number' }).notNull().references(() => caseFile.id),
  accountId: bigint('account_id', { mode: 'number' }).references(() => pointsAccount.id),
  amountYuan: integer('amount_yuan').notNull(),
  reason: text('reason').notNull(),
  status: text('status').notNull(), // proposed | approved | rejected | withdrawn | paid
  proposedBy: bigint('proposed_by', { mode: 'number' }).notNull(),
  proposedAt: ts('proposed_at').notNull().defaultNow(),
  decidedBy: bigint('decided_by', { mode: 'number' }),
  decidedAt: ts('decided_at'),
  decisionNote: text('decision_note'),
  paidBy: bigint('paid_by', { mode: 'number' }),
  paidAt: ts('paid_at'),
  payNote: text('pay_note'),
  version: integer('version').notNull().default(1),
}, (t) => [index('bounty_case_idx').on(t.caseId), index('bounty_status_idx').on(t.status)]);

// 门前三包: a household's frontage checked on a day, with a grade.
export const frontageCheck = pgTable('frontage_check', {
  id: id(),
  householdId: bigint('household_id', { mode: 'number' }).notNull().references(() => household.id),
  checkedOn: date('checked_on', { mode: 'string' }).notNull(),
  grade: text('grade').notNull(), // good | fair | poor
  note: text('note'),
  by: bigint('by', { mode: 'number' }),
  at: ts('at').notNull().defaultNow(),
}, (t) => [uniqueIndex('frontage_check_uq').on(t.householdId, t.checkedOn)]);

// 最美庭院 / 美在家庭: an evaluation round per village and period; households are entered with a
// score, and the round is decided (its winners earn points).
export const modelRound = pgTable('model_round', {
  id: id(),
  villageId: bigint('village_id', { mode: 'number' }).notNull().references(() => area.id),
  kind: text('kind').notNull(), // courtyard | family
  period: text('period').notNull(), // e.g. 2026Q3, 2026
  quota: integer('quota').notNull(),
  status: text('status').notNull(), // open | decided
  createdBy: bigint('created_by', { mode: 'number' }),
  createdAt: ts('created_at').notNull().defaultNow(),
  decidedBy: bigint('decided_by', { mode: 'number' }),
  decidedAt: ts('decided_at'),
  version: integer('version').notNull().default(1),
}, (t) => [uniqueIndex('model_round_uq').on(t.villageId, t.kind, t.period)]);

export const modelEntry = pgTable('model_entry', {
  id: id(),
  roundId: bigint('round_id', { mode: 'number' }).notNull().references(() => modelRound.id),
  householdId: bigint('household_id', { mode: 'number' }).notNull().references(() => household.id),
  score: doublePrecision('score'),
  winner: boolean('winner').notNull().default(false),
  note: text('note'),
}, (t) => [uniqueIndex('model_entry_uq').on(t.roundId, t.householdId)]);

// ---------------------------------------------------------------- publicity (宣传 / 以文化人)

// A campaign with its targets (letters, lectures, attendees, ...) over a scope and dates.
export const publicityCampaign = pgTable('publicity_campaign', {
  id: id(),
  scopeAreaId: bigint('scope_area_id', { mode: 'number' }).notNull().references(() => area.id),
  name: text('name').notNull(),
  startsOn: date('starts_on', { mode: 'string' }).notNull(),
  endsOn: date('ends_on', { mode: 'string' }).notNull(),
  targets: jsonb('targets').notNull(),
  createdBy: bigint('created_by', { mode: 'number' }),
  createdAt: ts('created_at').notNull().defaultNow(),
  version: integer('version').notNull().default(1),
});

// One thing done: letters handed out (to a village or a school), an audio round (van or
// loudspeaker), banners up in a village, a WeChat post and its reads, a lecture and its attendance.
export const publicityRecord = pgTable('publicity_record', {
  id: id(),
  campaignId: bigint('campaign_id', { mode: 'number' }).notNull().references(() => publicityCampaign.id),
  kind: text('kind').notNull(), // letter | audio | banner | wechat | lecture
  areaId: bigint('area_id', { mode: 'number' }).references(() => area.id),
  place: text('place'), // a school, a venue
  mode: text('mode'), // audio: van | loudspeaker
  on: date('on', { mode: 'string' }).notNull(),
  quantity: integer('quantity'), // letters, plays, banners
  attendance: integer('attendance'),
  title: text('title'),
  url: text('url'),
  reads: integer('reads'),
  readsAt: ts('reads_at'),
  note: text('note'),
  by: bigint('by', { mode: 'number' }),
  at: ts('at').notNull().defaultNow(),
  version: integer('version').notNull().default(1),
}, (t) => [index('publicity_record_campaign_idx').on(t.campaignId, t.kind), index('publicity_record_area_idx').on(t.areaId)]);
