import { sql } from 'drizzle-orm';
import {
  bigint, boolean, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex,
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
}, (t) => [index('audit_entity_idx').on(t.entity, t.entityId)]);

export const setting = pgTable('setting', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
