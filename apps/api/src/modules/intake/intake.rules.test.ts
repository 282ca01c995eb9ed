import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  LIMIT_DEFAULTS, attributeProblems, boxAround, cannotRate, cannotReopen, checkReportFields, cleanText, maskPhone, metres, normalisePhone,
  overLimit, publicStatus, publicTimeline, roundCoord,
} from './intake.rules.js';

describe('cleaning what residents type', () => {
  it('strips tags, scripts and styles, keeps the words, decodes entities', () => {
    expect(cleanText('<b>河边</b>有垃圾<script>alert(1)</script>')).toBe('河边有垃圾');
    expect(cleanText('<style>p{}</style><p>路灯</p><p>坏了</p>')).toBe('路灯坏了');
    expect(cleanText('a &lt;script&gt;alert(1)&lt;/script&gt; b')).toBe('a b');
    expect(cleanText('3 &amp; 4 &gt; 2')).toBe('3 & 4 > 2');
    expect(cleanText('  第一行 \n\n  第二行  ')).toBe('第一行\n第二行');
  });
  it('never leaves anything that a browser would read as a tag (property)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), fc.constantFrom('<script>', '<img src=x onerror=1>', '&lt;b&gt;', '<a href="javascript:x">', '</'), (s, tag) => {
      const out = cleanText(`${s}${tag}${s}`);
      expect(/<[a-z!/?]/i.test(out)).toBe(false);
    }));
  });
});

describe('phones', () => {
  it('normalises mobiles and landlines and refuses the rest', () => {
    expect(normalisePhone('138 0013-8000')).toBe('13800138000');
    expect(normalisePhone('+86 13800138000')).toBe('13800138000');
    expect(normalisePhone('0533-7123456')).toBe('05337123456');
    expect(normalisePhone('12345')).toBeNull();
    expect(normalisePhone('23800138000')).toBeNull();
  });
  it('masks the middle and keeps the ends (property: never shows more than 6 digits of a mobile)', () => {
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskPhone(null)).toBeNull();
    fc.assert(fc.property(fc.integer({ min: 3, max: 9 }), fc.stringMatching(/^\d{9}$/), (d, rest) => {
      const p = `1${d}${rest}`;
      const m = maskPhone(p)!;
      expect(m).toHaveLength(11);
      expect(m.replace(/\*/g, '')).toHaveLength(7);
      expect(m.slice(3, 7)).toBe('****');
    }));
  });
});

describe('a report’s fields', () => {
  const ok = { description: '路边垃圾', lat: 36.9, lng: 118.0 };
  it('accepts a good report and reads numbers sent as text', () => {
    const r = checkReportFields({ ...ok, lat: '36.9', lng: '118.0', phone: '13800138000' }, { needLocation: true });
    expect(r.problems).toEqual([]);
    expect(r.value).toMatchObject({ lat: 36.9, lng: 118, phone: '13800138000' });
  });
  it('names each problem', () => {
    const fields = (f: Record<string, unknown>, needLocation = true) => checkReportFields({ ...ok, ...f } as never, { needLocation }).problems.map((p) => p.field);
    expect(fields({ description: '' })).toEqual(['description']);
    expect(fields({ description: 'x'.repeat(501) })).toEqual(['description']);
    expect(fields({ description: 'x'.repeat(10 * 1024) })).toEqual(['description']);
    expect(fields({ lat: 48.8, lng: 2.3 })).toEqual(['lat']);
    expect(fields({ lat: 'abc' })).toEqual(['lat']);
    expect(fields({ lat: null, lng: null })).toEqual(['lat']);
    expect(fields({ lat: null, lng: null, address: '新城镇政府门口' }, false)).toEqual([]);
    expect(fields({ phone: 'call me' })).toEqual(['phone']);
    expect(fields({ email: 'not-an-email' })).toEqual(['email']);
  });
});

describe('limits', () => {
  const zero = { address10Min: 0, addressDay: 0, phoneDay: 0, partnerHour: 0 };
  it('stops a flood from an address, a phone or a partner, with how long to wait', () => {
    expect(overLimit(zero, LIMIT_DEFAULTS, { partner: false, phone: true })).toBeNull();
    expect(overLimit({ ...zero, address10Min: 5 }, LIMIT_DEFAULTS, { partner: false, phone: false })?.retryAfter).toBe(600);
    expect(overLimit({ ...zero, addressDay: 30 }, LIMIT_DEFAULTS, { partner: false, phone: false })?.message).toContain('每天');
    expect(overLimit({ ...zero, phoneDay: 10 }, LIMIT_DEFAULTS, { partner: false, phone: true })?.message).toContain('手机号');
    expect(overLimit({ ...zero, phoneDay: 10 }, LIMIT_DEFAULTS, { partner: false, phone: false })).toBeNull();
    // A partner relays many residents from one address: the address limit does not apply to it.
    expect(overLimit({ ...zero, address10Min: 99 }, LIMIT_DEFAULTS, { partner: true, phone: false })).toBeNull();
    expect(overLimit({ ...zero, partnerHour: 2000 }, LIMIT_DEFAULTS, { partner: true, phone: false })).not.toBeNull();
  });
  it('more reports never turn a refusal into an acceptance (property)', () => {
    const counts = fc.record({ address10Min: fc.nat(50), addressDay: fc.nat(50), phoneDay: fc.nat(50), partnerHour: fc.nat(3000) });
    fc.assert(fc.property(counts, fc.boolean(), fc.boolean(), fc.nat(20), (c, partner, phone, more) => {
      if (overLimit(c, LIMIT_DEFAULTS, { partner, phone }) === null) return;
      const bigger = { address10Min: c.address10Min + more, addressDay: c.addressDay + more, phoneDay: c.phoneDay + more, partnerHour: c.partnerHour + more };
      expect(overLimit(bigger, LIMIT_DEFAULTS, { partner, phone })).not.toBeNull();
    }));
  });
});

describe('what the public sees and may do', () => {
  it('maps case states to the public words', () => {
    expect(publicStatus('reported')).toBe('received');
    expect(publicStatus('fixing')).toBe('in_progress');
    expect(publicStatus('closed')).toBe('closed');
    expect(publicStatus('refused')).toBe('refused');
  });
  it('keeps only the public steps, with a reason for a refusal', () => {
    const at = new Date('2026-11-01T01:00:00Z');
    const t = publicTimeline([
      { action: 'report', at }, { action: 'request_extension', at }, { action: 'refuse', at, data: { reason: 'duplicate' } },
    ]);
    expect(t.map((x) => x.action)).toEqual(['report', 'refuse']);
    expect(t[1]!.label).toContain('重复');
  });
  it('rates once per closing and reopens once within 30 days', () => {
    const closedAt = new Date('2026-11-10T00:00:00Z');
    const base = { state: 'closed' as const, closedAt, ratedAt: null, reopenedAt: null };
    expect(cannotRate({ ...base, state: 'fixing' })).toContain('办结后');
    expect(cannotRate(base)).toBeNull();
    expect(cannotRate({ ...base, ratedAt: new Date('2026-11-11T00:00:00Z') })).toContain('已评价');
    // Reopened, fixed and closed again: a new rating is welcome.
    expect(cannotRate({ ...base, closedAt: new Date('2026-11-20T00:00:00Z'), ratedAt: new Date('2026-11-11T00:00:00Z') })).toBeNull();
    expect(cannotRate({ ...base, state: 'refused', closedAt: null })).toBeNull();
    expect(cannotReopen(base, new Date('2026-11-12T00:00:00Z'))).toBeNull();
    expect(cannotReopen({ ...base, reopenedAt: new Date('2026-11-11T00:00:00Z') }, new Date('2026-11-12T00:00:00Z'))).toContain('一次');
    expect(cannotReopen(base, new Date('2026-12-20T00:00:00Z'))).toContain('30 天');
    expect(cannotReopen({ ...base, state: 'refused' }, new Date('2026-11-12T00:00:00Z'))).toContain('重新上报');
  });
  it('rounds a public point to about 100 m', () => {
    expect(roundCoord(36.95678)).toBe(36.957);
    expect(roundCoord(null)).toBeNull();
  });
});

describe('distance for duplicates', () => {
  it('measures metres and the box holds every point within the radius (property)', () => {
    expect(Math.round(metres(36.9, 118.0, 36.9009, 118.0))).toBe(100);
    fc.assert(fc.property(fc.double({ min: 18, max: 53, noNaN: true }), fc.double({ min: 74, max: 134, noNaN: true }),
      fc.double({ min: -0.01, max: 0.01, noNaN: true }), fc.double({ min: -0.01, max: 0.01, noNaN: true }), fc.integer({ min: 10, max: 2000 }),
      (lat, lng, dLat, dLng, r) => {
        const [la, ln] = [lat + dLat, lng + dLng];
        expect(metres(lat, lng, la, ln)).toBeCloseTo(metres(la, ln, lat, lng), 6);
        if (metres(lat, lng, la, ln) <= r) {
          const b = boxAround(lat, lng, r);
          expect(la >= b.minLat && la <= b.maxLat && ln >= b.minLng && ln <= b.maxLng).toBe(true);
        }
      }));
  });
});

describe('a category’s questions', () => {
  it('accepts a good list and names each problem', () => {
    expect(attributeProblems(null)).toEqual([]);
    expect(attributeProblems([{ code: 'plate', description: '车牌号', datatype: 'string', required: false, order: 1 }])).toEqual([]);
    expect(attributeProblems([{ code: 'k', description: '选', datatype: 'singlevaluelist', required: true, order: 1, values: [{ key: 'a', name: '甲' }] }])).toEqual([]);
    expect(attributeProblems('x')).toHaveLength(1);
    const bad = attributeProblems([
      { code: '1x', description: '', datatype: 'blob', required: 'yes', order: 1.5 },
      { code: 'k', description: '选', datatype: 'singlevaluelist', required: true, order: 1, values: [] },
      { code: 'k', description: '重复', datatype: 'string', required: true, order: 2 },
    ]).map((p) => p.field);
    expect(bad).toEqual(expect.arrayContaining(['publicAttributes[0].code', 'publicAttributes[0].description', 'publicAttributes[0].datatype',
      'publicAttributes[0].required', 'publicAttributes[0].order', 'publicAttributes[1].values', 'publicAttributes[2].code']));
  });
});
