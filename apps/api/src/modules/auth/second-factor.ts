// The second factor: TOTP (RFC 6238: SHA-1, 6 digits, 30 s steps, what every authenticator app
// reads from an otpauth:// URI) through otplib, and one-time recovery codes stored as sha-256.
import { createHash, randomInt } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';

export const ISSUER = 'Wangge';
export const PERIOD_SECONDS = 30;
export const RECOVERY_CODES = 10;

/** A new secret: 20 random bytes (160 bits, RFC 4226's recommendation), base32. */
export const newSecret = () => generateSecret({ length: 20 });

export const otpauthUri = (username: string, secret: string) => generateURI({ issuer: ISSUER, label: username, secret, period: PERIOD_SECONDS });

/** What a person typed as a code: the digits only ("123 456" and "123-456" are 123456). */
export const cleanCode = (s: string) => s.replace(/[\s-]/g, '');

/**
 * The time step the code belongs to, if it is right for the step before, the current one or the
 * next (a phone's clock a little off) and later than `afterStep` (each step is used once); else null.
 */
export async function codeStep(secret: string, code: string, afterStep: number | null, nowMs = Date.now()): Promise<number | null> {
  const token = cleanCode(code);
  if (!/^\d{6}$/.test(token)) return null;
  const r = await verify({
    secret, token, epoch: Math.floor(nowMs / 1000), epochTolerance: PERIOD_SECONDS,
    ...(afterStep === null ? {} : { afterTimeStep: afterStep }),
  });
  const step = r.valid ? (r as { timeStep?: number }).timeStep : undefined;
  return typeof step === 'number' ? step : null;
}

// Recovery codes: 10 characters of Crockford's base32 (50 bits), shown as xxxxx-xxxxx.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

export function newRecoveryCodes(n = RECOVERY_CODES): string[] {
  return Array.from({ length: n }, () => {
    let s = '';
    for (let i = 0; i < 10; i++) s += ALPHABET[randomInt(ALPHABET.length)];
    return `${s.slice(0, 5)}-${s.slice(5)}`;
  });
}

/** A typed recovery code as stored: lower case, no separators, the look-alikes read as Crockford does. */
export const cleanRecoveryCode = (s: string) => s.toLowerCase().replace(/[^0-9a-z]/g, '').replace(/[il]/g, '1').replace(/o/g, '0');

export const recoveryHash = (code: string) => createHash('sha256').update(`wangge-recovery\0${cleanRecoveryCode(code)}`).digest('hex');
