// Publicity (宣传发动) as the town uses it. The demo campaign (the article's targets: 8,000 letters,
// 30 lectures, 1,000 people) is set up in the test database. A town staff member opens it from the
// menu, adds a lecture in a village and letters handed out at a school from the phone-friendly
// form, and sees the totals against the targets move; a post with a javascript: link shows the
// server's refusal beside its field. The banner check flags the villages short of what their size asks in red;
// a new count for one of them turns it 达标. A village cadre opens the campaign on a phone-sized
// screen (screenshots of the page and of the form).
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { setupPublicityDemo } from '../apps/api/src/modules/demo/publicity.js';
import { DEMO_PASSWORD, SCREENSHOTS, newPage, useAppAndBrowser, loginHere } from './harness.js';

const env = useAppAndBrowser();

const dropdown = (page: Page) => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
async function chooseVillage(page: Page, select: Locator, name: string) {
  await select.click();
  await select.locator('input').fill(name);
  await dropdown(page).locator('.ant-select-item-option').filter({ hasText: name }).first().click();
}
async function setNumber(el: Locator, v: number) {
  const input = (await el.evaluate((e) => e.tagName)) === 'INPUT' ? el : el.locator('input').first();
  await input.fill(String(v));
  await input.press('Tab');
}

async function open(username: string, hash: string, opts: { mobile?: boolean } = {}) {
  const { context, page } = await newPage(env.browser, opts);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}/${hash}`);
  await loginHere(page, username, DEMO_PASSWORD); // the second factor too, where the role needs one
  await page.getByTestId('app-name').waitFor();
  return { context, page, errors };
}

interface Summary {
  campaign: { id: number }; totals: { letters: number; lectures: number; attendees: number };
  villages: { id: number; code: string; name: string; status: string; required: number; bannersUp: number | null }[];
}

describe('publicity', () => {
  it('a staff member adds a lecture and letters, sees the totals move and the short villages flagged', async () => {
    const made = await setupPublicityDemo(env.server.database.db);
    const id = made.campaignId!;
    const { context, page, errors } = await open('zhenadmin', '');
    try {
      const api = async <T,>(url: string) => (await (await page.request.get(`${env.server.url}/api/v1${url}`)).json()) as T;
      const before = await api<Summary>(`/publicity/campaigns/${id}/summary`);

      await page.getByTestId('menu-publicity').click();
      await page.getByTestId(`pp-campaign-${id}`).click();
      await page.getByTestId('pp-campaign').waitFor();
      const lectures = page.getByTestId('pp-total-lectures-text');
      const letters = page.getByTestId('pp-total-letters-text');
      await expect.poll(() => lectures.textContent()).toBe(`${before.totals.lectures} / 30 场`);
      await expect.poll(() => letters.textContent()).toBe(`${before.totals.letters.toLocaleString('zh-CN')} / 8,000 份`);

      // A lecture in a village, 45 people.
      const village = before.villages[3]!;
      await page.getByTestId('pp-tab-lecture').click();
      await page.getByTestId('pp-add-lecture').click();
      let form = page.getByTestId('pp-form-lecture');
      await form.getByTestId('pp-f-title').fill('垃圾分类进万家');
      await chooseVillage(page, form.getByTestId('pp-f-areaId'), village.name);
      await setNumber(form.getByTestId('pp-f-attendance'), 45);
      await form.getByTestId('pp-submit').click();
      await expect.poll(() => lectures.textContent()).toBe(`${before.totals.lectures + 1} / 30 场`);
      await expect.poll(() => page.getByTestId('pp-total-attendees-text').textContent()).toBe(`${(before.totals.attendees + 45).toLocaleString('zh-CN')} / 1,000 人`);
      await expect.poll(() => page.getByTestId('pp-records-lecture').locator('tbody tr.ant-table-row').filter({ hasText: village.name }).filter({ hasText: '45' }).count()).toBe(1);

      // Letters handed out at a school.
      await page.getByTestId('pp-tab-letter').click();
      await page.getByTestId('pp-add-letter').click();
      form = page.getByTestId('pp-form-letter');
      await form.getByTestId('pp-f-target').getByText('学校').click();
      await form.getByTestId('pp-f-place').locator('input').fill('新城镇第二小学');
      await setNumber(form.getByTestId('pp-f-quantity'), 600);
      await form.getByTestId('pp-submit').click();
      const after = before.totals.letters + 600;
      await expect.poll(() => letters.textContent()).toBe(`${after.toLocaleString('zh-CN')} / 8,000 份`);

      // A WeChat post with a javascript: link: the server's refusal shows beside the link.
      await page.getByTestId('pp-tab-wechat').click();
      await page.getByTestId('pp-add-wechat').click();
      form = page.getByTestId('pp-form-wechat');
      await form.getByTestId('pp-f-title').fill('环境整治进行时');
      await form.getByTestId('pp-f-url').fill('javascript:alert(1)');
      await form.getByTestId('pp-submit').click();
      await expect.poll(() => form.locator('.ant-form-item-explain-error').allTextContents().then((x) => x.join(' '))).toContain('http:// 或 https://');
      await expect.poll(() => form.getByTestId('pp-form-error').textContent()).toContain('http');
      await page.keyboard.press('Escape');

      // The banner check: the short villages in red; a new count turns one 达标.
      await page.getByTestId('pp-tab-banner').click();
      await page.getByTestId('pp-banner-check').waitFor();
      const short = before.villages.filter((v) => v.status === 'short');
      expect(short.length).toBeGreaterThan(0);
      const s0 = short[0]!;
      const tag = page.getByTestId(`pp-bstatus-${s0.code}`);
      await expect.poll(() => tag.textContent()).toBe('不足');
      expect(await tag.evaluate((e) => e.closest('tr')!.style.background)).toBe('rgb(255, 241, 240)');
      expect(await page.getByTestId('pp-banner-check').getByTestId('pp-banner-summary').textContent()).toContain(`不足 ${short.length}`);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'publicity-banners.png'), fullPage: false });
      await page.getByTestId('pp-add-banner').click();
      form = page.getByTestId('pp-form-banner');
      await setNumber(form.getByTestId('pp-f-quantity'), s0.required);
      await form.getByTestId('pp-submit').click(); // no village yet: the form's own check
      await expect.poll(() => form.locator('.ant-form-item-explain-error').allTextContents()).toContain('请选择村');
      await chooseVillage(page, form.getByTestId('pp-f-areaId'), s0.name);
      await expect.poll(() => form.locator('.ant-form-item-extra').allTextContents()).toContain(`清点该村现有的条幅数，新的清点代替上一次；此村应有 ${s0.required} 条`);
      await form.getByTestId('pp-submit').click();
      await expect.poll(() => tag.textContent()).toBe('达标');
      expect(await page.getByTestId('pp-banner-check').getByTestId('pp-banner-summary').textContent()).toContain(`不足 ${short.length - 1}`);

      // The villages tab shows the same check, and the progress card on top.
      await page.getByTestId('pp-tab-villages').click();
      if (short[1]) await expect.poll(() => page.getByTestId(`pp-vstatus-${short[1]!.code}`).textContent()).toBe('不足');
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: path.join(SCREENSHOTS, 'publicity-campaign.png'), fullPage: false });
      const now = await api<Summary>(`/publicity/campaigns/${id}/summary`);
      expect(now.totals).toMatchObject({ letters: after, lectures: before.totals.lectures + 1, attendees: before.totals.attendees + 45 });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('on a phone: a village cadre sees their village and enters a banner count', async () => {
    await setupPublicityDemo(env.server.database.db); // once: a second call changes nothing
    const { context, page, errors } = await open('cungan01', '#/publicity', { mobile: true });
    try {
      await page.getByTestId('pp-list').waitFor();
      const card = page.locator('[data-testid^="pp-campaign-"]').first();
      await card.click();
      await page.getByTestId('pp-campaign').waitFor();
      await page.getByTestId('pp-total-letters').waitFor();
      // The cadre's own village only, in the villages table.
      await expect.poll(() => page.getByTestId('pp-village-table').locator('tbody tr.ant-table-row').count()).toBe(1);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'publicity-phone.png'), fullPage: true });
      await page.getByTestId('pp-tab-banner').click();
      await page.getByTestId('pp-add-banner').click();
      const form = page.getByTestId('pp-form-banner');
      // The only village is chosen already.
      await expect.poll(() => form.getByTestId('pp-f-areaId').textContent()).toBeTruthy();
      await setNumber(form.getByTestId('pp-f-quantity'), 8);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'publicity-phone-form.png'), fullPage: false });
      await form.getByTestId('pp-submit').click();
      await expect.poll(() => page.getByTestId('pp-records-banner').locator('tbody tr.ant-table-row').filter({ hasText: '8' }).count()).toBeGreaterThan(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
