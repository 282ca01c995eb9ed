// 随手拍, the "done means": a resident on a phone (no login, no app) takes a photo, the place
// comes from GPS, picks a category, writes a line and sends it (a dropped answer and a retry make one
// report), sees the tracking number; the town clerk reviews it on 群众上报, registers and dispatches it
// to the grid worker; the worker reports the fix and a checker passes it (through the API: the screens
// for those steps are covered by e2e/cases.test.ts); the resident sees 已办结 and rates it 满意.
// Then the map-tap path (GPS refused), a duplicate merged on the staff page on a phone, and the
// server's own words for a flood (429) on the resident's page.
import path from 'node:path';
import fs from 'node:fs';
import sharp from 'sharp';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, SCREENSHOTS, WEB_DIST, login, newPage, useAppAndBrowser } from './harness.js';
import { ADMIN_PASSWORD, login as apiLogin } from '../apps/api/test/helpers.js';
import { form, multipart } from '../apps/api/test/images.js';
import { rows, sql } from '../apps/api/src/db/client.js';
import { polygonsOf } from '../apps/api/src/modules/intake/placement.rules.js';
import { jpegWithExif } from '../apps/api/src/modules/evidence/evidence.fixtures.js';

/** A phone-sized photo over the page's shrink threshold (noise does not compress), with capture time and GPS. */
async function bigPhotoWithExif(): Promise<Buffer> {
  const w = 2400, h = 1800;
  const px = Buffer.alloc(w * h * 3);
  let r = 12345;
  for (let i = 0; i < px.length; i++) { r = (r * 1103515245 + 12345) & 0x7fffffff; px[i] = (r >> 16) & 0xff; }
  const out = await jpegWithExif(sharp(px, { raw: { width: w, height: h, channels: 3 } }), { dateTimeOriginal: '2026:11:20 09:30:00', lat: 36.97, lng: 117.97, orientation: 1 }, 90);
  expect(out.length).toBeGreaterThan(1_500_000);
  return out;
}

const env = useAppAndBrowser();
let inside: { lat: number; lng: number; name: string };
let category: { code: string; name: string };

/** A 1200×900 JPEG with a pattern of its own, as a phone camera would give (smaller). */
async function photo(seed: number): Promise<Buffer> {
  const w = 1200, h = 900;
  const px = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const on = (Math.floor(x / (60 + seed * 10)) + Math.floor(y / 70)) % 2 === 0;
      const i = (y * w + x) * 3;
      px[i] = on ? 120 + seed * 20 : 70; px[i + 1] = on ? 110 : 95; px[i + 2] = on ? 60 : 40 + seed * 30;
    }
  }
  return sharp(px, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 82 }).toBuffer();
}

/** A phone: 390×844, touch, Chinese, China time; GPS at `at` when given (else location is refused). */
async function phone(at?: { lat: number; lng: number }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await env.browser.newContext({
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai',
    ...(at ? { geolocation: { latitude: at.lat, longitude: at.lng, accuracy: 15 }, permissions: ['geolocation'] } : {}),
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return { context, page };
}

const shot = (page: Page, name: string, fullPage = true) => page.screenshot({ path: path.join(SCREENSHOTS, `intake-${name}.png`), fullPage });

async function api(user: string) {
  const cookie = await apiLogin(env.server.app, user, user === 'admin' ? ADMIN_PASSWORD : DEMO_PASSWORD);
  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
    const r = await env.server.app.inject({ method, url: `/api/v1${url}`, payload, headers: { cookie } });
    expect(r.statusCode, `${method} ${url}: ${r.body}`).toBeLessThan(300);
    return r.json();
  };
  const step = async (id: number, action: string, body: Record<string, unknown> = {}) => {
    const c = await call('GET', `/cases/${id}`);
    return call('POST', `/cases/${id}/steps`, { action, version: c.version, ...body });
  };
  const upload = async (buf: Buffer) => {
    const m = multipart(buf);
    const r = await env.server.app.inject({ method: 'POST', url: '/api/v1/photos', payload: m.payload, headers: { ...m.headers, cookie } });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as number;
  };
  return { call, step, upload };
}

beforeAll(async () => {
  // A point inside a micro-grid of wgy001's grid (as apps/api/src/modules/intake/intake.test.ts finds it).
  const [g] = await rows<{ boundary: unknown; name: string }>(env.server.database.db, sql`SELECT m.boundary, m.name FROM app_user u
    JOIN user_role r ON r.user_id = u.id JOIN area m ON m.parent_id = r.area_id
    WHERE u.username = 'wgy001' AND m.level_key = 'micro_grid' AND m.boundary IS NOT NULL ORDER BY m.code LIMIT 1`);
  const ring = polygonsOf(typeof g!.boundary === 'string' ? JSON.parse(g!.boundary) : g!.boundary)[0]![0]!.slice(0, -1);
  inside = { lng: ring.reduce((a, p) => a + p[0]!, 0) / ring.length, lat: ring.reduce((a, p) => a + p[1]!, 0) / ring.length, name: g!.name };
  const cats = (await env.server.app.inject({ url: '/api/public/categories' })).json() as { items: { code: string; name: string }[] };
  category = cats.items.find((c) => c.name === '暴露垃圾')!;
});

describe('随手拍', () => {
  it('a resident reports from a phone; the clerk reviews, registers and dispatches; fixed and checked; the resident sees 已办结 and rates it', async () => {
    const errors: string[] = [];
    const description = `e2e：村口路边一堆生活垃圾 ${Date.now()}`;
    const resident = await phone(inside);
    const rp = resident.page;
    rp.on('pageerror', (e) => errors.push(`resident: ${e.message}`));
    const requested: string[] = [];
    rp.on('request', (r) => requested.push(r.url()));
    let no = '';
    let caseId = 0;
    let caseNo = '';
    try {
      // /s is its own small page: no login, no antd, no map until asked for.
      await rp.goto(`${env.server.url}/s`);
      await rp.getByTestId('pub-form').waitFor();
      await expect.poll(() => rp.getByTestId('pub-category').count()).toBeGreaterThan(10);
      expect(await rp.title()).toContain('随手拍');
      await shot(rp, 'phone-empty');
      // Submitting an empty form says what is missing, before anything is sent.
      await rp.getByTestId('pub-submit').click();
      expect(await rp.getByTestId('pub-problems').textContent()).toContain('请拍一张问题的照片');

      // A photo from the camera; the place then comes from GPS by itself.
      await rp.getByTestId('pub-camera').setInputFiles({ name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: await photo(1) });
      await expect.poll(() => rp.getByTestId('pub-photo').count()).toBe(1);
      await expect.poll(() => rp.getByTestId('pub-place').getAttribute('data-source')).toBe('gps');
      expect(await rp.getByTestId('pub-coords').textContent()).toContain(`${inside.lat.toFixed(5)}, ${inside.lng.toFixed(5)}`);
      await rp.getByTestId('pub-category').filter({ hasText: category.name }).first().click();
      expect(await rp.getByTestId('pub-category').filter({ hasText: category.name }).first().getAttribute('aria-pressed')).toBe('true');
      await rp.getByTestId('pub-text').fill(description);
      expect(await rp.getByTestId('pub-count').textContent()).toBe(`${[...description].length}/500`);
      await rp.getByTestId('pub-phone').fill('138 0013 8000');
      await rp.getByTestId('pub-name').fill('王先生');
      await shot(rp, 'phone-filled');

      // The answer is lost on the way back: the form stays, the button says 重新提交, and sending again makes no second report.
      let dropped = false;
      await rp.route('**/api/public/reports', async (route) => {
        if (route.request().method() !== 'POST' || dropped) return route.fallback();
        dropped = true;
        await route.fetch(); // the server takes the report…
        await route.abort('connectionreset'); // …and the phone never hears of it
      });
      await rp.getByTestId('pub-submit').click();
      await rp.getByTestId('pub-error').waitFor();
      expect(await rp.getByTestId('pub-error').textContent()).toContain('网络');
      expect(await rp.getByTestId('pub-submit').textContent()).toBe('重新提交');
      await shot(rp, 'phone-retry');
      await rp.unroute('**/api/public/reports');
      await rp.getByTestId('pub-submit').click();
      await rp.getByTestId('pub-done').waitFor();
      // the tracking number: 12 random letters and digits, shown in groups of four (never the case number)
      no = (await rp.getByTestId('pub-no').getAttribute('data-no'))!;
      expect(no).toMatch(/^[0-9A-HJKMNP-TV-Z]{12}$/);
      expect((await rp.getByTestId('pub-no').textContent())!.trim()).toBe(`${no.slice(0, 4)}-${no.slice(4, 8)}-${no.slice(8)}`);
      expect(await rp.getByTestId('pub-done-again').count()).toBe(1); // the first try had arrived
      expect(await rp.getByTestId('pub-done').textContent()).toContain(inside.name);
      await shot(rp, 'phone-done');
      const clerk = await api('zhenadmin');
      const all = await clerk.call('GET', '/intake/reports?view=all&pageSize=100') as { items: { no: string; publicNo: string; caseId: number; description: string }[] };
      const mine = all.items.filter((x) => x.description === description);
      expect(mine.map((x) => x.publicNo), 'one report, not two').toEqual([no]);
      caseId = mine[0]!.caseId;
      caseNo = mine[0]!.no;
      expect(requested.some((u) => /leaflet|antd|PickMap/i.test(u)), 'the report page loads no map and no antd').toBe(false);

      // 我的上报 keeps it on the phone; its status page says it is received.
      const kept = await rp.evaluate(() => localStorage.getItem('wangge.public.mine'));
      expect(kept).toContain(no);
      await rp.getByTestId('pub-done-status').click();
      await rp.getByTestId('pub-status').waitFor();
      expect(await rp.getByTestId('pub-status-text').textContent()).toBe('已收到，待受理');
      expect(await rp.getByTestId('pub-status-desc').textContent()).toBe(description); // the reporter sees their own text
      expect(await rp.getByTestId('pub-status-photos').locator('img').count()).toBe(1);
      await shot(rp, 'phone-status-received');
    } catch (e) {
      await shot(rp, 'failed-resident').catch(() => {});
      throw e;
    }

    // --- the clerk (zhenadmin) on 群众上报: review, then the case page to register and dispatch ----
    const desk = await newPage(env.browser);
    const dp = desk.page;
    dp.on('pageerror', (e) => errors.push(`clerk: ${e.message}`));
    try {
      await login(dp, env.server.url, 'zhenadmin', DEMO_PASSWORD);
      await dp.getByTestId('menu-intake').click();
      await dp.getByTestId('intake-page').waitFor();
      const item = dp.getByTestId('intake-list').locator(`[data-case-no="${caseNo}"]`);
      await item.waitFor();
      await item.click();
      const panel = dp.getByTestId('intake-panel');
      await panel.waitFor();
      expect(await panel.getAttribute('data-reviewed')).toBe('false');
      expect(await dp.getByTestId('intake-photo').count()).toBe(1);
      expect(await dp.getByTestId('intake-area').textContent()).toBe(inside.name);
      // The phone is masked; the full number is a logged look.
      expect(await dp.getByTestId('intake-phone').textContent()).toBe('138****8000');
      await dp.getByTestId('intake-reveal-phone').click();
      await dp.locator('.ant-modal-confirm .ant-btn-primary').click();
      await expect.poll(() => dp.getByTestId('intake-phone-full').textContent()).toContain('13800138000');
      const audit = await (await api('admin')).call('GET', `/audit?entity=case&entityId=${caseId}`) as { items?: { action: string; entityId: string }[] } | { action: string; entityId: string }[];
      const entries = Array.isArray(audit) ? audit : audit.items ?? [];
      expect(entries.some((a) => a.action === 'intake.phone.reveal' && String(a.entityId) === String(caseId))).toBe(true);
      // Publish it with the text as sent.
      await dp.getByTestId('intake-review-submit').click();
      await expect.poll(() => panel.getAttribute('data-reviewed')).toBe('true');
      await shot(dp, 'desk-reviewed');

      await dp.getByTestId('intake-open-case').click();
      await dp.getByTestId('case-detail').waitFor();
      expect(await dp.getByTestId('case-intake-link').count()).toBe(1);
      const stateOf = () => dp.getByTestId('case-detail').getAttribute('data-case-state');
      const act = async (action: string, to: string) => {
        await dp.getByTestId(`case-action-${action}`).click();
        await dp.locator('.ant-modal-wrap:visible').waitFor();
        if (action === 'dispatch') {
          // 暴露垃圾 suggests the cleaner of the patch; the clerk sends it to the grid worker (wgy001, 潘红健) instead.
          await dp.getByTestId('dispatch-assignee').click();
          await dp.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: '潘红健' }).first().click();
          await expect.poll(() => dp.getByTestId('dispatch-assignee').textContent()).toContain('潘红健');
        }
        await dp.getByTestId('case-action-submit').click();
        await expect.poll(stateOf).toBe(to);
      };
      await act('register', 'registered');
      await act('dispatch', 'dispatched');
      expect(await dp.getByTestId('case-assignee').textContent()).toBe('潘红健');
      await shot(dp, 'desk-case-dispatched');
    } catch (e) {
      await shot(dp, 'failed-clerk').catch(() => {});
      throw e;
    }

    // --- the grid worker fixes it, the checker passes it (API; the screens are in e2e/cases.test.ts) --
    const worker = await api('wgy001');
    const c = await worker.call('GET', `/cases/${caseId}`) as { assigneeName: string };
    expect(c.assigneeName).toBe('潘红健');
    await worker.step(caseId, 'accept');
    await worker.step(caseId, 'feedback', { note: '已清理', photoIds: [await worker.upload(await photo(2))] });
    await (await api('zhenadmin')).step(caseId, 'pass', { note: '现场核查已清理' });

    // --- the resident: 已办结, rates it 满意 ----------------------------------------------------------
    try {
      await rp.reload();
      await rp.getByTestId('pub-status').waitFor();
      await expect.poll(() => rp.getByTestId('pub-status-text').textContent()).toBe('已办结');
      const steps = await rp.getByTestId('pub-timeline').locator('li').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
      expect(steps).toEqual(['pass', 'feedback', 'accept', 'dispatch', 'register', 'report']);
      expect(await rp.getByTestId('pub-timeline').textContent()).not.toContain('潘红健');
      expect(await rp.getByTestId('pub-status-photos').locator('img').count()).toBe(2); // before and after
      await rp.getByTestId('pub-rate-satisfied').click();
      await rp.getByTestId('pub-rate-note').fill('清理得很干净');
      await shot(rp, 'phone-status-closed');
      await rp.getByTestId('pub-rate-submit').click();
      await expect.poll(() => rp.getByTestId('pub-rating').getAttribute('data-rating')).toBe('satisfied');
      expect(await rp.getByTestId('pub-rating').textContent()).toContain('满意');
      expect(await rp.getByTestId('pub-rate').count()).toBe(0);
      expect(await rp.getByTestId('pub-reopen').count()).toBe(1); // one reopen is still possible
      await shot(rp, 'phone-status-rated');
      // 查询进度: 我的上报 lists it; an unknown number gets the server's answer.
      await rp.getByTestId('pub-tab-lookup').click();
      await rp.locator(`[data-testid="pub-mine-item"][data-no="${no}"]`).waitFor();
      await shot(rp, 'phone-lookup');
      await rp.getByTestId('pub-q-no').fill('zzzz-zzzz-zzzz');
      await rp.getByTestId('pub-q-go').click();
      await expect.poll(() => rp.getByTestId('pub-status-error').textContent()).toContain('没有编号为 ZZZZZZZZZZZZ 的群众上报');
      // The staff see the rating on the report.
      await dp.goto(`${env.server.url}/#/intake?view=all&case=${caseId}`);
      await expect.poll(() => dp.getByTestId('intake-rating').textContent()).toContain('满意');
      await shot(dp, 'desk-rated');
      expect(errors).toEqual([]);
    } catch (e) {
      await shot(rp, 'failed-resident').catch(() => {});
      throw e;
    } finally {
      await resident.context.close();
      await desk.context.close();
    }
  });

  it('a place tapped on the map when GPS is refused; a duplicate merged on a phone; the server\'s words for a flood', async () => {
    const errors: string[] = [];
    const resident = await phone(); // no location permission
    const rp = resident.page;
    rp.on('pageerror', (e) => errors.push(`resident: ${e.message}`));
    let tapped: { lat: number; lng: number } | null = null;
    let no = '';
    try {
      await rp.goto(`${env.server.url}/s`);
      await rp.getByTestId('pub-gallery').setInputFiles([
        { name: 'a.jpg', mimeType: 'image/jpeg', buffer: await photo(3) },
        { name: 'b.jpg', mimeType: 'image/jpeg', buffer: await bigPhotoWithExif() },
      ]);
      await expect.poll(() => rp.getByTestId('pub-photo').count()).toBe(2);
      await expect.poll(() => rp.getByTestId('pub-photo').nth(1).textContent()).toContain('已压缩'); // shrunk before sending
      // Location refused: a clear message, and the map instead.
      await rp.getByTestId('pub-geo-error').waitFor();
      expect(await rp.getByTestId('pub-geo-error').textContent()).toMatch(/权限|https/);
      expect(await rp.getByTestId('pub-geo-error').textContent()).toContain('在地图上选');
      await shot(rp, 'phone-geo-refused');
      await rp.getByTestId('pub-open-map').click();
      const map = rp.getByTestId('pub-map');
      await expect.poll(() => map.getAttribute('data-status')).toBe('ready');
      await expect.poll(() => rp.locator('.pub-map-label').count()).toBe(40); // the 40 villages, named
      const box = (await map.boundingBox())!;
      await map.tap({ position: { x: box.width / 2, y: box.height / 2 } });
      await expect.poll(() => rp.getByTestId('pub-map-picked').textContent()).toMatch(/新城镇 \S+村/);
      await shot(rp, 'phone-map', false);
      await rp.getByTestId('pub-map-ok').click();
      await expect.poll(() => rp.getByTestId('pub-place').getAttribute('data-source')).toBe('map');
      expect(await rp.getByTestId('pub-place').textContent()).toMatch(/地图上选的位置：新城镇 \S+村/);
      const coords = (await rp.getByTestId('pub-coords').textContent())!.split(',').map((s) => Number(s.trim()));
      tapped = { lat: coords[0]!, lng: coords[1]! };
      await rp.getByTestId('pub-category').filter({ hasText: category.name }).first().click();
      await rp.getByTestId('pub-text').fill('e2e：河边有人倒垃圾');
      await rp.getByTestId('pub-submit').click();
      await rp.getByTestId('pub-done').waitFor();
      no = (await rp.getByTestId('pub-no').getAttribute('data-no'))!;
      await shot(rp, 'phone-map-done');
    } catch (e) {
      await shot(rp, 'failed-map').catch(() => {});
      throw e;
    }

    // The large photo was shrunk on the phone and still carries its capture time and place.
    const shots = await rows<{ taken_at: unknown; lat: number | null; bytes: number }>(env.server.database.db, sql`SELECT p.taken_at, p.lat, p.bytes
      FROM case_photo p JOIN public_report r ON r.case_id = p.case_id WHERE r.public_no = ${no} ORDER BY p.id`);
    expect(shots).toHaveLength(2);
    expect(shots.filter((x) => x.taken_at !== null && x.lat !== null)).toHaveLength(1);

    // Someone else reports the same thing at the same place: the clerk, on a phone, merges it.
    const f = form({ category: category.code, description: 'e2e：同一处垃圾又被拍了一次', lat: tapped!.lat, lng: tapped!.lng }, [{ buf: await photo(5) }]);
    const second = await env.server.app.inject({ method: 'POST', url: '/api/public/reports', payload: f.payload, headers: f.headers });
    expect(second.statusCode, second.body).toBe(201);
    const dup = second.json() as { no: string; caseId: number };
    // staff screens name cases by their case numbers
    const caseNoOf = async (publicNo: string) => (await rows<{ no: string }>(env.server.database.db,
      sql`SELECT c.no FROM case_file c JOIN public_report r ON r.case_id = c.id WHERE r.public_no = ${publicNo}`))[0]!.no;
    const [firstCaseNo, dupCaseNo] = [await caseNoOf(no), await caseNoOf(dup.no)];
    const clerk = await newPage(env.browser, { mobile: true });
    const cp = clerk.page;
    cp.on('pageerror', (e) => errors.push(`clerk: ${e.message}`));
    try {
      await login(cp, env.server.url, 'zhenadmin', DEMO_PASSWORD);
      await cp.getByTestId('inbox-page').or(cp.getByTestId('menu-toggle')).first().waitFor();
      await cp.goto(`${env.server.url}/#/intake`);
      await cp.getByTestId('intake-list').locator(`[data-case-no="${dupCaseNo}"]`).waitFor();
      await shot(cp, 'phone-staff-list');
      await cp.getByTestId('intake-list').locator(`[data-case-no="${dupCaseNo}"]`).click();
      await cp.getByTestId('intake-panel').waitFor();
      const hit = cp.getByTestId('intake-dup').filter({ hasText: firstCaseNo });
      await hit.waitFor();
      expect(await hit.textContent()).toMatch(/^[01] 米/); // the same point, to the 5 decimals the page showed
      // Hide the second photo from the public, then merge.
      await cp.getByTestId('intake-photo-toggle').first().click();
      await expect.poll(() => cp.getByTestId('intake-photo').first().getAttribute('data-hidden')).toBe('true');
      await shot(cp, 'phone-staff-panel');
      await hit.getByTestId('intake-merge').click();
      await cp.locator('.ant-popconfirm .ant-btn-primary').click();
      await expect.poll(() => cp.getByTestId('intake-panel').getAttribute('data-state')).toBe('refused');
      expect(await cp.getByTestId('intake-merged').textContent()).toContain(firstCaseNo);
      const view = (await env.server.app.inject({ url: `/api/public/reports/${dup.no}` })).json() as { status: string; duplicateOf: string };
      expect(view).toMatchObject({ status: 'refused', duplicateOf: no });
      await shot(cp, 'phone-staff-merged');
    } catch (e) {
      await shot(cp, 'failed-clerk-phone').catch(() => {});
      throw e;
    } finally {
      await clerk.context.close();
    }

    // A flood from one address: the resident sees the server's own message (429), and the form stays.
    const admin = await api('admin');
    const limits = await admin.call('GET', '/intake/settings') as Record<string, number>;
    try {
      await admin.call('PUT', '/intake/settings', { ...limits, perAddress10Min: 1 });
      await rp.getByTestId('pub-again').click();
      await rp.getByTestId('pub-camera').setInputFiles({ name: 'c.jpg', mimeType: 'image/jpeg', buffer: await photo(6) });
      await rp.getByTestId('pub-open-map').click();
      await expect.poll(() => rp.getByTestId('pub-map').getAttribute('data-status')).toBe('ready');
      await rp.getByTestId('pub-map').tap({ position: { x: 120, y: 200 } });
      await rp.getByTestId('pub-map-ok').click();
      await rp.getByTestId('pub-category').first().click();
      await rp.getByTestId('pub-text').fill('e2e：再报一件');
      await rp.getByTestId('pub-submit').click();
      await rp.getByTestId('pub-error').waitFor();
      expect(await rp.getByTestId('pub-error').textContent()).toContain('提交太频繁：10 分钟内最多 1 件');
      expect(await rp.getByTestId('pub-photo').count()).toBe(1);
      await shot(rp, 'phone-flood');
      expect(errors).toEqual([]);
    } finally {
      await admin.call('PUT', '/intake/settings', limits);
      await resident.context.close();
    }
  });

  it('serves the page at /s, small, with the map apart', async () => {
    const r = await fetch(`${env.server.url}/s`);
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain('随手拍');
    const scripts = [...html.matchAll(/(?:src|href)="\/assets\/([^"]+\.js)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    const { gzipSync } = await import('node:zlib');
    const gz = scripts.reduce((n, s) => n + gzipSync(fs.readFileSync(path.join(WEB_DIST, 'assets', s))).length, 0);
    // React and the page, gzipped (the map and leaflet load only when opened).
    expect(gz).toBeLessThan(85 * 1024);
    expect(scripts.some((s) => /leaflet|PickMap/.test(s))).toBe(false);
    expect((await fetch(`${env.server.url}/s/`, { redirect: 'manual' })).status).toBe(302);
  });
});
