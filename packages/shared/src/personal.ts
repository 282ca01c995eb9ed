// Personal data, handled one way on every screen and in every module (PIPL): phones are kept as
// their digits, shown masked, and found by the whole number only; residents follow their reports by
// a random tracking number that cannot be guessed from another (never the sequential case number).

const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}\d{7,8}$/;
const known = (d: string) => MOBILE.test(d) || LANDLINE.test(d);

/**
 * A phone as typed → its digits: a mainland mobile (11 digits from 1[3-9]) or a landline with its
 * area code. Spaces, dashes, dots and brackets are ignored, and a country code (+86, 0086, 86) is
 * dropped. null for anything else (letters, too few or too many digits, a masked number).
 */
export function normalisePhone(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const s = String(raw).replace(/[\s\u3000\-.()（）]/g, '');
  if (!/^\+?\d{5,20}$/.test(s)) return null;
  const d = s.replace(/^\+/, '');
  if (known(d)) return d;
  for (const cc of ['0086', '86']) if (d.startsWith(cc) && known(d.slice(cc.length))) return d.slice(cc.length);
  return null;
}

/**
 * A phone as lists and details show it: a mobile 187****1005; a landline its area code and last two
 * digits (0533******67); anything shorter hides more. A number typed with spaces or a country code is
 * masked as its digits; the length of what is masked is kept, so a column lines up.
 */
export function maskPhone(phone: string | null | undefined): string | null {
  if (phone === null || phone === undefined || phone === '') return null;
  const s = normalisePhone(phone) ?? String(phone);
  if (s.length === 11 && /^1\d{10}$/.test(s)) return `${s.slice(0, 3)}****${s.slice(7)}`;
  const head = s.length >= 10 ? 4 : s.length >= 7 ? 2 : 0;
  const tail = s.length >= 10 ? 2 : s.length >= 7 ? 1 : 0;
  return `${s.slice(0, head)}${'*'.repeat(s.length - head - tail)}${s.slice(s.length - tail)}`;
}

/**
 * What a search box's text says about phones: a query of digits (and the separators people type)
 * is looked up as a whole number only, never as a part of one: `phone` is the normalised number
 * when it is a whole one, else null (and nothing is matched by phone). Other text: not a phone query.
 */
export function phoneQuery(q: string | null | undefined): { phone: string | null } | null {
  const s = (q ?? '').trim();
  if (!/^[+\d][\d\s\u3000\-.()（）*]*$/.test(s) || !/\d{3}/.test(s.replace(/\D/g, ''))) return null;
  return { phone: normalisePhone(s) };
}

// ---------------------------------------------------------------- public tracking numbers

/** Crockford's base 32: digits and capitals without I, L, O and U (nothing to misread on a phone). */
export const PUBLIC_NO_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const PUBLIC_NO_LENGTH = 12;
const PUBLIC_NO = /^[0-9A-HJKMNP-TV-Z]{12}$/;

/** A tracking number from 12 random bytes (60 bits: one in 10^18 is a hit for a guess). */
export function publicNoFrom(bytes: Uint8Array): string {
  if (bytes.length < PUBLIC_NO_LENGTH) throw new Error(`publicNoFrom: needs ${PUBLIC_NO_LENGTH} random bytes`);
  let s = '';
  for (let i = 0; i < PUBLIC_NO_LENGTH; i++) s += PUBLIC_NO_ALPHABET[bytes[i]! & 31]; // 256 is a multiple of 32: no bias
  return s;
}

/**
 * A tracking number as typed or read out → its stored form (12 characters), or null: full-width
 * characters, spaces and dashes are ignored, lower case is upper case, O is 0 and I or L is 1.
 */
export function normalisePublicNo(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const s = String(raw).replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000\-_]/g, '').toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1');
  return PUBLIC_NO.test(s) ? s : null;
}

/** K7QM-2XPD-93TA: a tracking number as a person reads it. */
export function formatPublicNo(no: string): string {
  return /^[0-9A-Z]{12}$/.test(no) ? `${no.slice(0, 4)}-${no.slice(4, 8)}-${no.slice(8)}` : no;
}
