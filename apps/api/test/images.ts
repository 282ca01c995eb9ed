// Test photos made on the fly: a JPEG of a given colour and pattern, so perceptual hashes differ.
import sharp from 'sharp';

export async function jpeg(seed = 1, size = 256): Promise<Buffer> {
  const channels = 3;
  const raw = Buffer.alloc(size * size * channels);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * channels;
      // Stripes and blocks that depend on the seed: different seeds give different structure.
      const v = ((Math.floor(x / (8 + (seed % 7) * 4)) + Math.floor(y / (6 + (seed % 5) * 5)) * seed) % 2) * 200 + 20;
      raw[i] = v; raw[i + 1] = (v + seed * 37) % 256; raw[i + 2] = (255 - v + seed * 11) % 256;
    }
  }
  return sharp(raw, { raw: { width: size, height: size, channels } }).jpeg({ quality: 85 }).toBuffer();
}

/** A multipart body with one file field, for app.inject. */
export function multipart(buf: Buffer, filename = 'photo.jpg', type = 'image/jpeg') {
  const boundary = `----wangge${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, buf, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** A multipart form with text fields and any number of files, for app.inject. */
export function form(fields: Record<string, string | number>, files: { name?: string; buf: Buffer; filename?: string; type?: string }[] = []) {
  const boundary = `----wangge${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.name ?? 'photo'}"; filename="${f.filename ?? 'photo.jpg'}"\r\nContent-Type: ${f.type ?? 'image/jpeg'}\r\n\r\n`), f.buf, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
