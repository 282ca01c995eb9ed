import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkResponsibility, inForce, overlaps } from './responsibility.rules.js';

const worker = { userId: 1, grants: [{ roleKey: 'grid_worker', areaPath: '/1/2/3/' }] };
const base = { kind: 'grid_worker_grid', areaLevel: 'grid' as const, areaPath: '/1/2/3/4/', holder: worker, validFrom: '2026-01-01', validTo: null, principal: false };

describe('responsibility rules', () => {
  it('accepts a grid worker for a grid inside their role area', () => {
    expect(checkResponsibility(base)).toEqual([]);
  });
  it('names each problem with its field', () => {
    expect(checkResponsibility({ ...base, kind: 'boss' })[0]!.field).toBe('kind');
    expect(checkResponsibility({ ...base, areaLevel: 'village' })[0]!.field).toBe('area');
    expect(checkResponsibility({ ...base, validFrom: '2026-02-30' })[0]!.field).toBe('validFrom');
    expect(checkResponsibility({ ...base, validTo: '2025-12-31' })[0]!.field).toBe('validTo');
    expect(checkResponsibility({ ...base, areaPath: '/1/9/' })[0]!.field).toBe('userId');
    expect(checkResponsibility({ ...base, principal: true })[0]!.field).toBe('principal');
    expect(checkResponsibility({ ...base, kind: 'household_frontage', areaLevel: 'micro_grid', holder: null })[0]!.field).toBe('holderName');
  });
  it('a cleaner cannot hold a grid worker responsibility', () => {
    expect(checkResponsibility({ ...base, holder: { userId: 2, grants: [{ roleKey: 'cleaner', areaPath: '/1/2/3/' }] } })).toHaveLength(1);
  });
});

describe('date ranges', () => {
  it('overlap is inclusive and open-ended ranges run forever', () => {
    expect(overlaps({ validFrom: '2026-01-01', validTo: '2026-05-31' }, { validFrom: '2026-05-31', validTo: null })).toBe(true);
    expect(overlaps({ validFrom: '2026-01-01', validTo: '2026-05-31' }, { validFrom: '2026-06-01', validTo: null })).toBe(false);
    expect(inForce({ validFrom: '2026-01-01', validTo: '2026-05-31' }, '2026-03-01')).toBe(true);
    expect(inForce({ validFrom: '2026-06-01', validTo: null }, '2026-03-01')).toBe(false);
  });
  it('overlap is symmetric, and a day in both ranges means overlap', () => {
    const day = fc.integer({ min: 0, max: 800 }).map((n) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10));
    const range = fc.tuple(day, fc.option(day, { nil: null })).map(([a, b]) => ({ validFrom: b && b < a ? b : a, validTo: b && b < a ? a : b }));
    fc.assert(fc.property(range, range, day, (a, b, d) => {
      if (overlaps(a, b) !== overlaps(b, a)) return false;
      if (inForce(a, d) && inForce(b, d) && !overlaps(a, b)) return false;
      return true;
    }));
  });
});
