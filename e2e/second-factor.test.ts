// The second factor in Chromium: the party secretary (money duties) sets it up at first login from
// the screen (QR, key, confirm, recovery codes), then logs in with a code, and with a recovery code.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, SCREENSHOTS, loginHere, newPage, openPerson, useAppAndBrowser } from './harness.js';
import { codeAt, enrolledAs } from '../apps/api/test/second-factor.js';

const env = useAppAndBrowser();

describe('second factor (动态验证码)', () => {
  it('shuji sets it up at first login, then logs in with a code and with a recovery code', async () => {
    let codes: string[] = [];
    const { context, page } = await newPage(env.browser);
    try {
      await page.goto(env.server.url);
      await page.getByTestId('login-username').fill('shuji');
      await page.getByTestId('login-password').fill(DEMO_PASSWORD);
      await page.getByTestId('login-submit').click();
      const setup = page.getByTestId('second-factor-setup');
      await setup.waitFor();
      await expect.poll(() => page.getByTestId('second-factor-qr').count()).toBe(1);
      expect(await setup.textContent()).toContain('身份验证器');
      const secret = (await page.getByTestId('second-factor-secret').getAttribute('data-secret'))!;
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(await page.getByTestId('second-factor-uri').getAttribute('href')).toMatch(/^otpauth:\/\/totp\/Wangge:shuji\?secret=/);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'second-factor-setup.png') });
      // a wrong code says so and stays
      await page.getByTestId('second-factor-confirm-code').fill('000000');
      await page.getByTestId('second-factor-confirm').click();
      await page.getByTestId('second-factor-error').waitFor();
      expect(await page.getByTestId('second-factor-error').textContent()).toMatch(/验证码不正确/);
      await page.getByTestId('second-factor-confirm-code').fill(await codeAt(secret, Date.now() - 30_000));
      await page.getByTestId('second-factor-confirm').click();
      await page.getByTestId('second-factor-recovery-codes').waitFor();
      codes = await page.getByTestId('second-factor-recovery-code').allTextContents();
      expect(codes).toHaveLength(10);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'second-factor-recovery-codes.png') });
      await page.getByTestId('second-factor-saved').click();
      await page.getByTestId('app-name').waitFor();
      expect(await page.getByTestId('user-name').textContent()).toBeTruthy();
    } finally {
      await context.close();
    }

    // a second login asks for the code after the password, in the login card
    const second = await newPage(env.browser);
    try {
      const p = second.page;
      await p.goto(env.server.url);
      await p.getByTestId('login-username').fill('shuji');
      await p.getByTestId('login-password').fill(DEMO_PASSWORD);
      await p.getByTestId('login-submit').click();
      await p.getByTestId('second-factor-verify').waitFor();
      expect(await p.getByTestId('login-card').isVisible()).toBe(true);
      await p.screenshot({ path: path.join(SCREENSHOTS, 'second-factor-code.png') });
      await p.getByTestId('second-factor-code').fill('123456');
      await p.getByTestId('second-factor-submit').click();
      await p.getByTestId('second-factor-error').waitFor();
      // a recovery code instead
      await p.getByTestId('second-factor-use-recovery').click();
      await p.getByTestId('second-factor-recovery-input').fill(codes[0]!);
      await p.getByTestId('second-factor-submit').click();
      await p.getByTestId('app-name').waitFor();
      // reloading keeps the full session
      await p.reload();
      await p.getByTestId('app-name').waitFor();
    } finally {
      await second.context.close();
    }
  });

  it('the setup screen survives a reload and offers to log out; the harness sets up and enters codes; a town administrator resets a lost second factor', async () => {
    const { context, page } = await newPage(env.browser);
    try {
      await page.goto(env.server.url);
      await page.getByTestId('login-username').fill('zhenadmin');
      await page.getByTestId('login-password').fill(DEMO_PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('second-factor-setup').waitFor();
      await page.reload();
      await page.getByTestId('second-factor-secret').waitFor();
      await page.getByTestId('logout').click();
      await page.getByTestId('login-card').waitFor();
      await loginHere(page, 'zhenadmin', DEMO_PASSWORD); // sets it up from the screen
      await page.getByTestId('app-name').waitFor();
      expect(enrolledAs(env.server.url, 'zhenadmin')?.recovery).toHaveLength(10);
      await page.getByTestId('logout').click();
      await page.getByTestId('login-card').waitFor();
      await loginHere(page, 'zhenadmin', DEMO_PASSWORD); // a code this time
      await page.getByTestId('app-name').waitFor();

      // shuji lost the phone: the town administrator resets the second factor on 人员
      const drawer = await openPerson(page, 'shuji');
      await drawer.getByTestId('user-reset-second-factor').click();
      await page.locator('.ant-modal-confirm .ant-btn-dangerous').click();
      await page.locator('.ant-message-success').waitFor();
    } finally {
      await context.close();
    }
    const shuji = await newPage(env.browser);
    try {
      await shuji.page.goto(env.server.url);
      await shuji.page.getByTestId('login-username').fill('shuji');
      await shuji.page.getByTestId('login-password').fill(DEMO_PASSWORD);
      await shuji.page.getByTestId('login-submit').click();
      await shuji.page.getByTestId('second-factor-setup').waitFor(); // a new one to set up
    } finally {
      await shuji.context.close();
    }
  });
});
