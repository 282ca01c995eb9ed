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
import { enrolledAs, nextCode, scopeOf, store, type Enrolled } from '../apps/api/test/second-factor.js';
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
  // second factors set up through the API (test/helpers login) and in the browser are the same ones
  scopeOf(app, `http://127.0.0.1:${addr.port}`);
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

/** Opens the app and logs in through the login form, with the second factor when asked (see loginHere). */
export async function login(page: Page, url: string, username: string, password: string) {
  await page.goto(url);
  await loginHere(page, username, password);
}

/**
 * Logs in on the login form the page shows, as a person would: user name and password, then, when
 * the user's duties need a second factor, its setup (reading the secret off the screen, a code from
 * it, the recovery codes kept, "我已保存") or a 6-digit code (or a recovery code when this minute's
 * codes are used up). Returns when the app, the forced password change or a login error shows.
 */
export async function loginHere(page: Page, username: string, password: string) {
  const scope = new URL(page.url()).origin;
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  const landed = page.locator('[data-testid=app-name], [data-testid=password-page], [data-testid=login-error]');
  await page.locator('[data-testid=app-name], [data-testid=password-page], [data-testid=login-error], [data-testid=second-factor-verify], [data-testid=second-factor-setup]').first().waitFor();
  if (await page.getByTestId('second-factor-setup').count()) {
    const secret = await page.getByTestId('second-factor-secret').getAttribute('data-secret');
    if (!secret) throw new Error('no secret on the setup screen');
    const e: Enrolled = { secret, lastStep: -1, recovery: [] };
    const c = (await nextCode(e))!;
    await page.getByTestId('second-factor-confirm-code').fill(c.code);
    await page.getByTestId('second-factor-confirm').click();
    await page.getByTestId('second-factor-recovery-codes').waitFor();
    e.recovery = await page.getByTestId('second-factor-recovery-code').allTextContents();
    store(scope).set(username.toLowerCase(), e);
    await page.getByTestId('second-factor-saved').click();
    await landed.first().waitFor();
  } else if (await page.getByTestId('second-factor-verify').count()) {
    const e = enrolledAs(scope, username);
    if (!e) throw new Error(`${username} has a second factor this test run did not set up`);
    for (let i = 0; i < 4; i++) {
      const c = await nextCode(e);
      if (c) {
        if (await page.getByTestId('second-factor-recovery-input').count()) await page.getByTestId('second-factor-use-recovery').click();
        await page.getByTestId('second-factor-code').fill(c.code);
      } else {
        const rc = e.recovery.shift();
        if (!rc) break;
        if (!(await page.getByTestId('second-factor-recovery-input').count())) await page.getByTestId('second-factor-use-recovery').click();
        await page.getByTestId('second-factor-recovery-input').fill(rc);
      }
      const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/second-factor') && r.request().method() === 'POST');
      await page.getByTestId('second-factor-submit').click();
      if ((await answer).status() === 200) {
        await landed.first().waitFor();
        if (e.recovery.length < 4) {
          const r = await page.request.post(`${scope}/api/v1/auth/second-factor/recovery-codes`, { data: {} });
          if (r.ok()) e.recovery = (await r.json()).recoveryCodes;
        }
        return;
      }
    }
    throw new Error(`the second factor of ${username} was refused`);
  }
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
