// start.embedded: seconds from starting the server to the first 200 on /api/health, on an empty
// embedded (PGlite) database (it sets up the demo town) and then on the existing one.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { log, round, type BenchResult } from './util.js';

const ROOT = path.resolve(import.meta.dirname, '..');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

async function healthy(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

/** Stops a child we started, by its pid: SIGTERM, then SIGKILL after 10 s. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid!, 'SIGTERM');
  const timer = setTimeout(() => { if (child.exitCode === null) process.kill(child.pid!, 'SIGKILL'); }, 10_000);
  await exited;
  clearTimeout(timer);
}

/** Starts the server on dataDir and returns the seconds until /api/health answers 200. */
async function timeStart(dataDir: string, timeoutMs = 180_000): Promise<number> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', WANGGE_DATA_DIR: dataDir,
    WANGGE_ADMIN_PASSWORD: 'Bench-pass-1', LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  const t0 = performance.now();
  // What `npm start` runs (the builds are made up to date before timing, see startEmbedded).
  const child = spawn(process.execPath, ['scripts/start.mjs'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (b: Buffer) => { output = (output + b.toString()).slice(-4000); };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  try {
    while (performance.now() - t0 < timeoutMs) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
      if (await healthy(port)) return (performance.now() - t0) / 1000;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`no 200 from /api/health within ${timeoutMs / 1000} s:\n${output}`);
  } finally {
    await stop(child);
  }
}

export async function benchStart(restarts = 3): Promise<BenchResult[]> {
  const built = spawnSync(process.execPath, ['scripts/start.mjs', '--build-only'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (built.status !== 0) throw new Error('building the web app and the server failed');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wangge-bench-'));
  try {
    const empty = await timeStart(dir);
    log(`start.embedded.empty: ${round(empty)} s`);
    const existing: number[] = [];
    for (let i = 0; i < restarts; i++) existing.push(await timeStart(dir));
    log(`start.embedded.existing: ${existing.map((s) => round(s)).join(', ')} s`);
    const sorted = [...existing].sort((a, b) => a - b);
    const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
    return [
      { name: 'start.embedded.empty', value: round(empty, 3), unit: 's', baseline: null, ratio: null },
      { name: 'start.embedded.existing', value: round(median, 3), unit: 's', baseline: null, ratio: null,
        runs: existing.map((s) => round(s, 3)), max: round(sorted[sorted.length - 1]!, 3), goal: 3 },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
