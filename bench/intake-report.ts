// intake.report.postgres: residents' reports through the public intake (随手拍), POST /api/public/reports,
// each with a 1 MB phone-like photo (EXIF capture time and GPS inside the demo town), at 16 connections kept
// busy by a closed-loop HTTP client in a worker thread; the real app (buildApp, listening on 127.0.0.1, the
// API's pool of 10) on a scratch PostgreSQL database with the demo town (setupDemo: its micro-grid
// boundaries place every report). Per request the server reads the photo (type, EXIF, display copy ≤ 2048 px,
// 320 px thumbnail, perceptual hash, sha-256), writes both files (fsync, rename), places the point and writes
// the case, its step, the photo row, the report, a notification and the audit entry in one transaction.
// Baseline: the same requests over 1 connection, one after another, in the same run.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { performance as perfHooks } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import type { FastifyInstance } from 'fastify';
import { migrateDatabase, openPostgres, rows, sql, type Database, type Db } from '../apps/api/src/db/client.js';
import { buildApp } from '../apps/api/src/app.js';
import { loginOverHttp } from '../apps/api/test/second-factor.js';
import { loadConfig } from '../apps/api/src/config/index.js';
import { ensureAdmin } from '../apps/api/src/modules/people/bootstrap.js';
import { DEMO_TOWN, setupDemo } from '../apps/api/src/modules/demo/demo.js';
import { scene } from '../apps/api/src/modules/evidence/evidence.fixtures.js';
import { inspectImage } from '../apps/api/src/modules/evidence/image.js';
import { buildPlacementIndex, polygonsOf } from '../apps/api/src/modules/intake/placement.rules.js';
import { log, rateRatio, round, scratchDatabase, summary, type BenchResult } from './util.js';

export const INTAKE_REPORT_BENCHMARKS = ['intake.report.postgres'];

export const CONNECTIONS = 16;
const WARMUP_MS = 3_000;
/** The measured window of each run (16 connections, then 1); WANGGE_BENCH_INTAKE_SECONDS to change. */
const DURATION_MS = (Number(process.env.WANGGE_BENCH_INTAKE_SECONDS) || 20) * 1000;
const ADMIN_PASSWORD = 'Bench-pass-1';
/** Distinct pictures (each used many times; every request's bytes still differ by its EXIF). */
const PICTURES = 16;
const WIDTH = 2400;
const HEIGHT = 1800;
const TARGET_BYTES = 1024 * 1024;
const DESCRIPTIONS = ['路口有一堆生活垃圾没人清理', '门前堆放砖块木料占道', '排水沟里漂着垃圾', '主街路灯不亮', '垃圾桶满了没人清运',
  '墙上贴满小广告', '路面塌了一个坑', '柴草垛堆在路边'];

// ------------------------------------------------------------------ the photos

/** A small seeded generator (LCG), so the pictures are the same in every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32; };
}

/**
 * The fixtures' scene at 2400×1800 with uneven light and sensor-like grain, as raw RGB: a flat drawing
 * compresses to ~100 KB, a phone photo of a street does not.
 */
async function noisyScene(variant: number): Promise<Buffer> {
  const { data } = await scene(variant, WIDTH, HEIGHT).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const r = lcg(variant * 7919 + 1);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const light = 18 * Math.sin((x + variant * 97) / 310) * Math.cos((y - variant * 53) / 270);
      const n = (r() + r() + r() - 1.5) * 40;
      const i = (y * WIDTH + x) * 3;
      for (let c = 0; c < 3; c++) data[i + c] = Math.max(0, Math.min(255, data[i + c]! + light + n + (c - 1) * n * 0.3));
    }
  }
  return data;
}

const encode = (raw: Buffer, quality: number) => sharp(raw, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } }).jpeg({ quality }).toBuffer();

/** The JPEG quality (40–95) whose file is nearest to 1 MiB, by bisection on the first picture. */
async function tuneQuality(raw: Buffer): Promise<number> {
  let lo = 40; let hi = 95;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if ((await encode(raw, mid)).length <= TARGET_BYTES) lo = mid; else hi = mid;
  }
  const [a, b] = [await encode(raw, lo), await encode(raw, hi)];
  return Math.abs(a.length - TARGET_BYTES) <= Math.abs(b.length - TARGET_BYTES) ? lo : hi;
}

/** The JPEG after its start marker and JFIF segment: the client puts SOI + its own EXIF (APP1) before it. */
function bodyAfterHeader(jpg: Buffer): Buffer {
  if (jpg[0] !== 0xff || jpg[1] !== 0xd8) throw new Error('not a JPEG');
  let at = 2;
  while (jpg[at] === 0xff && (jpg[at + 1] === 0xe0 || jpg[at + 1] === 0xe1)) at += 2 + jpg.readUInt16BE(at + 2);
  return jpg.subarray(at);
}

async function pictures(): Promise<{ bodies: Buffer[]; quality: number; bytes: number[] }> {
  const first = await noisyScene(0);
  const quality = await tuneQuality(first);
  const bodies: Buffer[] = [];
  const bytes: number[] = [];
  for (let v = 0; v < PICTURES; v++) {
    const jpg = await encode(v === 0 ? first : await noisyScene(v), quality);
    bytes.push(jpg.length);
    bodies.push(bodyAfterHeader(jpg));
  }
  return { bodies, quality, bytes };
}

// ------------------------------------------------------------------ the HTTP load generator

/**
 * A closed-loop client in a worker thread (its own event loop): `connections` loops, each a resident with a
 * keep-alive socket from its own loopback address (127.0.0.2, .3, …: the intake's limits and its lock are
 * per address, and 16 residents are 16 addresses) and its own phone number, one request in flight. Every
 * request: a new clientId, a category in turn, a point inside a micro-grid in turn, and a photo whose EXIF
 * (written here with piexifjs: capture time two minutes ago in China time, GPS a few metres from the
 * point, a unique image id) is put before one of the prepared pictures — so every upload's sha-256 differs.
 * Latencies count for requests that complete in the measured window; every answer other than 201 is an error.
 */
const CLIENT = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { randomUUID } = require('node:crypto');
const { port, connections, warmupMs, durationMs, points, categories, descriptions, bodies, piexifPath, firstAddress, run } = workerData;
const piexif = require(piexifPath);
const pad = (n, w = 2) => String(n).padStart(w, '0');
function exifTime(ms) {
  const d = new Date(ms + 8 * 3600_000); // China time, as a phone there writes it
  return d.getUTCFullYear() + ':' + pad(d.getUTCMonth() + 1) + ':' + pad(d.getUTCDate()) + ' ' + pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()) + ':' + pad(d.getUTCSeconds());
}
const dms = (v) => { const a = Math.abs(v); const d = Math.floor(a); const m = Math.floor((a - d) * 60); const s = Math.round(((a - d) * 60 - m) * 60 * 10000); return [[d, 1], [m, 1], [s, 10000]]; };
function photo(body, lat, lng, uid) {
  const exif = piexif.dump({
    '0th': { [piexif.ImageIFD.Make]: 'Bench', [piexif.ImageIFD.Model]: 'Phone' },
    Exif: { [piexif.ExifIFD.DateTimeOriginal]: exifTime(Date.now() - 120_000), [piexif.ExifIFD.ImageUniqueID]: uid },
    GPS: { [piexif.GPSIFD.GPSLatitudeRef]: 'N', [piexif.GPSIFD.GPSLatitude]: dms(lat), [piexif.GPSIFD.GPSLongitudeRef]: 'E', [piexif.GPSIFD.GPSLongitude]: dms(lng) },
  });
  const app1 = Buffer.from(exif, 'binary');
  const head = Buffer.alloc(6);
  head.writeUInt16BE(0xffd8, 0); head.writeUInt16BE(0xffe1, 2); head.writeUInt16BE(app1.length + 2, 4);
  return Buffer.concat([head, app1, body]);
}
function form(fields, file) {
  const boundary = '----wanggebench' + randomUUID().replace(/-/g, '');
  const parts = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from('--' + boundary + '\r\nContent-Disposition: form-data; name="' + k + '"\r\n\r\n' + v + '\r\n'));
  parts.push(Buffer.from('--' + boundary + '\r\nContent-Disposition: form-data; name="photo"; filename="IMG_0001.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'), file, Buffer.from('\r\n--' + boundary + '--\r\n'));
  return { body: Buffer.concat(parts), type: 'multipart/form-data; boundary=' + boundary };
}
function send(agent, localAddress, f) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.request({ host: '127.0.0.1', port, path: '/api/public/reports', method: 'POST', agent, localAddress,
      headers: { 'content-type': f.type, 'content-length': f.body.length } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { if (text.length < 2000) text += c; });
      res.on('end', () => resolve({ status: res.statusCode, t0, t1: performance.now(), text }));
    });
    req.on('error', (e) => resolve({ status: 0, t0, t1: performance.now(), text: e.message }));
    req.end(f.body);
  });
}
async function main() {
  const start = performance.now();
  const warmEnd = start + warmupMs;
  const end = warmEnd + durationMs;
  const out = { ok: 0, created: 0, errors: 0, firstError: null, latencies: [], queued: 0, uploadBytes: 0 };
  const loop = async (i) => {
    const localAddress = '127.0.0.' + (firstAddress + i);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const phone = '139' + String(20000000 + i * 7919).slice(-8);
    for (let n = 0; performance.now() < end; n++) {
      const k = i * 131 + n;
      const p = points[k % points.length];
      const uid = (run + '-' + i + '-' + n + '-' + randomUUID()).replace(/[^A-Za-z0-9]/g, '').slice(0, 32);
      const file = photo(bodies[(i * 7 + n) % bodies.length], p.lat + 0.00004, p.lng - 0.00003, uid);
      const f = form({ category: categories[k % categories.length], description: descriptions[k % descriptions.length],
        lat: p.lat, lng: p.lng, phone, clientId: randomUUID() }, file);
      const r = await send(agent, localAddress, f);
      if (r.status !== 201) { out.errors++; if (!out.firstError) out.firstError = r.status + ' ' + r.text.slice(0, 400); continue; }
      out.created++;
      out.uploadBytes += file.length;
      if (!r.text.includes('"placement":"micro_grid"')) out.queued++;
      if (r.t1 >= warmEnd && r.t1 <= end) { out.ok++; out.latencies.push(r.t1 - r.t0); }
    }
    agent.destroy();
  };
  await Promise.all(Array.from({ length: connections }, (_, i) => loop(i)));
  parentPort.postMessage({ ...out, seconds: durationMs / 1000 });
}
main().catch((e) => parentPort.postMessage({ ok: 0, created: 0, errors: 1, firstError: String(e && e.stack || e), latencies: [], queued: 0, uploadBytes: 0, seconds: durationMs / 1000 }));
`;

interface LoadResult {
  ok: number; created: number; errors: number; firstError: string | null; latencies: number[]; queued: number; uploadBytes: number; seconds: number;
}

interface Setup {
  port: number;
  points: { id: number; lat: number; lng: number }[];
  categories: string[];
  bodies: Buffer[];
}

async function drive(s: Setup, connections: number, firstAddress: number, run: string): Promise<LoadResult> {
  const piexifPath = createRequire(import.meta.url).resolve('piexifjs');
  const worker = new Worker(CLIENT, {
    eval: true,
    workerData: { port: s.port, connections, warmupMs: WARMUP_MS, durationMs: DURATION_MS, points: s.points, categories: s.categories,
      descriptions: DESCRIPTIONS, bodies: s.bodies, piexifPath, firstAddress, run },
  });
  try {
    return await new Promise<LoadResult>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`load generator exited with ${code}`)));
    });
  } finally {
    await worker.terminate();
  }
}

/** Busy share of all cores between two readings of /proc/stat. */
function cpuTimes(): { busy: number; total: number } | null {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3]! + (f[4] ?? 0);
    return { busy: f.reduce((s, x) => s + x, 0) - idle, total: f.reduce((s, x) => s + x, 0) };
  } catch {
    return null;
  }
}
const busyBetween = (a: ReturnType<typeof cpuTimes>, b: ReturnType<typeof cpuTimes>) =>
  (a && b && b.total > a.total ? round((b.busy - a.busy) / (b.total - a.total), 2) : null);

async function measure(s: Setup, connections: number, firstAddress: number, run: string) {
  const cpu0 = cpuTimes();
  const elu0 = perfHooks.eventLoopUtilization();
  const r = await drive(s, connections, firstAddress, run);
  const elu = perfHooks.eventLoopUtilization(elu0);
  const cpuBusy = busyBetween(cpu0, cpuTimes());
  if (r.errors) throw new Error(`${r.errors} of ${r.created + r.errors} reports at ${connections} connection(s) were not 201; first: ${r.firstError}`);
  if (r.ok === 0) throw new Error(`no report completed in the measured window at ${connections} connection(s)`);
  if (r.queued) throw new Error(`${r.queued} reports were not placed in a micro-grid`);
  return { ...r, rate: r.ok / r.seconds, lat: summary(r.latencies), serverElu: round(elu.utilization, 2), cpuBusy };
}

// ------------------------------------------------------------------ the app, the town, the points

/** A point inside each micro-grid of the demo town that the placement index puts in that micro-grid. */
async function microGridPoints(db: Db): Promise<{ id: number; lat: number; lng: number }[]> {
  const list = await rows<{ id: number; boundary: unknown }>(db, sql`SELECT m.id, m.boundary FROM area m JOIN area t ON m.path LIKE t.path || '%'
    WHERE t.code = ${DEMO_TOWN} AND m.level_key = 'micro_grid' AND m.boundary IS NOT NULL AND m.archived_at IS NULL ORDER BY m.code`);
  const shapes = list.map((r) => ({ id: Number(r.id), geometry: typeof r.boundary === 'string' ? JSON.parse(r.boundary) : r.boundary }));
  const index = buildPlacementIndex(shapes);
  const out: { id: number; lat: number; lng: number }[] = [];
  for (const s of shapes) {
    const ring = polygonsOf(s.geometry)[0]?.[0];
    if (!ring) continue;
    const pts = ring.slice(0, -1);
    const c = pts.reduce((a, p) => [a[0]! + p[0]! / pts.length, a[1]! + p[1]! / pts.length], [0, 0]);
    // the vertices' centre, else points between it and each vertex
    const candidates = [c, ...pts.map((p) => [(c[0]! * 2 + p[0]!) / 3, (c[1]! * 2 + p[1]!) / 3])];
    const hit = candidates.find((p) => index.locate(p[0]!, p[1]!) === s.id);
    if (hit) out.push({ id: s.id, lng: round(hit[0]!, 7), lat: round(hit[1]!, 7) });
  }
  return out;
}

async function counts(db: Db) {
  const [r] = await rows<Record<string, number>>(db, sql`SELECT (SELECT count(*)::int FROM public_report) AS reports,
    (SELECT count(*)::int FROM case_photo) AS photos, (SELECT count(*)::int FROM case_file WHERE source = 'public') AS cases,
    (SELECT count(*)::int FROM case_photo p JOIN public_report r ON r.case_id = p.case_id
      WHERE p.taken_at IS NOT NULL AND p.lat IS NOT NULL AND p.lng IS NOT NULL) AS with_capture,
    (SELECT count(*)::int FROM case_photo p JOIN public_report r ON r.case_id = p.case_id WHERE jsonb_array_length(coalesce(p.flags, '[]'::jsonb)) > 0) AS flagged,
    (SELECT count(*)::int FROM public_report WHERE placement = 'micro_grid') AS in_micro_grid`);
  const codes = await rows<{ code: string; n: number }>(db, sql`SELECT f->>'code' AS code, count(*)::int AS n
    FROM case_photo p JOIN public_report r ON r.case_id = p.case_id CROSS JOIN jsonb_array_elements(coalesce(p.flags, '[]'::jsonb)) f
    GROUP BY 1 ORDER BY 1`);
  return { reports: r!.reports!, photos: r!.photos!, cases: r!.cases!, withCapture: r!.with_capture!, flagged: r!.flagged!, inMicroGrid: r!.in_micro_grid!,
    flagCodes: codes.map((c) => `${c.code}:${c.n}`).join(' ') };
}

async function filesUnder(dir: string): Promise<number> {
  let n = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile() && e.name.endsWith('.jpg')) n++;
  return n;
}

export async function benchReportPostgres(): Promise<BenchResult> {
  const load = os.loadavg().map((x) => round(x, 2));
  const scratch = await scratchDatabase();
  log(`intake.report.postgres: scratch database ${scratch.name}; load average ${load.join(' ')} on ${os.cpus().length} cores`);
  const onSignal = () => { void scratch.drop().finally(() => process.exit(130)); };
  process.once('SIGINT', onSignal);
  const photoDir = await mkdtemp(path.join(os.tmpdir(), 'wangge-bench-intake-'));
  // The API's pool as the server opens it (openDatabase: 10 connections).
  const database: Database = await openPostgres(scratch.url);
  let app: FastifyInstance | undefined;
  try {
    const db = database.db;
    await migrateDatabase(database);
    await ensureAdmin(db, ADMIN_PASSWORD);
    let t0 = performance.now();
    await setupDemo(db);
    log(`demo town set up in ${round((performance.now() - t0) / 1000)} s`);
    // Every connection may be decoding or waiting to (the default queue of 8 would answer the rest 503:
    // the benchmark measures the work of a report, not the refusals of a full gate).
    const config = { ...loadConfig({}), webDist: '/nonexistent', photoDir, logLevel: 'warn', decodeQueue: CONNECTIONS };
    app = await buildApp(config, database);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    const base = `http://127.0.0.1:${port}`;

    // The limits per address and phone raised as an administrator would (PUT /api/v1/intake/settings), so
    // the benchmark measures the work of a report, not refusals (defaults: 5 per address in 10 minutes).
    const cookie = await loginOverHttp(base, 'admin', ADMIN_PASSWORD); // password and second factor
    const limits = { perAddress10Min: 1_000_000, perAddressDay: 1_000_000, perPhoneDay: 1_000_000, perPartnerHour: 1_000_000 };
    const put = await fetch(`${base}/api/v1/intake/settings`, { method: 'PUT', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(limits) });
    if (put.status !== 200) throw new Error(`intake settings: ${put.status} ${await put.text()}`);

    const cats = (await (await fetch(`${base}/api/public/categories`)).json()) as { items: { code: string }[] };
    const categories = cats.items.map((c) => c.code);
    if (!categories.length) throw new Error('no public categories');
    const points = await microGridPoints(db);
    if (points.length < 100) throw new Error(`only ${points.length} micro-grids with an inner point`);

    t0 = performance.now();
    const pics = await pictures();
    const photoBytes = Math.round(pics.bytes.reduce((s, b) => s + b, 0) / pics.bytes.length);
    log(`${PICTURES} pictures ${WIDTH}×${HEIGHT}, JPEG quality ${pics.quality}, ${Math.min(...pics.bytes)}–${Math.max(...pics.bytes)} bytes (mean ${photoBytes}) in ${round((performance.now() - t0) / 1000)} s; ${points.length} micro-grids, ${categories.length} categories`);

    // What the server does with one photo, alone (the reading of the picture is most of a report).
    const one = Buffer.concat([Buffer.from([0xff, 0xd8]), pics.bodies[0]!]);
    const inspectMs: number[] = [];
    for (let i = 0; i < 6; i++) { const t = performance.now(); await inspectImage(one); if (i) inspectMs.push(performance.now() - t); }
    const inspect = summary(inspectMs);

    const before = await counts(db);
    const setup: Setup = { port, points, categories, bodies: pics.bodies };
    const run = Date.now().toString(36);
    const conc = await measure(setup, CONNECTIONS, 2, run);
    log(`intake.report.postgres: ${round(conc.rate, 2)} reports/s at ${CONNECTIONS} connections, p50 ${round(conc.lat.median)} ms, p99 ${round(conc.lat.p99)} ms (${conc.ok} in ${conc.seconds} s); server event loop ${conc.serverElu}, machine CPU ${conc.cpuBusy}`);
    const seq = await measure(setup, 1, 40, `${run}s`);
    log(`  baseline (1 connection): ${round(seq.rate, 2)} reports/s, p50 ${round(seq.lat.median)} ms, p99 ${round(seq.lat.p99)} ms (${seq.ok} in ${seq.seconds} s); machine CPU ${seq.cpuBusy}`);

    // Nothing lost: every 201 is a case, a public report, a photo row with its capture data, and two files.
    const after = await counts(db);
    const created = conc.created + seq.created;
    const files = await filesUnder(photoDir);
    const d = { reports: after.reports - before.reports, photos: after.photos - before.photos, cases: after.cases - before.cases };
    if (d.reports !== created || d.photos !== created || d.cases !== created) {
      throw new Error(`rows differ from the 201 answers (${created}): public_report +${d.reports}, case_photo +${d.photos}, public cases +${d.cases}`);
    }
    if (after.withCapture !== after.reports) throw new Error(`${after.reports - after.withCapture} photos without their EXIF time and GPS`);
    if (after.inMicroGrid !== after.reports) throw new Error(`${after.reports - after.inMicroGrid} reports not placed in a micro-grid`);
    if (files !== 2 * created) throw new Error(`${files} photo files on disk for ${created} reports (expected ${2 * created})`);
    log(`  checked: ${created} answers 201 = ${d.reports} public_report rows = ${d.photos} case_photo rows (all with capture time and GPS, all in micro-grids), ${files} files; ${after.flagged} photos flagged (${after.flagCodes || 'none'}; ${PICTURES} distinct pictures, each reused)`);

    return {
      name: 'intake.report.postgres', value: round(conc.rate, 2), unit: 'req/s', baseline: round(seq.rate, 2), ratio: rateRatio(conc.rate, seq.rate),
      p50_ms: round(conc.lat.median, 1), p99_ms: round(conc.lat.p99, 1), requests: conc.ok, errors: conc.errors, connections: CONNECTIONS,
      photo_bytes: photoBytes, photo_px: `${WIDTH}x${HEIGHT}`, jpeg_quality: pics.quality,
      baseline_p50_ms: round(seq.lat.median, 1), baseline_p99_ms: round(seq.lat.p99, 1), baseline_requests: seq.ok, baseline_errors: seq.errors,
      seconds: DURATION_MS / 1000, warmup_seconds: WARMUP_MS / 1000, api_pool: database.pool!.options.max,
      inspect_photo_ms: round(inspect.median, 1), upload_mb_s: round((conc.rate * conc.uploadBytes) / conc.created / 1e6, 2),
      created_total: created, rows_checked: true, photo_files: files, flagged_photos: after.flagged, flag_codes: after.flagCodes,
      server_event_loop: conc.serverElu, machine_cpu_busy: conc.cpuBusy, baseline_machine_cpu_busy: seq.cpuBusy,
      load_avg_at_start: load.join(' '), load_avg_at_end: os.loadavg().map((x) => round(x, 2)).join(' '), cores: os.cpus().length,
    };
  } finally {
    await app?.close();
    await database.close();
    await rm(photoDir, { recursive: true, force: true });
    await scratch.drop();
    process.removeListener('SIGINT', onSignal);
  }
}

// ------------------------------------------------------------------ entry from index.ts

export async function runIntakeReportBenchmarks(ctx: {
  wanted: (name: string) => boolean; emit: (r: BenchResult) => void;
  attempt: (name: string, fn: () => Promise<void>) => Promise<void>;
}): Promise<void> {
  if (ctx.wanted('intake.report.postgres')) await ctx.attempt('intake.report.postgres', async () => ctx.emit(await benchReportPostgres()));
}
