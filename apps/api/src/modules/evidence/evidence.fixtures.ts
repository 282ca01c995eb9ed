// Test pictures: drawn with sharp, with EXIF (time, GPS, orientation) written by piexifjs.
// Used by the tests only (piexifjs is a dev dependency).
import { createRequire } from 'node:module';
import sharp from 'sharp';

const piexif = createRequire(import.meta.url)('piexifjs');

/** A picture with some structure (a perceptual hash of a flat colour says nothing). `variant` moves the shapes. */
export function scene(variant = 0, width = 1200, height = 800): sharp.Sharp {
  const x = 300 + ((variant * 137) % 600);
  const y = 250 + ((variant * 71) % 300);
  const colours = ['#c33', '#3a3', '#33c', '#cc3', '#3cc'];
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 1200 800">
    <rect width="1200" height="800" fill="#dde4ea"/>
    <circle cx="${x}" cy="${y}" r="${160 + (variant % 3) * 40}" fill="${colours[variant % colours.length]}"/>
    <rect x="${80 + (variant % 4) * 120}" y="${520 - (variant % 2) * 380}" width="360" height="180" fill="#333"/>
    <polygon points="${900 - variant * 40},700 1150,${420 + variant * 20} 1100,780" fill="#865"/></svg>`;
  return sharp(Buffer.from(svg));
}

export interface ExifInput {
  dateTimeOriginal?: string; // "2025:06:01 09:30:00"
  lat?: number;
  lng?: number;
  orientation?: number;
}

const dms = (v: number) => {
  const a = Math.abs(v);
  const d = Math.floor(a);
  const m = Math.floor((a - d) * 60);
  const s = Math.round(((a - d) * 60 - m) * 60 * 10000);
  return [[d, 1], [m, 1], [s, 10000]];
};

/** A JPEG with the given EXIF fields written into it. */
export async function jpegWithExif(img: sharp.Sharp, e: ExifInput, quality = 90): Promise<Buffer> {
  const jpg = await img.jpeg({ quality }).toBuffer();
  const zeroth: Record<number, unknown> = {};
  const exif: Record<number, unknown> = {};
  const gps: Record<number, unknown> = {};
  if (e.orientation) zeroth[piexif.ImageIFD.Orientation] = e.orientation;
  if (e.dateTimeOriginal) exif[piexif.ExifIFD.DateTimeOriginal] = e.dateTimeOriginal;
  if (e.lat !== undefined && e.lng !== undefined) {
    gps[piexif.GPSIFD.GPSLatitudeRef] = e.lat >= 0 ? 'N' : 'S';
    gps[piexif.GPSIFD.GPSLatitude] = dms(e.lat);
    gps[piexif.GPSIFD.GPSLongitudeRef] = e.lng >= 0 ? 'E' : 'W';
    gps[piexif.GPSIFD.GPSLongitude] = dms(e.lng);
  }
  const bytes = piexif.dump({ '0th': zeroth, Exif: exif, GPS: gps });
  return Buffer.from(piexif.insert(bytes, jpg.toString('binary')), 'binary');
}
