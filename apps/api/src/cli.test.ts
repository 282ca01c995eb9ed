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
  it('an unknown town code exits non-zero with a message', async () => {
    const err = await wangge('init', '--town', '999999999').catch((e) => e);
    expect(err.code).toBe(1);
    expect(err.stderr).toMatch(/UNKNOWN_TOWN/);
  });
  it('audit verify reports an intact chain', async () => {
    const { stdout } = await wangge('audit', 'verify');
    expect(stdout).toMatch(/审计链完好：\d+ 条记录/);
  });
});
