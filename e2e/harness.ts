// The real app on a random port over a fresh demo database, and a headless Chromium.
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { ADMIN_PASSWORD, freshDatabase, testConfig } from '../apps/api/test/helpers.js';
import { buildApp } from '../apps/api/src/app.js';
import { setupDemo } from '../apps/api/src/modules/demo/demo.js';
import { ensureAdmin } from '../apps/api/src/modules/people/bootstrap.js';
import type { Database } from '../apps/api/src/db/client.js';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const WEB_DIST = path.join(ROOT, 'apps/web/dist');
export const SCREENSHOTS = path.join(ROOT, 'e2e/screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export { ADMIN_PASSWORD };
export const DEMO_PASSWORD = 'demo1234';

export interface Server { url: string; app: FastifyInstance; database: Database; close(): Promise<void> }

export async function startServer(): Promise<Server> {
  if (!fs.existsSync(path.join(WEB_DIST, 'index.html'))) throw new Error(`the web app is not built: ${WEB_DIST}/index.html is missing`);
  const database = await freshDatabase();
  await setupDemo(database.db);
  await ensureAdmin(database.db, ADMIN_PASSWORD);
  const app = await buildApp(testConfig({ webDist: WEB_DIST }), database);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${addr.port}`,
    app,
    database,
    close: async () => { await app.close(); await database.close(); },
  };
}

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}: install it (Debian: apt-get install -y chromium fonts-noto-cjk) or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

export async function newPage(browser: Browser, opts: { mobile?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: opts.mobile ? { width: 390, height: 844 } : { width: 1366, height: 860 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    isMobile: opts.mobile,
    hasTouch: opts.mobile,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return { context, page };
}

export async function login(page: Page, url: string, username: string, password: string) {
  await page.goto(url);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

export function today(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/** One server over a fresh demo database and one Chromium for a test file, started before its tests and closed after. */
export function useAppAndBrowser(): { server: Server; browser: Browser } {
  const env = {} as { server: Server; browser: Browser };
  beforeAll(async () => {
    [env.server, env.browser] = await Promise.all([startServer(), launchBrowser()]);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}

/** 人员 → search for a user name → open that person's drawer, with their roles loaded. */
export async function openPerson(page: Page, username: string) {
  await page.getByTestId('menu-people').click();
  await page.getByTestId('people-table').waitFor();
  await page.getByTestId('people-search').locator('input').fill(username);
  await page.getByTestId('people-search').locator('input').press('Enter');
  const row = page.getByTestId('people-table').locator('tbody tr.ant-table-row');
  await expect.poll(() => row.count()).toBe(1);
  await row.first().click();
  const drawer = page.getByTestId('user-drawer');
  await drawer.getByTestId('user-roles').waitFor();
  return drawer;
}
