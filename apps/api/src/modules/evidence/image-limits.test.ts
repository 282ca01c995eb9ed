// The pixel limit (from the header, before any decoding) and the decoding gate.
import zlib from 'node:zlib';
import sharp from 'sharp';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DomainError } from '../../lib/errors.js';
import { configureImages, decoding, imageLimits, inspectImage, probeImage } from './image.js';
import { scene } from './evidence.fixtures.js';

const initial = imageLimits();
afterEach(() => configureImages(initial));

async function refusal(p: Promise<unknown>): Promise<[number, string, string] | null> {
  try { await p; } catch (e) { if (e instanceof DomainError) return [e.status, e.code, e.message]; throw e; }
  return null;
}

/** A PNG claiming width × height with a few bytes of pixel data. */
function pngClaiming(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(zlib.crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4); ihdr[8] = 8; ihdr[9] = 2;
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.alloc(1000))), chunk('IEND', Buffer.alloc(0))]);
}

describe('the pixel limit', () => {
  it('refuses a picture over the limit as too large (413), from its header, whatever it holds', async () => {
    expect(imageLimits().maxPixels).toBe(40_000_000);
    const bomb = await refusal(inspectImage(pngClaiming(30_000, 30_000)));
    expect(bomb?.slice(0, 2)).toEqual([413, 'IMAGE_TOO_LARGE']);
    expect(bomb?.[2]).toContain('照片像素过大（30000×30000，最多 40 百万像素）');
    expect(bomb?.[2]).toContain('image too large');
    // over sharp's own limit (268 MP) too: still "too large", never "corrupt"
    expect((await refusal(probeImage(pngClaiming(65_535, 65_535))))?.[0]).toBe(413);
    // a real, highly compressible JPEG of 8000 × 6000 (48 MP)
    const big = await sharp({ create: { width: 8000, height: 6000, channels: 3, background: '#808080' } }).jpeg({ quality: 50 }).toBuffer();
    expect((await refusal(inspectImage(big)))?.slice(0, 2)).toEqual([413, 'IMAGE_TOO_LARGE']);
    // the limit is a setting (WANGGE_MAX_IMAGE_MP)
    configureImages({ maxPixels: 50_000_000 });
    expect(await probeImage(big)).toMatchObject({ mime: 'image/jpeg', width: 8000, height: 6000 });
    configureImages({ maxPixels: 1_000_000 });
    expect((await refusal(inspectImage(await scene(1, 1200, 900).jpeg().toBuffer())))?.[2]).toContain('最多 1 百万像素');
  });

  it('a picture within the limit is read as before', async () => {
    const img = await inspectImage(await scene(2, 1200, 800).jpeg().toBuffer());
    expect([img.width, img.height]).toEqual([1200, 800]);
  });
});

describe('the decoding gate', () => {
  it('decodes at most `concurrency` at once; with the queue full the next is 503 with a wait', async () => {
    configureImages({ concurrency: 1, queue: 1 });
    const photo = await scene(3, 3000, 2000).jpeg().toBuffer();
    const first = inspectImage(photo);
    await vi.waitFor(() => expect(decoding()).toEqual({ active: 1, queued: 0 }), { timeout: 10_000, interval: 1 });
    const second = inspectImage(photo);
    await vi.waitFor(() => expect(decoding()).toEqual({ active: 1, queued: 1 }), { timeout: 10_000, interval: 1 });
    const e = await inspectImage(photo).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DomainError);
    expect(e).toMatchObject({ status: 503, code: 'BUSY', details: [{ field: 'retryAfter', message: '2' }] });
    const [a, b] = await Promise.all([first, second]);
    expect(a.sha256).toBe(b.sha256);
    expect(decoding()).toEqual({ active: 0, queued: 0 });
  });
});
