// The edge, tried from a browser as an attacker and as each kind of user would (issue 12):
// - an area (and a category) named with a script payload shows as text on every map: the case map
//   (hover and popup), the case page's map, the residents' village map at /s; no dialog, no <img>;
// - a page on another port cannot change anything with a logged-in administrator's cookie (forms
//   with text/plain and multipart bodies, no-cors fetches), and the app cannot be framed;
// - the screens show only what the caller's duties allow (menus, 新建/编辑 on the areas page), and the
//   duty table (设置 → 职责权限) is read-only to all but duties.manage, which saves a row and shows the
//   server's refusal in its own words.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { rows, sql } from '../apps/api/src/db/client.js';
import { loginWith, scopeOf, type Post } from '../apps/api/test/second-factor.js';
import { ADMIN_PASSWORD, DEMO_PASSWORD, SCREENSHOTS, newPage, useAppAndBrowser } from './harness.js';

const env = useAppAndBrowser();
const TOWN = '370321107';

/** A payload that runs if parsed as HTML: an <img> whose error handler marks the window. */
const payload = (tag: string) => `<img src=x onerror="window.__xss='${tag}'">`;

type Geometry = { type: string; coordinates: unknown };
/** The average of a polygon's outer ring: inside the (convex enough) generated micro-grids. */
function insidePoint(g: Geometry): { lat: number; lng: number } {
  const ring = (g.type === 'MultiPolygon' ? (g.coordinates as number[][][][])[0]![0]! : (g.coordinates as number[][][])[0]!).slice(0, -1);
  return { lng: ring.reduce((s, p) => s + p[0]!, 0) / ring.length, lat: ring.reduce((s, p) => s + p[1]!, 0) / ring.length };
}

/** Watches a page for what a successful injection would leave: a dialog, a page error, window.__xss, an <img src=x>. */
function watch(page: Page) {
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
  page.on('pageerror', (e) => errors.push(e.message));
  return {
    dialogs, errors,
    async clean(where: string) {
      const left = await page.evaluate(() => ({
        xss: (window as unknown as { __xss?: unknown }).__xss ?? null,
        imgs: document.querySelectorAll('img[src="x"]').length,
      }));
      expect(left, where).toEqual({ xss: null, imgs: 0 });
      expect(dialogs, where).toEqual([]);
    },
  };
}

/**
 * Logs a user in inside the page's browser context (its cookie jar), the second factor included when
 * their duties need one (set up at first login, a code after that: apps/api/test/second-factor.ts),
 * then opens the app. What the log-in screens look like is e2e/app.test.ts's business, not this file's.
 */
async function signIn(page: Page, username: string) {
  const post: Post = async (url, body) => {
    const r = await page.request.post(`${env.server.url}${url}`, { data: body ?? {} });
    let json: unknown = null;
    try { json = await r.json(); } catch { json = await r.text(); }
    const set = r.headersArray().filter((h) => h.name.toLowerCase() === 'set-cookie').map((h) => h.value.split(';')[0]!)
      .find((c) => c.startsWith('wangge_session=') && c.length > 'wangge_session='.length);
    return { status: r.status(), json, cookie: set };
  };
  await loginWith(post, scopeOf(env.server.app), username, username === 'admin' ? ADMIN_PASSWORD : DEMO_PASSWORD);
  await page.goto(env.server.url);
  await page.getByTestId('user-name').waitFor();
}

async function apiGet<T>(page: Page, url: string): Promise<T> {
  const res = await page.request.get(`${env.server.url}/api/v1${url}`);
  expect(res.status(), `GET ${url}: ${await res.text()}`).toBe(200);
  return (await res.json()) as T;
}

describe('security in the browser', () => {
  it('an area and a category named with a script payload show as text on every map', async () => {
    const db = env.server.database.db;
    // A micro-grid with a boundary in the demo town, its village, and a category; renamed in the database
    // (the API refuses < and > in names now: this is what an older install may already hold).
    const [m] = await rows<{ id: number; code: string; boundary: Geometry | string }>(db, sql`SELECT id, code, boundary FROM area
      WHERE level_key = 'micro_grid' AND code LIKE ${`${TOWN}%`} AND boundary IS NOT NULL ORDER BY code LIMIT 1`);
    const [v] = await rows<{ id: number }>(db, sql`SELECT id FROM area WHERE code = ${m!.code.slice(0, 12)}`);
    const [cat] = await rows<{ id: number }>(db, sql`SELECT id FROM case_category WHERE parent_id IS NOT NULL AND active ORDER BY id LIMIT 1`);
    await db.execute(sql`UPDATE area SET name = ${payload('village')} WHERE id = ${v!.id}`);
    await db.execute(sql`UPDATE area SET name = ${payload('micro')} WHERE id = ${m!.id}`);
    await db.execute(sql`UPDATE case_category SET name = ${payload('category')} WHERE id = ${cat!.id}`);
    const at = insidePoint(typeof m!.boundary === 'string' ? JSON.parse(m!.boundary) as Geometry : m!.boundary);
    const [c] = await rows<{ id: number }>(db, sql`INSERT INTO case_file (no, source, state, category_id, area_id, description, lat, lng, reported_at, registered_at)
      VALUES ('2099123100012', 'desk', 'registered', ${cat!.id}, ${m!.id}, '端到端：名称里的脚本只是文字', ${at.lat}, ${at.lng}, now(), now()) RETURNING id`);

    // ---- the residents' page: the village tap map names every village, as text
    {
      const { context, page } = await newPage(env.browser, { mobile: true });
      const w = watch(page);
      try {
        await page.goto(`${env.server.url}/s`);
        await page.getByTestId('pub-open-map').click();
        const map = page.getByTestId('pub-map');
        await expect.poll(() => map.getAttribute('data-status')).toBe('ready');
        await expect.poll(() => page.locator('.pub-map-label').count()).toBe(40);
        const labels = await page.locator('.pub-map-label').allTextContents();
        expect(labels).toContain(payload('village'));
        expect(await page.locator('.pub-map-label img').count()).toBe(0);
        await page.screenshot({ path: path.join(SCREENSHOTS, 'security-xss-public-map.png') });
        await w.clean('/s map');
      } finally { await context.close(); }
    }

    // ---- the staff app as the global administrator
    const { context, page } = await newPage(env.browser);
    const w = watch(page);
    try {
      await signIn(page, 'admin');

      // 案件地图: the boundary tooltip names the village and micro-grid; the popup names the category.
      await page.getByTestId('menu-map').click();
      const box = page.getByTestId('map-box');
      await expect.poll(async () => Number(await box.getAttribute('data-cases'))).toBeGreaterThanOrEqual(1);
      await expect.poll(async () => Number(await box.getAttribute('data-boundaries'))).toBeGreaterThan(0);
      await expect.poll(async () => Number(await box.getAttribute('data-villages'))).toBeGreaterThan(0);
      await page.getByTestId(`map-item-${c!.id}`).click();
      const popup = page.getByTestId('map-popup');
      await popup.waitFor();
      expect(await popup.textContent()).toContain(payload('category'));
      expect(await popup.locator('img').count()).toBe(0);
      await page.locator('.leaflet-popup-close-button').click();
      await expect.poll(() => page.getByTestId('map-popup').count()).toBe(0);
      // Hover just below the case's circle: inside its micro-grid (or a neighbour in the same village).
      const marker = (await page.locator('.case-marker').first().boundingBox())!;
      await page.mouse.move(marker.x + marker.width / 2, marker.y + marker.height / 2 + 16);
      const tip = page.locator('.leaflet-tooltip.map-boundary-tip');
      await expect.poll(() => tip.count()).toBe(1);
      expect(await tip.textContent()).toContain(payload('village'));
      expect(await tip.locator('img').count()).toBe(0);
      // The case's own tooltip (its number) is text too.
      await page.mouse.move(marker.x + marker.width / 2, marker.y + marker.height / 2);
      await expect.poll(() => page.locator('.leaflet-tooltip').filter({ hasText: '2099123100012' }).count()).toBe(1);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'security-xss-case-map.png') });
      await w.clean('case map');

      // The case page: its map labels the micro-grid.
      await page.goto(`${env.server.url}/#/cases/${c!.id}`);
      const caseMap = page.getByTestId('case-map');
      await expect.poll(() => caseMap.getAttribute('data-status')).toBe('boundaries');
      await expect.poll(() => caseMap.locator('.wg-area-label').count()).toBe(1);
      expect(await caseMap.locator('.wg-area-label').textContent()).toBe(payload('micro'));
      expect(await caseMap.locator('.wg-area-label img').count()).toBe(0);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'security-xss-case-page.png'), fullPage: true });
      await w.clean('case page');

      // The areas page (no map there): the name is a title, as text.
      await page.goto(`${env.server.url}/#/areas/${v!.id}`);
      await expect.poll(() => page.getByTestId('area-title').textContent()).toBe(payload('village'));
      // The daily bulletin lists the village by name.
      await page.getByTestId('menu-bulletin').click();
      await page.getByTestId('bulletin-page').waitFor();
      await expect.poll(async () => (await page.getByTestId('bulletin-page').textContent()) ?? '').toContain(payload('village'));
      await w.clean('areas and bulletin');
      expect(w.errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a page on another port cannot change anything with the administrator\'s cookie, and the app cannot be framed', async () => {
    const db = env.server.database.db;
    const [target] = await rows<{ id: number; name: string }>(db, sql`SELECT id, name FROM area WHERE code = ${`${TOWN}201`}`);
    const photosBefore = Number((await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM case_photo`))[0]!.n);
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 90, g: 140, b: 60 } } }).jpeg().toBuffer();
    const app = env.server.url;
    const attackerHtml = `<!doctype html><html><head><meta charset="utf-8"><title>prize</title></head><body>
<iframe name="f1"></iframe><iframe name="f2"></iframe><iframe name="f3"></iframe>
<form id="a" action="${app}/api/v1/areas/${target!.id}/archive" method="POST" enctype="text/plain" target="f1"><input name='{"x":"' value='"}'></form>
<form id="b" action="${app}/api/v1/photos" method="POST" enctype="multipart/form-data" target="f2"><input type="file" name="file" id="file"></form>
<form id="c" action="${app}/api/v1/areas/${target!.id}/archive" method="POST" enctype="multipart/form-data" target="f3"><input name="x" value="1"></form>
<script>
const JPEG = '${jpeg.toString('base64')}';
const submit = (id) => new Promise((resolve) => {
  const f = document.getElementById(id);
  document.querySelector('iframe[name="' + f.target + '"]').addEventListener('load', () => resolve(), { once: true });
  f.submit();
});
(async () => {
  const bytes = Uint8Array.from(atob(JPEG), (ch) => ch.charCodeAt(0));
  const file = new File([bytes], 'x.jpg', { type: 'image/jpeg' });
  const dt = new DataTransfer(); dt.items.add(file); document.getElementById('file').files = dt.files;
  await Promise.all([submit('a'), submit('b'), submit('c')]);
  const fd = new FormData(); fd.append('file', file);
  await fetch('${app}/api/v1/photos', { method: 'POST', mode: 'no-cors', credentials: 'include', body: fd }).catch(() => {});
  await fetch('${app}/api/v1/areas/${target!.id}/archive', { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: '{}' }).catch(() => {});
  document.title = 'done';
})();
</script></body></html>`;
    const attacker = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(attackerHtml);
    });
    await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', () => r()));
    const attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`;

    const { context, page } = await newPage(env.browser);
    try {
      await signIn(page, 'admin');
      // The same browser (same cookie jar) opens the attacker's page.
      const evil = await context.newPage();
      // Each request the attacker's page sent to the app, with the status it was answered with when the
      // browser lets us see it (a no-cors answer may be blocked from the page altogether: then only the
      // state below tells).
      const sent = new Map<object, { url: string; status: number | null; failure?: string }>();
      const isApp = (url: string) => url.startsWith(`${app}/api/`);
      evil.on('request', (r) => { if (isApp(r.url())) sent.set(r, { url: `${r.method()} ${r.url().slice(app.length)}`, status: null }); });
      evil.on('response', (r) => { const s = sent.get(r.request()); if (s) s.status = r.status(); });
      evil.on('requestfailed', (r) => { const s = sent.get(r); if (s) s.failure = r.failure()?.errorText; });
      await evil.goto(attackerUrl);
      await expect.poll(() => evil.title(), { timeout: 15_000 }).toBe('done');
      await expect.poll(() => sent.size).toBe(5);
      const seen = [...sent.values()];
      // Refused by the Origin check (403) wherever an answer is visible; never a success.
      for (const s of seen) if (s.status !== null) expect(s.status, s.url).toBe(403);
      expect(seen.filter((s) => s.status === 403).length, JSON.stringify(seen)).toBeGreaterThanOrEqual(3);
      const area = await apiGet<{ archived: boolean }>(page, `/areas/${target!.id}`);
      expect(area.archived).toBe(false);
      const photosAfter = Number((await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM case_photo`))[0]!.n);
      expect(photosAfter).toBe(photosBefore);

      // The app itself is not to be framed: CSP frame-ancestors 'none' (or X-Frame-Options DENY).
      const home = await page.request.get(`${app}/`);
      const csp = home.headers()['content-security-policy'] ?? '';
      const xfo = (home.headers()['x-frame-options'] ?? '').toUpperCase();
      expect(csp.includes("frame-ancestors 'none'") || xfo === 'DENY', `CSP: ${csp}; X-Frame-Options: ${xfo}`).toBe(true);
    } finally {
      await context.close();
      await new Promise<void>((r) => attacker.close(() => r()));
    }
  });

  /** The 设置 submenu's items, opened. */
  async function settingsItems(page: Page): Promise<string[]> {
    if (await page.getByTestId('menu-settings').count() === 0) return [];
    await page.getByTestId('menu-settings').click();
    await page.getByTestId('menu-settings-duties').waitFor();
    return page.locator('[data-testid^="menu-settings-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('menu-settings-'.length)));
  }

  /** 区域网格, the user's own (first) area opened: whether 编辑 and 新增下级 show. */
  async function areaButtons(page: Page): Promise<{ edit: number; add: number }> {
    const me = await apiGet<{ areas: { id: number }[] }>(page, '/me');
    await page.getByTestId('menu-areas').click();
    await page.goto(`${env.server.url}/#/areas/${me.areas[0]!.id}`);
    await page.getByTestId('area-detail').waitFor();
    await page.getByTestId('area-title').waitFor();
    return { edit: await page.getByTestId('area-edit').count(), add: await page.getByTestId('area-add-child').count() };
  }

  it('shows each user only what their duties allow', async () => {
    const seen: Record<string, { settings: string[]; audit: number; intake: number; report: number; buttons: { edit: number; add: number } }> = {};
    for (const user of ['xianji', 'wgy001', 'zhenadmin']) {
      const { context, page } = await newPage(env.browser);
      try {
        await signIn(page, user);
        const me = await apiGet<{ capabilities: string[] }>(page, '/me');
        expect(me.capabilities.length, user).toBeGreaterThan(0);
        seen[user] = {
          settings: await settingsItems(page),
          audit: await page.getByTestId('menu-audit').count(),
          intake: await page.getByTestId('menu-intake').count(),
          report: await page.getByTestId('menu-report').count(),
          buttons: await areaButtons(page),
        };
        await page.screenshot({ path: path.join(SCREENSHOTS, `security-view-${user}.png`) });
      } finally { await context.close(); }
    }
    // The county viewer reads (residents' reports included, masked) and changes nothing.
    expect(seen.xianji).toEqual({ settings: ['duties'], audit: 0, intake: 1, report: 0, buttons: { edit: 0, add: 0 } });
    // The grid worker reports and handles their cases; no settings, no audit, no intake queue.
    expect(seen.wgy001).toEqual({ settings: ['duties'], audit: 0, intake: 0, report: 1, buttons: { edit: 0, add: 0 } });
    // The town administrator manages the town's areas, categories and robots (install-wide settings are not theirs).
    expect(seen.zhenadmin).toEqual({ settings: ['categories', 'notify', 'duties'], audit: 1, intake: 1, report: 1, buttons: { edit: 1, add: 1 } });
  });

  it('设置 → 职责权限: read-only to a town user; the administrator saves a row and sees the server\'s refusal', async () => {
    {
      const { context, page } = await newPage(env.browser);
      try {
        await signIn(page, 'zhenadmin');
        await page.goto(`${env.server.url}/#/settings/duties`);
        await page.getByTestId('duties-page').waitFor();
        await page.getByTestId('duties-readonly').waitFor();
        expect(await page.getByTestId('duties-page').getAttribute('data-editable')).toBe('0');
        expect(await page.getByTestId('duty-cell-cases.export-volunteer').isDisabled()).toBe(true);
        expect(await page.getByTestId('duty-save-cases.export').count()).toBe(0);
      } finally { await context.close(); }
    }
    const { context, page } = await newPage(env.browser);
    const w = watch(page);
    try {
      await signIn(page, 'admin');
      await page.getByTestId('menu-settings').click();
      await page.getByTestId('menu-settings-duties').click();
      await page.getByTestId('duties-page').waitFor();
      await page.getByTestId('duty-row-cases.export').waitFor();
      expect(await page.getByTestId('duties-page').getAttribute('data-editable')).toBe('1');
      // Marks: money and manage duties need a second factor; install-wide ones are global.
      await page.getByTestId('duty-2fa-rewards.bounty.decide').waitFor();
      await page.getByTestId('duty-global-settings.manage').waitFor();
      expect(await page.getByTestId('duty-global-cases.export').count()).toBe(0);
      expect(await page.getByTestId('duty-group-rewards').textContent()).toContain('审批爆料奖励');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'duties.png'), fullPage: true });

      // Give volunteers 导出案件, save the row: the server has it.
      const cell = page.getByTestId('duty-cell-cases.export-volunteer');
      expect(await cell.getAttribute('data-checked')).toBe('0');
      await cell.click();
      await page.getByTestId('duty-save-cases.export').click();
      await expect.poll(async () => (await apiGet<{ duties: { key: string; roles: string[] }[] }>(page, '/duties')).duties
        .find((d) => d.key === 'cases.export')!.roles).toContain('volunteer');
      await page.getByTestId('duty-not-default-cases.export').waitFor();
      // Back to the default.
      await page.getByTestId('duty-default-cases.export').click();
      await page.getByTestId('duty-save-cases.export').click();
      await expect.poll(async () => (await apiGet<{ duties: { key: string; roles: string[] }[] }>(page, '/duties')).duties
        .find((d) => d.key === 'cases.export')!.roles).not.toContain('volunteer');

      // Taking 修改职责权限表 from the administrators is refused: the server says why, beside the row.
      await page.getByTestId('duty-cell-duties.manage-admin').click();
      await page.getByTestId('duty-save-duties.manage').click();
      const refusal = page.getByTestId('duty-error-duties.manage');
      await refusal.waitFor();
      expect(await refusal.textContent()).toContain('系统管理员必须保留');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'duties-refused.png') });
      expect((await apiGet<{ duties: { key: string; roles: string[] }[] }>(page, '/duties')).duties.find((d) => d.key === 'duties.manage')!.roles).toContain('admin');
      await w.clean('duties page');
      expect(w.errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
