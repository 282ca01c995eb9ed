import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../../lib/errors.js';
import { makeCalendar, workingTimeBetween } from '../calendar/deadline.rules.js';
import {
  buildTable, calendarDays, checkDay, hoursUntil, checkScopeLevel, chinaTime, dayWindow, mayIssue, nextVersion, overdueText, pickAnswerable, rate,
  shortText, type AreaCounts, type Responsibility, type ScopeArea,
} from './bulletin.rules.js';

// A town (1) with two districts (10, 20), villages 11, 12 under 10, 21 under 20, and 31, 32 directly
// under the town; grids 111 (under 11) and 311 (under 31).
const town: ScopeArea = { id: 1, code: '370321107', name: '新城镇', level: 'town', parentId: null, path: '/1/', archived: false };
const A = (id: number, code: string, name: string, level: string, parentId: number, path: string, archived = false): ScopeArea =>
  ({ id, code, name, level, parentId, path, archived });
const areas: ScopeArea[] = [
  A(20, '370321107D02', '东南管区', 'district', 1, '/1/20/'),
  A(10, '370321107D01', '西北管区', 'district', 1, '/1/10/'),
  A(12, '370321107202', '乙村', 'village', 10, '/1/10/12/'),
  A(11, '370321107201', '甲村', 'village', 10, '/1/10/11/'),
  A(21, '370321107203', '丙村', 'village', 20, '/1/20/21/'),
  A(31, '370321107204', '丁村', 'village', 1, '/1/31/'),
  A(32, '370321107205', '戊村', 'village', 1, '/1/32/'),
  A(33, '370321107206', '已撤村', 'village', 1, '/1/33/', true),
];
const C = (path: string, c: Partial<Omit<AreaCounts, 'path'>>): AreaCounts =>
  ({ path, new: 0, closed: 0, closedOnTime: 0, closedMonth: 0, closedOnTimeMonth: 0, overdue: 0, reworked: 0, ...c });

describe('the table', () => {
  const counts = [
    C('/1/10/11/111/', { new: 2, closed: 3, closedOnTime: 2, closedMonth: 5, closedOnTimeMonth: 4, overdue: 1, reworked: 1 }),
    C('/1/10/11/', { new: 1 }),
    C('/1/10/', { overdue: 2 }), // a case on the district itself
    C('/1/20/21/', { closed: 1, closedOnTime: 0, closedMonth: 1 }),
    C('/1/31/311/', { new: 4, overdue: 1 }),
    C('/1/', { new: 1 }), // a case on the town itself: only the total
    C('/2/99/', { new: 100 }), // outside the scope: ignored
  ];
  const t = buildTable(town, areas, counts);

  it('groups villages under their districts in code order, then 镇直属; archived villages without cases are left out', () => {
    expect(t.groups.map((g) => [g.district.name, g.villages.map((v) => v.name)])).toEqual([
      ['西北管区', ['甲村', '乙村']],
      ['东南管区', ['丙村']],
      ['镇直属', ['丁村', '戊村']],
    ]);
    expect(t.groups[2]!.district).toMatchObject({ areaId: null, code: null });
  });

  it('rolls counts up: a village from its grids, a district from its villages and its own cases, the total from everything', () => {
    const [nw, se, direct] = t.groups;
    expect(nw!.villages[0]).toMatchObject({ areaId: 11, new: 3, fixed: 3, closed: 3, closedOnTime: 2, overdue: 1, reworked: 1, onTimeRate: 0.6667, onTimeRateMonth: 0.8 });
    expect(nw!.villages[1]).toMatchObject({ areaId: 12, new: 0, onTimeRate: null, onTimeRateMonth: null });
    expect(nw!.district).toMatchObject({ areaId: 10, new: 3, overdue: 3, closed: 3 });
    expect(se!.district).toMatchObject({ closed: 1, closedOnTime: 0, onTimeRate: 0 });
    expect(direct!.district).toMatchObject({ new: 4, overdue: 1 });
    expect(t.totals).toMatchObject({ areaId: 1, name: '合计', new: 8, fixed: 4, overdue: 4, reworked: 1, closed: 4, closedOnTime: 2, onTimeRate: 0.5, closedMonth: 6, closedOnTimeMonth: 4, onTimeRateMonth: 0.6667 });
  });

  it('shows an archived village that has cases', () => {
    const t2 = buildTable(town, areas, [C('/1/33/', { new: 1 })]);
    expect(t2.groups[2]!.villages.map((v) => v.name)).toEqual(['丁村', '戊村', '已撤村']);
  });

  it('a district bulletin has one group: the district with its villages', () => {
    const d = areas.find((a) => a.id === 10)!;
    const t2 = buildTable(d, areas, counts);
    expect(t2.groups).toHaveLength(1);
    expect(t2.groups[0]!.district).toMatchObject({ areaId: 10, name: '西北管区', new: 3, overdue: 3 });
    expect(t2.groups[0]!.villages.map((v) => v.name)).toEqual(['甲村', '乙村']);
    expect(t2.totals).toMatchObject({ new: 3, overdue: 3 });
  });

  it('a town without districts has only 镇直属; a town without villages has no groups', () => {
    const flat = areas.filter((a) => a.level === 'village' && a.parentId === 1 && !a.archived);
    expect(buildTable(town, flat, []).groups.map((g) => g.district.name)).toEqual(['镇直属']);
    expect(buildTable(town, [], []).groups).toEqual([]);
  });

  it('every group sums to the total when all cases lie in villages (property)', () => {
    const paths = ['/1/10/11/', '/1/10/11/111/', '/1/10/12/', '/1/20/21/', '/1/31/', '/1/31/311/', '/1/32/'];
    const arb = fc.array(fc.record({ p: fc.constantFrom(...paths), n: fc.nat(20), o: fc.nat(20) }), { maxLength: 30 });
    fc.assert(fc.property(arb, (list) => {
      const t3 = buildTable(town, areas, list.map((x) => C(x.p, { new: x.n, overdue: x.o })));
      const sum = (k: 'new' | 'overdue') => t3.groups.reduce((s, g) => s + g.district[k], 0);
      const vsum = (k: 'new' | 'overdue') => t3.groups.reduce((s, g) => s + g.villages.reduce((x, v) => x + v[k], 0), 0);
      return sum('new') === t3.totals.new && sum('overdue') === t3.totals.overdue && vsum('new') === t3.totals.new;
    }));
  });

  it('rates have four decimals and are null with nothing closed', () => {
    expect(rate(1, 3)).toBe(0.3333);
    expect(rate(2, 3)).toBe(0.6667);
    expect(rate(0, 0)).toBeNull();
    expect(rate(5, 5)).toBe(1);
  });
});

describe('days', () => {
  it('a day runs from 00:00 to 24:00 China time; the month from the 1st', () => {
    const w = dayWindow('2026-03-10');
    expect(w.start.toISOString()).toBe('2026-03-09T16:00:00.000Z');
    expect(w.end.toISOString()).toBe('2026-03-10T16:00:00.000Z');
    expect(w.monthStart.toISOString()).toBe('2026-02-28T16:00:00.000Z');
  });
  it('refuses a malformed or impossible date and a future day, accepts today', () => {
    const code = (f: () => unknown) => { try { f(); return 'ok'; } catch (e) { return (e as DomainError).code; } };
    expect(code(() => checkDay('2026-03-10', '2026-03-10'))).toBe('ok');
    expect(code(() => checkDay('2026-03-11', '2026-03-10'))).toBe('FUTURE_DAY');
    expect(code(() => checkDay('2026-02-30', '2026-03-10'))).toBe('BAD_INPUT');
    expect(code(() => checkDay('10/03/2026', '2026-03-10'))).toBe('BAD_INPUT');
    expect(code(() => checkDay(undefined, '2026-03-10'))).toBe('BAD_INPUT');
    expect(code(() => checkDay('1999-12-31', '2026-03-10'))).toBe('BAD_INPUT');
    expect(code(() => checkDay('2000-01-01', '2026-03-10'))).toBe('ok');
  });
  it('shows times as China wall-clock', () => {
    expect(chinaTime('2026-03-10T01:05:00.000Z')).toBe('2026-03-10 09:05');
    expect(chinaTime(null)).toBe('');
  });
});

describe('overdue', () => {
  it('says working time in workdays and hours', () => {
    expect(overdueText(0, 7.5)).toBe('不足0.1工作小时');
    expect(overdueText(3.5, 7.5)).toBe('3.5工作小时');
    expect(overdueText(7.5, 7.5)).toBe('1个工作日');
    expect(overdueText(18, 7.5)).toBe('2个工作日3小时');
    expect(overdueText(11.25, 7.5)).toBe('1个工作日3.8小时');
  });
  it('working hours until the end of the day, summed day by day, equal the calendar\'s own count (property)', () => {
    const cal = makeCalendar([{ day: '2026-10-01', workday: false, name: '国庆节' }, { day: '2026-10-02', workday: false, name: '国庆节' },
      { day: '2026-09-27', workday: true, name: '国庆节调休' }, { day: '2026-10-10', workday: true, name: '国庆节调休' }]);
    const end = dayWindow('2026-10-12').end;
    const between = (a: Date, b: Date) => workingTimeBetween(a, b, cal);
    const fast = hoursUntil(end, between);
    const base = Date.parse('2026-09-01T00:00:00+08:00');
    fc.assert(fc.property(fc.integer({ min: 0, max: 43 * 24 * 60 }), (minutes) => {
      const due = new Date(base + minutes * 60_000);
      const direct = due.getTime() >= end.getTime() ? 0 : between(due, end);
      return Math.abs(fast(due) - direct) < 1e-9;
    }), { numRuns: 300 });
    expect(fast(new Date('2026-10-09T09:30:00Z'))).toBe(between(new Date('2026-10-09T09:30:00Z'), end)); // Fri 17:30 → Sat 调休 + Mon
    expect(fast(new Date('2026-10-09T09:30:00Z'))).toBe(15);
  });
  it('counts calendar days with one decimal', () => {
    expect(calendarDays(new Date('2026-03-08T09:30:00Z'), new Date('2026-03-10T16:00:00Z'))).toBe(2.3);
  });
  it('shortens a description to 50 characters', () => {
    expect(shortText('  路边  有垃圾\n堆放 ')).toBe('路边 有垃圾 堆放');
    const long = '垃'.repeat(60);
    expect([...shortText(long)]).toHaveLength(50);
    expect(shortText(long).endsWith('…')).toBe(true);
  });
  it('picks the nearest grid worker, village leader and district office on the chain', () => {
    const r = (kind: string, areaId: number, userId: number, userName: string): Responsibility => ({ kind, areaId, userId, userName, holderName: null });
    const byArea = new Map<number, Responsibility[]>([
      [111, [r('grid_worker_grid', 111, 5, '张网格'), r('village_cadre_group', 111, 6, '李村干')]],
      [11, [r('leader_village', 11, 7, '王领导'), r('resident_cadre_village', 11, 8, '赵驻村')]],
      [10, [r('office_district', 10, 9, '镇纪委·周')]],
    ]);
    expect(pickAnswerable([1111, 111, 11, 10, 1], byArea)).toEqual({
      gridWorker: { userId: 5, name: '张网格' }, villageLeader: { userId: 7, name: '王领导' }, districtOffice: { userId: 9, name: '镇纪委·周' },
    });
    expect(pickAnswerable([31, 1], byArea)).toEqual({ gridWorker: null, villageLeader: null, districtOffice: null });
  });
});

describe('issuing', () => {
  const g = (roleKey: string, areaPath: string | null, canWrite = true) => ({ roleKey, areaPath, canWrite });
  // who may issue is the duty table's (bulletin.issue); these are the grants that carry it
  it('a grant carrying the duty, on the scope or above it, may issue; one below or elsewhere may not', () => {
    expect(mayIssue([g('town_admin', '/1/')], '/1/')).toBe(true);
    expect(mayIssue([g('leader', '/1/')], '/1/10/')).toBe(true);
    expect(mayIssue([g('agriculture_office', '/1/10/')], '/1/10/')).toBe(true);
    expect(mayIssue([g('agriculture_office', '/1/10/')], '/1/')).toBe(false); // a district's office, not the town's
    expect(mayIssue([g('admin', null)], '/1/')).toBe(true);
    expect(mayIssue([g('grid_worker', '/1/10/11/')], '/1/10/')).toBe(false); // below the scope
    expect(mayIssue([g('county_viewer', '/0/', false)], '/0/1/')).toBe(false);
    expect(mayIssue([g('town_admin', '/2/')], '/1/')).toBe(false);
  });
  it('the first version needs no note; a correction does', () => {
    expect(nextVersion(0, null)).toBe(1);
    expect(nextVersion(0, '首发')).toBe(1);
    expect(nextVersion(1, '更正：甲村一件重复上报')).toBe(2);
    for (const note of [null, undefined, '', '   ']) {
      expect(() => nextVersion(1, note)).toThrow(/更正原因/);
    }
  });
  it('covers a town or a district only', () => {
    expect(() => checkScopeLevel('town', '新城镇')).not.toThrow();
    expect(() => checkScopeLevel('district', '西北管区')).not.toThrow();
    expect(() => checkScopeLevel('village', '毛家村')).toThrow(/不是镇或管区/);
  });
});
