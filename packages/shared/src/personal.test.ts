import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PUBLIC_NO_ALPHABET, formatPublicNo, maskPhone, normalisePhone, normalisePublicNo, phoneQuery, publicNoFrom } from './personal.js';

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));
const mobile = fc.tuple(fc.integer({ min: 3, max: 9 }), digits(9)).map(([b, rest]) => `1${b}${rest}`);
const landline = fc.tuple(digits(2), digits(8)).map(([area, n]) => `05${area}${n}`.slice(0, 12));
/** how people type a number: spaces, dashes, a country code */
const typed = (p: string) => fc.constantFrom(p, `+86 ${p}`, `86${p}`, `0086-${p}`, `${p.slice(0, 3)} ${p.slice(3, 7)} ${p.slice(7)}`, `${p.slice(0, 3)}-${p.slice(3, 7)}-${p.slice(7)}`, ` ${p} `);

describe('phones', () => {
  it('normalise however they are typed, to the same digits, and normalising twice changes nothing', () => {
    fc.assert(fc.property(fc.oneof(mobile, landline).chain((p) => typed(p).map((t) => [p, t] as const)), ([p, t]) => {
      expect(normalisePhone(t)).toBe(p);
      expect(normalisePhone(normalisePhone(t))).toBe(p);
    }));
  });

  it('refuse what is not a whole number: letters, masks, too short, too long', () => {
    for (const bad of ['12', '12345', 'abc13800138000', '138****8000', '1380013800', '138001380001', '23800138000', '', '   ']) {
      expect(normalisePhone(bad), bad).toBeNull();
    }
    fc.assert(fc.property(fc.string(), (s) => {
      const n = normalisePhone(s);
      if (n !== null) expect(n).toMatch(/^(1[3-9]\d{9}|0\d{9,11})$/);
    }));
  });

  it('mask a mobile as 187****1005, keep the length, and never show a whole number', () => {
    expect(maskPhone('18700001005')).toBe('187****1005');
    expect(maskPhone('053312345678')).toBe('0533******78');
    expect(maskPhone('+86 187-0000-1005')).toBe('187****1005'); // as typed: masked as its digits
    expect(maskPhone(null)).toBeNull();
    expect(maskPhone('')).toBeNull();
    fc.assert(fc.property(fc.oneof(mobile, landline, fc.string({ minLength: 1, maxLength: 30 })), (p) => {
      const m = maskPhone(p)!;
      const s = normalisePhone(p) ?? p;
      expect(m.length).toBe(s.length);
      const shown = [...m].filter((c, i) => c === s[i] && c !== '*').length;
      expect(shown).toBeLessThanOrEqual(Math.min(7, Math.max(0, s.length - 4)));
      expect(normalisePhone(m)).toBeNull(); // a masked number is never taken for a number
    }));
  });

  it('a search for digits looks up the whole number only', () => {
    fc.assert(fc.property(mobile, fc.integer({ min: 3, max: 10 }), (p, n) => {
      expect(phoneQuery(p)).toEqual({ phone: p });
      expect(phoneQuery(p.slice(0, n))).toEqual({ phone: null }); // a part of a number finds nothing by phone
      expect(phoneQuery(p.slice(11 - n))).toEqual({ phone: null });
    }));
    expect(phoneQuery('187****1005')).toEqual({ phone: null });
    expect(phoneQuery('王建国')).toBeNull();
    expect(phoneQuery('21')).toBeNull(); // a household number, not a phone
  });
});

describe('public tracking numbers', () => {
  it('are 12 characters of the alphabet, read back however they are typed', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 12, maxLength: 12 }), (bytes) => {
      const no = publicNoFrom(bytes);
      expect(no).toHaveLength(12);
      expect([...no].every((c) => PUBLIC_NO_ALPHABET.includes(c))).toBe(true);
      expect(normalisePublicNo(no)).toBe(no);
      expect(normalisePublicNo(formatPublicNo(no))).toBe(no);
      expect(normalisePublicNo(formatPublicNo(no).toLowerCase())).toBe(no);
      expect(normalisePublicNo(` ${no.slice(0, 6)} ${no.slice(6)} `)).toBe(no);
    }));
  });

  it('take O for 0 and I or L for 1, and refuse case numbers and other text', () => {
    expect(normalisePublicNo('k7qm-2xpd-93ta')).toBe('K7QM2XPD93TA');
    expect(normalisePublicNo('K7QM-2XPD-9OTI')).toBe('K7QM2XPD90T1');
    expect(normalisePublicNo('ABCD-EFGH-IJKL')).toBe('ABCDEFGH1JK1');
    expect(normalisePublicNo('ＡＢＣＤ－ＥＦＧＨ－ＪＫＭＮ')).toBe('ABCDEFGHJKMN');
    for (const bad of ['2026030500012', '20260305000', 'K7QM2XPD93T', 'K7QM2XPD93TAX', 'K7QM2XPD93TU', '', null]) expect(normalisePublicNo(bad), String(bad)).toBeNull();
    // the numbers migration 0019 gave existing reports (12 upper-case hex digits) are read too
    expect(normalisePublicNo('3FA9C0D1E2B4')).toBe('3FA9C0D1E2B4');
  });

  it('are spread over the alphabet (no character favoured)', () => {
    const counts = new Map<string, number>();
    for (let b = 0; b < 256; b++) {
      const c = publicNoFrom(new Uint8Array(12).fill(b))[0]!;
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect(counts.size).toBe(32);
    expect([...counts.values()].every((n) => n === 8)).toBe(true);
  });
});
