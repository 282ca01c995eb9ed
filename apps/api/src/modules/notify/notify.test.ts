// Notifications, webhooks and outbox delivery against the database, with a real local HTTP server.
// The local server stands in for the robots and receivers: this file turns on the test-only allowance
// (WANGGE_WEBHOOK_ALLOW_PRIVATE=1) and turns it off where it shows the refusals.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, buildTestApp, login, type TestApp } from '../../../test/helpers.js';
import { initTown } from '../areas/network.service.js';
import { rows, sql, type Db } from '../../db/client.js';
import { toDate } from '../../lib/dates.js';
import { dingtalkSign } from './formats.js';
import { notify } from './notify.service.js';
import { deliverDue } from './delivery.js';
import { claimDue } from './notify.repository.js';
import { ALLOW_PRIVATE_ENV, REFUSED_PRIVATE, type PostOptions } from './outbound.js';
import { CLAIM_LEASE_MS, MAX_ATTEMPTS } from './retry.js';

// --- a robot to talk to: each path behaves as its test sets it up ---
type Hit = { path: string; query: URLSearchParams; headers: http.IncomingHttpHeaders; body: unknown };
const hits: Hit[] = [];
const behaviour = new Map<string, (n: number) => { status: number; body: string }>();
let server: http.Server;
let base = '';

let t: TestApp;
let db: Db;
let admin: string;
let adminId: number;
let town: { id: number; path: string };
let village: { id: number; path: string };
let otherVillage: { id: number; path: string };

const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, cookie = admin) =>
  t.app.inject({ method, url: `/api/v1${url}`, payload: payload as object, headers: { cookie } });

async function areaByCode(code: string) {
  const [a] = await rows<{ id: number; path: string }>(db, sql`SELECT id, path FROM area WHERE code = ${code}`);
  return { id: Number(a!.id), path: a!.path };
}

async function outboxRow(id: number) {
  const [r] = await rows<{ status: string; attempts: number; next_attempt_at: Date; last_error: string | null; delivered_at: Date | null }>(
    db, sql`SELECT status, attempts, next_attempt_at, last_error, delivered_at FROM outbox WHERE id = ${id}`);
  return { ...r!, next_attempt_at: toDate(r!.next_attempt_at)!, delivered_at: toDate(r!.delivered_at) };
}

const tx = <T>(fn: (tx: Db) => Promise<T>) => db.transaction((x) => fn(x as unknown as Db));

/** Runs `fn` as a real server would: without the test-only allowance. */
async function withoutAllowance<T>(fn: () => Promise<T>): Promise<T> {
  delete process.env[ALLOW_PRIVATE_ENV];
  try {
    return await fn();
  } finally {
    process.env[ALLOW_PRIVATE_ENV] = '1';
  }
}

beforeAll(async () => {
  process.env[ALLOW_PRIVATE_ENV] = '1';
  server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => { data += c; });
    req.on('end', () => {
      const u = new URL(req.url!, 'http://x');
      let body: unknown = data;
      try { body = JSON.parse(data); } catch { /* kept as text */ }
      hits.push({ path: u.pathname, query: u.searchParams, headers: req.headers, body });
      const n = hits.filter((h) => h.path === u.pathname).length;
      const b = behaviour.get(u.pathname)?.(n) ?? { status: 404, body: 'no such hook' };
      res.writeHead(b.status, { 'content-type': 'application/json' }).end(b.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  t = await buildTestApp();
  db = t.database.db;
  await initTown(db, '370321107', { id: null, name: 'test' });
  admin = await login(t.app, 'admin', ADMIN_PASSWORD);
  adminId = Number((await api('GET', '/me')).json().id);
  town = await areaByCode('370321107');
  village = await areaByCode('370321107201');
  otherVillage = await areaByCode('370321107202');
});
afterAll(async () => {
  delete process.env[ALLOW_PRIVATE_ENV];
  await t.close();
  await new Promise((r) => server.close(r));
});
// Each test's webhooks stop matching once it is done, so later tests see only their own.
afterEach(async () => { await db.execute(sql`UPDATE webhook SET active = false`); });

async function createHook(body: Record<string, unknown>, cookie = admin) {
  const res = await api('POST', '/webhooks', body, cookie);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; url: string; hasSecret: boolean; active: boolean };
}

describe('notify() in the caller transaction', () => {
  it('one notification per distinct user; one outbox row per active webhook subscribed to the kind whose area holds the event', async () => {
    const global = await createHook({ name: '全镇', url: `${base}/a`, format: 'json', events: ['case.reported'] });
    const inVillage = await createHook({ name: '本村', url: `${base}/b`, format: 'json', areaId: village.id, events: ['case.reported', 'case.closed'] });
    const inTown = await createHook({ name: '本镇', url: `${base}/c`, format: 'wecom', areaId: town.id, events: ['case.reported'] });
    await createHook({ name: '别村', url: `${base}/d`, format: 'json', areaId: otherVillage.id, events: ['case.reported'] });
    await createHook({ name: '别的事件', url: `${base}/e`, format: 'json', events: ['case.overdue'] });
    const off = await createHook({ name: '停用', url: `${base}/f`, format: 'json', events: ['case.reported'], active: false });
    expect(off.active).toBe(false);

    const r = await tx((x) => notify(x, { userIds: [adminId, adminId], kind: 'case.reported', caseId: 1, title: '新案件', body: '垃圾', areaPath: `${village.path}` }));
    expect(r.notifications).toBe(1);
    const targets = await rows<{ webhook_id: number; event: string; payload: { title: string; areaPath: string } }>(db,
      sql`SELECT webhook_id, event, payload FROM outbox WHERE id IN (${sql.join(r.outbox.map((id) => sql`${id}`), sql`, `)}) ORDER BY webhook_id`);
    expect(targets.map((x) => Number(x.webhook_id))).toEqual([global.id, inVillage.id, inTown.id]);
    expect(targets[0]!.payload).toMatchObject({ title: '新案件', areaPath: village.path });
  });

  it('nothing stays behind when the caller rolls back', async () => {
    await createHook({ name: '回滚', url: `${base}/rb`, format: 'json', events: ['case.closed'] });
    const before = await rows(db, sql`SELECT (SELECT count(*) FROM outbox) AS o, (SELECT count(*) FROM notification) AS n`);
    await expect(tx(async (x) => {
      await notify(x, { userIds: [adminId], kind: 'case.closed', title: '结案', areaPath: village.path });
      throw new Error('the case change failed');
    })).rejects.toThrow('the case change failed');
    expect(await rows(db, sql`SELECT (SELECT count(*) FROM outbox) AS o, (SELECT count(*) FROM notification) AS n`)).toEqual(before);
  });
});

describe('delivery', () => {
  it('fails twice (HTTP 500, then errcode 310000) and then succeeds: delivered after 3 attempts, waits growing', async () => {
    behaviour.set('/flaky', (n) => n === 1 ? { status: 500, body: 'upstream down' }
      : n === 2 ? { status: 200, body: '{"errcode":310000,"errmsg":"sign not match"}' }
        : { status: 200, body: '{"errcode":0,"errmsg":"ok"}' });
    const hook = await createHook({ name: '钉钉', url: `${base}/flaky?access_token=tok`, format: 'dingtalk', secret: 'SECtest123', events: ['case.overdue'] });
    const { outbox: [id] } = await tx((x) => notify(x, { userIds: [], kind: 'case.overdue', caseId: 7, title: '已超期', areaPath: village.path }));
    expect(hook.hasSecret).toBe(true);

    let now = new Date('2030-01-01T00:00:00Z');
    const waits: number[] = [];
    expect(await deliverDue(db, now)).toMatchObject({ claimed: 1, retrying: 1 });
    let row = await outboxRow(id!);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: 'HTTP 500' });
    waits.push(row.next_attempt_at.getTime() - now.getTime());
    expect((await deliverDue(db, now)).claimed).toBe(0); // not due yet

    now = row.next_attempt_at;
    expect(await deliverDue(db, now)).toMatchObject({ claimed: 1, retrying: 1 });
    row = await outboxRow(id!);
    expect(row).toMatchObject({ status: 'pending', attempts: 2, last_error: 'errcode 310000：安全设置校验未通过：关键词、加签或 IP (security check failed)' });
    waits.push(row.next_attempt_at.getTime() - now.getTime());

    now = row.next_attempt_at;
    expect(await deliverDue(db, now)).toMatchObject({ claimed: 1, delivered: 1 });
    row = await outboxRow(id!);
    expect(row).toMatchObject({ status: 'delivered', attempts: 3, last_error: null });
    expect(row.delivered_at).toEqual(now);

    expect(waits[0]).toBeGreaterThanOrEqual(30_000);
    expect(waits[1]).toBeGreaterThan(waits[0]!);
    const sent = hits.filter((h) => h.path === '/flaky');
    expect(sent).toHaveLength(3);
    for (const h of sent) {
      expect(h.query.get('access_token')).toBe('tok');
      expect(h.query.get('sign')).toBe(dingtalkSign('SECtest123', Number(h.query.get('timestamp'))));
      expect(h.body).toMatchObject({ msgtype: 'markdown', markdown: { title: '【网格】已超期' } });
    }
    expect((await deliverDue(db, new Date('2031-01-01'))).claimed).toBe(0); // delivered is final
  });

  it('a robot that always fails: dead after the limit, kept, and an administrator can retry it', async () => {
    let up = false;
    behaviour.set('/down', () => up ? { status: 200, body: '{"errcode":0}' } : { status: 200, body: '{"errcode":93000,"errmsg":"invalid webhook url"}' });
    await createHook({ name: '企业微信', url: `${base}/down?key=k`, format: 'wecom', events: ['case.rework'] });
    const { outbox: [id] } = await tx((x) => notify(x, { userIds: [], kind: 'case.rework', title: '返工', areaPath: village.path }));
    let now = new Date('2030-02-01T00:00:00Z');
    let last = 0;
    for (let i = 1; i <= MAX_ATTEMPTS; i++) {
      const r = await deliverDue(db, now);
      expect(r.claimed).toBe(1);
      const row = await outboxRow(id!);
      expect(row.attempts).toBe(i);
      if (i < MAX_ATTEMPTS) {
        expect(row.status).toBe('pending');
        const wait = row.next_attempt_at.getTime() - now.getTime();
        expect(wait).toBeGreaterThanOrEqual(Math.min(last, 3600_000)); // never shorter, capped at an hour (+jitter)
        expect(wait).toBeLessThanOrEqual(3600_000 * 1.1);
        last = wait;
        now = row.next_attempt_at;
      } else {
        expect(r.dead).toBe(1);
        expect(row.status).toBe('dead');
        expect(row.last_error).toBe('errcode 93000：机器人地址无效或已被移除 (invalid webhook url)');
      }
    }
    expect((await deliverDue(db, new Date('2035-01-01'))).claimed).toBe(0); // dead rows are not sent
    const list = (await api('GET', '/outbox?status=dead')).json().items;
    expect(list.map((o: { id: number }) => o.id)).toContain(id);

    up = true;
    const retry = await api('POST', `/outbox/${id}/retry`);
    expect(retry.statusCode, retry.body).toBe(200);
    expect(retry.json()).toMatchObject({ id, status: 'pending', attempts: 0 });
    const audit = await rows<{ action: string }>(db, sql`SELECT action FROM audit_log WHERE entity = 'outbox' AND entity_id = ${String(id)}`);
    expect(audit.map((a) => a.action)).toEqual(['outbox.retry']);
    expect(await deliverDue(db, new Date(Date.now() + 1000))).toMatchObject({ delivered: 1 });
    expect((await outboxRow(id!)).status).toBe('delivered');
    const again = await api('POST', `/outbox/${id}/retry`);
    expect(again.statusCode).toBe(409);
    expect((await api('POST', '/outbox/999999/retry')).statusCode).toBe(404);
  });

  it('two workers at once never send one row twice', async () => {
    behaviour.set('/many', () => ({ status: 204, body: '' }));
    await createHook({ name: '批量', url: `${base}/many`, format: 'json', events: ['case.dispatched'] });
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) {
      ids.push(...(await tx((x) => notify(x, { userIds: [], kind: 'case.dispatched', caseId: i + 1, title: `派遣 ${i}`, areaPath: village.path }))).outbox);
    }
    const now = new Date('2030-03-01T00:00:00Z');
    const results = await Promise.all([deliverDue(db, now, 20), deliverDue(db, now, 20), deliverDue(db, now, 20)]);
    expect(results.reduce((s, r) => s + r.delivered, 0)).toBe(30);
    const sent = hits.filter((h) => h.path === '/many').map((h) => Number(h.headers['x-wangge-delivery']));
    expect(sent.sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    expect((await rows(db, sql`SELECT DISTINCT status FROM outbox WHERE webhook_id = (SELECT webhook_id FROM outbox WHERE id = ${ids[0]!})`)))
      .toEqual([{ status: 'delivered' }]);
  });

  it('a worker that dies after claiming: the row comes back after the lease and is delivered, not lost', async () => {
    behaviour.set('/later', () => ({ status: 200, body: 'ok' }));
    await createHook({ name: '崩溃', url: `${base}/later`, format: 'json', events: ['case.request'] });
    const { outbox: [id] } = await tx((x) => notify(x, { userIds: [], kind: 'case.request', title: '延期申请', areaPath: village.path }));
    const now = new Date('2030-04-01T00:00:00Z');
    const claimed = await claimDue(db, now, 10, new Date(now.getTime() + CLAIM_LEASE_MS)); // …and the worker is killed here
    expect(claimed.map((c) => c.id)).toEqual([id]);
    expect((await deliverDue(db, now)).claimed).toBe(0); // held by the dead worker's lease
    expect((await deliverDue(db, new Date(now.getTime() + CLAIM_LEASE_MS))).delivered).toBe(1);
    expect(await outboxRow(id!)).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('a refused connection and a timeout are failures with a reason, not crashes', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    behaviour.set('/slow', () => ({ status: 200, body: '' }));
    const slow = http.createServer(() => { /* never answers */ });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    await createHook({ name: '拒绝', url: `http://127.0.0.1:${port}/x`, format: 'json', events: ['bulletin.issued'] });
    await createHook({ name: '无应答', url: `http://127.0.0.1:${(slow.address() as AddressInfo).port}/x`, format: 'json', events: ['bulletin.issued'] });
    const { outbox } = await tx((x) => notify(x, { userIds: [], kind: 'bulletin.issued', title: '通报', areaPath: town.path }));
    const r = await deliverDue(db, new Date('2030-05-01T00:00:00Z'), 10, { timeoutMs: 300 });
    expect(r).toMatchObject({ claimed: 2, retrying: 2 });
    const errors = await Promise.all(outbox.map(async (id) => (await outboxRow(id)).last_error));
    expect(errors[0]).toContain('ECONNREFUSED');
    expect(errors[1]).toContain('超时');
    slow.closeAllConnections();
    await new Promise((res) => slow.close(res));
  });
});

describe('outbound: robots only at their official hosts, nothing to the local network, no answer kept (issue 12)', () => {
  const resolvesTo = (address: string): NonNullable<PostOptions['resolve']> => (_n, _o, cb) => cb(null, [{ address, family: address.includes(':') ? 6 : 4 }]);
  const sentTo = (path: string) => hits.filter((h) => h.path === path).length;
  const port = () => new URL(base).port;

  it('refuses at create and at edit: robots off their official https address, JSON to loopback, private or local names', async () => {
    await withoutAllowance(async () => {
      const cases: [string, string][] = [
        ['wecom', `${base}/r?key=k`], ['wecom', 'http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k'],
        ['wecom', 'https://qyapi.weixin.qq.com.evil.cn/cgi-bin/webhook/send?key=k'], ['wecom', 'https://qyapi.weixin.qq.com:8443/cgi-bin/webhook/send?key=k'],
        ['wecom', 'https://u:p@qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k'], ['dingtalk', 'https://evil.cn/robot/send?access_token=t'],
        ['dingtalk', `${base}/d?access_token=t`],
        ['json', `${base}/j`], ['json', `http://10.1.2.3:${port()}/j`], ['json', `http://[::1]:${port()}/j`], ['json', `http://localhost:${port()}/j`],
        ['json', `http://[::ffff:127.0.0.1]:${port()}/j`], ['json', 'http://169.254.169.254/latest/meta-data/'], ['json', 'http://192.168.1.1:8080/'],
        ['json', 'http://intranet:8080/'], ['json', 'http://example.com:25/'],
      ];
      for (const [format, url] of cases) {
        const res = await api('POST', '/webhooks', { name: 'x', url, format, events: ['case.closed'] });
        expect(res.statusCode, `${format} ${url}`).toBe(400);
        expect(res.json().error.details[0].field).toBe('url');
        expect(res.json().error.message, url).toMatch(/^[^\x00-\x7F].*\(.*[a-z].*\)$/); // Chinese first, English in parentheses
      }
      const robot = await createHook({ name: '官方', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc', format: 'wecom', events: ['case.closed'] });
      const json = await createHook({ name: '外部', url: 'https://example.com/hook', format: 'json', events: ['case.closed'] });
      for (const [id, body] of [
        [robot.id, { url: 'https://evil.cn/cgi-bin/webhook/send?key=abc' }], [json.id, { url: `http://127.0.0.1:${port()}/j` }],
        [json.id, { url: 'http://[fd00::1]/' }], [json.id, { format: 'wecom' }], [robot.id, { format: 'dingtalk' }],
      ] as const) {
        const res = await api('PATCH', `/webhooks/${id}`, body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        expect(res.json().error.details[0].field).toBe('url');
      }
      expect((await api('PATCH', `/webhooks/${json.id}`, { url: 'https://hooks.example.cn:8443/x' })).statusCode).toBe(200);
      expect((await api('PATCH', `/webhooks/${robot.id}`, { url: 'https://oapi.dingtalk.com/robot/send?access_token=t', format: 'dingtalk' })).statusCode).toBe(200);
      // a switched-off webhook saved before these rules: renamed freely, switched on only with a good address
      const [old] = await rows<{ id: number }>(db, sql`INSERT INTO webhook (name, url, format, events, active)
        VALUES ('旧的', ${`${base}/old`}, 'json', '["case.closed"]'::jsonb, false) RETURNING id`);
      expect((await api('PATCH', `/webhooks/${old!.id}`, { name: '旧的，停用' })).statusCode).toBe(200);
      expect((await api('PATCH', `/webhooks/${old!.id}`, { active: true })).statusCode).toBe(400);
      expect((await api('PATCH', `/webhooks/${old!.id}`, { active: true, url: 'https://example.com/new' })).statusCode).toBe(200);
    });
    expect(hits.filter((h) => ['/r', '/d', '/j'].includes(h.path))).toEqual([]);
  });

  it('refuses at delivery what slipped past (saved before these rules, or a name that now resolves to 127.0.0.1): the listener receives nothing', async () => {
    behaviour.set('/inside', () => ({ status: 200, body: '{"errcode":0}' }));
    const p = port();
    const urls: [string, string][] = [
      ['json', `http://127.0.0.1:${p}/inside`], ['json', `http://[::1]:${p}/inside`], ['json', `http://localhost:${p}/inside`],
      ['json', `http://10.0.0.1:${p}/inside`], ['json', `http://[::ffff:7f00:1]:${p}/inside`], ['wecom', `http://127.0.0.1:${p}/inside?key=k`],
    ];
    for (const [format, url] of urls) {
      await db.execute(sql`INSERT INTO webhook (name, url, format, events, active) VALUES ('旧的', ${url}, ${format}, '["case.due_soon"]'::jsonb, true)`);
    }
    // a name that looked public when saved, and resolves to this machine when sent
    const rebind = await withoutAllowance(() => createHook({ name: '重绑定', url: `http://rebind.example.com:${p}/inside`, format: 'json', events: ['case.due_soon'] }));
    const { outbox } = await tx((x) => notify(x, { userIds: [], kind: 'case.due_soon', title: '即将到期', areaPath: village.path }));
    expect(outbox).toHaveLength(urls.length + 1);

    const now = new Date('2032-01-01T00:00:00Z');
    const r = await deliverDue(db, now, 50, { allowPrivate: false, resolve: resolvesTo('127.0.0.1'), timeoutMs: 2000 });
    expect(r).toMatchObject({ claimed: outbox.length, delivered: 0, retrying: outbox.length });
    expect(sentTo('/inside')).toBe(0);
    const errors = await Promise.all(outbox.map(async (id) => (await outboxRow(id)).last_error));
    expect(errors[5]).toMatch(/^地址不符合规则，未发送.*\(url not allowed; not sent\): 企业微信群机器人地址须以 https:\/\/ 开头/);
    expect([...errors.slice(0, 5), errors[6]]).toEqual(Array(6).fill(REFUSED_PRIVATE));
    expect(REFUSED_PRIVATE).toBe('连接被拒绝：目标地址是内网地址 (refused: private address)');

    // the same rebinding name with the test-only allowance reaches the listener
    const later = (await outboxRow(outbox[6]!)).next_attempt_at;
    await db.execute(sql`UPDATE webhook SET active = (id = ${rebind.id}) WHERE active`);
    expect(await deliverDue(db, later, 50, { allowPrivate: true, resolve: resolvesTo('127.0.0.1') })).toMatchObject({ claimed: 1, delivered: 1 });
    expect(sentTo('/inside')).toBe(1);
  });

  it('the outbox keeps a status and a fixed message, never the answer: GET /outbox shows nothing of it', async () => {
    behaviour.set('/leaky', () => ({ status: 500, body: '<html>INTERNAL-SECRET-PAGE 10.0.0.7 root:x:0:0</html>' }));
    behaviour.set('/leaky-robot', () => ({ status: 200, body: '{"errcode":45009,"errmsg":"LEAKY-ERRMSG from the inside"}' }));
    behaviour.set('/leaky-html', () => ({ status: 200, body: '<html>LEAKY-HTML-BODY</html>' }));
    behaviour.set('/moved', () => ({ status: 302, body: 'LEAKY-REDIRECT-BODY' }));
    const hooks = [
      await createHook({ name: '泄露1', url: `${base}/leaky`, format: 'json', events: ['case.closed'] }),
      await createHook({ name: '泄露2', url: `${base}/leaky-robot?key=k`, format: 'wecom', events: ['case.closed'] }),
      await createHook({ name: '泄露3', url: `${base}/leaky-html?access_token=t`, format: 'dingtalk', events: ['case.closed'] }),
      await createHook({ name: '泄露4', url: `${base}/moved`, format: 'json', events: ['case.closed'] }),
    ];
    const { outbox } = await tx((x) => notify(x, { userIds: [], kind: 'case.closed', title: '结案', areaPath: village.path }));
    expect(await deliverDue(db, new Date('2033-01-01T00:00:00Z'))).toMatchObject({ claimed: 4, retrying: 4 });
    const list = (await api('GET', '/outbox?limit=20')).json().items as { id: number; webhookId: number; lastError: string }[];
    const mine = outbox.map((id) => list.find((o) => o.id === id)!);
    expect(mine.map((o) => o.webhookId)).toEqual(hooks.map((h) => h.id));
    expect(mine.map((o) => o.lastError)).toEqual([
      'HTTP 500', 'errcode 45009：发送过于频繁 (rate limited)', '应答不是 JSON (answer is not JSON)', 'HTTP 302（不跟随跳转） (redirects are not followed)',
    ]);
    const text = JSON.stringify(list);
    for (const leak of ['INTERNAL-SECRET', '10.0.0.7', 'root:x', 'LEAKY']) expect(text).not.toContain(leak);
    const [stored] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM outbox WHERE last_error LIKE '%LEAKY%' OR last_error LIKE '%INTERNAL%'`);
    expect(Number(stored!.n)).toBe(0);
    expect(hits.filter((h) => h.path === '/moved')).toHaveLength(1); // the redirect was not followed
  });
});

describe('webhooks through the API', () => {
  it('refuses what is not an http(s) URL, an unknown format or event, and no events, naming the field', async () => {
    for (const [body, field] of [
      [{ name: 'x', url: 'ftp://example.com/hook', format: 'json', events: ['case.closed'] }, 'url'],
      [{ name: 'x', url: 'javascript:alert(1)', format: 'json', events: ['case.closed'] }, 'url'],
      [{ name: 'x', url: 'example.com/hook', format: 'json', events: ['case.closed'] }, 'url'],
      [{ name: 'x', url: 'https://example.com/hook', format: 'slack', events: ['case.closed'] }, 'format'],
      [{ name: 'x', url: 'https://example.com/hook', format: 'json', events: ['case.exploded'] }, 'events'],
      [{ name: 'x', url: 'https://example.com/hook', format: 'json', events: [] }, 'events'],
      [{ name: ' ', url: 'https://example.com/hook', format: 'json', events: ['case.closed'] }, 'name'],
      [{ name: 'x', url: 'https://example.com/hook', format: 'json', events: ['case.closed'], areaId: 99999999 }, 'areaId'],
    ] as const) {
      const res = await api('POST', '/webhooks', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.details[0].field).toBe(field);
      expect(res.json().error.message).toBeTruthy();
    }
    expect((await api('POST', '/webhooks', { name: 'x', url: 'https://example.com', format: 'json', events: 'case.closed' })).statusCode).toBe(400);
  });

  it('never shows or audits the secret or the URL key; edits and deletes are audited', async () => {
    const key = 'd5a1b2c3-secret-robot-key-0000';
    const secret = 'SECverysecretvalue000';
    const hook = await createHook({ name: '审计', url: `https://oapi.dingtalk.com/robot/send?access_token=${key}`, format: 'dingtalk', secret, events: ['case.closed'] });
    expect(JSON.stringify(hook)).not.toContain(key);
    expect(JSON.stringify(hook)).not.toContain(secret);
    expect(hook.url).toBe('https://oapi.dingtalk.com/robot/send?access_token=d5a1***');
    const patch = await api('PATCH', `/webhooks/${hook.id}`, { secret: 'SECanothersecret1111', name: '审计2' });
    expect(patch.statusCode, patch.body).toBe(200);
    expect(patch.json()).toMatchObject({ name: '审计2', hasSecret: true });
    expect((await api('PATCH', `/webhooks/${hook.id}`, { secret: null })).json().hasSecret).toBe(false);
    expect((await api('PATCH', `/webhooks/${hook.id}`, { url: 'file:///etc/passwd' })).statusCode).toBe(400);
    const list = (await api('GET', '/webhooks')).json();
    expect(JSON.stringify(list)).not.toContain(key);
    expect(list.events.map((e: { key: string }) => e.key)).toContain('case.overdue');
    expect(list.formats.map((f: { key: string }) => f.key)).toEqual(['wecom', 'dingtalk', 'json']);
    const del = await api('DELETE', `/webhooks/${hook.id}`);
    expect(del.json()).toMatchObject({ deleted: true });
    const audit = await rows<{ action: string; before: unknown; after: unknown }>(db,
      sql`SELECT action, before, after FROM audit_log WHERE entity = 'webhook' AND entity_id = ${String(hook.id)} ORDER BY id`);
    expect(audit.map((a) => a.action)).toEqual(['webhook.create', 'webhook.update', 'webhook.update', 'webhook.delete']);
    const text = JSON.stringify(audit);
    expect(text).not.toContain(key);
    expect(text).not.toContain('verysecret');
    expect(text).not.toContain('anothersecret');
    expect(audit[1]!.after).toEqual({ name: '审计2', secret: '***' });
    expect(audit[2]!.after).toEqual({ secret: null });
    expect((await api('GET', `/webhooks/${hook.id}`)).statusCode).toBe(404);
  });

  it('a webhook that has sent something is deactivated, not deleted; a test message is queued', async () => {
    behaviour.set('/t', () => ({ status: 200, body: '{"errcode":0}' }));
    const hook = await createHook({ name: '测试', url: `${base}/t?key=abc`, format: 'wecom', events: ['case.closed'] });
    const test = await api('POST', `/webhooks/${hook.id}/test`);
    expect(test.statusCode).toBe(202);
    const { outboxId } = test.json();
    expect(await deliverDue(db, new Date(Date.now() + 1000))).toMatchObject({ delivered: 1 });
    expect((await outboxRow(outboxId)).status).toBe('delivered');
    const h = hits.filter((x) => x.path === '/t').at(-1)!;
    expect((h.body as { markdown: { content: string } }).markdown.content).toContain('测试消息');
    const del = await api('DELETE', `/webhooks/${hook.id}`);
    expect(del.statusCode).toBe(200);
    expect(del.json()).toMatchObject({ deleted: false, active: false });
    expect((await api('GET', `/webhooks/${hook.id}`)).json()).toMatchObject({ active: false });
    expect((await api('POST', `/webhooks/${hook.id}/test`)).statusCode).toBe(409);
    expect((await api('DELETE', '/webhooks/99999999')).statusCode).toBe(404);
  });

  it('only a manager of the area: a town administrator for its town, not for everything; a grid worker not at all', async () => {
    const mk = async (username: string, roleKey: string, areaId: number) => {
      const res = await api('POST', '/users', { username, displayName: username, password: 'Initial-pass-1', roles: [{ roleKey, areaId }] });
      expect(res.statusCode, res.body).toBe(201);
      const first = await login(t.app, username, 'Initial-pass-1');
      const ch = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password', payload: { oldPassword: 'Initial-pass-1', newPassword: 'Changed-pass-2' }, headers: { cookie: first } });
      expect(ch.statusCode, ch.body).toBe(200);
      return login(t.app, username, 'Changed-pass-2');
    };
    const townAdmin = await mk('zhenadmin_n', 'town_admin', town.id);
    const worker = await mk('wgy_n', 'grid_worker', village.id);
    const mine = await createHook({ name: '镇里的', url: 'https://example.com/h', format: 'json', areaId: village.id, events: ['case.closed'] }, townAdmin);
    expect((await api('POST', '/webhooks', { name: '全局', url: 'https://example.com/h', format: 'json', events: ['case.closed'] }, townAdmin)).statusCode).toBe(403);
    const globalHook = await createHook({ name: '全局的', url: 'https://example.com/g', format: 'json', events: ['case.closed'] });
    const seen = (await api('GET', '/webhooks', undefined, townAdmin)).json().items.map((w: { id: number }) => w.id);
    expect(seen).toContain(mine.id);
    expect(seen).not.toContain(globalHook.id);
    expect((await api('PATCH', `/webhooks/${globalHook.id}`, { name: 'x' }, townAdmin)).statusCode).toBe(403);
    expect((await api('PATCH', `/webhooks/${mine.id}`, { areaId: null }, townAdmin)).statusCode).toBe(403);
    // a grid worker does not hold the duty to manage webhooks: refused
    expect((await api('GET', '/webhooks', undefined, worker)).statusCode).toBe(403);
    expect((await api('POST', '/webhooks', { name: 'x', url: 'https://example.com/h', format: 'json', areaId: village.id, events: ['case.closed'] }, worker)).statusCode).toBe(403);
    expect((await api('GET', '/outbox', undefined, worker)).statusCode).toBe(403);
  });
});

describe('bad input never makes a 5xx', () => {
  it('odd ids, queries and bodies on every notify route', async () => {
    const weird: unknown[] = ['', 'abc', -1, 0, 1.5, 99999999999999999999, '9223372036854775808', null, true, [], {}, 'x'.repeat(5000), '\u0000', '毛家村', "'; DROP TABLE outbox; --"];
    const hook = await createHook({ name: 'fuzz', url: 'https://example.com/f', format: 'json', events: ['case.closed'] });
    for (const v of weird) {
      const q = encodeURIComponent(String(v));
      const calls: [string, string, unknown?][] = [
        ['GET', `/notifications?unread=${q}&limit=${q}&before=${q}`],
        ['POST', `/notifications/${q}/read`],
        ['GET', `/webhooks/${q}`],
        ['GET', `/outbox?status=${q}&limit=${q}&webhookId=${q}&before=${q}`],
        ['POST', `/outbox/${q}/retry`],
        ['POST', `/webhooks/${q}/test`],
        ['DELETE', `/webhooks/${q}`],
        ['POST', '/webhooks', { name: v, url: v, format: v, secret: v, areaId: v, events: [v] }],
        ['POST', '/webhooks', { name: 'x', url: `https://example.com/${String(v)}`, format: 'json', events: ['case.closed'], areaId: v }],
        ['PATCH', `/webhooks/${hook.id}`, { name: v, url: v, format: v, secret: v, areaId: v, events: v, active: v }],
        ['PATCH', `/webhooks/${hook.id}`, { events: [v], areaId: v }],
      ];
      for (const [method, url, body] of calls) {
        const res = await api(method as 'GET', url, body);
        expect(res.statusCode, `${method} ${url} ${JSON.stringify(body)?.slice(0, 80)} → ${res.body.slice(0, 200)}`).toBeLessThan(500);
      }
    }
  });
});

describe('my notifications through the API', () => {
  it('lists mine newest first with an unread count; reads one and then all; another user’s is not found', async () => {
    await db.execute(sql`UPDATE notification SET read_at = now() WHERE user_id = ${adminId}`);
    for (const i of [1, 2, 3]) await tx((x) => notify(x, { userIds: [adminId], kind: 'case.dispatched', caseId: 100 + i, title: `派遣给您 ${i}`, areaPath: village.path }));
    const list = await api('GET', '/notifications?unread=true');
    expect(list.statusCode).toBe(200);
    expect(list.json().unread).toBe(3);
    expect(list.json().items.map((n: { title: string }) => n.title)).toEqual(['派遣给您 3', '派遣给您 2', '派遣给您 1']);
    const [third, second] = list.json().items;
    expect(third).toMatchObject({ kind: 'case.dispatched', caseId: 103, readAt: null });

    const page = (await api('GET', `/notifications?limit=1&before=${third.id}`)).json();
    expect(page.items.map((n: { id: number }) => n.id)).toEqual([second.id]);
    expect(page.nextBefore).toBe(second.id);

    const read = await api('POST', `/notifications/${second.id}/read`);
    expect(read.statusCode).toBe(200);
    expect(read.json().readAt).toBeTruthy();
    expect((await api('GET', '/notifications')).json().unread).toBe(2);
    expect((await api('GET', '/notifications?unread=true')).json().items.map((n: { id: number }) => n.id)).not.toContain(second.id);

    const other = Number((await api('POST', '/users', { username: 'someone_n', displayName: '别人', roles: [{ roleKey: 'grid_worker', areaId: village.id }] })).json().id);
    const { notifications } = await tx((x) => notify(x, { userIds: [other], kind: 'case.closed', title: '别人的', areaPath: village.path }));
    expect(notifications).toBe(1);
    const [theirs] = await rows<{ id: number }>(db, sql`SELECT id FROM notification WHERE user_id = ${other}`);
    expect((await api('POST', `/notifications/${theirs!.id}/read`)).statusCode).toBe(404);

    const all = await api('POST', '/notifications/read-all');
    expect(all.json()).toEqual({ updated: 2 });
    expect((await api('GET', '/notifications')).json().unread).toBe(0);
    expect((await api('GET', '/notifications?limit=0')).statusCode).toBe(400);
    expect((await api('GET', '/notifications?before=abc')).statusCode).toBe(400);
    expect((await api('POST', '/notifications/abc/read')).statusCode).toBe(400);
  });
});
