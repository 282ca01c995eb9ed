// The shrunk photo keeps the original's capture time and place, and is marked upright.
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import exifr from 'exifr';
import { jpegWithExif, scene } from '../../../api/src/modules/evidence/evidence.fixtures';
import { exifSegment, withExifFrom } from './exif';

describe('keeping capture data when shrinking', () => {
  it('copies time and GPS into the smaller JPEG and sets the orientation upright', async () => {
    const original = await jpegWithExif(scene(3, 1200, 800), { dateTimeOriginal: '2026:11:20 09:30:00', lat: 36.97, lng: 117.97, orientation: 6 });
    const before = await exifr.parse(original, { gps: true });
    expect(before.Orientation).toBe('Rotate 90 CW');
    // What the canvas gives: a plain JPEG, already turned, without metadata.
    const shrunk = await sharp(original).rotate().resize(400).jpeg({ quality: 80 }).toBuffer();
    expect(await exifr.parse(shrunk, { gps: true }).catch(() => undefined)).toBeUndefined();
    const kept = Buffer.from(withExifFrom(new Uint8Array(original), new Uint8Array(shrunk)));
    const after = await exifr.parse(kept, { gps: true });
    expect(after.latitude).toBeCloseTo(36.97, 4);
    expect(after.longitude).toBeCloseTo(117.97, 4);
    expect(after.DateTimeOriginal).toBeInstanceOf(Date);
    expect(after.Orientation).toBe('Horizontal (normal)');
    const meta = await sharp(kept).metadata();
    expect([meta.width, meta.height]).toEqual([400, Math.round(400 * 1200 / 800)]);
    expect(meta.orientation).toBe(1);
  });
  it('leaves a picture without Exif, or a broken one, as it is', async () => {
    const plain = await scene(4, 300, 200).jpeg().toBuffer();
    const shrunk = new Uint8Array(await sharp(plain).resize(100).jpeg().toBuffer());
    expect(exifSegment(new Uint8Array(plain))).toBeNull();
    expect(withExifFrom(new Uint8Array(plain), shrunk)).toBe(shrunk);
    expect(withExifFrom(new Uint8Array([1, 2, 3]), shrunk)).toBe(shrunk);
    expect(exifSegment(new Uint8Array([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff]))).toBeNull();
  });
});
