// 设置 → Open311 合作方: an administrator makes a partner key (shown once, with curl examples), the
// key posts a request through /open311/v2, and deactivating it makes the next post a 403.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, SCREENSHOTS, login, newPage, useAppAndBrowser } from './harness.js';

const env = useAppAndBrowser();

describe('Open311 partners', () => {
  it('creates a key, shows it once, and deactivates it', async () => {
    const { context, page } = await newPage(env.browser);
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await login(page, env.server.url, 'zhenadmin', DEMO_PASSWORD);
      await page.getByTestId('menu-settings').click();
      await page.getByTestId('menu-settings-open311').click();
      await page.getByTestId('open311-page').waitFor();
      expect(await page.locator('.ant-alert-error').count()).toBe(0);

      await page.getByTestId('open311-add').click();
      await page.getByTestId('open311-name').fill('城市服务 App');
      await page.getByTestId('open311-create-ok').click();
      const keyEl = page.getByTestId('open311-key');
      await keyEl.waitFor();
      const key = (await keyEl.textContent())!.trim();
      expect(key).toMatch(/^w311_[A-Za-z0-9_-]{32}$/);
      await expect.poll(async () => page.getByTestId('open311-curl').textContent()).toContain(`api_key=${key}`);
      expect(await page.getByTestId('open311-curl').textContent()).toContain(`${env.server.url}/open311/v2`);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'open311-key.png') });

      // The key works as a partner would use it.
      const services = await (await fetch(`${env.server.url}/open311/v2/services.json`)).json() as { service_code: string; metadata: boolean }[];
      const code = services.find((s) => !s.metadata)!.service_code;
      const form = () => new URLSearchParams({ api_key: key, service_code: code, address_string: '村委会东 50 米', description: '路口有一堆垃圾' });
      const posted = await fetch(`${env.server.url}/open311/v2/requests.json`, { method: 'POST', body: form() });
      expect(posted.status).toBe(200);
      expect((await posted.json())[0].service_request_id).toMatch(/^[0-9A-HJKMNP-TV-Z]{12}$/); // the tracking number, not the case number

      await page.getByTestId('open311-key-done').click();
      await page.getByRole('button', { name: '刷新' }).click();
      const row = page.locator('tr', { hasText: '城市服务 App' });
      await expect.poll(() => row.locator('.ant-tag').textContent()).toBe('使用中');
      await expect.poll(() => row.textContent()).not.toContain('从未使用');
      expect(await page.content()).not.toContain(key);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'open311-partners.png'), fullPage: true });

      await row.getByRole('button', { name: /停用/ }).click();
      await page.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定|OK/ }).click();
      await expect.poll(() => row.locator('.ant-tag').textContent()).toBe('已停用');
      const refused = await fetch(`${env.server.url}/open311/v2/requests.xml`, { method: 'POST', body: form() });
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain('<errors>');
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
