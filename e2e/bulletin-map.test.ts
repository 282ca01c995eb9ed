// The daily bulletin and the case map, as the town admin uses them: a day's bulletin is previewed
// (districts with their villages, a total row), issued (version 1 appears in the list and opens
// exactly as stored), corrected with a reason (version 2); the map draws the micro-grid boundaries
// and the cases, and the heat map replaces the circles when switched on. A case with coordinates
// is reported through the API first (the test server's demo town has no generated cases).
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, SCREENSHOTS, login, newPage, today, useAppAndBrowser } from './harness.js';

const env = useAppAndBrowser();
const TOWN = '370321107';

async function apiGet<T>(page: Page, url: string): Promise<T> {
  const res = await page.request.get(`${env.server.url}/api/v1${url}`);
  expect(res.status(), `GET ${url}`).toBe(200);
  return (await res.json()) as T;
}

interface Feature { properties: { id: number; code: string; name: string }; geometry: { type: string; coordinates: unknown } }

/** The average of a polygon's outer ring: inside the (convex enough) generated micro-grids. */
function insidePoint(g: Feature['geometry']): { lat: number; lng: number } {
  const ring = (g.type === 'MultiPolygon' ? (g.coordinates as number[][][][])[0]![0]! : (g.coordinates as number[][][])[0]!).slice(0, -1);
  const lng = ring.reduce((s, p) => s + p[0]!, 0) / ring.length;
  const lat = ring.reduce((s, p) => s + p[1]!, 0) / ring.length;
  return { lat, lng };
}

/** Reports one case inside the town's first micro-grid, with its coordinates; returns its id and number. */
async function reportCase(page: Page): Promise<{ id: number; no: string; townId: number }> {
  const hits = await apiGet<{ id: number; code: string }[]>(page, `/areas/search?q=${TOWN}`);
  const town = hits.find((h) => h.code === TOWN)!;
  const cats = await apiGet<{ id: number; parentId: number | null; active: boolean; name: string }[]>(page, '/case-categories');
  const cat = cats.find((c) => c.parentId !== null && c.active)!;
  const fc = await apiGet<{ features: Feature[] }>(page, `/areas/${town.id}/boundaries?level=micro_grid`);
  expect(fc.features.length, 'the demo town has micro-grid boundaries').toBeGreaterThan(0);
  const f = fc.features[0]!;
  const res = await page.request.post(`${env.server.url}/api/v1/cases`, {
    data: { source: 'desk', categoryId: cat.id, areaId: f.properties.id, description: '端到端测试：路边有一堆生活垃圾', ...insidePoint(f.geometry) },
  });
  expect(res.status(), await res.text()).toBe(201);
  const c = (await res.json()) as { id: number; no: string };
  return { ...c, townId: town.id };
}

/** The input of an antd picker, whether the test id sits on the input or on its wrapper. */
async function inputOf(el: Locator): Promise<Locator> {
  return (await el.evaluate((e) => e.tagName)) === 'INPUT' ? el : el.locator('input').first();
}

describe('bulletin and map', () => {
  it('previews a day, issues it, corrects it, and shows the versions as stored', async () => {
    const { context, page } = await newPage(env.browser);
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await login(page, env.server.url, 'zhenadmin', DEMO_PASSWORD);
      await page.getByTestId('app-name').waitFor();
      const made = await reportCase(page);
      const day = today();

      await page.getByTestId('menu-bulletin').click();
      await page.getByTestId('bulletin-page').waitFor();
      // The scope is the town by default; the day is yesterday: switch to today, when the case was reported.
      const dayInput = await inputOf(page.getByTestId('bulletin-day-picker'));
      await dayInput.click();
      await dayInput.fill(day);
      await dayInput.press('Enter');
      await expect.poll(() => page.getByTestId('bulletin-day').textContent()).toBe(day);
      await expect.poll(() => page.getByTestId('bulletin-title').textContent()).toContain('新城镇');
      // Five districts in bold, their villages under them, a total row counting the new case.
      await expect.poll(() => page.getByTestId('bulletin-district').count()).toBe(5);
      expect(await page.getByTestId('bulletin-table').locator('tr.bl-village').count()).toBe(40);
      const totalNew = page.getByTestId('bulletin-total').locator('td').nth(1);
      await expect.poll(async () => Number(await totalNew.textContent())).toBeGreaterThanOrEqual(1);
      expect(await page.getByTestId('bulletin-version').textContent()).toBe('预览（未发布）');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'bulletin-preview.png'), fullPage: true });

      // Issue: a confirmation, then version 1 in the list.
      await page.getByTestId('bulletin-issue').click();
      await page.getByTestId('bulletin-issue-ok').click();
      const v1 = page.getByTestId(`bulletin-version-${day}-1`);
      await v1.waitFor();
      await page.getByTestId('bulletin-issued-notice').waitFor();

      // Issuing again is a correction: it asks for the reason, then version 2 is listed.
      await page.getByTestId('bulletin-issue').click();
      await page.getByTestId('bulletin-correction-note').fill('补录一条漏报的问题');
      await page.getByTestId('bulletin-correction-ok').click();
      await page.getByTestId(`bulletin-version-${day}-2`).waitFor();

      // Version 1 opens exactly as stored: 第 1 版, no note; version 2 carries its note.
      await v1.click();
      await page.getByTestId('bulletin-stored').waitFor();
      await expect.poll(() => page.getByTestId('bulletin-version').textContent()).toBe('第 1 版');
      expect(await page.getByTestId('bulletin-note').count()).toBe(0);
      expect(await page.getByTestId('bulletin-stored').getByTestId('bulletin-district').count()).toBe(5);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'bulletin-v1.png'), fullPage: true });
      // The A4 sheet: menus and buttons are gone on paper.
      await page.emulateMedia({ media: 'print' });
      await page.setViewportSize({ width: 718, height: 1032 });
      expect(await page.locator('.ant-layout-sider').isVisible()).toBe(false);
      expect(await page.getByTestId('bulletin-back').isVisible()).toBe(false);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'bulletin-print.png'), fullPage: true });
      await page.emulateMedia({ media: 'screen' });
      await page.setViewportSize({ width: 1366, height: 860 });

      const list = await apiGet<{ id: number; version: number; note: string | null }[]>(page, `/bulletins?areaId=${made.townId}&day=${day}`);
      const v2 = list.find((b) => b.version === 2)!;
      expect(v2.note).toBe('补录一条漏报的问题');
      await page.goto(`${env.server.url}/#/bulletin/${v2.id}`);
      await expect.poll(() => page.getByTestId('bulletin-version').textContent()).toBe('第 2 版');
      expect(await page.getByTestId('bulletin-note').textContent()).toContain('补录一条漏报的问题');

      // The stored version downloads as .xlsx.
      const xlsx = await page.request.get(`${env.server.url}/api/v1/bulletins/${v2.id}/export.xlsx`);
      expect(xlsx.status()).toBe(200);
      expect(xlsx.headers()['content-type']).toContain('spreadsheetml');
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('draws the boundaries and the cases on the map, and a heat map', async () => {
    const { context, page } = await newPage(env.browser);
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await login(page, env.server.url, 'zhenadmin', DEMO_PASSWORD);
      await page.getByTestId('app-name').waitFor();
      const made = await reportCase(page);

      await page.getByTestId('menu-map').click();
      const box = page.getByTestId('map-box');
      await box.waitFor();
      await expect.poll(async () => Number(await box.getAttribute('data-boundaries'))).toBeGreaterThan(100);
      await expect.poll(() => box.locator('path.map-boundary').count()).toBeGreaterThan(100);
      await expect.poll(() => box.locator('path.case-marker').count()).toBeGreaterThanOrEqual(1);
      await expect.poll(async () => Number(await box.getAttribute('data-zoom') || 99)).toBeLessThan(14);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'map-town.png') });
      // The list beside the map holds the case; a click opens its popup with a link to it.
      await page.getByTestId(`map-item-${made.id}`).click();
      const popup = box.locator('.leaflet-popup-content');
      await expect.poll(() => popup.textContent()).toContain(made.no);
      expect(await popup.locator(`a[href="#/cases/${made.id}"]`).count()).toBe(1);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'map.png') });

      // The heat map replaces the circles.
      await page.getByTestId('map-heat').click();
      await expect.poll(() => box.getAttribute('data-heat')).toBe('on');
      await expect.poll(() => box.locator('canvas.leaflet-heatmap-layer').count()).toBe(1);
      await expect.poll(() => box.locator('path.case-marker').count()).toBe(0);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'map-heat.png') });
      await page.getByTestId('map-heat').click();
      await expect.poll(() => box.locator('path.case-marker').count()).toBeGreaterThanOrEqual(1);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('works on a phone', async () => {
    const { context, page } = await newPage(env.browser, { mobile: true });
    try {
      await login(page, env.server.url, 'zhenadmin', DEMO_PASSWORD);
      await page.getByTestId('app-name').waitFor();
      await page.getByTestId('menu-toggle').click();
      await page.getByTestId('menu-map').click();
      const box = page.getByTestId('map-box');
      await expect.poll(() => box.locator('path.map-boundary').count()).toBeGreaterThan(100);
      // The view frames the whole town (not zoomed in on the cases).
      await expect.poll(async () => Number(await box.getAttribute('data-zoom') || 99)).toBeLessThan(14);
      const size = await box.boundingBox();
      expect(size!.width).toBeGreaterThan(300);
      expect(size!.height).toBeGreaterThan(300);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'map-phone.png') });
      await page.getByTestId('menu-toggle').click();
      await page.getByTestId('menu-bulletin').click();
      await page.getByTestId('bulletin-table').waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, 'bulletin-phone.png') });
      // The bell sits in the header on a phone too.
      await page.getByTestId('notification-bell').click();
      await page.getByTestId('notification-list').waitFor();
    } finally {
      await context.close();
    }
  });
});
