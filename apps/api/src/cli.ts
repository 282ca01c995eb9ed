// The command line: init a town, stats, audit verify, import, demo remove, bench. Same database settings as the server.
import readline from 'node:readline/promises';
import { Command } from 'commander';
import { loadConfig } from './config/index.js';
import { openConfigured, isEmpty } from './runtime.js';
import { badInput, DomainError } from './lib/errors.js';
import { townsUnder } from './modules/divisions/divisions.js';
import { ensureAdmin } from './modules/people/bootstrap.js';
import { generateGrids, initTown } from './modules/areas/network.service.js';
import { stats } from './modules/stats/stats.service.js';
import { auditAnchor, sendAnchor, verifyAudit } from './modules/audit/audit.service.js';
import { parseAnchor } from './modules/audit/chain.js';
import { setAuditKey } from './modules/audit/key.js';
import { importCommand } from './modules/excel/excel.cli.js';
import { previewDemoRemoval, removeDemo } from './modules/demo/remove.js';
import { PhotoStore } from './modules/evidence/storage.js';
import { recoverAccess } from './modules/auth/auth.service.js';

const program = new Command().name('wangge').description('网格 Wangge: grid-based governance');

async function withDb<T>(fn: (db: Awaited<ReturnType<typeof openConfigured>>) => Promise<T>): Promise<T> {
  const config = loadConfig();
  setAuditKey(config.auditKey);
  const database = await openConfigured(config);
  try { return await fn(database); } finally { await database.close(); }
}

program.command('init')
  .description('建立乡镇及其全部村（离线，全国区划数据） Create a town, or every town of a county, with their real villages')
  .option('--town <code>', '9 位乡镇代码，如 370321107')
  .option('--county <code>', '6 位县级代码，如 370321：建立该县全部乡镇')
  .action(async (opts: { town?: string; county?: string }) => {
    if (!opts.town === !opts.county) throw badInput('请给出 --town <9 位代码> 或 --county <6 位代码> 之一');
    if (opts.county && !/^\d{6}$/.test(opts.county)) throw badInput(`县级代码应为 6 位数字，收到 "${opts.county}"`);
    const towns = opts.town ? [opts.town] : townsUnder(opts.county!).map((t) => t.code);
    if (towns.length === 0) throw badInput(`全国区划数据中没有代码为 ${opts.county} 的县或其下没有乡镇 (unknown county code)`, undefined, 'UNKNOWN_COUNTY');
    await withDb(async (database) => {
      const config = loadConfig();
      const empty = await isEmpty(database);
      for (const code of towns) {
        try {
          const r = await initTown(database.db, code, { id: null, name: 'cli' });
          console.log(`已建立 ${r.town.name}（${r.town.code}）：${r.villages} 个村，新建区域 ${r.created} 个`);
        } catch (e) {
          // With --county, a town set up before is skipped; any other problem stops.
          if (!(opts.county && e instanceof DomainError && e.code === 'TOWN_EXISTS')) throw e;
          console.log(`跳过：${e.message}`);
        }
      }
      const admin = await ensureAdmin(database.db, config.adminPassword);
      if (admin.created) console.log(admin.password ? `管理员账号 admin（首次登录须修改密码 / must be changed at first login），初始密码（只显示这一次）: ${admin.password}` : '管理员账号 admin，密码为 WANGGE_ADMIN_PASSWORD 所设');
      if (empty) console.log('下一步：登录后在“区域网格”中建立管区，把村归入管区，再建网格和微网格（或用 Excel 导入）。');
    });
  });

program.command('generate')
  .description('为演示生成网格和微网格（按村人口分配；只给还没有网格的村） Generate grids and micro-grids for a demo')
  .requiredOption('--town <code>', '9 位乡镇代码')
  .requiredOption('--grids <n>', '网格总数，如 141')
  .requiredOption('--micro-grids <n>', '微网格总数，如 228')
  .action(async (opts: { town: string; grids: string; microGrids: string }) => {
    await withDb(async (database) => {
      const r = await generateGrids(database.db, opts.town, { grids: Number(opts.grids), microGrids: Number(opts.microGrids) }, { id: null, name: 'cli' });
      console.log(`已为 ${r.villages} 个村生成 ${r.grids} 个网格、${r.microGrids} 个微网格（标记为演示数据）`);
    });
  });

program.command('stats')
  .description('统计 Counts')
  .option('--json', 'one JSON object on stdout')
  .action(async (opts: { json?: boolean }) => {
    await withDb(async (database) => {
      const s = await stats(database.db);
      if (opts.json) process.stdout.write(`${JSON.stringify(s)}\n`);
      else console.table({ ...s.areas, users: s.users, responsibilities: s.responsibilities.active });
    });
  });

const audit = program.command('audit').description('审计日志 Audit log');
audit.command('verify')
  .description('校验哈希链与密钥签名（HMAC），指出第一条被破坏的记录 Verify the hash chain and its macs')
  .option('--anchor <line>', '之前 audit anchor 打印的一行（或 id:hash）：核对该条仍在且未变 the line `audit anchor` printed, or id:hash')
  .action(async (opts: { anchor?: string }) => {
    const anchor = opts.anchor === undefined ? undefined : parseAnchor(opts.anchor);
    if (anchor === null) throw badInput('--anchor 应为 audit anchor 打印的那一行 JSON，或 <id>:<64 位十六进制哈希> (expected the anchor line or id:hash)');
    await withDb(async (database) => {
      const r = await verifyAudit(database.db, { anchor });
      const unkeyed = r.unkeyed > 0 ? `，其中前 ${r.unkeyed} 条未签名（启用密钥之前）` : '';
      const unkeyedEn = r.unkeyed > 0 ? `; ${r.unkeyed} unkeyed (before keying)` : '';
      if (r.ok) {
        console.log(`审计链完好：${r.checked} 条记录${unkeyed} (audit chain intact: ${r.checked} entries${unkeyedEn})`);
        if (r.anchor) console.log(`锚点第 ${r.anchor.id} 条相符 (anchor at entry ${r.anchor.id} matches)`);
      } else if (r.anchor) {
        console.error(`锚点不符：${r.reason} (the anchor does not hold: the chain as it stands is intact for ${r.checked} entries, but entry ${r.brokenId} is not what was anchored)`);
        process.exitCode = 2;
      } else {
        console.error(`审计链在第 ${r.brokenId} 条断开：${r.reason} (audit chain broken at entry ${r.brokenId}; ${r.checked} entries before it are intact)`);
        process.exitCode = 2;
      }
    });
  });

audit.command('anchor')
  .description('打印链头（一行，抄在纸上或存在别处），可选经机器人 Webhook 发出 Print the head to keep outside; optionally send it to a webhook')
  .option('--webhook <id>', '经此 Webhook 发出（发件箱，一分钟内送出） queue it to this webhook')
  .action(async (opts: { webhook?: string }) => {
    const webhookId = opts.webhook === undefined ? undefined : Number(opts.webhook);
    if (webhookId !== undefined && !(Number.isSafeInteger(webhookId) && webhookId > 0)) throw badInput(`--webhook 应为 Webhook 的编号，收到 "${opts.webhook}"`);
    await withDb(async (database) => {
      const a = await auditAnchor(database.db);
      if (!a) {
        console.error('审计日志为空，没有可锚定的记录 (the audit log is empty: nothing to anchor)');
        process.exitCode = 1;
        return;
      }
      process.stdout.write(`${a.line}\n`);
      if (webhookId !== undefined) {
        const outboxId = await sendAnchor(database.db, webhookId, a);
        console.error(`已排入发件箱 #${outboxId}，一分钟内由服务发出 (queued as outbox #${outboxId}; the server sends it within a minute)`);
      }
    });
  });

program.command('import')
  .description('从 Excel 导入区域清单或人员名册（以 admin 身份） Import an .xlsx: areas or roster')
  .argument('<what>', 'areas | roster')
  .argument('<file>', '.xlsx 文件')
  .option('--dry-run', '只检查，不写入 validate only')
  .action(async (what: string, file: string, opts: { dryRun?: boolean }) => {
    await withDb(async (database) => { process.exitCode = await importCommand(database.db, what, file, opts); });
  });

const demo = program.command('demo').description('演示数据 Demo data');
demo.command('remove')
  .description('删除全部演示数据以便正式使用：演示人员、生成的管区/网格/微网格、演示镇里记录的一切（案件、照片、例行工作、积分、考核、宣传…）；'
    + '真实的镇、村及其代码保留（取消演示标记，村直属于镇，同 init --town）；审计日志不删，只追加一条 demo.remove。内嵌数据库须先停止服务。'
    + ' Remove all demo data before going live: demo people, the generated districts, grids and micro-grids, everything recorded in the demo town;'
    + ' the real town and villages stay (unflagged, villages straight under the town, as init --town makes them). The audit log is kept.'
    + ' With the embedded database, stop the server first.')
  .option('--all-areas', '连演示镇及其村也删除（改用其他乡镇时） also remove the demo town and its villages')
  .option('--yes', '不再询问确认 do not ask for confirmation')
  .action(async (opts: { allAreas?: boolean; yes?: boolean }) => {
    await withDb(async (database) => {
      const config = loadConfig();
      const allAreas = opts.allAreas ?? false;
      const p = await previewDemoRemoval(database.db, { allAreas });
      if (!p) {
        console.log('没有演示数据，无需删除 (no demo data: nothing to remove)');
        return;
      }
      console.log(`将删除：演示人员 ${p.users} 名，区域 ${p.areas} 个，案件 ${p.cases} 件，例行任务 ${p.tasks} 项，照片 ${p.photos} 张，农户 ${p.households} 户`);
      console.log(`(to remove: ${p.users} demo people, ${p.areas} areas, ${p.cases} cases, ${p.tasks} routine tasks, ${p.photos} photos, ${p.households} households)`);
      if (p.keptAreas > 0) console.log(`保留 ${p.keptAreas} 个真实区划（省、市、县、镇、村），取消演示标记 (keeping ${p.keptAreas} real divisions, no longer marked demo)`);
      if (!opts.yes) {
        if (!process.stdin.isTTY) throw badInput('请确认：在终端中运行，或加 --yes (confirm: run it in a terminal, or add --yes)');
        const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
        const answer = await rl.question('确认删除？输入 yes 继续 (type yes to remove): ');
        rl.close();
        if (answer.trim().toLowerCase() !== 'yes') {
          console.log('已取消，未删除任何数据 (cancelled: nothing removed)');
          return;
        }
      }
      const r = await removeDemo(database.db, new PhotoStore(config.photoDir), { allAreas, actorName: 'cli' });
      if (!r) {
        console.log('没有演示数据，无需删除 (no demo data: nothing to remove)');
        return;
      }
      console.log('已删除演示数据 (demo data removed)，各表删除行数 (rows deleted per table):');
      for (const [table, n] of Object.entries(r.deleted)) console.log(`  ${table.padEnd(20)} ${n}`);
      console.log(`照片文件 ${r.files} 个；保留并取消演示标记的区域 ${r.keptAreas} 个，其中 ${r.movedAreas} 个村改为直属于镇`);
      console.log(`(photo files: ${r.files}; areas kept and unflagged: ${r.keptAreas}, of which ${r.movedAreas} moved up to the town)`);
    });
  });

const user = program.command('user').description('人员 People');
user.command('recover <username>')
  .description('在服务器上恢复某人的登录（例如唯一的管理员丢了手机和恢复码）：新随机密码（首次登录须修改），清除动态验证码（登录时重新设置），结束其全部会话；留痕。内嵌数据库须先停止服务。'
    + ' Give someone back their access at the server (the only admin lost phone and recovery codes): a new random password to change at'
    + ' first login, the second factor cleared, sessions ended; audited. With the embedded database, stop the server first.')
  .action(async (username: string) => {
    await withDb(async (database) => {
      const r = await recoverAccess(database.db, username, `cli:${process.env.USER ?? 'operator'}`);
      console.log(`已恢复 ${r.username} 的登录：新密码（只显示这一次，首次登录须修改，并重新设置动态验证码）: ${r.password}`);
      console.log(`(access recovered for ${r.username}: new password, shown once; change it and set up the second factor at first login)`);
    });
  });

program.command('bench')
  .description('运行基准测试 Run the benchmarks')
  .option('--json', 'one JSON object per line')
  .option('--only <name>', 'run only benchmarks whose name contains this')
  .option('--tier <tier>', 'town|county|city|province')
  .action(async (opts: { json?: boolean; only?: string; tier?: string }) => {
    const { runBenchmarks } = await import('../../../bench/index.js');
    await runBenchmarks(opts);
  });

program.parseAsync(process.argv).catch((e) => {
  if (e instanceof DomainError) {
    console.error(`错误 (${e.code}): ${e.message}`);
    process.exitCode = 1;
  } else {
    console.error(e);
    process.exitCode = 1;
  }
});
