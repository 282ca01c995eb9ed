import { describe, expect, it } from 'vitest';
import { distanceM, evidenceFlags, type FlagContext, type FlagPhoto } from './flags.rules.js';

const H = 'a5a5a5a5a5a5a5a5'; // 32 bits set: informative
const H_NEAR = 'a5a5a5a5a5a5a5a4'; // 1 bit off
const H_FAR = '5a5a5a5a5a5a5a5a'; // every bit off
const reportedAt = new Date('2025-06-01T02:00:00Z');
const ctx = (over: Partial<FlagContext> = {}): FlagContext => ({
  reportedAt, caseLat: 36.95, caseLng: 117.97, maxDistanceM: 200, beforeHashes: [], otherCaseHashes: [], ...over,
});
const photo = (over: Partial<FlagPhoto> = {}): FlagPhoto => ({
  takenAt: new Date('2025-06-02T01:00:00Z'), lat: 36.95, lng: 117.97, phash: H, phase: 'after', ...over,
});
const codes = (p: FlagPhoto, c: FlagContext) => evidenceFlags(p, c).map((f) => f.code);

describe('distanceM', () => {
  it('is the haversine distance', () => {
    expect(distanceM(36.95, 117.97, 36.95, 117.97)).toBe(0);
    // one degree of latitude ≈ 111.2 km
    expect(distanceM(36, 117, 37, 117)).toBeGreaterThan(111_000);
    expect(distanceM(36, 117, 37, 117)).toBeLessThan(111_400);
    expect(distanceM(36.95, 117.97, 36.95, 117.9725)).toBeCloseTo(222.5, 0);
  });
});

describe('evidenceFlags', () => {
  it('a good after photo raises nothing', () => {
    expect(evidenceFlags(photo(), ctx())).toEqual([]);
  });

  it('no_capture_data only when both time and place are missing', () => {
    expect(codes(photo({ takenAt: null, lat: null, lng: null }), ctx())).toEqual(['no_capture_data']);
    expect(codes(photo({ takenAt: null }), ctx())).toEqual([]);
    expect(codes(photo({ lat: null, lng: null }), ctx())).toEqual([]);
  });

  it('taken_before_report: after photos only, with ten minutes of clock skew allowed', () => {
    const early = new Date(reportedAt.getTime() - 11 * 60_000);
    const f = evidenceFlags(photo({ takenAt: early }), ctx());
    expect(f.map((x) => x.code)).toEqual(['taken_before_report']);
    expect(f[0].message).toContain('2025-06-01 09:49'); // shown in China time
    expect(f[0].message).toContain('2025-06-01 10:00');
    expect(codes(photo({ takenAt: new Date(reportedAt.getTime() - 9 * 60_000) }), ctx())).toEqual([]);
    expect(codes(photo({ takenAt: early, phase: 'before' }), ctx())).toEqual([]);
    expect(codes(photo({ takenAt: early, phase: 'check' }), ctx())).toEqual([]);
  });

  it('too_far when both sides have coordinates and they are further apart than the setting', () => {
    const f = evidenceFlags(photo({ lng: 117.9725 }), ctx());
    expect(f.map((x) => x.code)).toEqual(['too_far']);
    expect(f[0].data).toEqual({ distanceM: 222, maxDistanceM: 200 });
    expect(f[0].message).toMatch(/222 米/);
    expect(codes(photo({ lng: 117.9725 }), ctx({ maxDistanceM: 300 }))).toEqual([]);
    expect(codes(photo({ lng: 117.9725 }), ctx({ caseLat: null, caseLng: null }))).toEqual([]);
    expect(codes(photo({ lat: null, lng: null }), ctx())).toEqual([]);
  });

  it('same_as_before: an after photo near-identical to a before photo of this case', () => {
    expect(codes(photo(), ctx({ beforeHashes: [H_FAR, H_NEAR] }))).toEqual(['same_as_before']);
    expect(codes(photo(), ctx({ beforeHashes: [H_FAR] }))).toEqual([]);
    expect(codes(photo({ phase: 'check' }), ctx({ beforeHashes: [H] }))).toEqual([]);
    // the threshold is a setting
    expect(codes(photo({ phash: 'a5a5a5a5a5a5a5ff' }), ctx({ beforeHashes: [H] }))).toEqual(['same_as_before']);
    expect(codes(photo({ phash: 'a5a5a5a5a5a5a5ff' }), ctx({ beforeHashes: [H], nearThreshold: 3 }))).toEqual([]);
  });

  it('same_as_other_case: any phase, naming the other cases, closest first, once per case', () => {
    const others = [
      { caseId: 7, caseNo: 'AJ7', phash: H_NEAR },
      { caseId: 5, caseNo: 'AJ5', phash: H },
      { caseId: 5, caseNo: 'AJ5', phash: H_NEAR },
      { caseId: 9, caseNo: 'AJ9', phash: H_FAR },
    ];
    for (const phase of ['before', 'after', 'check'] as const) {
      const f = evidenceFlags(photo({ phase }), ctx({ otherCaseHashes: others }));
      expect(f.map((x) => x.code)).toEqual(['same_as_other_case']);
      expect(f[0].message).toContain('AJ5、AJ7');
      expect(f[0].data).toEqual({ cases: [{ caseId: 5, caseNo: 'AJ5', distance: 0 }, { caseId: 7, caseNo: 'AJ7', distance: 1 }] });
    }
  });

  it('featureless hashes (a flat picture) never count as the same picture', () => {
    const flat = '0000000000000000';
    expect(codes(photo({ phash: flat }), ctx({ beforeHashes: [flat], otherCaseHashes: [{ caseId: 1, caseNo: 'X', phash: flat }] }))).toEqual([]);
    expect(codes(photo({ phash: null }), ctx({ beforeHashes: [H] }))).toEqual([]);
  });

  it('flags add up, each with a Chinese message', () => {
    const f = evidenceFlags(photo({ takenAt: new Date('2025-05-01T00:00:00Z'), lng: 118 }), ctx({ beforeHashes: [H], otherCaseHashes: [{ caseId: 2, caseNo: 'AJ2', phash: H }] }));
    expect(f.map((x) => x.code)).toEqual(['taken_before_report', 'too_far', 'same_as_before', 'same_as_other_case']);
    for (const x of f) expect(x.message).toMatch(/[\u4e00-\u9fa5]/);
  });
});
