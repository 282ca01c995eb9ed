import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { DomainError } from '../../lib/errors.js';
import { exifTime, hamming, informative, inspectImage } from './image.js';
import { jpegWithExif, scene } from './evidence.fixtures.js';

async function status(p: Promise<unknown>): Promise<[number, string]> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return [e.status, e.code];
    throw e;
  }
  return [0, 'ok'];
}

describe('inspectImage', () => {
  it('reads capture time (China time) and GPS from EXIF, turns the picture upright and strips metadata', async () => {
    const buf = await jpegWithExif(scene(1), { dateTimeOriginal: '2025:06:01 09:30:00', lat: 36.958333, lng: 117.97, orientation: 6 });
    const img = await inspectImage(buf);
    expect(img.mime).toBe('image/jpeg');
    expect(img.ext).toBe('jpg');
    expect(img.takenAt?.toISOString()).toBe('2025-06-01T01:30:00.000Z');
    expect(img.lat).toBeCloseTo(36.958333, 5);
    expect(img.lng).toBeCloseTo(117.97, 5);
    // 1200×800 with orientation 6 (rotate 90° clockwise) is 800×1200 upright
    expect([img.width, img.height]).toEqual([800, 1200]);
    const d = await sharp(img.display).metadata();
    expect([d.format, d.width, d.height, d.exif, d.orientation]).toEqual(['jpeg', 800, 1200, undefined, undefined]);
    const t = await sharp(img.thumbnail).metadata();
    expect([t.format, t.width, t.height, t.exif]).toEqual(['jpeg', 213, 320, undefined]);
    expect(img.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(img.phash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('a photo without EXIF has no time and no place; large pictures are brought down to 2048 px', async () => {
    const img = await inspectImage(await scene(2, 3000, 1500).jpeg().toBuffer());
    expect([img.takenAt, img.lat, img.lng]).toEqual([null, null, null]);
    expect([img.width, img.height]).toEqual([2048, 1024]);
  });

  it('goes by the bytes: PNG and WebP are accepted as what they are, PNG transparency becomes white', async () => {
    const png = await inspectImage(await scene(3).png().toBuffer());
    expect([png.mime, png.ext]).toEqual(['image/png', 'png']);
    const webp = await inspectImage(await scene(3).webp().toBuffer());
    expect(webp.mime).toBe('image/webp');
    const clear = await inspectImage(await sharp({ create: { width: 40, height: 30, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer());
    const { data } = await sharp(clear.display).raw().toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(250);
  });

  it('refuses what is not a JPEG, PNG or WebP with 415, and a broken image with 400', async () => {
    expect(await status(inspectImage(Buffer.from('这不是图片 just text\n')))).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    expect(await status(inspectImage(Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n')))).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const gif = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#f00' } }).gif().toBuffer();
    expect(await status(inspectImage(gif))).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const jpg = await scene(4).jpeg().toBuffer();
    expect(await status(inspectImage(jpg.subarray(0, jpg.length >> 1)))).toEqual([400, 'CORRUPT_IMAGE']);
    const garbled = Buffer.from(jpg);
    garbled.fill(7, 200, 2000);
    expect(await status(inspectImage(garbled))).toEqual([400, 'CORRUPT_IMAGE']);
    expect(await status(inspectImage(Buffer.alloc(0)))).toEqual([400, 'BAD_INPUT']);
  });

  it('415 says so in Chinese', async () => {
    await expect(inspectImage(Buffer.from('hello'))).rejects.toThrow(/不支持的文件类型/);
  });
});

describe('perceptual hash', () => {
  it('the same picture re-encoded and resized is near; a different picture is far', async () => {
    const a = await inspectImage(await scene(5).jpeg({ quality: 90 }).toBuffer());
    const b = await inspectImage(await scene(5, 600, 400).jpeg({ quality: 40 }).toBuffer());
    const c = await inspectImage(await scene(6).jpeg().toBuffer());
    expect(hamming(a.phash, b.phash)).toBeLessThanOrEqual(6);
    expect(hamming(a.phash, c.phash)).toBeGreaterThan(12);
    expect(informative(a.phash)).toBe(true);
  });

  it('a flat picture hashes to nothing informative', async () => {
    const flat = await inspectImage(await sharp({ create: { width: 200, height: 100, channels: 3, background: '#777' } }).jpeg().toBuffer());
    expect(informative(flat.phash)).toBe(false);
  });

  it('hamming counts differing bits', () => {
    expect(hamming('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hamming('8000000000000001', '0000000000000000')).toBe(2);
    expect(hamming('ABCDEF0123456789', 'abcdef0123456789')).toBe(0);
    expect(() => hamming('xyz', '0000000000000000')).toThrow();
  });
});

describe('exifTime', () => {
  it('is China time unless an offset is given', () => {
    expect(exifTime('2025:06:01 09:30:00')?.toISOString()).toBe('2025-06-01T01:30:00.000Z');
    expect(exifTime('2025:06:01 09:30:00', '+09:00')?.toISOString()).toBe('2025-06-01T00:30:00.000Z');
    expect(exifTime('2025:06:01 09:30:00', '-05:00')?.toISOString()).toBe('2025-06-01T14:30:00.000Z');
    expect(exifTime('2025-06-01T09:30:00', 'junk')?.toISOString()).toBe('2025-06-01T01:30:00.000Z');
  });
  it('refuses what is not a date', () => {
    for (const v of ['0000:00:00 00:00:00', '2025:02:30 10:00:00', '2025:13:01 10:00:00', '    :  :     :  :  ', '', null, 42]) {
      expect(exifTime(v)).toBeNull();
    }
  });
});
