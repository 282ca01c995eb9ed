// Photos before sending: a large one (a phone's 3–8 MB) is re-encoded at most 1600 px wide as JPEG,
// so that it goes up over a weak connection, keeping its capture data (exif.ts); a small one is sent
// as taken. Anything the browser cannot
// decode (or a re-encoding that comes out larger) is sent as it is: the server checks it anyway.
import { fmtBytes, shrinkTo } from './helpers';
import { withExifFrom } from './exif';

export interface Prepared { blob: Blob; url: string; note: string | null }

async function toJpeg(file: Blob, size: { width: number; height: number }, bitmap: ImageBitmap): Promise<Blob | null> {
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.drawImage(bitmap, 0, 0, size.width, size.height);
  const out = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
  if (!out) return null;
  const kept = file.type === 'image/jpeg' || file.type === 'image/jpg'
    ? new Blob([withExifFrom(new Uint8Array(await file.arrayBuffer()), new Uint8Array(await out.arrayBuffer())) as BlobPart], { type: 'image/jpeg' })
    : out;
  return kept.size < file.size ? kept : null;
}

export async function preparePhoto(file: File): Promise<Prepared> {
  let blob: Blob = file;
  let note: string | null = null;
  if (typeof createImageBitmap === 'function' && file.size > 0) {
    try {
      const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
      const size = shrinkTo(bitmap.width, bitmap.height, file.size);
      if (size) {
        const out = await toJpeg(file, size, bitmap);
        if (out) { blob = out; note = `已压缩 ${fmtBytes(file.size)} → ${fmtBytes(out.size)}`; }
      }
      bitmap.close();
    } catch { /* not decodable here (e.g. HEIC on some phones): sent as it is */ }
  }
  return { blob, url: URL.createObjectURL(blob), note };
}
