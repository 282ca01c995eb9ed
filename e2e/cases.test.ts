// One case from report to closed through the screens: a grid worker reports on a phone (photo, GPS, map), the
// town admin registers and dispatches it, the grid worker reports the fix with an after photo, the admin
// compares before and after and closes it; the list shows 已结案 and the export holds it.
import path from 'node:path';
import ExcelJS from 'exceljs';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, SCREENSHOTS, login, newPage, useAppAndBrowser } from './harness.js';

const env = useAppAndBrowser();

/** A 640×480 JPEG with a pattern of its own (stripes or a checkerboard), so before and after differ. */
async function jpeg(kind: 'stripes' | 'checks'): Promise<Buffer> {
  const w = 640, h = 480;
  const px = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const on = kind === 'stripes' ? Math.floor(y / 40) % 2 === 0 : (Math.floor(x / 80) + Math.floor(y / 80)) % 2 === 0;
      const i = (y * w + x) * 3;
      px[i] = on ? 150 : 60; px[i + 1] = on ? 120 : 90; px[i + 2] = on ? 70 : 40;
    }
  }
  return sharp(px, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 80 }).toBuffer();
}

/** YYYY-MM-DD HH:mm in China time (as the screens show times). */
function dayjsLike(d: Date): string {
  const p = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(d);
  const g = (t: string) => p.find((x) => x.type === t)!.value;
  return `${g('year')}-${g('month')}-${g('day')} ${g('hour')}:${g('minute')}`;
}

/** Picks an option of an antd Select by its visible text. */
async function pick(page: Page, testId: string, text: string) {
  await page.getByTestId(testId).click();
  const option = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: text }).first();
  await option.click();
}

async function apiJson<T>(page: Page, url: string): Promise<T> {
  const res = await page.request.get(`${env.server.url}/api/v1${url}`);
  expect(res.status(), `GET ${url}`).toBe(200);
  return (await res.json()) as T;
}

const stateOf = (page: Page) => page.getByTestId('case-detail').getAttribute('data-case-state');

/** Opens an action's modal, lets `fill` fill it, submits and waits for the case to reach `to`. */
async function act(page: Page, action: string, to: string, fill?: () => Promise<void>) {
  await page.getByTestId(`case-action-${action}`).click();
  const modal = page.locator('.ant-modal-wrap:visible');
  await modal.waitFor();
  if (fill) await fill();
  await page.getByTestId('case-action-submit').click();
  await expect.poll(() => stateOf(page)).toBe(to);
  await modal.waitFor({ state: 'hidden' });
}

describe('cases', () => {
  it('a grid worker reports on a phone, the town admin registers and dispatches, the fix is reported and checked, and the case closes', async () => {
    const before = await jpeg('stripes');
    const after = await jpeg('checks');
    const description = `e2e：路边堆放建筑材料 ${Date.now()}`;
    const errors: string[] = [];

    // --- the grid worker, on a phone -------------------------------------------------------------
    const worker = await newPage(env.browser, { mobile: true });
    const wp = worker.page;
    wp.on('pageerror', (e) => errors.push(`worker: ${e.message}`));
    await worker.context.grantPermissions(['geolocation'], { origin: env.server.url });
    let caseNo = '';
    let caseId = 0;
    try {
      await login(wp, env.server.url, 'wgy001', DEMO_PASSWORD);
      // A grid worker lands on 我的待办.
      await wp.getByTestId('inbox-page').waitFor();
      await wp.getByTestId('inbox-report').click();
      await wp.getByTestId('report-page').waitFor();

      // 大类 then 小类; the deadline and the closing requirement show.
      await pick(wp, 'report-parent-category', '市容环境');
      await pick(wp, 'report-category', '乱堆物堆料');
      const info = wp.getByTestId('report-category-info');
      await expect.poll(() => info.textContent()).toContain('2 工作日');
      expect(await info.textContent()).toContain('清理');

      // The area defaults to the worker's own grid; the map draws its micro-grids.
      await expect.poll(() => wp.getByTestId('report-area').textContent()).toContain('毛家村第1网格');
      await expect.poll(() => wp.getByTestId('report-map').getAttribute('data-status')).not.toBe('loading');

      // GPS inside the grid's first micro-grid names that micro-grid; then a tap on the map moves the pin.
      const [grid] = await apiJson<{ id: number }[]>(wp, '/areas/search?q=370321107201001&level=grid');
      const fc = await apiJson<{ features: { properties: { name: string }; geometry: { type: string; coordinates: number[][][] } }[] }>(wp, `/areas/${grid!.id}/boundaries?level=micro_grid`);
      expect(await wp.getByTestId('report-map').getAttribute('data-status')).toBe(fc.features.length ? 'boundaries' : 'outline');
      if (fc.features.length) {
        const first = fc.features[0]!;
        const ring = first.geometry.coordinates[0]!.slice(0, -1);
        const lng = ring.reduce((a, p) => a + p[0]!, 0) / ring.length;
        const lat = ring.reduce((a, p) => a + p[1]!, 0) / ring.length;
        await worker.context.setGeolocation({ latitude: lat, longitude: lng, accuracy: 12 });
        await wp.getByTestId('report-locate').click();
        await expect.poll(() => wp.getByTestId('report-coords').textContent()).toContain(`${lat.toFixed(5)}, ${lng.toFixed(5)}`);
        await expect.poll(() => wp.getByTestId('report-subarea').textContent()).toContain(first.properties.name);
      }
      const coords = (await wp.getByTestId('report-coords').count()) ? await wp.getByTestId('report-coords').textContent() : null;
      await wp.getByTestId('report-map').click({ position: { x: 200, y: 120 } });
      await expect.poll(() => wp.getByTestId('report-coords').textContent()).not.toBe(coords);

      // A photo uploads at once and shows as a thumbnail.
      await wp.getByTestId('report-photos').setInputFiles({ name: 'before.jpg', mimeType: 'image/jpeg', buffer: before });
      await wp.locator('[data-testid="photo-item"][data-status="done"]').waitFor();
      await wp.getByTestId('report-description').fill(description);
      await wp.screenshot({ path: path.join(SCREENSHOTS, 'cases-report-phone.png'), fullPage: true });

      // The first answer is lost on the way back: the form stays, and sending again makes no second case.
      let dropped = false;
      await wp.route('**/api/v1/cases', async (route) => {
        if (route.request().method() !== 'POST' || dropped) return route.fallback();
        dropped = true;
        await route.fetch(); // the server creates the case…
        await route.abort('connectionreset'); // …and the phone never hears of it
      });
      await wp.getByTestId('report-submit').click();
      await wp.getByTestId('report-error').waitFor();
      expect(await wp.getByTestId('report-submit').textContent()).toContain('重新提交');
      await wp.screenshot({ path: path.join(SCREENSHOTS, 'cases-report-retry-phone.png'), fullPage: true });
      await wp.unroute('**/api/v1/cases');
      await wp.getByTestId('report-submit').click();
      await wp.getByTestId('report-done').waitFor();
      caseNo = (await wp.getByTestId('report-case-no').textContent())!.trim();
      expect(caseNo).toBeTruthy();
      const found = await apiJson<{ total: number; items: { id: number; no: string }[] }>(wp, `/cases?q=${encodeURIComponent(description)}`);
      expect(found.total, 'one case, not two').toBe(1);
      expect(found.items[0]!.no).toBe(caseNo);
      caseId = found.items[0]!.id;
      await wp.screenshot({ path: path.join(SCREENSHOTS, 'cases-reported-phone.png'), fullPage: true });

      await wp.getByTestId('report-case-link').click();
      await wp.getByTestId('case-detail').waitFor();
      expect(await stateOf(wp)).toBe('reported');
      expect(await wp.getByTestId('case-no').textContent()).toBe(caseNo);
      expect(await wp.getByTestId('compare-before').getByTestId('compare-photo').count()).toBe(1);
      await wp.screenshot({ path: path.join(SCREENSHOTS, 'cases-detail-reported-phone.png'), fullPage: true });
    } catch (e) {
      await wp.screenshot({ path: path.join(SCREENSHOTS, 'cases-failed-worker.png'), fullPage: true }).catch(() => {});
      throw e;
    }

    // --- the town admin, at a desk: register and dispatch -----------------------------------------
    const admin = await newPage(env.browser);
    const ap = admin.page;
    ap.on('pageerror', (e) => errors.push(`admin: ${e.message}`));
    try {
      await login(ap, env.server.url, 'zhenadmin', DEMO_PASSWORD);
      await ap.getByTestId('menu-inbox').click();
      const register = ap.getByTestId('inbox-register');
      await register.locator(`[data-case-no="${caseNo}"]`).waitFor();
      await ap.screenshot({ path: path.join(SCREENSHOTS, 'cases-inbox-desk.png'), fullPage: true });
      await register.locator(`[data-case-no="${caseNo}"]`).click();
      await ap.getByTestId('case-detail').waitFor();

      await act(ap, 'register', 'registered');
      expect(await ap.getByTestId('case-due').textContent()).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);

      await act(ap, 'dispatch', 'dispatched', async () => {
        // The one who answers for the grid comes first, already chosen.
        const select = ap.getByTestId('dispatch-assignee');
        await expect.poll(() => select.textContent()).toContain('潘红健');
        await ap.getByTestId('action-note').fill('请两天内清理完毕');
      });
      expect(await ap.getByTestId('case-assignee').textContent()).toBe('潘红健');
      await ap.screenshot({ path: path.join(SCREENSHOTS, 'cases-detail-dispatched-desk.png'), fullPage: true });
    } catch (e) {
      await ap.screenshot({ path: path.join(SCREENSHOTS, 'cases-failed-admin.png'), fullPage: true }).catch(() => {});
      throw e;
    }

    // --- the grid worker reports the fix ----------------------------------------------------------
    try {
      await wp.goto(`${env.server.url}/#/inbox`);
      const fix = wp.getByTestId('inbox-fix');
      await fix.locator(`[data-case-no="${caseNo}"]`).waitFor();
      expect(Number(await fix.getAttribute('data-count'))).toBeGreaterThanOrEqual(1);
      await wp.screenshot({ path: path.join(SCREENSHOTS, 'cases-inbox-phone.png'), fullPage: true });
      await fix.locator(`[data-case-no="${caseNo}"]`).click();
      await wp.getByTestId('case-detail').waitFor();
      await act(wp, 'accept', 'fixing');
      await act(wp, 'feedback', 'fixed', async () => {
        await wp.getByTestId('feedback-photos').setInputFiles({ name: 'after.jpg', mimeType: 'image/jpeg', buffer: after });
        await wp.locator('.ant-modal-wrap:visible [data-testid="photo-item"][data-status="done"]').waitFor();
        await wp.getByTestId('action-note').fill('已清理完毕');
        await wp.screenshot({ path: path.join(SCREENSHOTS, 'cases-feedback-phone.png') });
      });
      expect(await wp.getByTestId('compare-after').getByTestId('compare-photo').count()).toBe(1);
      // Field workers see no checking buttons.
      expect(await wp.getByTestId('case-action-pass').count()).toBe(0);
      await wp.screenshot({ path: path.join(SCREENSHOTS, 'cases-detail-fixed-phone.png'), fullPage: true });
    } catch (e) {
      await wp.screenshot({ path: path.join(SCREENSHOTS, 'cases-failed-worker.png'), fullPage: true }).catch(() => {});
      throw e;
    }

    // --- the admin checks: before and after side by side, then closes -----------------------------
    try {
      await ap.reload();
      await ap.getByTestId('case-detail').waitFor();
      await expect.poll(() => stateOf(ap)).toBe('fixed');
      const compare = ap.getByTestId('case-compare');
      expect(await compare.getByTestId('compare-before').getByTestId('compare-photo').count()).toBe(1);
      expect(await compare.getByTestId('compare-after').getByTestId('compare-photo').count()).toBe(1);
      // The photos carry no capture data (made here, not by a camera): flagged for the checker, the buttons stay.
      const flags = await compare.getByTestId('compare-photo').evaluateAll((els) => els.map((e) => e.getAttribute('data-flags')));
      expect(flags.join(',')).toContain('no_capture_data');
      expect(await compare.getByTestId('photo-flag-text').count()).toBeGreaterThan(0);
      expect(await ap.getByTestId('case-action-pass').isVisible()).toBe(true);
      expect(await ap.getByTestId('case-action-rework').isVisible()).toBe(true);
      await ap.screenshot({ path: path.join(SCREENSHOTS, 'cases-compare-desk.png'), fullPage: true });
      // The thumbnail opens the large photo.
      await compare.getByTestId('compare-after').locator('img').first().click();
      const large = ap.locator('.ant-image-preview img');
      await large.first().waitFor();
      expect(await large.first().getAttribute('src')).toMatch(/\/api\/v1\/photos\/\d+\/file$/);
      await ap.screenshot({ path: path.join(SCREENSHOTS, 'cases-photo-large-desk.png') });
      await ap.keyboard.press('Escape');
      await large.first().waitFor({ state: 'hidden' });

      await act(ap, 'pass', 'closed', async () => { await ap.getByTestId('action-note').fill('现场核查已清理'); });
      const steps = await ap.getByTestId('case-step').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
      expect(steps).toEqual(['report', 'register', 'dispatch', 'accept', 'feedback', 'pass']);
      await ap.screenshot({ path: path.join(SCREENSHOTS, 'cases-detail-closed-desk.png'), fullPage: true });

      // The list shows 已结案; the export with the same filters holds the case.
      await ap.getByTestId('menu-cases').click();
      await ap.getByTestId('cases-table').waitFor();
      await ap.getByTestId('cases-search').locator('input').fill(caseNo);
      await ap.getByTestId('cases-search').locator('input').press('Enter');
      const row = ap.getByTestId('cases-table').locator(`tr[data-case-no="${caseNo}"]`);
      await row.waitFor();
      await expect.poll(() => ap.getByTestId('cases-table').locator('tbody tr.ant-table-row').count()).toBe(1);
      expect(await row.getByTestId('case-state').textContent()).toBe('已结案');
      await ap.screenshot({ path: path.join(SCREENSHOTS, 'cases-list-desk.png'), fullPage: true });
      const [download] = await Promise.all([ap.waitForEvent('download'), ap.getByTestId('cases-export').click()]);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile((await download.path())!);
      const cells: string[] = [];
      wb.worksheets[0]!.eachRow((r) => r.eachCell((c) => cells.push(String(c.value ?? ''))));
      expect(cells).toContain(caseNo);
      expect(cells).toContain('已结案');

      // Row → detail; in English the same case reads "Closed".
      await row.click();
      await ap.getByTestId('case-detail').waitFor();
      await ap.getByTestId('lang-switch').getByText('English').click();
      await expect.poll(() => ap.getByTestId('case-detail').getByTestId('case-state').first().textContent()).toBe('Closed');
      await ap.screenshot({ path: path.join(SCREENSHOTS, 'cases-detail-closed-en-desk.png'), fullPage: true });
      await ap.getByTestId('lang-switch').getByText('中文').click();

      // The worker's phone list shows it closed too.
      await wp.goto(`${env.server.url}/#/cases?q=${encodeURIComponent(caseNo)}`);
      const phoneRow = wp.getByTestId('cases-table').locator(`[data-case-no="${caseNo}"]`);
      await expect.poll(() => phoneRow.getByTestId('case-state').textContent()).toBe('已结案');
      await wp.screenshot({ path: path.join(SCREENSHOTS, 'cases-list-phone.png'), fullPage: true });
      await wp.goto(`${env.server.url}/#/cases/${caseId}`);
      await wp.getByTestId('case-detail').waitFor();
      await wp.screenshot({ path: path.join(SCREENSHOTS, 'cases-detail-closed-phone.png'), fullPage: true });
      expect(errors).toEqual([]);
    } catch (e) {
      await ap.screenshot({ path: path.join(SCREENSHOTS, 'cases-failed-admin.png'), fullPage: true }).catch(() => {});
      throw e;
    } finally {
      await admin.context.close();
      await worker.context.close();
    }
  });

  it('a step on a stale page answers with the server\'s message and reloads the case', async () => {
    const { context, page } = await newPage(env.browser);
    try {
      await login(page, env.server.url, 'zhenadmin', DEMO_PASSWORD);
      await page.getByTestId('user-name').waitFor();
      // A case reported through the API, then registered behind the page's back.
      const cats = await apiJson<{ id: number; parentId: number | null; name: string }[]>(page, '/case-categories');
      const cat = cats.find((c) => c.name === '暴露垃圾')!;
      const [grid] = await apiJson<{ id: number }[]>(page, '/areas/search?q=370321107201001');
      const created = await page.request.post(`${env.server.url}/api/v1/cases`, { data: { source: 'phone', categoryId: cat.id, areaId: grid!.id, description: 'e2e：电话反馈 垃圾' } });
      expect(created.status()).toBe(201);
      const c = (await created.json()) as { id: number; version: number };
      await page.goto(`${env.server.url}/#/cases/${c.id}`);
      await page.getByTestId('case-action-register').waitFor();
      const other = await page.request.post(`${env.server.url}/api/v1/cases/${c.id}/steps`, { data: { action: 'register', version: c.version } });
      expect(other.status()).toBe(200);
      // The page still offers 立案: taking it gets the server's 409 message, and the page reloads to 待派遣.
      await page.getByTestId('case-action-register').click();
      await page.getByTestId('case-action-submit').click();
      const warning = page.locator('.ant-modal-confirm');
      await warning.waitFor();
      expect(await warning.textContent()).toMatch(/案件|立案|版/);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'cases-conflict-desk.png') });
      await warning.locator('button').click();
      await expect.poll(() => stateOf(page)).toBe('registered');
      expect(await page.getByTestId('case-action-register').count()).toBe(0);
      expect(await page.getByTestId('case-action-dispatch').isVisible()).toBe(true);
    } finally {
      await context.close();
    }
  });
  it('extension asked on a phone and approved, rework with a note, and a duplicate refused with the original case', async () => {
    const admin = await newPage(env.browser);
    const worker = await newPage(env.browser, { mobile: true });
    const ap = admin.page;
    const wp = worker.page;
    const errors: string[] = [];
    ap.on('pageerror', (e) => errors.push(`admin: ${e.message}`));
    wp.on('pageerror', (e) => errors.push(`worker: ${e.message}`));
    const post = async <T,>(page: Page, url: string, data: unknown, status = 200): Promise<T> => {
      const res = await page.request.post(`${env.server.url}/api/v1${url}`, { data });
      expect(res.status(), `POST ${url}: ${await res.text()}`).toBe(status);
      return (await res.json()) as T;
    };
    type C = { id: number; no: string; version: number; dueAt: string | null; reworkCount: number };
    try {
      await login(ap, env.server.url, 'zhenadmin', DEMO_PASSWORD);
      await ap.getByTestId('user-name').waitFor();
      await login(wp, env.server.url, 'wgy001', DEMO_PASSWORD);
      await wp.getByTestId('inbox-page').waitFor();
      const cats = await apiJson<{ id: number; name: string }[]>(ap, '/case-categories');
      const cat = cats.find((c) => c.name === '乱堆物堆料')!;
      const [grid] = await apiJson<{ id: number }[]>(ap, '/areas/search?q=370321107201001&level=grid');
      // A case reported by phone, registered and dispatched to the grid worker (through the API).
      let a = await post<C>(ap, '/cases', { source: 'phone', categoryId: cat.id, areaId: grid!.id, description: 'e2e：村口堆放杂物' }, 201);
      a = await post<C>(ap, `/cases/${a.id}/steps`, { action: 'register', version: a.version });
      const who = await apiJson<{ userId: number; displayName: string; suggested: boolean }[]>(ap, `/cases/${a.id}/assignees`);
      const worker1 = who.find((w) => w.displayName === '潘红健')!;
      a = await post<C>(ap, `/cases/${a.id}/steps`, { action: 'dispatch', version: a.version, assigneeId: worker1.userId });

      // The worker asks for more time on the phone.
      await wp.goto(`${env.server.url}/#/cases/${a.id}`);
      await wp.getByTestId('case-detail').waitFor();
      const wanted = dayjsLike(new Date(new Date(a.dueAt!).getTime() + 2 * 86_400_000));
      await wp.getByTestId('case-action-request_extension').click();
      const input = wp.locator('.ant-modal-wrap:visible .ant-picker input').first();
      await input.click();
      await input.fill(wanted);
      await input.press('Enter');
      await expect.poll(() => input.inputValue()).toBe(wanted);
      await wp.getByTestId('action-note').fill('材料较多，需调用车辆');
      await wp.getByTestId('case-action-submit').click();
      await wp.getByTestId('case-pending-request').waitFor();
      expect(await wp.getByTestId('case-pending-request').textContent()).toContain(wanted);
      await wp.screenshot({ path: path.join(SCREENSHOTS, 'cases-extension-asked-phone.png'), fullPage: true });

      // The town admin approves it from the request box: the due time moves.
      await ap.goto(`${env.server.url}/#/cases/${a.id}`);
      await ap.getByTestId('case-pending-request').waitFor();
      await ap.screenshot({ path: path.join(SCREENSHOTS, 'cases-extension-pending-desk.png'), fullPage: true });
      await ap.getByTestId('case-pending-request').getByTestId('case-action-approve').click();
      await ap.getByTestId('action-note').fill('同意');
      await ap.getByTestId('case-action-submit').click();
      await ap.getByTestId('case-pending-request').waitFor({ state: 'detached' });
      await expect.poll(() => ap.getByTestId('case-due').textContent()).toBe(wanted);

      // The fix is reported (API), the admin returns it for rework with a note (the note is required).
      const up = await wp.request.post(`${env.server.url}/api/v1/photos`, { multipart: { file: { name: 'a.jpg', mimeType: 'image/jpeg', buffer: await jpeg('checks') } } });
      expect(up.status()).toBe(201);
      const photo = (await up.json()) as { id: number };
      const cur = await apiJson<C>(wp, `/cases/${a.id}`);
      await post<C>(wp, `/cases/${a.id}/steps`, { action: 'feedback', version: cur.version, photoIds: [photo.id], note: '已清理' });
      await ap.reload();
      await expect.poll(() => stateOf(ap)).toBe('fixed');
      await ap.getByTestId('case-action-rework').click();
      await ap.getByTestId('case-action-submit').click();
      await expect.poll(() => ap.locator('.ant-modal-wrap:visible .ant-form-item-explain-error').count()).toBeGreaterThan(0);
      await ap.getByTestId('action-note').fill('仍有残留，请彻底清理');
      await ap.getByTestId('case-action-submit').click();
      await expect.poll(() => stateOf(ap)).toBe('fixing');
      expect(await ap.getByTestId('case-timeline').textContent()).toContain('仍有残留，请彻底清理');

      // A second report of the same problem is refused as a duplicate of the first.
      const b = await post<C>(ap, '/cases', { source: 'phone', categoryId: cat.id, areaId: grid!.id, description: 'e2e：村口杂物（重复）' }, 201);
      await ap.goto(`${env.server.url}/#/cases/${b.id}`);
      await ap.getByTestId('case-action-refuse').click();
      await ap.locator('.ant-modal-wrap:visible').getByText('重复上报').click();
      await ap.getByTestId('refuse-duplicate').click();
      await ap.getByTestId('refuse-duplicate').locator('input').fill(a.no);
      await ap.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: a.no }).first().click();
      await ap.getByTestId('action-note').fill('与前一案件为同一处');
      await ap.getByTestId('case-action-submit').click();
      await expect.poll(() => stateOf(ap)).toBe('refused');
      expect(await ap.getByTestId('case-timeline').textContent()).toContain(a.no);
      expect(await ap.getByTestId('case-refused-reason').textContent()).toContain(a.no);
      await ap.screenshot({ path: path.join(SCREENSHOTS, 'cases-refused-desk.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await admin.context.close();
      await worker.context.close();
    }
  });
});
