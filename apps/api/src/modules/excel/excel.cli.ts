// `npx wangge import areas|roster <file.xlsx>`: the same import as the web, acting as user 'admin',
// with a progress bar on long files and the row-by-row report on failure (exit code 1).
import fs from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Db } from '../../db/client.js';
import { DomainError } from '../../lib/errors.js';
import type { Actor } from '../access/policy.js';
import * as people from '../people/people.repository.js';
import { importAreas, importRoster, type Phase } from './excel.service.js';

const PHASE_ZH: Record<Phase, string> = { read: '读取', validate: '检查', write: '写入' };

export async function adminActor(db: Db): Promise<Actor> {
  const u = await people.userByName(db, 'admin');
  if (!u) throw new DomainError(404, 'NOT_FOUND', '没有管理员账号 admin：请先运行 npx wangge init --town <代码>');
  return { id: u.id, username: u.username, displayName: u.displayName, mustChangePassword: false, grants: await people.grantsOf(db, u.id) };
}

/** Returns the exit code: 0 done, 1 rejected (with the report printed). */
export async function importCommand(db: Db, what: string, file: string, opts: { dryRun?: boolean }, out = console): Promise<number> {
  if (what !== 'areas' && what !== 'roster') { out.error(`要导入 areas（区域清单）还是 roster（人员名册）？收到 "${what}"`); return 1; }
  if (!fs.existsSync(file)) { out.error(`文件不存在：${file}`); return 1; }
  const buffer = fs.readFileSync(file);
  const actor = await adminActor(db);
  const bar = new cliProgress.SingleBar({ format: '{phase} [{bar}] {percentage}% {value}/{total} 行', hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic);
  let phase: Phase | null = null;
  const onProgress = (p: Phase, done: number, total: number) => {
    if (total < 1000) return; // short files finish before a bar would help
    if (p !== phase) { if (phase) bar.stop(); phase = p; bar.start(total, done, { phase: PHASE_ZH[p] }); } else bar.update(done);
  };
  try {
    const opt = { dryRun: opts.dryRun ?? false, onProgress, fileName: path.basename(file) };
    const r = what === 'areas' ? await importAreas(db, actor, buffer, opt) : await importRoster(db, actor, buffer, opt);
    if (phase) bar.stop();
    out.log(`${r.dryRun ? '检查通过（未写入，--dry-run）' : '导入完成'}：${r.rows} 行`);
    out.log(`  新建 ${JSON.stringify(r.created)}  更新 ${JSON.stringify(r.updated)}  未变 ${JSON.stringify(r.unchanged)}`);
    if ('notice' in r && r.notice) out.log(`  ${r.notice}`);
    return 0;
  } catch (e) {
    if (phase) bar.stop();
    if (!(e instanceof DomainError)) throw e;
    out.error(`导入被拒绝 (${e.code})：${e.details?.length ? `共 ${e.message.match(/共 (\d+) 处/)?.[1] ?? e.details.length} 处问题，没有写入任何数据` : e.message}`);
    for (const d of e.details ?? []) out.error(`  第 ${d.row} 行${d.column ? `「${d.column}」` : ''}：${d.message}`);
    return 1;
  }
}
