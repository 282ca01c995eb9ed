import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocate } from './allocate.js';
import { checkBoundary, checkCode, checkPlacement, displayName, nextChildCode, searchText } from './rules.js';

describe('codes extend the parent', () => {
  const village = { level: 'village' as const, code: '370321107201', nationalCode: '370321107201' };
  it('accepts a grid that extends its village and refuses one that does not', () => {
    expect(checkCode('grid', '370321107201001', village)).toBeNull();
    expect(checkCode('grid', '370321107202001', village)).toMatch(/应以上级代码 370321107201 开头/);
    expect(checkCode('grid', '37032110720100', village)).toMatch(/格式/);
  });
  it('a village under a district extends the town code', () => {
    const district = { level: 'district' as const, code: '370321107D01', nationalCode: '370321107D01' };
    expect(checkCode('village', '370321107201', district)).toBeNull();
    expect(checkCode('village', '370321108201', district)).not.toBeNull();
  });
  it('gives the lowest free number', () => {
    expect(nextChildCode('grid', village, ['370321107201001', '370321107201003'])).toBe('370321107201002');
    expect(nextChildCode('district', { level: 'town', code: '370321107', nationalCode: '370321107' }, ['370321107D01'])).toBe('370321107D02');
  });
});

describe('placement', () => {
  it('knows which level sits under which', () => {
    expect(checkPlacement('micro_grid', 'grid')).toBeNull();
    expect(checkPlacement('village', 'district')).toBeNull();
    expect(checkPlacement('village', 'town')).toBeNull();
    expect(checkPlacement('grid', 'town')).toMatch(/不能放在/);
    expect(checkPlacement('grid', null)).toMatch(/必须有上级/);
    expect(checkPlacement('town', null)).toBeNull();
  });
});

describe('names and search', () => {
  it('shortens official names', () => {
    expect(displayName('毛家村委会')).toBe('毛家村');
    expect(displayName('多福巷社区居委会')).toBe('多福巷社区');
    expect(displayName('新城镇')).toBe('新城镇');
  });
  it('finds 毛家村 by pinyin and initials', () => {
    const s = searchText('毛家村');
    expect(s).toContain('maojiacun');
    expect(s).toContain('mjc');
  });
});

describe('boundaries', () => {
  it('accepts a closed polygon and refuses open rings or bad coordinates', () => {
    expect(checkBoundary({ type: 'Polygon', coordinates: [[[118, 36], [118.1, 36], [118.1, 36.1], [118, 36]]] })).toBeNull();
    expect(checkBoundary({ type: 'Polygon', coordinates: [[[118, 36], [118.1, 36], [118.1, 36.1], [118, 36.2]]] })).toMatch(/闭合/);
    expect(checkBoundary({ type: 'Point', coordinates: [118, 36] })).toMatch(/Polygon/);
    expect(checkBoundary({ type: 'Polygon', coordinates: [[[200, 36], [118.1, 36], [118.1, 36.1], [200, 36]]] })).toMatch(/经度/);
  });
});

describe('allocate', () => {
  it('spreads 141 grids over 40 villages by size, at least one each', () => {
    const w = Array.from({ length: 40 }, (_, i) => 600 + i * 70);
    const a = allocate(141, w);
    expect(a.reduce((s, x) => s + x, 0)).toBe(141);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(1);
    expect(a[39]).toBeGreaterThanOrEqual(a[0]!);
  });
  it('always adds up and respects the minimum', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 0, max: 500 }), (w, extra) => {
      const total = w.length + extra;
      const a = allocate(total, w);
      return a.reduce((s, x) => s + x, 0) === total && a.every((x) => x >= 1);
    }));
  });
});
