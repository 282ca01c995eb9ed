// The grid network's vocabulary, shared by the API and the web app.
// Levels, roles and responsibility kinds are seeded from here into the database,
// where they are data (a county or a city is just a level above the town).

export type LevelKey =
  | 'province' | 'city' | 'county' | 'town' | 'district' | 'village' | 'grid' | 'micro_grid';

export interface LevelDef { key: LevelKey; rank: number; zh: string; en: string }

export const LEVELS: LevelDef[] = [
  { key: 'province', rank: 1, zh: '省', en: 'Province' },
  { key: 'city', rank: 2, zh: '市', en: 'City' },
  { key: 'county', rank: 3, zh: '县', en: 'County' },
  { key: 'town', rank: 4, zh: '镇', en: 'Town' },
  { key: 'district', rank: 5, zh: '管区', en: 'District' },
  { key: 'village', rank: 6, zh: '村', en: 'Village' },
  { key: 'grid', rank: 7, zh: '网格', en: 'Grid' },
  { key: 'micro_grid', rank: 8, zh: '微网格', en: 'Micro-grid' },
];

export const LEVEL_BY_KEY: Record<LevelKey, LevelDef> = Object.fromEntries(
  LEVELS.map((l) => [l.key, l]),
) as Record<LevelKey, LevelDef>;

/** Which level may sit directly under which (a village under its district, or under the town until grouped). */
export const ALLOWED_PARENTS: Record<LevelKey, LevelKey[]> = {
  province: [],
  city: ['province'],
  county: ['city'],
  town: ['county'],
  district: ['town'],
  village: ['district', 'town'],
  grid: ['village'],
  micro_grid: ['grid'],
};

export const CHILD_LEVELS: Record<LevelKey, LevelKey[]> = Object.fromEntries(
  LEVELS.map((l) => [l.key, LEVELS.filter((c) => ALLOWED_PARENTS[c.key].includes(l.key)).map((c) => c.key)]),
) as Record<LevelKey, LevelKey[]>;

export type RoleKey =
  | 'admin' | 'town_admin' | 'finance' | 'party_secretary' | 'leader'
  | 'discipline_office' | 'agriculture_office' | 'construction_office'
  | 'resident_cadre' | 'village_cadre' | 'grid_worker' | 'cleaner' | 'volunteer' | 'county_viewer';

export interface RoleDef {
  key: RoleKey;
  zh: string;
  en: string;
  /** levels at which the role may be granted; the grant's area is the user's scope ('global': the whole install only) */
  levels: LevelKey[] | 'global';
  /** may change data inside the scope */
  write: boolean;
  /** may manage areas, people and responsibilities inside the scope */
  manage: boolean;
}

export const ROLES: RoleDef[] = [
  { key: 'admin', zh: '系统管理员', en: 'System administrator', levels: 'global', write: true, manage: true },
  { key: 'town_admin', zh: '镇管理员', en: 'Town administrator', levels: ['town'], write: true, manage: true },
  // the town's finance clerk: pays awards and bounties others proposed and approved (separation of powers)
  { key: 'finance', zh: '镇财务', en: 'Town finance', levels: ['town'], write: true, manage: false },
  { key: 'party_secretary', zh: '党委书记', en: 'Party secretary', levels: ['town'], write: true, manage: false },
  { key: 'leader', zh: '挂包领导', en: 'Assigned leader', levels: ['town'], write: true, manage: false },
  { key: 'discipline_office', zh: '镇纪委', en: 'Discipline office', levels: ['district', 'town'], write: true, manage: false },
  { key: 'agriculture_office', zh: '镇农委', en: 'Agriculture office', levels: ['district', 'town'], write: true, manage: false },
  { key: 'construction_office', zh: '镇建委', en: 'Construction office', levels: ['district', 'town'], write: true, manage: false },
  { key: 'resident_cadre', zh: '驻村干部', en: 'Resident cadre', levels: ['village'], write: true, manage: false },
  { key: 'village_cadre', zh: '村两委', en: 'Village cadre', levels: ['village'], write: true, manage: false },
  { key: 'grid_worker', zh: '网格员', en: 'Grid worker', levels: ['grid', 'village'], write: true, manage: false },
  { key: 'cleaner', zh: '保洁员', en: 'Cleaner', levels: ['micro_grid', 'grid', 'village'], write: true, manage: false },
  { key: 'volunteer', zh: '志愿者', en: 'Volunteer', levels: ['village', 'town'], write: true, manage: false },
  { key: 'county_viewer', zh: '县级查看', en: 'County viewer', levels: ['county', 'city', 'province'], write: false, manage: false },
];

export const ROLE_BY_KEY: Record<RoleKey, RoleDef> = Object.fromEntries(
  ROLES.map((r) => [r.key, r]),
) as Record<RoleKey, RoleDef>;

export type ResponsibilityKind =
  | 'leader_village' | 'resident_cadre_village' | 'office_district' | 'village_cadre_group'
  | 'grid_worker_grid' | 'cleaner_patch' | 'household_frontage';

export interface ResponsibilityKindDef {
  key: ResponsibilityKind;
  zh: string;
  en: string;
  /** the level of the area answered for */
  level: LevelKey;
  /** roles the holder must have (any of); null: the holder is a household, not a user */
  roles: RoleKey[] | null;
  /** order in the "who answers" chain, nearest first */
  order: number;
}

// One holder per area and kind at any one time: two grid workers for one grid on one day is
// an overlap the import and the screens refuse.
export const RESPONSIBILITY_KINDS: ResponsibilityKindDef[] = [
  { key: 'household_frontage', zh: '门前三包', en: 'Frontage (household)', level: 'micro_grid', roles: null, order: 1 },
  { key: 'cleaner_patch', zh: '保洁员包片', en: 'Cleaner owns patch', level: 'micro_grid', roles: ['cleaner'], order: 2 },
  { key: 'grid_worker_grid', zh: '网格员包网格', en: 'Grid worker owns grid', level: 'grid', roles: ['grid_worker'], order: 3 },
  { key: 'village_cadre_group', zh: '村干部包组', en: 'Village cadre owns group', level: 'grid', roles: ['village_cadre'], order: 4 },
  { key: 'resident_cadre_village', zh: '驻村干部驻村', en: 'Resident cadre in village', level: 'village', roles: ['resident_cadre'], order: 5 },
  { key: 'leader_village', zh: '领导挂包村', en: 'Leader assigned to village', level: 'village', roles: ['leader', 'party_secretary'], order: 6 },
  { key: 'office_district', zh: '科室督查管区', en: 'Office supervises district', level: 'district', roles: ['discipline_office', 'agriculture_office', 'construction_office'], order: 7 },
];

export const KIND_BY_KEY: Record<ResponsibilityKind, ResponsibilityKindDef> = Object.fromEntries(
  RESPONSIBILITY_KINDS.map((k) => [k.key, k]),
) as Record<ResponsibilityKind, ResponsibilityKindDef>;

export const SIZE_CLASSES = ['small', 'medium', 'large'] as const;
export type SizeClass = (typeof SIZE_CLASSES)[number];
export const SIZE_CLASS_ZH: Record<SizeClass, string> = { small: '小', medium: '中', large: '大' };
