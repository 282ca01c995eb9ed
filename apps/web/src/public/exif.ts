// Keeping a photo's capture data (time, place) when the phone page shrinks it before sending: the
// original JPEG's Exif segment is copied into the smaller JPEG, with its orientation set to upright
// (the canvas has already turned the picture). The server then still sees when and where it was taken.

const u16 = (b: Uint8Array, i: number, le: boolean) => (le ? b[i]! | (b[i + 1]! << 8) : (b[i]! << 8) | b[i + 1]!);
const u32 = (b: Uint8Array, i: number, le: boolean) => (le
  ? (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16)) + b[i + 3]! * 0x1000000
  : b[i]! * 0x1000000 + ((b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!));

/** The Exif APP1 segment of a JPEG (marker and length included), or null. */
export function exifSegment(jpeg: Uint8Array): Uint8Array | null {
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return null;
  let i = 2;
  while (i + 4 <= jpeg.length && jpeg[i] === 0xff) {
    const marker = jpeg[i + 1]!;
    if (marker === 0xda || marker === 0xd9) break; // start of scan / end: no more headers
    const len = u16(jpeg, i + 2, false);
    if (len < 2 || i + 2 + len > jpeg.length) return null;
    if (marker === 0xe1 && len >= 8 && String.fromCharCode(...jpeg.subarray(i + 4, i + 8)) === 'Exif') return jpeg.slice(i, i + 2 + len);
    i += 2 + len;
  }
  return null;
}

/** Sets the Orientation tag (0x0112) of IFD0 to 1 in an Exif APP1 segment, in place; false if it is not readable. */
export function setUpright(app1: Uint8Array): boolean {
  const tiff = 10; // FF E1, length (2), "Exif\0\0"
  if (app1.length < tiff + 8) return false;
  const le = app1[tiff] === 0x49 && app1[tiff + 1] === 0x49;
  if (!le && !(app1[tiff] === 0x4d && app1[tiff + 1] === 0x4d)) return false;
  const ifd = tiff + u32(app1, tiff + 4, le);
  if (ifd + 2 > app1.length) return false;
  const n = u16(app1, ifd, le);
  for (let k = 0; k < n; k++) {
    const e = ifd + 2 + k * 12;
    if (e + 12 > app1.length) return false;
    if (u16(app1, e, le) === 0x0112) {
      if (le) { app1[e + 8] = 1; app1[e + 9] = 0; } else { app1[e + 8] = 0; app1[e + 9] = 1; }
      return true;
    }
  }
  return true; // no orientation tag: upright already
}

/** The shrunk JPEG with the original's Exif (upright), or the shrunk JPEG unchanged when there is none. */
export function withExifFrom(original: Uint8Array, shrunk: Uint8Array): Uint8Array {
  const seg = exifSegment(original);
  if (!seg || shrunk[0] !== 0xff || shrunk[1] !== 0xd8) return shrunk;
  if (!setUpright(seg)) return shrunk;
  // After SOI and the JFIF APP0 segment if there is one.
  let at = 2;
  if (shrunk[2] === 0xff && shrunk[3] === 0xe0) at = 4 + u16(shrunk, 4, false);
  const out = new Uint8Array(shrunk.length + seg.length);
  out.set(shrunk.subarray(0, at), 0);
  out.set(seg, at);
  out.set(shrunk.subarray(at), at + seg.length);
  return out;
}
