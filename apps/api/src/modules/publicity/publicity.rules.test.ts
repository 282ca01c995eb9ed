import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_BANNER_RULE, bannerStatus, bestPost, checkBannerRule, checkCampaign, checkRecord, checkUrl, latestBanners, overlaps, progress,
  requiredBanners, schoolTable, totals, villageTable, type BannerRule, type RecordFact, type RecordInput,
} from './publicity.rules.js';

const W = { startsOn: '2026-03-01', endsOn: '2026-12-31', today: '2026-06-15' };
const check = (r: Partial<RecordInput>) => checkRecord({ on: '2026-05-01', kind: 'letter', ...r } as RecordInput, W);
const problems = (r: Partial<RecordInput>) => {
  const c = check(r);
  return c.ok ? [] : c.problems;
};
const fieldsOf = (r: Partial<RecordInput>) => problems(r).map((p) => p.field);

describe('records, per kind', () => {
  it('letters: 1 to 100,000 copies, to a village or a school (one of them)', () => {
    expect(check({ kind: 'letter', areaId: 5, quantity: 300 })).toMatchObject({ ok: true, value: { kind: 'letter', areaId: 5, place: null, quantity: 300 } });
    expect(check({ kind: 'letter', place: ' 新城镇中心小学 ', quantity: 800 })).toMatchObject({ ok: true, value: { place: '新城镇中心小学', areaId: null } });
    expect(fieldsOf({ kind: 'letter', quantity: 300 })).toEqual(['areaId']);
    expect(fieldsOf({ kind: 'letter', areaId: 5, place: '小学', quantity: 300 })).toEqual(['place']);
    for (const q of [0, -5, 100_001, 2.5]) expect(fieldsOf({ kind: 'letter', areaId: 5, quantity: q }), String(q)).toEqual(['quantity']);
    expect(problems({ kind: 'letter', areaId: 5, quantity: -5 })[0]!.message).toContain('不能为负数');
    expect(fieldsOf({ kind: 'letter', areaId: 5 })).toEqual(['quantity']);
  });
  it('audio: van or loudspeaker, at least one play, in a village', () => {
    expect(check({ kind: 'audio', areaId: 5, mode: 'van', quantity: 2 })).toMatchObject({ ok: true, value: { mode: 'van', quantity: 2 } });
    expect(check({ kind: 'audio', areaId: 5, mode: 'loudspeaker', quantity: 1 }).ok).toBe(true);
    expect(fieldsOf({ kind: 'audio', areaId: 5, mode: 'radio', quantity: 2 })).toEqual(['mode']);
    expect(fieldsOf({ kind: 'audio', areaId: 5, mode: 'van', quantity: 0 })).toEqual(['quantity']);
    expect(fieldsOf({ kind: 'audio', mode: 'van', quantity: 3 })).toEqual(['areaId']);
  });
  it('banners: a village and a count 0 to 50', () => {
    expect(check({ kind: 'banner', areaId: 5, quantity: 0 }).ok).toBe(true);
    expect(check({ kind: 'banner', areaId: 5, quantity: 50 }).ok).toBe(true);
    expect(fieldsOf({ kind: 'banner', areaId: 5, quantity: 51 })).toEqual(['quantity']);
    expect(fieldsOf({ kind: 'banner', areaId: 5, quantity: -1 })).toEqual(['quantity']);
    expect(fieldsOf({ kind: 'banner', quantity: 6 })).toEqual(['areaId']);
  });
  it('WeChat posts: a title, an optional http(s) link, reads of 0 or more', () => {
    expect(check({ kind: 'wechat', title: '环境整治进行时', url: 'https://mp.weixin.qq.com/s/abc', reads: 6838 })).toMatchObject({ ok: true, value: { reads: 6838 } });
    expect(check({ kind: 'wechat', title: '标题' })).toMatchObject({ ok: true, value: { reads: null, url: null } });
    expect(fieldsOf({ kind: 'wechat', reads: 1 })).toEqual(['title']);
    expect(fieldsOf({ kind: 'wechat', title: 't', reads: -1 })).toEqual(['reads']);
    for (const bad of ['javascript:alert(1)', 'JavaScript:alert(1)', 'data:text/html,<b>', 'file:///etc/passwd', 'ftp://x.cn/a', 'mp.weixin.qq.com/s/abc', 'http://a b.cn']) {
      expect(fieldsOf({ kind: 'wechat', title: 't', url: bad }), bad).toEqual(['url']);
    }
    expect(problems({ kind: 'wechat', title: 't', url: 'javascript:alert(1)' })[0]!.message).toContain('http');
  });
  it('lectures: 1 to 5,000 people, a topic and a place', () => {
    expect(check({ kind: 'lecture', title: '垃圾分类进万家', areaId: 5, attendance: 45 }).ok).toBe(true);
    expect(check({ kind: 'lecture', title: '垃圾分类进万家', place: '镇文化站', attendance: 120 }).ok).toBe(true);
    expect(fieldsOf({ kind: 'lecture', title: 't', areaId: 5, attendance: 0 })).toEqual(['attendance']);
    expect(fieldsOf({ kind: 'lecture', title: 't', areaId: 5, attendance: 5001 })).toEqual(['attendance']);
    expect(fieldsOf({ kind: 'lecture', areaId: 5, attendance: 10 })).toEqual(['title']);
    expect(fieldsOf({ kind: 'lecture', title: 't', attendance: 10 })).toEqual(['place']);
  });
  it('an unknown kind, fields another kind uses, dates outside the campaign or in the future', () => {
    expect(fieldsOf({ kind: 'poster', areaId: 5 })).toEqual(['kind']);
    expect(fieldsOf({ kind: 'letter', areaId: 5, quantity: 10, attendance: 3 })).toEqual(['attendance']);
    expect(fieldsOf({ kind: 'letter', areaId: 5, quantity: 10, on: '2026-02-28' })).toEqual(['on']);
    expect(fieldsOf({ kind: 'letter', areaId: 5, quantity: 10, on: '2027-01-01' })).toEqual(['on']);
    expect(fieldsOf({ kind: 'letter', areaId: 5, quantity: 10, on: '2026-06-16' })).toEqual(['on']);
    expect(fieldsOf({ kind: 'letter', areaId: 5, quantity: 10, on: '2026-02-30' })).toEqual(['on']);
    expect(check({ kind: 'letter', areaId: 5, quantity: 10, on: '2026-03-01' }).ok).toBe(true);
    expect(check({ kind: 'letter', areaId: 5, quantity: 10, on: '2026-06-15' }).ok).toBe(true);
  });
  it('links', () => {
    expect(checkUrl('http://example.cn/a?b=1')).toBeNull();
    expect(checkUrl(`https://x.cn/${'a'.repeat(1000)}`)).toContain('过长');
  });
});

describe('campaigns', () => {
  const ok = { name: '城乡环境综合整治宣传发动', startsOn: '2026-03-01', endsOn: '2026-12-31', targets: { letters: 8000, lectures: 30, attendees: 1000 } };
  it('a name, real dates with the end not before the start, whole non-negative targets of known keys', () => {
    expect(checkCampaign(ok)).toEqual([]);
    expect(checkCampaign({ ...ok, endsOn: ok.startsOn })).toEqual([]);
    expect(checkCampaign({ ...ok, endsOn: '2026-02-28' }).map((p) => p.field)).toEqual(['endsOn']);
    expect(checkCampaign({ ...ok, startsOn: '2026-13-01' }).map((p) => p.field)).toEqual(['startsOn']);
    expect(checkCampaign({ ...ok, name: '  ' }).map((p) => p.field)).toEqual(['name']);
    expect(checkCampaign({ ...ok, targets: { letters: -1 } }).map((p) => p.field)).toEqual(['targets.letters']);
    expect(checkCampaign({ ...ok, targets: { letters: 1.5 } }).map((p) => p.field)).toEqual(['targets.letters']);
    expect(checkCampaign({ ...ok, targets: { posters: 1 } }).map((p) => p.field)).toEqual(['targets.posters']);
    expect(checkCampaign({ ...ok, targets: { letters: 0, posts: null } })).toEqual([]);
  });
});

describe('the banner rule: 5 to 10 by village size', () => {
  const R = DEFAULT_BANNER_RULE;
  it('by households: ≤200 → 5, ≤400 → 6, … ≥1,000 → 10', () => {
    const req = (h: number) => requiredBanners(R, { households: h, sizeClass: null }).required;
    expect([0, 200, 201, 400, 401, 600, 800, 999, 1000, 5000].map(req)).toEqual([5, 5, 6, 6, 7, 7, 8, 9, 10, 10]);
  });
  it('without households: by size class with a note, else the minimum with a note', () => {
    expect(requiredBanners(R, { households: null, sizeClass: 'large' })).toMatchObject({ required: 9, basis: 'size_class' });
    const none = requiredBanners(R, { households: null, sizeClass: null });
    expect(none).toMatchObject({ required: 5, basis: 'minimum' });
    expect(none.note).toContain('5');
  });
  it('the check per village: never counted, short, ok, or over the maximum (flagged)', () => {
    expect(bannerStatus(null, 6, 10)).toBe('unknown');
    expect(bannerStatus(5, 6, 10)).toBe('short');
    expect(bannerStatus(6, 6, 10)).toBe('ok');
    expect(bannerStatus(10, 6, 10)).toBe('ok');
    expect(bannerStatus(11, 6, 10)).toBe('over');
  });
  it('a rule is checked: within min–max, steps increasing, never fewer for a larger village', () => {
    expect(checkBannerRule(R)).toEqual([]);
    const bad = (r: Partial<BannerRule>) => checkBannerRule({ ...R, ...r }).map((p) => p.field);
    expect(bad({ max: 4 })).toContain('max');
    expect(bad({ steps: [{ upTo: 300, required: 6 }, { upTo: 200, required: 7 }] })).toEqual(['steps.1.upTo']);
    expect(bad({ steps: [{ upTo: 200, required: 7 }, { upTo: 400, required: 6 }] })).toEqual(['steps.1.required']);
    expect(bad({ steps: [{ upTo: 200, required: 11 }] })).toEqual(['steps.0.required']);
    expect(bad({ above: 4 })).toEqual(['above']);
    expect(bad({ bySizeClass: { small: 8, medium: 6, large: 9 } })).toEqual(['bySizeClass']);
    expect(bad({ steps: [] })).toEqual(['steps']);
  });

  // Any valid rule: between min and max, growing with households.
  const ruleArb = fc.record({ min: fc.integer({ min: 0, max: 20 }), span: fc.integer({ min: 0, max: 10 }), n: fc.integer({ min: 1, max: 8 }) })
    .chain(({ min, span, n }) => fc.tuple(
      fc.uniqueArray(fc.integer({ min: 1, max: 5000 }), { minLength: n, maxLength: n }),
      fc.array(fc.integer({ min, max: min + span }), { minLength: n + 4, maxLength: n + 4 }),
    ).map(([ups, reqs]): BannerRule => {
      const sorted = [...reqs].sort((a, b) => a - b);
      const sizes = sorted.slice(n + 1, n + 4).sort((a, b) => a - b);
      return { min, max: min + span, steps: [...ups].sort((a, b) => a - b).map((upTo, i) => ({ upTo, required: sorted[i]! })), above: sorted[n]!,
        bySizeClass: { small: sizes[0]!, medium: sizes[1]!, large: sizes[2]! } };
    }));
  it('property: the default rule asks 5 to 10 and never fewer for a larger village', () => {
    fc.assert(fc.property(fc.nat(100_000), fc.nat(100_000), (a, b) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      const rl = requiredBanners(R, { households: lo, sizeClass: null }).required;
      const rh = requiredBanners(R, { households: hi, sizeClass: null }).required;
      return rl >= 5 && rh <= 10 && rl <= rh;
    }));
  });
  it('property: any valid rule stays within its min–max and never decreases with size', () => {
    fc.assert(fc.property(ruleArb, fc.nat(10_000), fc.nat(10_000), fc.constantFrom(null, 'small', 'medium', 'large', 'huge'), (rule, a, b, size) => {
      expect(checkBannerRule(rule)).toEqual([]);
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      const rl = requiredBanners(rule, { households: lo, sizeClass: size }).required;
      const rh = requiredBanners(rule, { households: hi, sizeClass: size }).required;
      const rs = requiredBanners(rule, { households: null, sizeClass: size }).required;
      return rl <= rh && [rl, rh, rs].every((r) => r >= rule.min && r <= rule.max);
    }));
  });
});

describe('totals, targets and the village table', () => {
  let id = 0;
  const rec = (r: Partial<RecordFact>): RecordFact => ({ id: ++id, kind: 'letter', areaId: null, place: null, mode: null, on: '2026-05-01',
    quantity: null, attendance: null, reads: null, title: null, url: null, ...r });
  const records = [
    rec({ kind: 'letter', areaId: 1, quantity: 300 }),
    rec({ kind: 'letter', areaId: 2, quantity: 200 }),
    rec({ kind: 'letter', place: '新城镇中心小学', quantity: 800 }),
    rec({ kind: 'letter', place: '新城镇中学', quantity: 500 }),
    rec({ kind: 'letter', place: '新城镇中心小学', quantity: 100 }),
    rec({ kind: 'audio', areaId: 1, mode: 'van', quantity: 2 }),
    rec({ kind: 'audio', areaId: 1, mode: 'loudspeaker', quantity: 14 }),
    rec({ kind: 'banner', areaId: 1, quantity: 4, on: '2026-04-01' }),
    rec({ kind: 'banner', areaId: 1, quantity: 7, on: '2026-05-10' }), // a later count replaces the first
    rec({ kind: 'banner', areaId: 2, quantity: 12 }),
    rec({ kind: 'lecture', areaId: 2, attendance: 40, title: 't' }),
    rec({ kind: 'lecture', place: '镇文化站', attendance: 120, title: 't' }),
    rec({ kind: 'wechat', title: 'a', reads: 6838, on: '2026-05-20' }),
    rec({ kind: 'wechat', title: 'b', reads: 1200 }),
    rec({ kind: 'wechat', title: 'c' }),
  ];
  it('sums by kind; banners count the latest per village', () => {
    expect(totals(records)).toEqual({
      letters: 1900, lettersToVillages: 500, lettersToSchools: 1400, letterRecords: 5, audioRounds: 2, audioPlays: 16, vanRounds: 1, loudspeakerRounds: 1,
      banners: 19, villagesWithBanners: 2, lectures: 2, attendees: 160, posts: 3, reads: 8038,
    });
    expect(latestBanners(records).get(1)).toMatchObject({ up: 7, on: '2026-05-10' });
  });
  it('against targets, with percentages', () => {
    const p = progress(totals(records), { letters: 8000, lectures: 30, attendees: 1000, posts: 0 });
    expect(p.find((x) => x.key === 'letters')).toMatchObject({ target: 8000, actual: 1900, percent: 23.8, met: false });
    expect(p.find((x) => x.key === 'attendees')).toMatchObject({ percent: 16, met: false });
    expect(p.find((x) => x.key === 'posts')).toMatchObject({ target: 0, percent: null, met: true });
    expect(p.find((x) => x.key === 'audioRounds')).toMatchObject({ target: null, actual: 2, percent: null, met: null });
  });
  it('the village table, schools, the best post', () => {
    const v = villageTable([
      { id: 1, code: '1', name: '甲村', households: 450, sizeClass: null },
      { id: 2, code: '2', name: '乙村', households: 150, sizeClass: null },
      { id: 3, code: '3', name: '丙村', households: null, sizeClass: null },
    ], records, DEFAULT_BANNER_RULE);
    expect(v.map((r) => [r.letters, r.audioRounds, r.audioPlays, r.lectures, r.attendance, r.bannersUp, r.required, r.status])).toEqual([
      [300, 2, 16, 0, 0, 7, 7, 'ok'], [200, 0, 0, 1, 40, 12, 5, 'over'], [0, 0, 0, 0, 0, null, 5, 'unknown'],
    ]);
    expect(v[2]!.note).toContain('最少');
    expect(schoolTable(records)).toEqual([{ place: '新城镇中心小学', letters: 900, records: 2 }, { place: '新城镇中学', letters: 500, records: 1 }]);
    expect(bestPost(records)).toMatchObject({ title: 'a', reads: 6838 });
    expect(bestPost(records.filter((r) => r.kind !== 'wechat'))).toBeNull();
  });

  const recordArb = fc.record({
    kind: fc.constantFrom('letter', 'audio', 'banner', 'wechat', 'lecture'), areaId: fc.option(fc.integer({ min: 1, max: 4 })),
    place: fc.option(fc.constantFrom('小学', '中学')), mode: fc.constantFrom('van', 'loudspeaker'),
    on: fc.constantFrom('2026-04-01', '2026-04-02', '2026-05-01'), quantity: fc.option(fc.nat(1000)), attendance: fc.option(fc.nat(500)), reads: fc.option(fc.nat(10_000)),
  });
  it('property: totals, the village table and the best post do not depend on the records\' order', () => {
    fc.assert(fc.property(fc.array(recordArb, { maxLength: 40 }), fc.integer(), (list, seed) => {
      const recs: RecordFact[] = list.map((r, i) => ({ ...r, id: i + 1, title: `t${i}`, url: null }));
      const shuffled = fc.sample(fc.shuffledSubarray(recs, { minLength: recs.length, maxLength: recs.length }), { numRuns: 1, seed })[0]!;
      const villages = [1, 2, 3, 4].map((id) => ({ id, code: String(id), name: `v${id}`, households: id * 250, sizeClass: null }));
      expect(totals(shuffled)).toEqual(totals(recs));
      expect(villageTable(villages, shuffled, DEFAULT_BANNER_RULE)).toEqual(villageTable(villages, recs, DEFAULT_BANNER_RULE));
      expect(bestPost(shuffled)?.id ?? null).toBe(bestPost(recs)?.id ?? null);
      expect(schoolTable(shuffled)).toEqual(schoolTable(recs));
    }));
  });
  it('property: the totals of two lists together are the sums of their totals (banners aside)', () => {
    fc.assert(fc.property(fc.array(recordArb, { maxLength: 20 }), fc.array(recordArb, { maxLength: 20 }), (a, b) => {
      const ra = a.map((r, i) => ({ ...r, kind: r.kind === 'banner' ? 'letter' : r.kind, id: i + 1, title: null, url: null }));
      const rb = b.map((r, i) => ({ ...r, kind: r.kind === 'banner' ? 'letter' : r.kind, id: 1000 + i, title: null, url: null }));
      const [ta, tb, tab] = [totals(ra), totals(rb), totals([...ra, ...rb])];
      for (const k of Object.keys(tab) as (keyof typeof tab)[]) expect(tab[k]).toBe(ta[k] + tb[k]);
    }));
  });
});

describe('who sees a campaign', () => {
  it('anyone whose areas hold the scope or lie in it', () => {
    expect(overlaps('/1/2/', 'all')).toBe(true);
    expect(overlaps('/1/2/', ['/1/'])).toBe(true);
    expect(overlaps('/1/2/', ['/1/2/7/'])).toBe(true);
    expect(overlaps('/1/2/', ['/1/3/'])).toBe(false);
    expect(overlaps('/1/2/', ['/1/22/'])).toBe(false);
  });
});
