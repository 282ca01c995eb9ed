// The residents' page's pure helpers: ids, the list kept on the phone, photo sizes, messages, routes.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  MAX_EDGE, MINE_KEY, MINE_MAX, SHRINK_ABOVE_BYTES, addMine, charCount, clip, errorMessage, fmtTime, geoErrorText, geometryHas, newClientId,
  lookupProblem, normaliseNo, parseRoute, phoneProblem, placeNameAt, readMine, shrinkTo, tokenFor,
} from './helpers';

const memory = () => {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => { m.set(k, v); }, m };
};
const NO = (i: number) => `2026030500${String(i).padStart(3, '0')}`;

describe('clientId', () => {
  const SERVER_RULE = /^[A-Za-z0-9_-]{8,64}$/;
  it('uses randomUUID where there is one', () => {
    expect(newClientId({ getRandomValues: (a) => a, randomUUID: () => '11111111-2222-4333-8444-555555555555' })).toBe('11111111-2222-4333-8444-555555555555');
    expect(newClientId()).toMatch(SERVER_RULE);
  });
  it('makes a v4 UUID from random bytes on an insecure origin, always one the server accepts', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
      const id = newClientId({ getRandomValues: <T extends ArrayBufferView | null>(a: T) => { (a as unknown as Uint8Array).set(bytes); return a; } });
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(id).toMatch(SERVER_RULE);
    }));
  });
  it('differs each time', () => {
    const seen = new Set(Array.from({ length: 200 }, () => newClientId({ getRandomValues: (a) => crypto.getRandomValues(a) })));
    expect(seen.size).toBe(200);
  });
});

describe('我的上报 on the phone', () => {
  it('keeps reports newest first, one entry per number', () => {
    const s = memory();
    addMine(s, { no: NO(1), token: 'a'.repeat(24), at: '2026-03-05T01:00:00Z' });
    addMine(s, { no: NO(2), token: 'b'.repeat(24), at: '2026-03-05T02:00:00Z' });
    const list = addMine(s, { no: NO(1), token: 'a'.repeat(24), at: '2026-03-05T01:00:00Z', category: '暴露垃圾' });
    expect(list.map((r) => r.no)).toEqual([NO(1), NO(2)]);
    expect(readMine(s)[0]!.category).toBe('暴露垃圾');
    expect(tokenFor(s, NO(2))).toBe('b'.repeat(24));
    expect(tokenFor(s, NO(3))).toBeNull();
    addMine(s, { no: 'K7QM2XPD93TA', token: 'c'.repeat(24), at: '2026-03-06T01:00:00Z' }); // a tracking number
    expect(tokenFor(s, 'K7QM2XPD93TA')).toBe('c'.repeat(24));
    expect(readMine(s).map((r) => r.no)).toEqual(['K7QM2XPD93TA', NO(1), NO(2)]);
  });
  it(`keeps at most ${MINE_MAX}`, () => {
    const s = memory();
    for (let i = 0; i < MINE_MAX + 7; i++) addMine(s, { no: NO(i), token: 't'.repeat(20), at: '2026-03-05T01:00:00Z' });
    const list = readMine(s);
    expect(list).toHaveLength(MINE_MAX);
    expect(list[0]!.no).toBe(NO(MINE_MAX + 6));
  });
  it('survives whatever is stored (broken JSON, other shapes) and a storage that refuses', () => {
    const s = memory();
    s.m.set(MINE_KEY, '{not json');
    expect(readMine(s)).toEqual([]);
    s.m.set(MINE_KEY, JSON.stringify({ no: NO(1) }));
    expect(readMine(s)).toEqual([]);
    s.m.set(MINE_KEY, JSON.stringify([{ no: NO(1), token: 'x'.repeat(20), at: 'x' }, { no: 'abc', token: 'x', at: 'x' }, null, 5, { no: NO(2) }]));
    expect(readMine(s).map((r) => r.no)).toEqual([NO(1)]);
    expect(readMine(null)).toEqual([]);
    const full = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); } };
    expect(addMine(full, { no: NO(1), token: 'x'.repeat(20), at: 'x' })).toHaveLength(1);
  });
});

describe('photo sizes', () => {
  it('leaves small photos alone (they keep their capture data)', () => {
    expect(shrinkTo(4000, 3000, SHRINK_ABOVE_BYTES)).toBeNull();
    expect(shrinkTo(0, 0, 5_000_000)).toBeNull();
  });
  it('fits a large photo within the edge, keeping its shape', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 12000 }), fc.integer({ min: 1, max: 12000 }), fc.integer({ min: SHRINK_ABOVE_BYTES + 1, max: 50_000_000 }), (w, h, bytes) => {
      const r = shrinkTo(w, h, bytes)!;
      expect(Math.max(r.width, r.height)).toBeLessThanOrEqual(Math.max(MAX_EDGE, 1));
      expect(r.width).toBeGreaterThanOrEqual(1);
      expect(r.height).toBeGreaterThanOrEqual(1);
      if (Math.max(w, h) <= MAX_EDGE) expect(r).toEqual({ width: w, height: h });
      else if (Math.min(w, h) * (MAX_EDGE / Math.max(w, h)) >= 20) expect(Math.abs(r.width / r.height - w / h) / (w / h)).toBeLessThan(0.06);
    }));
    expect(shrinkTo(4032, 3024, 4_000_000)).toEqual({ width: 1600, height: 1200 });
  });
});

describe('text', () => {
  it('counts and clips by characters, never splitting a pair', () => {
    expect(charCount('路边有垃圾😀')).toBe(6);
    expect(clip('ab😀c', 3)).toBe('ab😀');
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.integer({ min: 0, max: 30 }), (s, n) => {
      const c = clip(s, n);
      expect(charCount(c)).toBeLessThanOrEqual(n);
      expect(s.startsWith(c)).toBe(true);
      expect(/[\uD800-\uDBFF]$/.test(c)).toBe(false);
    }));
  });
  it('checks a phone as the server does', () => {
    for (const ok of ['', '13800138000', '138 0013 8000', '+86 138-0013-8000', '0533-1234567']) expect(phoneProblem(ok)).toBeNull();
    for (const bad of ['12345', '12800138000', '1380013800', 'abc']) expect(phoneProblem(bad)).toContain('手机号');
  });
  it('reads a tracking number as typed', () => {
    expect(normaliseNo(' k7qm-2xpd-93ta ')).toBe('K7QM2XPD93TA');
    expect(normaliseNo('Ｋ７ＱＭ－２ＸＰＤ－９３ＴＡ')).toBe('K7QM2XPD93TA');
    // an old all-digit number is tidied, and looked up only with its 查询码
    expect(normaliseNo(' 2026 0305-00012 ')).toBe('202603050001' + '2');
    expect(normaliseNo('２０２６０３０５０００１２')).toBe('2026030500012');
    expect(lookupProblem('K7QM2XPD93TA', '')).toBeNull();
    expect(lookupProblem('2026030500012', '')).toContain('查询码');
    expect(lookupProblem('2026030500012', 'abc')).toBeNull();
    expect(lookupProblem('hello', '')).toContain('12 位');
  });
});

describe('messages', () => {
  it('takes the server\'s message when there is one', () => {
    const body = JSON.stringify({ error: { code: 'TOO_MANY_REPORTS', message: '提交太频繁：10 分钟内最多 5 件' } });
    expect(errorMessage(429, body)).toBe('提交太频繁：10 分钟内最多 5 件');
  });
  it('says something a person can act on otherwise', () => {
    expect(errorMessage(0, '')).toContain('网络');
    expect(errorMessage(0, '')).toContain('不会重复');
    expect(errorMessage(413, '<html>Request Entity Too Large</html>')).toContain('照片太大');
    expect(errorMessage(502, 'Bad gateway')).toContain('502');
    expect(errorMessage(429, '')).toContain('频繁');
  });
  it('explains a refused or failed location', () => {
    expect(geoErrorText(1, true)).toContain('允许');
    expect(geoErrorText(1, false)).toContain('https');
    expect(geoErrorText(3, true)).toContain('超时');
    expect(geoErrorText(2, true)).toContain('地图');
  });
});

describe('times and routes', () => {
  it('shows China time whatever the phone\'s zone', () => {
    expect(fmtTime('2026-03-04T16:05:00Z')).toBe('2026-03-05 00:05');
    expect(fmtTime(null)).toBe('—');
    expect(fmtTime('nonsense')).toBe('—');
  });
  it('parses the page routes', () => {
    expect(parseRoute('')).toEqual({ page: 'report' });
    expect(parseRoute('#/')).toEqual({ page: 'report' });
    expect(parseRoute('#/q')).toEqual({ page: 'lookup' });
    expect(parseRoute('#/q/2026030500012')).toEqual({ page: 'status', no: '2026030500012' });
    expect(parseRoute('#/q/2026030500012?x=1')).toEqual({ page: 'status', no: '2026030500012' });
    expect(parseRoute('#/other')).toEqual({ page: 'report' });
  });
});

describe('which village a tap is in', () => {
  const square = (x: number, y: number, d: number) => [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]];
  const features = [
    { geometry: { type: 'Polygon', coordinates: square(118, 36.9, 0.1) }, properties: { name: '新城镇', level: 'town' } },
    { geometry: { type: 'Polygon', coordinates: square(118, 36.9, 0.05) }, properties: { name: '毛家村', level: 'village' } },
    { geometry: { type: 'MultiPolygon', coordinates: [square(118.05, 36.9, 0.05)] }, properties: { name: '赵苏村', level: 'village' } },
  ];
  it('names the village and its town, or the town alone, or nothing', () => {
    expect(placeNameAt(features, 118.01, 36.91)).toBe('新城镇 毛家村');
    expect(placeNameAt(features, 118.06, 36.91)).toBe('新城镇 赵苏村');
    expect(placeNameAt(features, 118.01, 36.98)).toBe('新城镇');
    expect(placeNameAt(features, 117, 36)).toBeNull();
  });
  it('respects holes', () => {
    const holed = { type: 'Polygon', coordinates: [square(0, 0, 10)[0]!, square(4, 4, 2)[0]!] };
    expect(geometryHas(holed, 1, 1)).toBe(true);
    expect(geometryHas(holed, 5, 5)).toBe(false);
    expect(geometryHas(null, 1, 1)).toBe(false);
    expect(geometryHas({ type: 'Point', coordinates: [1, 1] }, 1, 1)).toBe(false);
  });
});
