// 设置 → Open311 合作方: partner keys are an install-wide setting (open311.manage, granted globally). The
// town's administrator is not offered the page and the server refuses them the keys; the global
// administrator makes a partner key (shown once, with curl examples), the key posts a request
// through /open311/v2, and deactivating it makes the next post a 403.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, DEMO_PASSWORD, SCREENSHOTS, login, newPage, useAppAndBrowser } from './harness.js';

const env = useAppAndBrowser();

describe('Open311 partners', () => {
  it('is not the town administrator\'s: no menu entry, and the server refuses the keys', async () => {
    const { context, page } = await newPage(env.browser);
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await login(page, env.server.url, 'zhenadmin', DEMO_PASSWORD); // the second factor too (town_admin holds manage duties)
      await page.getByTestId('menu-settings').click();
      await page.getByTestId('menu-settings-duties').waitFor(); // 设置 is open: the town's own settings are there...
      expect(await page.getByTestId('menu-settings-categories').count()).toBe(1);
      expect(await page.getByTestId('menu-settings-open311').count()).toBe(0); // ...the install-wide partner keys are not
      // Typed in by hand, the address says the keys are the global administrator's, and offers nothing.
      await page.goto(`${env.server.url}/#/settings/open311`);
      await expect.poll(() => page.getByTestId('open311-forbidden').textContent()).toContain('只有全局管理员可以管理');
      expect(await page.getByTestId('open311-add').count()).toBe(0);
      expect(await page.getByTestId('open311-page').count()).toBe(0);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'open311-town-admin.png') });
      // Scripted from their session, the server says no, and why.
      const call = (method: string, body?: unknown) => page.evaluate(async ({ method, body }) => {
        const r = await fetch('/api/v1/open311/partners', { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
        return { status: r.status, body: (await r.json()) as { error?: { code: string; message: string } } };
      }, { method, body });
      for (const r of [await call('GET'), await call('POST', { name: '越权合作方' })]) {
        expect(r.status).toBe(403);
        expect(r.body.error).toMatchObject({ code: 'DUTY_REQUIRED', message: expect.stringContaining('全局授予') });
      }
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('creates a key, shows it once, and deactivates it', async () => {
    const { context, page } = await newPage(env.browser);
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await login(page, env.server.url, 'admin', ADMIN_PASSWORD); // the global administrator, with the second factor
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
      expect(await page.getByTestId('open311-page').textContent()).not.toContain('越权合作方'); // the town administrator's attempt made nothing
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
