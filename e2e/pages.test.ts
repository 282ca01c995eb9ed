// Every screen opens without an error for the town admin (a screenshot of each is saved for review).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, SCREENSHOTS, login, newPage, useAppAndBrowser } from './harness.js';

const env = useAppAndBrowser();

describe('screens', () => {
  it('people, responsibilities, Excel, audit and password screens open without errors', async () => {
    const { context, page } = await newPage(env.browser);
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await login(page, env.server.url, 'zhenadmin', DEMO_PASSWORD);
      await page.getByTestId('tree-node-370321107').waitFor();
      const screens: [string, string, string][] = [
        ['menu-people', 'people-table', 'people'],
        ['menu-responsibilities', 'resp-table', 'responsibilities'],
        ['menu-excel', 'import-roster', 'excel'],
        ['menu-audit', 'audit-table', 'audit'],
        ['menu-password', 'password-page', 'password'],
      ];
      for (const [menu, marker, name] of screens) {
        await page.getByTestId(menu).click();
        await page.getByTestId(marker).waitFor();
        await page.waitForLoadState('networkidle');
        expect(await page.locator('.ant-alert-error').count(), `${name}: no error shown`).toBe(0);
        await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
      }
      // The responsibilities table lists today's holders of the demo town.
      await page.getByTestId('menu-responsibilities').click();
      await expect.poll(() => page.getByTestId('resp-table').locator('tbody tr.ant-table-row').count()).toBeGreaterThan(5);
      // A person's drawer.
      await page.getByTestId('menu-people').click();
      await page.getByTestId('people-table').locator('tbody tr.ant-table-row').first().click();
      await page.getByTestId('user-drawer').getByTestId('user-roles').waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, 'person.png') });
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
