// argon2id hashing (OWASP's recommended parameters) and the password rule.
import { hash, verify, Algorithm } from '@node-rs/argon2';

const OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 };

/** argon2 verifications made by this process (the throttle test counts them; /metrics may show them). */
export const argonVerifications = { count: 0 };

export const hashPassword = (pw: string) => hash(pw, OPTIONS);
export async function verifyPassword(stored: string | null, pw: string): Promise<boolean> {
  if (!stored) return false;
  argonVerifications.count += 1;
  try { return await verify(stored, pw); } catch { return false; }
}

// Verifying against this keeps an unknown user as slow as a known one.
let dummy: string | null = null;
export async function burnTime(pw: string): Promise<void> {
  dummy ??= await hashPassword('wangge-dummy-password');
  argonVerifications.count += 1;
  await verify(dummy, pw).catch(() => false);
}

export function passwordProblem(pw: string, username: string): string | null {
  if (typeof pw !== 'string' || pw.length < 8) return '密码至少 8 位 (at least 8 characters)';
  if (pw.length > 128) return '密码不能超过 128 位';
  if (pw.toLowerCase() === username.toLowerCase()) return '密码不能与用户名相同';
  if (!/[A-Za-z]/.test(pw) || !/\d/.test(pw)) return '密码需同时包含字母和数字 (letters and digits)';
  return null;
}
