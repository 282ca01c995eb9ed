// Opening the configured database and making sure it holds something to work with:
// migrations, the first administrator, and on an empty database the demo town.
import { loadConfig, type Config } from './config/index.js';
import { openDatabase, rows, sql, type Database } from './db/client.js';
import { ensureAdmin } from './modules/people/bootstrap.js';
import { DEMO_PASSWORD, setupDemo } from './modules/demo/demo.js';
import { ensureCalendar } from './modules/calendar/calendar.seed.js';
import { todayInChina } from './lib/dates.js';
import { generateDemoCases } from './modules/demo/cases.js';
import { generateDemoPublicReports } from './modules/demo/public.js';
import { setupPublicityDemo } from './modules/demo/publicity.js';
import { setupRewardsDemo } from './modules/demo/rewards.js';
import { PhotoStore } from './modules/evidence/storage.js';
import { generateAhead } from './modules/routines/routines.service.js';
import { generateDemoRoutineHistory, historyStart } from './modules/demo/routines.js';
import { generateDemoScores } from './modules/demo/scores.js';
import { daysBetween } from './modules/routines/periods.rules.js';

export async function openConfigured(config: Config = loadConfig()): Promise<Database> {
  return openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
}

export async function isEmpty(database: Database): Promise<boolean> {
  const [r] = await rows<{ n: number }>(database.db, sql`SELECT (SELECT count(*) FROM area) + (SELECT count(*) FROM app_user) AS n`);
  return Number(r!.n) === 0;
}

/** Prepares a database for `npm start`: admin always, the demo town only when it was empty. */
export async function prepare(database: Database, config: Config, log: (s: string) => void) {
  const empty = await isEmpty(database);
  const admin = await ensureAdmin(database.db, config.adminPassword);
  // The working calendar's holidays and 调休 days for last, this and next year (never over an admin's edits).
  const year = Number(todayInChina().slice(0, 4));
  const cal = await ensureCalendar(database.db, [year - 1, year, year + 1]);
  if (cal.inserted > 0) log(`工作日历：已补入 ${cal.years.join('、')} 年的节假日与调休 ${cal.inserted} 天`);
  if (cal.missing.length > 0) log(`工作日历：节假日数据包尚无 ${cal.missing.join('、')} 年的安排，公布后请在“工作日历”中设置`);
  if (empty) {
    log('空数据库：正在建立演示镇 新城镇 (370321107)… / empty database: setting up the demo town');
    const r = await setupDemo(database.db);
    log(`演示镇已建立：${r.areas} 个区域，${r.users} 名演示人员，${r.responsibilities} 条责任分工`);
    const since = historyStart(todayInChina());
    const c = await generateDemoCases(database.db, new PhotoStore(config.photoDir), { historyDays: Math.max(0, daysBetween(since, todayInChina()) - 30) });
    log(`演示案件：自 ${since} 起 ${c.cases} 件（近一个月各种状态，含超期与返工）`);
    const p = await generateDemoPublicReports(database.db, new PhotoStore(config.photoDir));
    log(`演示群众上报（随手拍）：近两个月 ${p.reports} 件，多数已办结并由上报人评价`);
    const h = await generateDemoRoutineHistory(database.db);
    log(`演示例行工作：自 ${since} 起 ${h.results} 份结果（有人迟交、有人漏报，8 个村未交上半年总结）`);
    const s = await generateDemoScores(database.db);
    log(`演示考核：各村其他工作得分 ${s.otherScores} 条；按评分选村的观摩 ${s.visits} 次`);
    const pub = await setupPublicityDemo(database.db);
    log(`演示宣传发动：倡议书、广播、条幅、公众号、宣讲记录 ${pub.records} 条`);
    const rw = await setupRewardsDemo(database.db);
    log(`演示积分：${rw.households} 户、门前三包检查 ${rw.checks} 次、示范户评选 ${rw.rounds} 轮、积分超市兑换 ${rw.exchanges} 次`);
    log(`演示账号（密码均为 ${DEMO_PASSWORD}）：shuji 党委书记、zhenadmin 镇管理员、caiwu01 镇财务、jiwei 镇纪委、nongwei 镇农委、jianwei 镇建委、lingdao01 挂包领导、zhucun01 驻村干部、cungan01 村两委、wgy001 网格员、bjy001 保洁员、xianji 县级查看`);
    log('演示账号只能从本机登录；正式使用前运行 npx wangge demo remove 删除全部演示数据 (demo accounts log in from this machine only; run `npx wangge demo remove` before going live)');
  }
  // Routine tasks for the next two weeks (the job queue keeps this up hourly; idempotent).
  const tasks = await generateAhead(database.db);
  if (tasks.inserted > 0) log(`例行工作：已生成今后两周的任务 ${tasks.inserted} 项`);
  if (admin.created) {
    if (admin.password) log(`管理员账号 admin（首次登录须修改密码 / must be changed at first login），初始密码（只显示这一次）: ${admin.password}`);
    else log('管理员账号 admin，密码为 WANGGE_ADMIN_PASSWORD 所设');
  }
}
