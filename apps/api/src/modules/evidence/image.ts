// What a photo is, read from its bytes (never its name): type, capture time and place from EXIF,
// a perceptual hash, and the two JPEGs we keep (display ≤ 2048 px and a 320 px thumbnail), both
// turned upright and stripped of metadata so a reporter's GPS is not served with the picture.
// Before any pixel is decoded the header's dimensions are checked against the pixel limit (413),
// and decoding runs behind a small gate (busy: 503 with Retry-After), so a few large or crafted
// pictures cannot take the machine's memory and cores.
import os from 'node:os';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import exifr from 'exifr';
import { fileTypeFromBuffer } from 'file-type';
import { DomainError, badInput } from '../../lib/errors.js';
import { Busy, Gate } from '../../lib/gate.js';

export interface InspectedImage {
  /** the upload's own type (the stored files are always JPEG) */
  mime: string;
  ext: string;
  /** of the stored (display) image, upright */
  width: number;
  height: number;
  takenAt: Date | null;
  lat: number | null;
  lng: number | null;
  /** 64-bit DCT perceptual hash, 16 hex characters */
  phash: string;
  /** sha-256 of the uploaded bytes, hex */
  sha256: string;
  thumbnail: Buffer;
  display: Buffer;
}

const ACCEPTED = new Set(['image/jpeg', 'image/png', 'image/webp']);
/** Tried with sharp; accepted only if this build decodes them (HEVC-coded HEIC usually not). */
const MAYBE = new Set(['image/heic', 'image/heif', 'image/avif']);
export const DISPLAY_MAX = 2048;
export const THUMB_MAX = 320;

export interface ImageLimits {
  /** pictures with more pixels (width × height, from the header) are refused as too large */
  maxPixels: number;
  /** decodes at once */
  concurrency: number;
  /** decodes waiting for a place; one more is answered 503 */
  queue: number;
}
const limits: ImageLimits = { maxPixels: 40_000_000, concurrency: Math.max(1, os.availableParallelism()), queue: 8 };
let gate = new Gate(limits.concurrency, limits.queue);
/** Seconds a client is asked to wait when every place and the queue are taken. */
export const BUSY_RETRY_AFTER = 2;

/** Sets the pixel limit and the decoding gate (at start, from the configuration). */
export function configureImages(o: Partial<ImageLimits>) {
  Object.assign(limits, Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));
  gate = new Gate(limits.concurrency, limits.queue);
}
export const imageLimits = (): Readonly<ImageLimits> => ({ ...limits });
/** Pictures being decoded now and waiting for a place. */
export const decoding = () => ({ active: gate.active, queued: gate.queued });

const megapixels = (n: number) => Math.round((n / 1e6) * 10) / 10;
const tooManyPixels = (width: number, height: number) => new DomainError(413, 'IMAGE_TOO_LARGE',
  `照片像素过大（${width}×${height}，最多 ${megapixels(limits.maxPixels)} 百万像素）：请在相机里选较低的分辨率后重拍 (image too large: ${megapixels(width * height)} megapixels, at most ${megapixels(limits.maxPixels)})`,
  [{ field: 'file', message: 'too many pixels' }]);
const busy = () => new DomainError(503, 'BUSY', '正在处理的照片太多，请稍后几秒重试 (busy reading other photos: try again in a few seconds)',
  [{ field: 'retryAfter', message: String(BUSY_RETRY_AFTER) }]);

const unsupported = (what: string) => new DomainError(415, 'UNSUPPORTED_MEDIA_TYPE',
  `不支持的文件类型（${what}）：请上传 JPEG、PNG 或 WebP 格式的照片 (unsupported media type: ${what})`);
const corrupt = (why: string) => badInput(`图片已损坏或不完整，无法读取，请重新拍摄或上传 (corrupt image: ${why})`, [{ field: 'file', message: 'corrupt image' }], 'CORRUPT_IMAGE');

export interface ProbedImage { mime: string; ext: string; width: number; height: number; exif: Buffer | undefined }

const undecodable = (type: { mime: string; ext: string }) => new DomainError(415, 'UNSUPPORTED_MEDIA_TYPE',
  `无法读取 ${type.ext.toUpperCase()} 格式的照片：请在手机相机设置中选择“兼容性最佳”（JPEG）后重拍，或转换为 JPEG 后上传 (${type.mime} cannot be decoded here)`);

/**
 * The cheap checks, from the bytes and the header only (no pixel decoded, a millisecond or so):
 * the type (415), a readable header (400) and the pixel limit (413). Run on every photo of a
 * request before any of them is decoded.
 */
export async function probeImage(buf: Buffer): Promise<ProbedImage> {
  if (buf.length === 0) throw badInput('上传的文件是空的 (empty file)', [{ field: 'file', message: 'empty' }]);
  const type = await fileTypeFromBuffer(buf);
  if (!type) throw unsupported('无法识别，不是图片');
  if (!ACCEPTED.has(type.mime) && !MAYBE.has(type.mime)) throw unsupported(type.mime);
  let meta: sharp.Metadata;
  try {
    // the header only; sharp's own pixel limit is left to the check below, which says "too large"
    meta = await sharp(buf, { limitInputPixels: false }).metadata();
  } catch (e) {
    if (MAYBE.has(type.mime)) throw undecodable(type);
    throw corrupt((e as Error).message);
  }
  const { width, height } = meta;
  if (!width || !height) throw corrupt('no dimensions');
  if (width * height > limits.maxPixels) throw tooManyPixels(width, height);
  return { mime: type.mime, ext: type.ext, width, height, exif: meta.exif };
}

export async function inspectImage(buf: Buffer): Promise<InspectedImage> {
  const probed = await probeImage(buf);
  try {
    return await gate.run(() => decode(buf, probed));
  } catch (e) {
    if (e instanceof Busy) throw busy();
    throw e;
  }
}

async function decode(buf: Buffer, type: ProbedImage): Promise<InspectedImage> {
  let display: { data: Buffer; info: sharp.OutputInfo };
  let pixels: { data: Buffer; info: sharp.OutputInfo };
  try {
    // Decoded once, upright and at display size; the display copy, the thumbnail and the hash are
    // all made from these pixels (decoding the upload is most of the cost of a report).
    pixels = await sharp(buf, { limitInputPixels: limits.maxPixels }).rotate().flatten({ background: '#ffffff' })
      .resize(DISPLAY_MAX, DISPLAY_MAX, { fit: 'inside', withoutEnlargement: true })
      .raw().toBuffer({ resolveWithObject: true });
    display = await sharp(pixels.data, { raw: rawOf(pixels.info) }).jpeg({ quality: 82, mozjpeg: false }).toBuffer({ resolveWithObject: true });
  } catch (e) {
    if (MAYBE.has(type.mime)) throw undecodable(type);
    if (/pixel limit/i.test((e as Error).message)) throw tooManyPixels(type.width, type.height);
    throw corrupt((e as Error).message);
  }

  const [thumbnail, phash] = await Promise.all([
    sharp(pixels.data, { raw: rawOf(pixels.info) }).resize(THUMB_MAX, THUMB_MAX, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 75 }).toBuffer(),
    hashOf(sharp(pixels.data, { raw: rawOf(pixels.info) })),
  ]);
  const exif = await readExif(type.exif);
  return {
    mime: type.mime,
    ext: type.ext,
    width: display.info.width,
    height: display.info.height,
    ...exif,
    phash,
    sha256: createHash('sha256').update(buf).digest('hex'),
    thumbnail,
    display: display.data,
  };
}

// ---------------------------------------------------------------- EXIF

interface ExifFields {
  DateTimeOriginal?: unknown; OffsetTimeOriginal?: unknown;
  CreateDate?: unknown; OffsetTimeDigitized?: unknown;
  latitude?: unknown; longitude?: unknown;
}

/** Capture time and place from the raw EXIF block sharp found (JPEG, PNG, WebP, HEIF alike). */
async function readExif(raw: Buffer | undefined): Promise<{ takenAt: Date | null; lat: number | null; lng: number | null }> {
  const none = { takenAt: null, lat: null, lng: null };
  if (!raw || raw.length < 8) return none;
  // sharp gives the APP1 payload, "Exif\0\0" then the TIFF structure; exifr reads the TIFF.
  const tiff = raw.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? raw.subarray(6) : raw;
  let f: ExifFields | undefined;
  try {
    f = await exifr.parse(tiff, {
      reviveValues: false, translateValues: false, translateKeys: true, gps: true,
      pick: ['DateTimeOriginal', 'OffsetTimeOriginal', 'CreateDate', 'OffsetTimeDigitized',
        'GPSLatitude', 'GPSLatitudeRef', 'GPSLongitude', 'GPSLongitudeRef'],
    });
  } catch {
    return none; // unreadable EXIF is "no capture data", not a bad photo
  }
  if (!f) return none;
  const takenAt = exifTime(f.DateTimeOriginal, f.OffsetTimeOriginal) ?? exifTime(f.CreateDate, f.OffsetTimeDigitized);
  const lat = typeof f.latitude === 'number' ? f.latitude : NaN;
  const lng = typeof f.longitude === 'number' ? f.longitude : NaN;
  // 0,0 is what a phone writes when it had no fix.
  const gpsOk = Number.isFinite(lat) && Number.isFinite(lng) && Math.abs(lat) <= 90 && Math.abs(lng) <= 180 && !(lat === 0 && lng === 0);
  return { takenAt, lat: gpsOk ? lat : null, lng: gpsOk ? lng : null };
}

/**
 * An EXIF date ("2025:06:01 09:30:00") as an instant. EXIF times carry no zone: with an
 * OffsetTime ("+09:00") that offset applies, otherwise China time (UTC+8).
 */
export function exifTime(value: unknown, offset?: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const m = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?/.exec(value.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0));
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  let offsetMin = 8 * 60;
  const o = typeof offset === 'string' ? /^([+-])(\d{2}):?(\d{2})$/.exec(offset.trim()) : null;
  if (o) {
    const mins = Number(o[2]) * 60 + Number(o[3]);
    if (mins <= 14 * 60) offsetMin = (o[1] === '-' ? -1 : 1) * mins;
  }
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  if (new Date(utc).getUTCDate() !== d) return null; // 2025:02:30
  return new Date(utc - offsetMin * 60_000);
}

// ---------------------------------------------------------------- perceptual hash

const N = 32;
const COS: number[][] = Array.from({ length: 8 }, (_, u) => Array.from({ length: N }, (_, x) => Math.cos(((2 * x + 1) * u * Math.PI) / (2 * N))));

/**
 * DCT pHash: grey 32×32, the 8×8 lowest frequencies, each bit = coefficient above their median.
 * Robust to re-encoding, resizing and small edits; a flat image hashes to (almost) all zeros.
 */
export async function perceptualHash(img: Buffer): Promise<string> {
  return hashOf(sharp(img));
}

const rawOf = (info: sharp.OutputInfo) => ({ width: info.width, height: info.height, channels: info.channels as 1 | 2 | 3 | 4 });

async function hashOf(image: sharp.Sharp): Promise<string> {
  const { data, info } = await image.flatten({ background: '#ffffff' }).greyscale()
    .resize(N, N, { fit: 'fill', kernel: 'lanczos3' }).raw().toBuffer({ resolveWithObject: true });
  const ch = info.channels;
  const px = (x: number, y: number) => data[(y * N + x) * ch];
  // Separable 2-D DCT-II, only the 8 lowest frequencies each way.
  const rowsT: number[][] = Array.from({ length: N }, (_, y) => COS.map((cu) => { let s = 0; for (let x = 0; x < N; x++) s += px(x, y) * cu[x]; return s; }));
  const coef: number[] = [];
  for (let v = 0; v < 8; v++) {
    for (let u = 0; u < 8; u++) {
      let s = 0;
      for (let y = 0; y < N; y++) s += rowsT[y][u] * COS[v][y];
      coef.push(Math.abs(s) < 1e-6 ? 0 : s); // floating noise on a flat image is not a feature
    }
  }
  const ac = coef.slice(1).sort((a, b) => a - b);
  const median = (ac[31] + ac[32]) / 2;
  let hex = '';
  for (let i = 0; i < 64; i += 4) {
    let nib = 0;
    for (let j = 0; j < 4; j++) nib = (nib << 1) | (i + j > 0 && coef[i + j] > median ? 1 : 0);
    hex += nib.toString(16);
  }
  return hex;
}

const POP = Array.from({ length: 16 }, (_, n) => (n & 1) + ((n >> 1) & 1) + ((n >> 2) & 1) + ((n >> 3) & 1));
const HASH = /^[0-9a-f]{16}$/;

/** Bits that differ between two 16-hex-character hashes (0…64). */
export function hamming(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (!HASH.test(x) || !HASH.test(y)) throw new Error(`not a 64-bit hash: ${a} / ${b}`);
  let d = 0;
  for (let i = 0; i < 16; i++) d += POP[parseInt(x[i], 16) ^ parseInt(y[i], 16)];
  return d;
}

/** A hash with too few set bits comes from a (nearly) featureless picture and matches anything flat. */
export function informative(h: string): boolean {
  if (!HASH.test(h.toLowerCase())) return false;
  let ones = 0;
  for (const c of h.toLowerCase()) ones += POP[parseInt(c, 16)];
  return ones >= 16;
}
