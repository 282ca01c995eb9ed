import { describe, expect, it } from 'vitest';
import { commonArea } from './area.js';

describe('commonArea', () => {
  it('is the nearest area above all of them', () => {
    expect(commonArea(['/1/5/23/'])).toBe('/1/5/23/');
    expect(commonArea(['/1/5/23/', '/1/5/24/'])).toBe('/1/5/');
    expect(commonArea(['/1/5/23/', '/1/52/3/'])).toBe('/1/');
    expect(commonArea(['/1/5/', '/1/5/23/'])).toBe('/1/5/');
    expect(commonArea(['/1/5/23/', '/1/5/'])).toBe('/1/5/');
  });
  it('is null (install-wide) for nothing, for separate roots, or when a part is install-wide', () => {
    expect(commonArea([])).toBeNull();
    expect(commonArea(['/1/5/', '/2/6/'])).toBeNull();
    expect(commonArea(['/1/5/', null])).toBeNull();
  });
});
