// The command line: init a town, stats, audit verify, import, bench. Same database settings as the server.
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
      if (admin.created) console.log(admin.password ? `管理员账号 admin，初始密码（只显示这一次）: ${admin.password}` : '管理员账号 admin，密码为 WANGGE_ADMIN_PASSWORD 所设');
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
