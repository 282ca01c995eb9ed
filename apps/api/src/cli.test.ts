// The command line as outside checks use it: init a town, stats --json, audit verify.
// Always on a temporary embedded database (never the DATABASE_URL of the run).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './lib/paths.js';

const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wangge-cli-'));
const env: NodeJS.ProcessEnv = { ...process.env, WANGGE_DATA_DIR: dir, WANGGE_ADMIN_PASSWORD: 'Cli-pass-123' };
delete env.DATABASE_URL;
const wangge = (...args: string[]) => run(process.execPath, [path.join(PROJECT_ROOT, 'bin/wangge.mjs'), ...args], { env, cwd: PROJECT_ROOT });

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('npx wangge', () => {
  it('init --town sets up only that town and the administrator; stats --json prints one object', async () => {
    const init = await wangge('init', '--town', '370321107');
    expect(init.stdout).toContain('新城镇');
    const { stdout } = await wangge('stats', '--json');
    const s = JSON.parse(stdout);
    expect(s.areas).toMatchObject({ town: 1, district: 0, village: 40, grid: 0, micro_grid: 0 });
    expect(s.users).toBe(1);
    expect(s.cases).toEqual({ open: 0, overdue: 0, closed: 0 });
    expect(s.tasks).toEqual({ due: expect.any(Number), done: 0, late: expect.any(Number) });
    expect(s.scores).toEqual({ periods: 0 });
    expect(s.reports).toEqual({ public: 0 });
  });
  it('init --town made no demo data: demo remove has nothing to do and exits 0', async () => {
    const { stdout } = await wangge('demo', 'remove', '--yes');
    expect(stdout).toContain('no demo data: nothing to remove');
  });
  it('an unknown town code exits non-zero with a message', async () => {
    const err = await wangge('init', '--town', '999999999').catch((e) => e);
    expect(err.code).toBe(1);
    expect(err.stderr).toMatch(/UNKNOWN_TOWN/);
  });
  it('audit verify reports an intact chain', async () => {
    const { stdout } = await wangge('audit', 'verify');
    expect(stdout).toMatch(/审计链完好：\d+ 条记录/);
  });
  it('the audit key is made once in the data dir (0600); anchor prints the head, verify --anchor checks it', async () => {
    const key = path.join(dir, 'audit.key');
    expect(fs.statSync(key).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(key, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    const { stdout } = await wangge('audit', 'anchor');
    const head = JSON.parse(stdout.trim()) as { id: number; hash: string; mac: string; at: string };
    expect(head).toMatchObject({ id: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/), mac: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await wangge('audit', 'verify', '--anchor', stdout.trim())).stdout).toMatch(/锚点第 \d+ 条相符/);
    const err = await wangge('audit', 'verify', '--anchor', `${head.id}:${'0'.repeat(64)}`).catch((e) => e);
    expect(err.code).toBe(2);
    expect(err.stderr).toMatch(/锚点不符/);
  });
  it('user recover gives the administrator back their access: a new password shown once, audited; an unknown name exits 1', async () => {
    const { stdout } = await wangge('user', 'recover', 'admin');
    const pw = /须修改，并重新设置动态验证码）: (\S+)/.exec(stdout)?.[1];
    expect(pw).toMatch(/^[A-Za-z0-9_-]{12}a1$/);
    expect(pw).not.toBe('Cli-pass-123');
    const verify = await wangge('audit', 'verify');
    expect(verify.stdout).toMatch(/intact|完好|ok/i);
    const err = await wangge('user', 'recover', 'nobody-here').catch((e) => e);
    expect(err.code).toBe(1);
    expect(err.stderr).toContain('nobody-here');
  });
});
