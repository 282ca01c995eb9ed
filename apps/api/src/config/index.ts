// One validated, typed environment object. Bad settings stop the process at start with a message.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { PROJECT_ROOT } from '../lib/paths.js';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  adminPassword: string | null;
  sessionDays: number;
  /** a session unused this long is refused and deleted (WANGGE_IDLE_MINUTES, default 30) */
  idleMinutes: number;
  /** WANGGE_COOKIE_SECURE=1/0 forces it; unset (null): Secure except over plain http to localhost */
  cookieSecure: boolean | null;
  logLevel: string;
  webDist: string;
  maxUploadBytes: number;
  /** case photos: <photoDir>/<yyyy>/<mm>/<sha256>.jpg (default <dataDir>/photos, also with PostgreSQL) */
  photoDir: string;
  /** Fastify's trustProxy: behind a reverse proxy, residents' addresses (rate limits) come from X-Forwarded-For */
  trustProxy: boolean | number | string;
  /**
   * Keys the audit chain (HMAC of each entry's hash), kept outside the database: WANGGE_AUDIT_KEY
   * (at least 32 characters) or the file <dataDir>/audit.key, made with 32 random bytes at first start.
   */
  auditKey: string;
  /** pictures over this many pixels (from the header) are refused as too large: WANGGE_MAX_IMAGE_MP megapixels */
  maxImagePixels: number;
  /** pictures decoded at once (WANGGE_DECODE_CONCURRENCY, default the cores) and waiting (WANGGE_DECODE_QUEUE); more → 503 */
  decodeConcurrency: number;
  decodeQueue: number;
  /** public reads (status, photos, Open311 GETs) per address and minute, WANGGE_PUBLIC_READS_PER_MIN */
  publicReadsPerMin: number;
}

export class ConfigError extends Error {}

function int(env: NodeJS.ProcessEnv, name: string, dflt: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

/** Unset: no proxy; `1`/`true`: trust it; a number: that many hops; else addresses or CIDRs, comma-separated. */
function trustProxy(raw: string | undefined): boolean | number | string {
  const v = raw?.trim();
  if (!v || v === '0' || v === 'false') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  if (!/^[0-9a-fA-F.:/, ]+$/.test(v)) throw new ConfigError(`WANGGE_TRUST_PROXY must be true, a number of hops or addresses/CIDRs separated by commas, got "${v}"`);
  return v;
}

/**
 * WANGGE_AUDIT_KEY, else the text of <dataDir>/audit.key, which is made (32 random bytes as hex, mode
 * 0600) when absent. Made under a temporary name and linked into place, so two processes starting at
 * once end up with the same key.
 */
function auditKey(env: NodeJS.ProcessEnv, dataDir: string): string {
  const fromEnv = env.WANGGE_AUDIT_KEY?.trim();
  if (fromEnv !== undefined && fromEnv !== '') {
    if (fromEnv.length < 32) throw new ConfigError(`WANGGE_AUDIT_KEY must be at least 32 characters, got ${fromEnv.length}`);
    return fromEnv;
  }
  const file = path.join(dataDir, 'audit.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    fs.writeFileSync(tmp, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    try {
      fs.linkSync(tmp, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }
  const key = fs.readFileSync(file, 'utf8').trim();
  if (key.length < 32) throw new ConfigError(`${file} must hold at least 32 characters (the audit key); restore it from its backup`);
  return key;
}

function onOff(env: NodeJS.ProcessEnv, name: string): boolean | null {
  const v = env[name]?.trim().toLowerCase();
  if (v === undefined || v === '') return null;
  if (v === '1' || v === 'true') return true;
  if (v === '0' || v === 'false') return false;
  throw new ConfigError(`${name} must be 1 or 0, got "${env[name]}"`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const dataDir = path.resolve(env.WANGGE_DATA_DIR?.trim() || './data');
  return {
    port: int(env, 'PORT', 3000, 0, 65535),
    // Loopback unless HOST says otherwise (behind a proxy or on a LAN: HOST=0.0.0.0, with HTTPS).
    host: env.HOST?.trim() || '127.0.0.1',
    dataDir,
    databaseUrl,
    adminPassword: env.WANGGE_ADMIN_PASSWORD || null,
    sessionDays: int(env, 'WANGGE_SESSION_DAYS', 14, 1, 365),
    idleMinutes: int(env, 'WANGGE_IDLE_MINUTES', 30, 1, 24 * 60),
    cookieSecure: onOff(env, 'WANGGE_COOKIE_SECURE'),
    logLevel: env.LOG_LEVEL?.trim() || 'info',
    webDist: path.join(PROJECT_ROOT, 'apps/web/dist'),
    maxUploadBytes: int(env, 'WANGGE_MAX_UPLOAD_MB', 10, 1, 1024) * 1024 * 1024,
    photoDir: path.resolve(env.WANGGE_PHOTO_DIR?.trim() || path.join(dataDir, 'photos')),
    trustProxy: trustProxy(env.WANGGE_TRUST_PROXY),
    auditKey: auditKey(env, dataDir),
    maxImagePixels: int(env, 'WANGGE_MAX_IMAGE_MP', 40, 1, 268) * 1_000_000,
    decodeConcurrency: int(env, 'WANGGE_DECODE_CONCURRENCY', Math.max(1, os.availableParallelism()), 1, 64),
    decodeQueue: int(env, 'WANGGE_DECODE_QUEUE', 8, 0, 1000),
    publicReadsPerMin: int(env, 'WANGGE_PUBLIC_READS_PER_MIN', 120, 1, 1_000_000),
  };
}
