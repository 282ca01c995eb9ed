// The pure rules of the Excel import: cell parsing, area list and roster validation.
import { describe, expect, it } from 'vitest';
import type { Actor, Grant } from '../access/policy.js';
import { cellText, parseCode, parseCount, parseDate, parseKind, parseLevel, parseRole, parseSize, parseYesNo, summarize } from './cells.js';
import { validateAreas, type KnownArea } from './areas.rules.js';
import { validateRoster, type KnownResponsibility, type KnownUser, type RosterFacts } from './roster.rules.js';
import { AREAS, ROSTER, type RawRow, type Shape } from './workbook.js';

const grant = (roleKey: string, areaPath: string | null, manage = true): Grant =>
  ({ roleKey, areaId: areaPath ? 1 : null, areaPath, areaName: null, canWrite: true, canManage: manage });
const actor = (...grants: Grant[]): Actor => ({ id: 1, username: 'x', displayName: 'x', mustChangePassword: false, grants });
const ADMIN = actor(grant('admin', null));
const TOWN_ADMIN = actor(grant('town_admin', '/1/2/3/4/'));
const VIEWER = actor(grant('county_viewer', '/1/2/3/', false));

const area = (id: number, code: string, name: string, level: KnownArea['level'], path: string, parentCode: string | null, extra: Partial<KnownArea> = {}): KnownArea =>
  ({ id, code, name, level, parentId: null, parentCode, path, archived: false, population: null, households: null, sizeClass: null, isKey: false, ...extra });
const KNOWN = [
  area(3, '370321', '桓台县', 'county', '/1/2/3/', '3703'),
  area(4, '370321107', '新城镇', 'town', '/1/2/3/4/', '370321'),
  area(10, '370321107201', '毛家村', 'village', '/1/2/3/4/10/', '370321107', { population: 900 }),
  area(11, '370321107202', '王家村', 'village', '/1/2/3/4/11/', '370321107'),
  area(20, '370321107D01', '第一管区', 'district', '/1/2/3/4/20/', '370321107'),
  area(30, '370321107201001', '一网格', 'grid', '/1/2/3/4/10/30/', '370321107201'),
  area(40, '370321107201001001', '一号微网格', 'micro_grid', '/1/2/3/4/10/30/40/', '370321107201001'),
  area(5, '370321108', '另一镇', 'town', '/1/2/3/5/', '370321'),
  area(50, '370321108201', '外村', 'village', '/1/2/3/5/50/', '370321108'),
  area(60, '370321107203', '旧村', 'village', '/1/2/3/4/60/', '370321107', { archived: true }),
];
const known = () => new Map(KNOWN.map((a) => [a.code, a]));

function sheet(shape: Shape, lines: unknown[][]): RawRow[] {
  return lines.map((l, i) => ({ row: i + 2, cells: Object.fromEntries(shape.columns.map((c, j) => [c.key, l[j] ?? null])) }));
}
const msgs = (ps: { row: number; column: string; message: string }[]) => ps.map((p) => `${p.row}|${p.column}|${p.message}`);

describe('cells', () => {
  it('reads text from every kind of cell', () => {
    expect(cellText('  毛家村 ')).toBe('毛家村');
    expect(cellText(370321107201)).toBe('370321107201');
    expect(cellText(null)).toBe('');
    expect(cellText({ richText: [{ text: '毛' }, { text: '家村' }] })).toBe('毛家村');
    expect(cellText({ formula: 'A1', result: 12 })).toBe('12');
    expect(cellText({ text: 'link', hyperlink: 'http://x' })).toBe('link');
    expect(cellText(new Date(Date.UTC(2026, 2, 1)))).toBe('2026-03-01');
  });
  it('codes: text or safe numbers; 18-digit numbers were already rounded by Excel', () => {
    expect(parseCode(' 370321107d01 ')).toEqual({ ok: true, value: '370321107D01' });
    expect(parseCode(370321107201)).toEqual({ ok: true, value: '370321107201' });
    expect(parseCode(370321107201001001)).toMatchObject({ ok: false });
    expect(parseCode('37-03')).toMatchObject({ ok: false });
    expect(parseCode('')).toEqual({ ok: true, value: '' });
  });
  it('levels, roles and kinds by Chinese name or key', () => {
    expect(parseLevel('管区')).toBe('district');
    expect(parseLevel('micro_grid')).toBe('micro_grid');
    expect(parseLevel('微网格')).toBe('micro_grid');
    expect(parseLevel('Grid')).toBe('grid');
    expect(parseLevel('小区')).toBeNull();
    expect(parseRole('网格员')).toBe('grid_worker');
    expect(parseRole('grid_worker')).toBe('grid_worker');
    expect(parseRole('队长')).toBeNull();
    expect(parseKind('门前三包')).toBe('household_frontage');
    expect(parseKind('cleaner_patch')).toBe('cleaner_patch');
    expect(parseKind('包片')).toBeNull();
  });
  it('size, yes/no and counts', () => {
    expect(parseSize('中')).toEqual({ ok: true, value: 'medium' });
    expect(parseSize('Large')).toEqual({ ok: true, value: 'large' });
    expect(parseSize('')).toEqual({ ok: true, value: null });
    expect(parseSize('巨大')).toMatchObject({ ok: false });
    expect(parseYesNo('是')).toEqual({ ok: true, value: true });
    expect(parseYesNo(true)).toEqual({ ok: true, value: true });
    expect(parseYesNo(null)).toEqual({ ok: true, value: false });
    expect(parseYesNo('也许')).toMatchObject({ ok: false });
    expect(parseCount('1,200')).toEqual({ ok: true, value: 1200 });
    expect(parseCount(35)).toEqual({ ok: true, value: 35 });
    expect(parseCount(-1)).toMatchObject({ ok: false });
    expect(parseCount(3.5)).toMatchObject({ ok: false });
    expect(parseCount('很多')).toMatchObject({ ok: false });
  });
  it('dates as text, Excel dates and serials; impossible dates refused', () => {
    expect(parseDate('2026-03-01')).toEqual({ ok: true, value: '2026-03-01' });
    expect(parseDate('2026/3/1')).toEqual({ ok: true, value: '2026-03-01' });
    expect(parseDate('2026.3.1')).toEqual({ ok: true, value: '2026-03-01' });
    expect(parseDate('2026年3月1日')).toEqual({ ok: true, value: '2026-03-01' });
    expect(parseDate(new Date(Date.UTC(2026, 0, 31)))).toEqual({ ok: true, value: '2026-01-31' });
    expect(parseDate(46082)).toEqual({ ok: true, value: '2026-03-01' });
    expect(parseDate(null)).toEqual({ ok: true, value: null });
    expect(parseDate('2026-02-30')).toMatchObject({ ok: false });
    expect(parseDate('下个月')).toMatchObject({ ok: false });
  });
  it('summarizes the first problems and the count', () => {
    const s = summarize([{ row: 3, column: '角色', message: "未知角色 '队长'" }, ...Array.from({ length: 6 }, (_, i) => ({ row: 4 + i, column: '姓名', message: '必填' }))]);
    expect(s).toMatch(/^第 3 行「角色」：未知角色 '队长'；/);
    expect(s).toMatch(/（共 7 处）$/);
  });
});

describe('area list validation', () => {
  it('plans districts, grids and micro-grids, parents from the database or earlier rows', () => {
    const plan = validateAreas(sheet(AREAS, [
      ['370321107D02', '第二管区', '管区', '370321107'],
      ['370321107202001', '王家一网格', '网格', '370321107202', '300', 100, '中', '否'],
      ['370321107202001001', '王家一号', 'micro_grid', '370321107202001', null, null, null, null],
    ]), known(), TOWN_ADMIN);
    expect(plan.problems).toEqual([]);
    expect(plan.ops.map((o) => [o.op, o.code])).toEqual([['create', '370321107D02'], ['create', '370321107202001'], ['create', '370321107202001001']]);
    expect(plan.ops[1]).toMatchObject({ population: 300, households: 100, sizeClass: 'medium', isKey: false, level: 'grid' });
  });
  it('updates existing areas, counts identical rows as unchanged', () => {
    const plan = validateAreas(sheet(AREAS, [
      ['370321107201', '毛家村', '村', '370321107', 900, null, null, '否'],
      ['370321107202', '王家庄', '村', '370321107', 500, null, '大', '是'],
    ]), known(), TOWN_ADMIN);
    expect(plan.problems).toEqual([]);
    expect(plan.unchanged).toBe(1);
    expect(plan.ops).toEqual([expect.objectContaining({ op: 'update', id: 11, patch: { name: '王家庄', population: 500, sizeClass: 'large', isKey: true }, moveTo: null })]);
  });
  it('moves a village into a district of its own town', () => {
    const plan = validateAreas(sheet(AREAS, [['370321107201', '毛家村', '村', '370321107D01', 900]]), known(), TOWN_ADMIN);
    expect(plan.problems).toEqual([]);
    expect(plan.ops[0]).toMatchObject({ op: 'update', moveTo: '370321107D01' });
  });
  it('refuses a move across towns, naming 移动', () => {
    const plan = validateAreas(sheet(AREAS, [['370321107201', '毛家村', '村', '370321108', 900]]), known(), ADMIN);
    expect(msgs(plan.problems)).toEqual([expect.stringMatching(/^2\|上级代码\|不能移到“另一镇”.*移动/)]);
  });
  it('reports every bad row with its Excel row number and column', () => {
    const plan = validateAreas(sheet(AREAS, [
      ['370321107D02', '第二管区', '管区', '370321107'],
      ['370321107D02', '重复', '管区', '370321107'], // 3: duplicate in file
      ['370321107202001', '', '小区', '370321107202'], // 4: name empty, unknown level
      ['370321107201002', '网格', '网格', '370321107999'], // 5: unknown parent
      ['370321107202005001', '微', '微网格', '370321107202005'], // 6: parent later in file
      ['370321107202005', '王家五网格', '网格', '370321107202'], // 7
      ['370321107201001', '一网格', '微网格', '370321107201'], // 8: exists as grid
      ['370321108202001', '网格', '网格', '370321107202'], // 9: code does not extend parent
      ['370321107202002', '网格', '网格', '370321107D01'], // 10: grid under district
      ['370321107202003', '网格', '网格', '370321107202', -5, 'x', '特大', '也许'], // 11: bad numbers
      ['', '无代码', '村', '370321107'], // 12
      ['370321107203001', '网格', '网格', '370321107203'], // 13: archived parent
    ]), known(), ADMIN);
    const m = msgs(plan.problems);
    expect(m).toContainEqual('3|代码|代码 370321107D02 与第 2 行重复');
    expect(m).toContainEqual('4|名称|必填');
    expect(m).toContainEqual(expect.stringMatching(/^4\|层级\|未知层级 '小区'/));
    expect(m).toContainEqual(expect.stringMatching(/^5\|上级代码\|未知的上级代码 370321107999/));
    expect(m).toContainEqual('6|上级代码|上级 370321107202005 在第 7 行，应放在本行之前');
    expect(m).toContainEqual(expect.stringMatching(/^8\|层级\|代码 370321107201001 已是网格“一网格”，不能改为微网格/));
    expect(m).toContainEqual(expect.stringMatching(/^9\|代码\|代码 370321108202001 应以上级代码 370321107202 开头/));
    expect(m).toContainEqual(expect.stringMatching(/^10\|上级代码\|网格不能放在管区之下/));
    expect(m.filter((x) => x.startsWith('11|')).map((x) => x.split('|')[1])).toEqual(['人口', '户数', '规模', '重点村']);
    expect(m).toContainEqual('12|代码|必填');
    expect(m).toContainEqual(expect.stringMatching(/^13\|上级代码\|上级“旧村”已归档/));
  });
  it('keeps each user inside their areas', () => {
    const plan = validateAreas(sheet(AREAS, [
      ['370321108201001', '外村网格', '网格', '370321108201'],
      ['370321108201', '外村改名', '村', '370321108'],
      ['370321107201', '毛家村', '村', '370321107', 900], // unchanged: reading is enough
    ]), known(), TOWN_ADMIN);
    expect(msgs(plan.problems)).toEqual([
      '2|上级代码|上级 370321108201 不在您的区域内',
      '3|代码|代码 370321108201 已被使用，且不在您的区域内',
    ]);
    const viewer = validateAreas(sheet(AREAS, [['370321107201', '改名', '村', '370321107', 900]]), known(), VIEWER);
    expect(msgs(viewer.problems)).toEqual([expect.stringMatching(/^2\|代码\|无权修改“毛家村”/)]);
  });
  it('a new top-level area needs the system administrator', () => {
    expect(validateAreas(sheet(AREAS, [['370322', '邻县', '县', '']]), known(), TOWN_ADMIN).problems[0]?.message).toMatch(/系统管理员/);
    expect(validateAreas(sheet(AREAS, [['370322', '邻县', '县', '']]), known(), ADMIN).problems).toEqual([]);
    expect(validateAreas(sheet(AREAS, [['370321107209', '新村', '村', '']]), known(), ADMIN).problems[0]?.message).toMatch(/必须填写上级代码/);
  });
});

describe('roster validation', () => {
  const user = (id: number, username: string, grants: KnownUser['grants'] = []): KnownUser => ({ id, username, displayName: `名${id}`, phone: null, grants });
  const resp = (r: Partial<KnownResponsibility>): KnownResponsibility => ({ id: 1, kind: 'grid_worker_grid', areaId: 30, userId: 7, holderName: null, validFrom: '2025-01-01', validTo: null, holderLabel: '老王', principal: false, ...r });
  const facts = (over: Partial<RosterFacts> = {}): RosterFacts => ({
    areas: known(),
    users: new Map([['laowang', user(7, 'laowang', [{ roleKey: 'grid_worker', areaId: 10, areaPath: '/1/2/3/4/10/' }])], ['waicun', user(8, 'waicun', [{ roleKey: 'grid_worker', areaId: 50, areaPath: '/1/2/3/5/50/' }])]]),
    responsibilities: new Map(), ...over,
  });

  it('plans new people with roles and responsibilities over several rows', () => {
    const plan = validateRoster(sheet(ROSTER, [
      ['zhang3', '张三', '13800000001', '网格员', '370321107201'],
      ['zhang3', '', '', '保洁员', '370321107201'],
      ['ZHANG3', '张三', null, null, null, '网格员包网格', '370321107201001', '2026-01-01'],
      ['zhang3', null, null, null, null, 'cleaner_patch', '370321107201001001', new Date(Date.UTC(2026, 0, 1)), '2026-12-31'],
      [null, null, null, null, null, '门前三包', '370321107201001001', '2026-01-01', null, '李家'],
    ]), facts(), TOWN_ADMIN);
    expect(plan.problems).toEqual([]);
    expect(plan.people).toEqual([expect.objectContaining({ username: 'zhang3', existingId: null, displayName: '张三', phone: '13800000001',
      grants: [expect.objectContaining({ roleKey: 'grid_worker', areaId: 10 }), expect.objectContaining({ roleKey: 'cleaner', areaId: 10 })] })]);
    expect(plan.responsibilities.map((r) => [r.row, r.kind, r.person, r.holderName, r.validFrom, r.validTo])).toEqual([
      [4, 'grid_worker_grid', 'zhang3', null, '2026-01-01', null],
      [5, 'cleaner_patch', 'zhang3', null, '2026-01-01', '2026-12-31'],
      [6, 'household_frontage', null, '李家', '2026-01-01', null],
    ]);
  });
  it('marks a principal leader (主要领导), only on 领导挂包村', () => {
    const plan = validateRoster(sheet(ROSTER, [
      ['li4', '李四', null, '挂包领导', '370321107'],
      ['li4', null, null, null, null, '领导挂包村', '370321107201', '2026-01-01', null, null, '是'],
      ['laowang', null, null, null, null, '网格员包网格', '370321107201001', '2026-01-01', null, null, '是'],
      ['laowang', null, null, null, null, '网格员包网格', '370321107201001', '2027-01-01', null, null, '也许'],
    ]), facts(), TOWN_ADMIN);
    expect(plan.problems.map((x) => [x.row, x.column])).toEqual([[4, '主要领导'], [5, '主要领导'], [5, '开始日期']]);
    expect(plan.responsibilities.find((r) => r.kind === 'leader_village')).toMatchObject({ principal: true, row: 3 });
  });
  it('adds to existing people; identical stored entries are unchanged, not errors', () => {
    const f = facts({ responsibilities: new Map([[30, [resp({ validFrom: '2025-01-01', validTo: '2025-12-31' })]]]) });
    const plan = validateRoster(sheet(ROSTER, [
      ['laowang', '名7', null, '网格员', '370321107201'],
      ['LaoWang', null, null, null, null, '网格员包网格', '370321107201001', '2025-01-01', '2025-12-31'],
      ['laowang', null, null, '保洁员', '370321107201', '保洁员包片', '370321107201001001', '2026-01-01'],
    ]), f, TOWN_ADMIN);
    expect(plan.problems).toEqual([]);
    expect(plan.unchanged).toEqual({ roles: 1, responsibilities: 1 });
    expect(plan.people[0]).toMatchObject({ existingId: 7, update: null, grants: [expect.objectContaining({ roleKey: 'cleaner' })] });
    expect(plan.responsibilities).toHaveLength(1);
  });
  it('reports unknown roles, kinds and codes, wrong levels, bad dates and empty cells', () => {
    const plan = validateRoster(sheet(ROSTER, [
      ['a1', '甲', null, '队长', '370321107201'], // 2
      ['a2', '乙', null, '网格员', '370321107D01'], // 3: wrong level for role
      ['a3', '丙', null, '网格员', '370321107999'], // 4: unknown code
      ['a4', '丁', null, '网格员', '370321107201', '网格员包网格', '370321107201', '2026-01-01'], // 5: wrong level for kind
      ['a5', '戊', null, '网格员', '370321107201', '网格员包网格', '370321107201001', '2026-02-30'], // 6: bad date
      ['a6', '己', null, '网格员', '370321107201', '网格员包网格', '370321107201001', '2026-03-01', '2026-01-01'], // 7: end before start
      ['a7', '庚', null, '网格员', ''], // 8: role area empty
      ['a8', '辛', null, null, null, '包片', '370321107201001'], // 9: unknown kind
      ['a9', '壬'], // 10: neither role nor kind
      ['x', '癸', null, '网格员', '370321107201'], // 11: username too short
      ['a10', null, null, '网格员', '370321107201'], // 12: new person without a name
      ['a11', '子', 'phone', '网格员', '370321107201'], // 13: bad phone
      ['a12', '丑', null, '系统管理员'], // 14: admin cannot be granted
      [null, null, null, null, null, '门前三包', '370321107201001001', '2026-01-01'], // 15: household empty
    ]), facts(), ADMIN);
    const m = msgs(plan.problems);
    expect(m).toContainEqual("2|角色|未知角色 '队长'");
    expect(m).toContainEqual(expect.stringMatching(/^3\|角色区域代码\|角色“网格员”只能在网格\/村层级授予，“第一管区”是管区/));
    expect(m).toContainEqual('4|角色区域代码|未知的区域代码 370321107999');
    expect(m).toContainEqual(expect.stringMatching(/^5\|责任区域代码\|“网格员包网格”的区域应为网格，“毛家村”（370321107201）是村/));
    expect(m).toContainEqual(expect.stringMatching(/^6\|开始日期\|日期应为 YYYY-MM-DD/));
    expect(m).toContainEqual('7|结束日期|结束日期 2026-01-01 早于开始日期 2026-03-01');
    expect(m).toContainEqual('8|角色区域代码|必填');
    expect(m).toContainEqual("9|责任类型|未知的责任类型 '包片'");
    expect(m).toContainEqual('10|角色|请填写角色或责任类型（至少一项）');
    expect(m).toContainEqual(expect.stringMatching(/^11\|用户名\|用户名 "x" 不合规/));
    expect(m).toContainEqual('12|姓名|新人员必填姓名');
    expect(m).toContainEqual(expect.stringMatching(/^13\|手机\|/));
    expect(m).toContainEqual('14|角色|系统管理员角色不能通过导入授予');
    expect(m).toContainEqual(expect.stringMatching(/^15\|户主\(门前三包\)\|/));
    expect([...new Set(plan.problems.map((p) => p.row))]).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
  });
  it('refuses overlaps with stored responsibilities and between rows, naming both rows', () => {
    const f = facts({ responsibilities: new Map([[30, [resp({ validFrom: '2025-01-01', validTo: null })]]]) });
    const plan = validateRoster(sheet(ROSTER, [
      ['laowang', null, null, null, null, '网格员包网格', '370321107201001', '2026-01-01'], // 2: overlaps stored (open-ended)
      ['b1', '乙', null, '保洁员', '370321107201', '保洁员包片', '370321107201001001', '2026-01-01', '2026-06-30'],
      ['b2', '丙', null, '保洁员', '370321107201', '保洁员包片', '370321107201001001', '2026-06-30'], // 4: overlaps row 3 on 06-30
      ['b3', '丁', null, '保洁员', '370321107201', '保洁员包片', '370321107201001001', '2026-07-01'], // fine: starts after row 3 ends
    ]), f, ADMIN);
    const m = msgs(plan.problems);
    expect(m).toContainEqual(expect.stringMatching(/^2\|开始日期\|与已有责任重叠：“一网格”的“网格员包网格”在 2025-01-01 至 今后 由 老王 承担/));
    expect(m).toContainEqual('4|开始日期|与第 3 行的“保洁员包片”（一号微网格）时间重叠：同一区域同一时间只能由一方承担');
    expect(m).toHaveLength(2);
  });
  it('a holder needs the matching role over the area, from the database or any row of the file', () => {
    const plan = validateRoster(sheet(ROSTER, [
      ['c1', '甲', null, null, null, '网格员包网格', '370321107201001', '2026-01-01'], // 2: new, no role
      ['c1', null, null, '保洁员', '370321107202'], // role elsewhere and of the wrong kind
      ['c2', '乙', null, null, null, '网格员包网格', '370321107201001', '2025-01-01', '2025-12-31'], // role given on a later row
      ['c2', null, null, '网格员', '370321107201001'],
    ]), facts(), ADMIN);
    expect(msgs(plan.problems)).toEqual([expect.stringMatching(/^2\|责任类型\|c1 没有在“一网格”或其上级担任网格员/)]);
  });
  it('stays inside the importing user’s areas, for people and for areas', () => {
    const plan = validateRoster(sheet(ROSTER, [
      ['waicun', '外人', null, '网格员', '370321107201'], // user of another town
      ['d1', '甲', null, '网格员', '370321108201'], // area of another town
    ]), facts(), TOWN_ADMIN);
    expect(msgs(plan.problems)).toEqual([
      '2|用户名|用户名 waicun 已被其他区域的人员使用，请换一个用户名',
      '3|角色区域代码|区域 370321108201 不在您的区域内',
    ]);
    // A new person with a responsibility but no role anywhere is told both things.
    const none = validateRoster(sheet(ROSTER, [['f1', '甲', null, null, null, '网格员包网格', '370321107201001', '2026-01-01']]), facts(), TOWN_ADMIN);
    expect(msgs(none.problems)).toEqual([expect.stringMatching(/^2\|责任类型\|f1 没有/), '2|角色|新人员 f1 至少需要一个角色（角色决定此人能看到哪些区域）']);
  });
  it('a person’s name must agree across rows; a changed name of a known person is an update', () => {
    const plan = validateRoster(sheet(ROSTER, [
      ['e1', '张三', null, '网格员', '370321107201'],
      ['e1', '张叁', null, '保洁员', '370321107201'],
      ['laowang', '王老五', null, '网格员', '370321107201'],
    ]), facts(), TOWN_ADMIN);
    expect(msgs(plan.problems)).toEqual(['3|姓名|与第 2 行的姓名“张三”不一致']);
    expect(plan.people.find((p) => p.key === 'laowang')).toMatchObject({ update: { displayName: '王老五' }, before: { displayName: '名7' } });
  });
});
