// The scorecard (考核评价 → 评分表) as the town admin uses it: this month's scorecard of the town
// with its districts' coloured cells (暂定, with the time of the data); then, for a month with a
// village whose 超期率 is red (read from the API, so no luck is involved), a click on the district,
// a click on the village, a click on its red 超期率 and the overdue cases behind it are listed, the
// same as the API's records; a click on one opens the case, and 返回 comes back. The .xlsx link
// answers 200, and on a phone the table scrolls inside its card while the page does not.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows, sql } from '../apps/api/src/db/client.js';
import { generateDemoCases } from '../apps/api/src/modules/demo/cases.js';
import { PhotoStore } from '../apps/api/src/modules/evidence/storage.js';
import { DEMO_PASSWORD, SCREENSHOTS, login, newPage, today, useAppAndBrowser } from './harness.js';

const env = useAppAndBrowser();

interface Value { code: string; value: number | null; colour: string | null }
interface Village { id: number; name: string; districtId: number | null; districtName: string | null; values: Value[]; facts: Record<string, number>; tier: string | null }
interface Card { rows: { area: { id: number; name: string } }[]; villages: Village[] }
interface CaseItem { id: number; no: string }

async function apiJson<T>(page: Page, url: string): Promise<T> {
  const res = await page.request.get(`${env.server.url}/api/v1${url}`);
  expect(res.status(), `GET ${url}`).toBe(200);
  return (await res.json()) as T;
}

const overdue = (v: Village) => v.values.find((x) => x.code === 'overdue_rate');

/** The month key before YYYYMM. */
function monthBefore(m: string): string {
  const y = Number(m.slice(0, 4));
  const mo = Number(m.slice(4));
  return mo === 1 ? `${y - 1}12` : `${y}${String(mo - 1).padStart(2, '0')}`;
}

describe('scorecard', () => {
  // A month of cases made through the case loop, as on the demo's first start (the test server sets
  // up the town and its people only). Some recent ones stall past their deadline: 超期.
  beforeAll(async () => {
    const db = env.server.database.db;
    const [n] = await rows<{ n: number }>(db, sql`SELECT count(*) AS n FROM case_file`);
    if (Number(n!.n) === 0) await generateDemoCases(db, new PhotoStore(fs.mkdtempSync(path.join(os.tmpdir(), 'wangge-e2e-photos-'))));
  }, 240_000);

  it('drills from the town to a district to a village, to the overdue cases behind its red 超期率 and into one case', async () => {
    const { context, page } = await newPage(env.browser);
    await page.setViewportSize({ width: 1440, height: 900 });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await login(page, env.server.url, 'zhenadmin', DEMO_PASSWORD);
      await page.getByTestId('app-name').waitFor();
      const me = await apiJson<{ areas: { id: number; name: string }[] }>(page, '/me');
      const town = me.areas[0]!;
      const thisMonth = today().slice(0, 4) + today().slice(5, 7);

      // The month and the village, from the API: this month when a village's 超期率 is red already,
      // else the month before (early in a month few cases are due yet).
      let chosen: { month: string; village: Village } | undefined;
      for (const month of [thisMonth, monthBefore(thisMonth)]) {
        const c = await apiJson<Card>(page, `/scores/scorecard?areaId=${town.id}&period=${month}`);
        const red = c.villages.filter((v) => v.districtId !== null && overdue(v)?.colour === 'red')
          .sort((a, b) => b.facts.cases_overdue! - a.facts.cases_overdue! || a.id - b.id);
        if (red[0]) { chosen = { month, village: red[0] }; break; }
      }
      expect(chosen, 'a village whose 超期率 is red this month or last').toBeDefined();
      const { month, village } = chosen!;

      // The other work's scores (the 60%) for that month, so that villages get a composite, a rank and a tier.
      const put = await page.request.put(`${env.server.url}/api/v1/scores/other`, {
        data: { month, items: (await apiJson<Card>(page, `/scores/scorecard?areaId=${town.id}&period=${month}`)).villages.map((v, i) => ({ villageId: v.id, score: 60 + (i * 7) % 40 })) },
      });
      expect(put.status()).toBe(200);
      const card = await apiJson<Card>(page, `/scores/scorecard?areaId=${town.id}&period=${month}`);
      const scored = card.villages.find((v) => v.id === village.id)!;

      // 考核评价 → 评分表: the town, this month, 暂定 with the time of the data, districts with coloured cells.
      await page.getByTestId('menu-scores').click();
      await page.getByTestId('menu-scores-card').click();
      await page.getByTestId('sc-page').waitFor();
      expect(await page.getByTestId('sc-period-key').textContent()).toBe(thisMonth);
      await expect.poll(() => page.getByTestId('sc-title').textContent()).toContain(town.name);
      await page.getByTestId('sc-provisional').waitFor();
      expect(await page.getByTestId('sc-asof').textContent()).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
      const thisCard = await apiJson<Card>(page, `/scores/scorecard?areaId=${town.id}&period=${thisMonth}`);
      const districtRows = page.getByTestId('sc-rows').locator('tbody tr[data-testid="sc-row"]');
      await expect.poll(() => districtRows.count()).toBe(thisCard.rows.length);
      const coloured = page.getByTestId('sc-rows').locator('td[data-colour="green"], td[data-colour="yellow"], td[data-colour="red"]');
      await expect.poll(() => coloured.count()).toBeGreaterThan(0);
      // The header tells the formula in words and the weight.
      await page.getByTestId('sc-rows').locator('thead').getByTestId('sc-head-overdue_rate').hover();
      await expect.poll(() => page.getByTestId('sc-tip-overdue_rate').textContent()).toContain('超期未处置数');
      expect(await page.getByTestId('sc-tip-overdue_rate').textContent()).toMatch(/权重 \d+%/);
      await page.mouse.move(0, 0);
      await page.getByTestId('sc-tip-overdue_rate').waitFor({ state: 'hidden' });
      await page.screenshot({ path: path.join(SCREENSHOTS, 'scores-town.png'), fullPage: true, timeout: 60_000 });

      // Last month, if that is where the red village is: picked in the month panel as a person would.
      if (month !== thisMonth) {
        await page.getByTestId('sc-period-picker').click();
        await page.locator(`.ant-picker-dropdown:visible td[title="${month.slice(0, 4)}-${month.slice(4)}"]`).click();
        await expect.poll(() => page.getByTestId('sc-period-key').textContent()).toBe(month);
        await page.getByTestId('sc-final').waitFor();
      }

      // The district: its villages are the rows now.
      await page.getByTestId('sc-rows').locator(`tr[data-area="${village.districtId}"]`).getByTestId('sc-open').click();
      await expect.poll(() => page.getByTestId('sc-title').textContent()).toContain(village.districtName!);
      expect(page.url()).toContain(`area=${village.districtId}`);
      const villageRow = page.getByTestId('sc-rows').locator(`tr[data-area="${village.id}"]`);
      await expect.poll(() => villageRow.getByTestId('sc-cell-overdue_rate').getAttribute('data-colour')).toBe('red');

      // The village: its 超期率 is red, its tier is the town's.
      await villageRow.getByTestId('sc-open').click();
      await page.getByTestId('sc-village').waitFor();
      await expect.poll(() => page.getByTestId('sc-title').textContent()).toContain(village.name);
      const cell = page.getByTestId('sc-village-indicators').getByTestId('sc-cell-overdue_rate');
      expect(await cell.getAttribute('data-colour')).toBe('red');
      expect(await cell.textContent()).toContain(String(overdue(village)!.value));
      if (scored.tier) await expect.poll(() => page.getByTestId('sc-village').getByTestId('sc-tier').getAttribute('data-tier')).toBe(scored.tier);

      // The records behind it: the overdue cases, the same as the API lists.
      await cell.click();
      const list = page.locator('[data-testid="sc-records-list"][data-fact="cases_overdue"]');
      await list.waitFor();
      const records = await apiJson<{ total: number; items: CaseItem[] }>(page, `/scores/records?areaId=${village.id}&period=${month}&fact=cases_overdue`);
      expect(records.total).toBe(village.facts.cases_overdue);
      const links = list.getByTestId('sc-record-case');
      await expect.poll(() => links.allTextContents()).toEqual(records.items.map((c) => c.no));
      await page.screenshot({ path: path.join(SCREENSHOTS, 'scores-records.png'), timeout: 60_000 });

      // One case: its detail page; 返回 is the village's scorecard again.
      await links.first().click();
      await expect.poll(() => page.url()).toContain(`#/cases/${records.items[0]!.id}`);
      await expect.poll(() => page.getByTestId('case-no').textContent()).toBe(records.items[0]!.no);
      await page.goBack();
      await page.getByTestId('sc-village').waitFor();
      expect(page.url()).toContain(`area=${village.id}`);

      // 导出 Excel answers with the workbook.
      const href = await page.getByTestId('sc-xlsx').getAttribute('href');
      expect(href).toContain(`areaId=${village.id}`);
      const xlsx = await page.request.get(`${env.server.url}${href}`);
      expect(xlsx.status()).toBe(200);
      expect(xlsx.headers()['content-type']).toContain('spreadsheetml');
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('works on a phone: the key numbers first, the table scrolls inside its card', async () => {
    const { context, page } = await newPage(env.browser, { mobile: true });
    try {
      await login(page, env.server.url, 'zhenadmin', DEMO_PASSWORD);
      await page.getByTestId('app-name').waitFor();
      await page.getByTestId('menu-toggle').click();
      await page.getByTestId('menu-scores').click();
      await page.getByTestId('menu-scores-card').click();
      const table = page.getByTestId('sc-rows');
      await expect.poll(() => table.locator('tbody tr[data-testid="sc-row"]').count()).toBeGreaterThan(0);
      // Name, then the composite: the numbers that matter before the indicators.
      const heads = await table.locator('thead th').allTextContents();
      expect(heads[0]).toContain('名称');
      expect(heads[1]).toContain('综合得分');
      const widths = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        view: window.innerWidth,
        table: (() => { const c = document.querySelector('[data-testid="sc-rows"] .ant-table-content'); return c ? { scroll: c.scrollWidth, client: c.clientWidth } : null; })(),
      }));
      expect(widths.page).toBeLessThanOrEqual(widths.view);
      expect(widths.table!.scroll).toBeGreaterThan(widths.table!.client);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'scores-phone.png'), fullPage: true, timeout: 60_000 });
    } finally {
      await context.close();
    }
  });
});
