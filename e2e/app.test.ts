// Clicking through the web app as town staff would, against the real API over the demo town.
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, openPerson, SCREENSHOTS, login, newPage, useAppAndBrowser, today } from './harness.js';

const env = useAppAndBrowser();

interface ChainItem { kind: string; userName: string | null; holderName: string | null }

async function apiGet<T>(page: Page, url: string): Promise<T> {
  const res = await page.request.get(`${env.server.url}/api/v1${url}`);
  expect(res.status(), `GET ${url}`).toBe(200);
  return (await res.json()) as T;
}

/** Clicks a tree node (selecting it, which also unfolds it) and waits for its detail. */
async function openNode(page: Page, code: string, name: string) {
  await page.getByTestId(`tree-node-${code}`).click();
  await expect.poll(() => page.getByTestId('area-title').textContent()).toBe(name);
  await expect.poll(() => page.getByTestId('area-code').textContent()).toBe(code);
}

async function answerDate(page: Page, day: string) {
  const input = page.getByTestId('who-answers').locator('.ant-picker input');
  await input.click();
  await input.fill(day);
  await input.press('Enter');
  await page.locator(`[data-testid="answer-result"][data-date="${day}"][data-loading="0"]`).waitFor();
}

const holderOf = (page: Page, kind: string) => page.getByTestId('who-answers').getByTestId(`chain-${kind}`).getByTestId('chain-holder').textContent();

describe('web app', () => {
  it('town admin walks the tree down to a micro-grid and sees who answers for it, today and on 1 March', async () => {
    const { context, page } = await newPage(env.browser);
    try {
      await login(page, env.server.url, 'zhenadmin', DEMO_PASSWORD);
      await expect.poll(() => page.getByTestId('user-name').textContent()).toContain('');
      // The one top area (the town) opens by itself; walk down from it.
      await page.getByTestId('tree-node-370321107').waitFor();
      await openNode(page, '370321107', '新城镇');
      expect(await page.getByTestId('demo-tag').textContent()).toBe('演示数据');
      await openNode(page, '370321107D01', '西北管区');
      await openNode(page, '370321107201', '毛家村');
      await openNode(page, '370321107201001', '毛家村第1网格');
      await openNode(page, '370321107201001001', '毛家村1-1微网格');
      expect(await page.getByTestId('area-breadcrumb').textContent()).toContain('新城镇');

      const [hit] = await apiGet<{ id: number }[]>(page, '/areas/search?q=370321107201001001');
      const day = today();
      const now = await apiGet<{ chain: ChainItem[] }>(page, `/areas/${hit!.id}/answerable?date=${day}`);
      const nameOf = (chain: ChainItem[], kind: string) => chain.find((c) => c.kind === kind)?.userName;
      const workerToday = nameOf(now.chain, 'grid_worker_grid')!;
      const cleaner = nameOf(now.chain, 'cleaner_patch')!;
      expect(workerToday).toBeTruthy();
      expect(cleaner).toBeTruthy();

      await page.locator(`[data-testid="answer-result"][data-date="${day}"][data-loading="0"]`).waitFor();
      expect(await holderOf(page, 'grid_worker_grid')).toBe(workerToday);
      expect(await holderOf(page, 'cleaner_patch')).toBe(cleaner);
      expect(await page.getByTestId('who-answers').textContent()).toContain('门前三包');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'areas.png'), fullPage: true });

      // The first grid of 毛家村 changed hands on 1 June: on 1 March someone else answered.
      await answerDate(page, '2026-03-01');
      const march = await apiGet<{ chain: ChainItem[] }>(page, `/areas/${hit!.id}/answerable?date=2026-03-01`);
      const workerMarch = nameOf(march.chain, 'grid_worker_grid')!;
      expect(await holderOf(page, 'grid_worker_grid')).toBe(workerMarch);
      expect(await holderOf(page, 'cleaner_patch')).toBe(cleaner);
      // Compare with a day after the hand-over (today, when the clock is past 1 June).
      const after = day >= '2026-06-01' ? day : '2026-07-01';
      const laterWorker = after === day ? workerToday : nameOf((await apiGet<{ chain: ChainItem[] }>(page, `/areas/${hit!.id}/answerable?date=${after}`)).chain, 'grid_worker_grid')!;
      expect(workerMarch).not.toBe(laterWorker);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'areas-march.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });

  it('search by initials opens the area', async () => {
    const { context, page } = await newPage(env.browser);
    try {
      await login(page, env.server.url, 'zhenadmin', DEMO_PASSWORD);
      await page.getByTestId('tree-node-370321107').waitFor();
      await page.getByTestId('area-search').fill('mjc');
      await page.getByTestId('search-hit-370321107201').click();
      await expect.poll(() => page.getByTestId('area-title').textContent()).toBe('毛家村');
      await page.getByTestId('tree-node-370321107201').waitFor();
    } finally {
      await context.close();
    }
  });

  it('a wrong password shows the error', async () => {
    const { context, page } = await newPage(env.browser);
    try {
      await login(page, env.server.url, 'shuji', 'not-the-password');
      const err = page.getByTestId('login-error');
      await err.waitFor();
      expect(await err.textContent()).toContain('用户名或密码错误');
      expect(await page.getByTestId('login-card').isVisible()).toBe(true);
    } finally {
      await context.close();
    }
  });

  it('importing a roster with one bad row shows the row-by-row report and writes nothing', async () => {
    const { context, page } = await newPage(env.browser);
    try {
      await login(page, env.server.url, 'zhenadmin', DEMO_PASSWORD);
      await page.getByTestId('menu-excel').click();
      await page.getByTestId('import-roster').waitFor();

      const tpl = await page.request.get(`${env.server.url}/api/v1/excel/template/roster.xlsx`);
      expect(tpl.status(), 'the roster template endpoint').toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await tpl.body()) as unknown as ExcelJS.Buffer);
      const ws = wb.getWorksheet('人员名册') ?? wb.worksheets[0]!;
      const col = new Map<string, number>();
      ws.getRow(1).eachCell((c, n) => col.set(String(c.value).trim(), n));
      // Clear the template's example rows.
      for (let r = 2; r <= ws.rowCount; r++) for (const n of col.values()) ws.getCell(r, n).value = null;
      const put = (row: number, values: Record<string, string>) => {
        for (const [h, v] of Object.entries(values)) {
          const n = col.get(h);
          if (!n) throw new Error(`the template lacks the column ${h}; it has ${[...col.keys()].join(', ')}`);
          ws.getCell(row, n).value = v;
        }
      };
      put(2, { 用户名: 'e2e_good', 姓名: '测试员', 手机: '13900000001', 角色: '保洁员', 角色区域代码: '370321107201001' });
      put(3, { 用户名: 'e2e_bad', 姓名: '错误行', 角色: '不存在的角色', 角色区域代码: '370321107201' });
      const buffer = Buffer.from(await wb.xlsx.writeBuffer());

      await page.getByTestId('import-roster').locator('input[type=file]').setInputFiles({
        name: '人员名册-测试.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer,
      });
      const report = page.getByTestId('import-roster-report');
      await report.waitFor();
      const text = (await report.textContent()) ?? '';
      expect(text).toContain('行');
      expect(text).toContain('问题');
      const rows = report.locator('tbody tr.ant-table-row');
      expect(await rows.count()).toBeGreaterThanOrEqual(1);
      const cells = await rows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
      // Only the bad row (Excel row 3) is reported, at its 角色 column.
      expect(cells.every((c) => c[0] === '3'), JSON.stringify(cells)).toBe(true);
      expect(cells.some((c) => c[1] === '角色' && String(c[2]).includes('不存在的角色')), JSON.stringify(cells)).toBe(true);
      expect(await page.getByTestId('import-roster-error').textContent()).toContain('没有写入');
      // Nothing was written: the good row's person does not exist.
      const users = await apiGet<{ total: number }>(page, '/users?q=e2e_good');
      expect(users.total).toBe(0);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'import-report.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });

  it('a village cadre sees only their village in the tree', async () => {
    const { context, page } = await newPage(env.browser);
    try {
      await login(page, env.server.url, 'cungan01', DEMO_PASSWORD);
      await page.getByTestId('tree-node-370321107201').waitFor();
      await expect.poll(() => page.getByTestId('area-title').textContent()).toBe('毛家村');
      const tree = page.getByTestId('area-tree');
      const nodeCodes = () => tree.locator('[data-testid^="tree-node-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('tree-node-'.length)));
      // The village unfolds by itself: its grids appear below it.
      await expect.poll(async () => (await nodeCodes()).length).toBeGreaterThan(1);
      const codes = await nodeCodes();
      expect(codes[0]).toBe('370321107201');
      for (const c of codes) expect(c.startsWith('370321107201')).toBe(true);
      expect(await page.getByTestId('tree-node-370321107').count()).toBe(0);
      // No manage buttons, no audit menu for a village cadre.
      expect(await page.getByTestId('area-edit').count()).toBe(0);
      expect(await page.getByTestId('menu-audit').count()).toBe(0);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'village-cadre.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });

  it('people: search, open a person with roles and responsibilities; audit: verify the chain; English switch', async () => {
    const { context, page } = await newPage(env.browser);
    try {
      await login(page, env.server.url, 'zhenadmin', DEMO_PASSWORD);
      const drawer = await openPerson(page, 'cungan01');
      await expect.poll(() => drawer.getByTestId('user-roles').textContent()).toContain('毛家村');
      await expect.poll(() => drawer.textContent()).toContain('村干部包组');
      await page.keyboard.press('Escape');

      await page.getByTestId('menu-audit').click();
      await page.getByTestId('audit-table').waitFor();
      await page.getByTestId('audit-verify').click();
      const result = page.getByTestId('audit-verify-result');
      await result.waitFor();
      expect(await result.textContent()).toContain('校验通过');

      await page.getByTestId('lang-switch').getByText('English').click();
      await expect.poll(() => page.getByTestId('menu-areas').textContent()).toBe('Areas & grids');
      await page.reload();
      await expect.poll(() => page.getByTestId('menu-areas').textContent()).toBe('Areas & grids');
      await page.getByTestId('lang-switch').getByText('中文').click();
      await expect.poll(() => page.getByTestId('menu-areas').textContent()).toBe('区域网格');
    } finally {
      await context.close();
    }
  });

  it('works on a phone: the menu folds away and the micro-grid opens from its address', async () => {
    const { context, page } = await newPage(env.browser, { mobile: true });
    try {
      await login(page, env.server.url, 'zhenadmin', DEMO_PASSWORD);
      await page.getByTestId('tree-node-370321107').waitFor();
      expect(await page.getByTestId('menu-areas').isVisible()).toBe(false);
      await page.getByTestId('area-search').fill('370321107201001001');
      await page.getByTestId('search-hit-370321107201001001').click();
      await expect.poll(() => page.getByTestId('area-title').textContent()).toBe('毛家村1-1微网格');
      await page.getByTestId('who-answers').getByTestId('chain-cleaner_patch').waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, 'areas-phone.png'), fullPage: true });
      await page.getByTestId('menu-toggle').click();
      await page.getByTestId('menu-people').click();
      await page.getByTestId('people-table').waitFor();
    } finally {
      await context.close();
    }
  });
});
