// The routines' administration as the town admin uses it: this month's tasks are generated in the
// test database, 完成情况 shows the 每天一自查 completeness by district and by village with numbers;
// 例行计划 edits 每月一清洁 to days 14–16 (saved, shown in words), then 17–15 is refused by the
// server and its message is shown next to the field.
import path from 'node:path';
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { generateTasks } from '../apps/api/src/modules/routines/routines.service.js';
import { DEMO_PASSWORD, SCREENSHOTS, login, newPage, today, useAppAndBrowser } from './harness.js';

const env = useAppAndBrowser();

/** The input of an antd field, whether the test id sits on the input or on its wrapper. */
async function inputOf(el: Locator): Promise<Locator> {
  return (await el.evaluate((e) => e.tagName)) === 'INPUT' ? el : el.locator('input').first();
}
async function setNumber(el: Locator, v: number) {
  const input = await inputOf(el);
  await input.fill(String(v));
  await input.press('Tab');
}

describe('routines administration', () => {
  it('shows completeness by district and village, and edits a plan with the server checking it', async () => {
    const day = today();
    const month = day.slice(0, 7);
    const last = new Date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)), 0)).getUTCDate();
    const made = await generateTasks(env.server.database.db, `${month}-01`, `${month}-${String(last).padStart(2, '0')}`);
    expect(made.inserted).toBeGreaterThan(0);

    const { context, page } = await newPage(env.browser);
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await login(page, env.server.url, 'zhenadmin', DEMO_PASSWORD);
      await page.getByTestId('app-name').waitFor();

      // 完成情况: 每天一自查, this month, the town.
      await page.getByTestId('menu-routines').click();
      await page.getByTestId('menu-routines-completeness').click();
      await page.getByTestId('rc-page').waitFor();
      expect(await page.getByTestId('rc-period-key').textContent()).toBe(day.slice(0, 4) + day.slice(5, 7));
      await expect.poll(() => page.getByTestId('rc-total').textContent()).toContain('每天一自查');
      const districts = page.getByTestId('rc-districts').locator('tbody tr.ant-table-row');
      const villages = page.getByTestId('rc-villages').locator('tbody tr.ant-table-row');
      await expect.poll(() => districts.count()).toBeGreaterThan(0);
      await expect.poll(() => villages.count()).toBeGreaterThan(0);
      // Each district row has a positive expected count and a rate (or a dash when nothing is due yet).
      const expected = Number(await districts.first().locator('td').nth(1).textContent());
      expect(expected).toBeGreaterThan(0);
      expect(await villages.first().locator('td').nth(6).textContent()).toMatch(/^(\d+(\.\d)?%|—)$/);
      expect(await page.getByTestId('rc-villages').textContent()).not.toContain('undefined');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'routines-completeness.png'), fullPage: true });

      // A quarter: the key follows the DHIS2 form.
      await page.getByTestId('rc-period-type').click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '季度' }).click();
      const q = Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1;
      await expect.poll(() => page.getByTestId('rc-period-key').textContent()).toBe(`${day.slice(0, 4)}Q${q}`);
      await expect.poll(() => page.getByTestId('rc-total').textContent()).toContain(`${day.slice(0, 4)}Q${q}`);

      // 例行计划: 每月一清洁 to days 14–16.
      await page.getByTestId('menu-routines-plans').click();
      await page.getByTestId('rp-page').waitFor();
      expect(await page.getByTestId('rp-note').textContent()).toContain('挂包领导自查的频次');
      expect(await page.getByTestId('rp-rec-cleaning_day').textContent()).toBe('每月 15–17 日');
      await page.getByTestId('rp-edit-cleaning_day').click();
      const modal = page.locator('.ant-modal:visible');
      await modal.waitFor();
      await setNumber(modal.getByTestId('rp-fromDay'), 14);
      await setNumber(modal.getByTestId('rp-toDay'), 16);
      await modal.getByTestId('rp-save').click();
      await expect.poll(() => page.getByTestId('rp-rec-cleaning_day').textContent()).toBe('每月 14–16 日');
      await expect.poll(() => page.locator('.ant-modal:visible').count()).toBe(0);

      // 17–15: the server refuses the empty window, and says so next to the field.
      await page.getByTestId('rp-edit-cleaning_day').click();
      await modal.waitFor();
      await setNumber(modal.getByTestId('rp-fromDay'), 17);
      await setNumber(modal.getByTestId('rp-toDay'), 15);
      await modal.getByTestId('rp-save').click();
      await expect.poll(() => modal.getByTestId('rp-error').textContent()).toContain('窗口为空');
      await expect.poll(() => modal.locator('.ant-form-item-explain-error').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('结束日 15 早于开始日 17')]));
      await page.waitForTimeout(500); // the error's fade-in, for the screenshot
      await page.screenshot({ path: path.join(SCREENSHOTS, 'routines-plan-error.png'), fullPage: true });
      await modal.locator('.ant-modal-footer button').first().click();
      expect(await page.getByTestId('rp-rec-cleaning_day').textContent()).toBe('每月 14–16 日');
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
