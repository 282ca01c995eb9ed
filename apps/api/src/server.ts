// `npm start`: open the database, prepare it, serve the API and the web app on PORT.
import { loadConfig, ConfigError } from './config/index.js';
import { buildApp } from './app.js';
import { openConfigured, prepare } from './runtime.js';
import { setAuditKey } from './modules/audit/key.js';
import { purgeExpiredSessions } from './modules/people/people.repository.js';
import { startJobs, stopJobs } from './jobs/jobs.js';
import { coreJobs } from './jobs/registry.js';
import { sweepDeadlines } from './modules/cases/cases.service.js';
import { generateAhead } from './modules/routines/routines.service.js';
import { refreshScores } from './modules/scores/scores.service.js';
import { settleReportPoints } from './modules/rewards/rewards.service.js';

async function main() {
  const config = loadConfig();
  const database = await openConfigured(config);
  setAuditKey(config.auditKey); // the first admin's and the demo's entries are keyed too
  await prepare(database, config, (s) => console.log(s));
  const app = await buildApp(config, database, { logger: true });
  // Expired sessions are refused on use; this only keeps the table small.
  const purge = () => purgeExpiredSessions(database.db).catch((err) => app.log.warn({ err }, 'session purge failed'));
  await purge();
  setInterval(purge, 3600_000).unref();
  const shutdown = async () => {
    await stopJobs().catch((err) => app.log.error({ err }, 'job queue stop failed'));
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  await app.listen({ port: config.port, host: config.host });
  // Recurring jobs (outbox delivery, deadline reminders and escalation) on pg-boss; see jobs/jobs.ts.
  await startJobs(database, [...coreJobs, { name: 'cases.sweep', every: 'minute', handler: sweepDeadlines },
    { name: 'routines.generate', every: 'hour', handler: generateAhead },
    { name: 'scores.refresh', every: 'hour', handler: refreshScores },
    { name: 'rewards.settle', every: 'minute', handler: (db) => settleReportPoints(db) }], { log: app.log });
  const addr = app.server.address();
  const port = addr && typeof addr === 'object' ? addr.port : config.port;
  const everywhere = ['0.0.0.0', '::', '[::]'].includes(config.host);
  const loopback = ['127.0.0.1', '::1', 'localhost'].includes(config.host);
  const url = `http://${everywhere || loopback ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const reach = loopback ? '仅本机可访问 (this machine only; HOST=0.0.0.0 to serve the network)'
    : `监听 ${config.host} (listening on ${everywhere ? 'all interfaces' : config.host}: serve it over HTTPS with WANGGE_COOKIE_SECURE=1)`;
  console.log(`网格 Wangge 已启动: ${url}  ${reach}  (数据库 ${database.kind === 'pglite' ? `PGlite ${config.dataDir}` : 'PostgreSQL'})  API 文档: /docs`);
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? `配置错误 (configuration error): ${e.message}` : e);
  process.exit(1);
});
