// Logging in as a test, a benchmark or a browser test does: password, then the second factor when
// the answer asks for it (set up at first login, a code from the remembered secret after that).
// No vitest here: the benchmarks use it too.
//
// Each time step's code is accepted once, and the server takes the step before, the current one and
// the next; so one user can log in three times within 30 s on codes, then on recovery codes (new
// ones are fetched when few are left). The secrets are remembered per server (a scope) and user name.
import { generate } from 'otplib';

export interface Enrolled { secret: string; lastStep: number; recovery: string[] }
export interface Answer { status: number; json: any; cookie?: string } // eslint-disable-line @typescript-eslint/no-explicit-any
/** POSTs JSON to a path of the server (with the session cookie "wangge_session=…" if given). */
export type Post = (path: string, body: unknown, cookie?: string) => Promise<Answer>;

const stores = new Map<string, Map<string, Enrolled>>();
const scopeIds = new WeakMap<object, string>();
let nextScope = 1;

/** The scope name of a server object (an app); `alias` makes other names (its URL) share the same secrets. */
export function scopeOf(server: object, ...aliases: string[]): string {
  let id = scopeIds.get(server);
  if (!id) { id = `app#${nextScope++}`; scopeIds.set(server, id); }
  for (const a of aliases) stores.set(a, store(id));
  return id;
}
export function store(scope: string): Map<string, Enrolled> {
  let s = stores.get(scope);
  if (!s) { s = new Map(); stores.set(scope, s); }
  return s;
}
export const enrolledAs = (scope: string, username: string) => store(scope).get(username.toLowerCase());

const PERIOD = 30;
/** The code of the earliest time step the server still takes and this user has not used; the step is taken at once. */
export async function nextCode(e: Enrolled, nowMs = Date.now()): Promise<{ code: string; step: number } | null> {
  const t = Math.floor(nowMs / 1000 / PERIOD);
  for (const step of [t - 1, t, t + 1]) {
    if (step <= e.lastStep) continue;
    // t-1 only early in the current step, so the request still lands within the server's window
    if (step === t - 1 && nowMs / 1000 - t * PERIOD > PERIOD / 2) continue;
    e.lastStep = step;
    return { code: await generate({ secret: e.secret, epoch: step * PERIOD }), step };
  }
  return null;
}

/** A code for the user's current secret at this moment (for tests that enter codes themselves). */
export const codeAt = (secret: string, nowMs = Date.now()) => generate({ secret, epoch: Math.floor(nowMs / 1000) });

/** Sets up the second factor on a session in "setup" state; remembers the secret and recovery codes. */
export async function enrol(post: Post, scope: string, username: string, cookie: string): Promise<Enrolled> {
  const s = await post('/api/v1/auth/second-factor/setup', {}, cookie);
  if (s.status !== 200) throw new Error(`second-factor setup for ${username}: ${s.status} ${JSON.stringify(s.json)}`);
  const e: Enrolled = { secret: s.json.secret, lastStep: -1, recovery: [] };
  const c = (await nextCode(e))!;
  const r = await post('/api/v1/auth/second-factor/confirm', { code: c.code }, cookie);
  if (r.status !== 200) throw new Error(`second-factor confirm for ${username}: ${r.status} ${JSON.stringify(r.json)}`);
  e.recovery = r.json.recoveryCodes;
  store(scope).set(username.toLowerCase(), e);
  return e;
}

/** Enters the second factor on a session in "verify" state, with a code or else a recovery code. */
export async function verify(post: Post, scope: string, username: string, cookie: string): Promise<void> {
  const e = enrolledAs(scope, username);
  if (!e) throw new Error(`${username} has a second factor that this test run did not set up (no secret known)`);
  let last = '';
  for (let i = 0; i < 4; i++) {
    const c = await nextCode(e);
    const body = c ? { code: c.code } : { recoveryCode: e.recovery.shift() };
    if (!c && !body.recoveryCode) break;
    const r = await post('/api/v1/auth/second-factor', body, cookie);
    if (r.status === 200) {
      if (e.recovery.length < 4) {
        const n = await post('/api/v1/auth/second-factor/recovery-codes', {}, cookie);
        if (n.status === 200) e.recovery = n.json.recoveryCodes;
      }
      return;
    }
    last = `${r.status} ${JSON.stringify(r.json)}`;
    if (r.status !== 400) break;
  }
  throw new Error(`second factor for ${username} refused: ${last}`);
}

/** Logs in (password, then the second factor if asked) and returns the cookie header "wangge_session=…". */
export async function loginWith(post: Post, scope: string, username: string, password: string): Promise<string> {
  const res = await post('/api/v1/auth/login', { username, password });
  if (res.status !== 200 || !res.cookie) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.json)}`);
  const cookie = res.cookie;
  if (res.json.secondFactor === 'setup') await enrol(post, scope, username, cookie);
  else if (res.json.secondFactor === 'verify') await verify(post, scope, username, cookie);
  return cookie;
}

/** `Post` over HTTP to a running server (benchmarks, tests that start a process). */
export function httpPost(baseUrl: string): Post {
  return async (path, body, cookie) => {
    const r = await fetch(`${baseUrl}${path}`, {
      method: 'POST', headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) }, body: JSON.stringify(body ?? {}),
    });
    const text = await r.text();
    let json: unknown = null;
    try { json = JSON.parse(text); } catch { json = text; }
    const set = r.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('wangge_session=') && c.length > 'wangge_session='.length);
    return { status: r.status, json, cookie: set };
  };
}

/** Logs in over HTTP (password and second factor); the secrets are remembered per base URL. */
export const loginOverHttp = (baseUrl: string, username: string, password: string) => loginWith(httpPost(baseUrl), baseUrl, username, password);
