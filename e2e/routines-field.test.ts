// The field records of two routines, on the task page: a village cadre keeps the month's 全民清洁日
// list on a phone (adds a party member signed in, a volunteer, signs the volunteer in, sees 到场 2);
// the agriculture office picks a village for its 每月一观摩 and records the visit (85 points, a note).
import path from 'node:path';
import dayjs from 'dayjs';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, SCREENSHOTS, login, newPage, today, useAppAndBrowser } from './harness.js';

const env = useAppAndBrowser();

// This month's 15th–28th, or last month's if the 15th has not come yet (so the cleaning day's window is open).
const month = today().slice(8) >= '15' ? today().slice(0, 7) : dayjs(today()).subtract(1, 'month').format('YYYY-MM');
const FROM = `${month}-15`;
const TO = `${month}-28`;

beforeAll(async () => {
  const { generateTasks } = await import('../apps/api/src/modules/routines/routines.service.js');
  await generateTasks(env.server.database.db, FROM, TO);
});

/** A small JPEG of stripes: a photo taken on the visit. */
function jpeg(): Promise<Buffer> {
  const w = 320, h = 240;
  const px = Buffer.alloc(w * h * 3);
  for (let i = 0; i < w * h; i++) { const on = Math.floor(((i % w) + Math.floor(i / w)) / 24) % 2 === 0; px[i * 3] = on ? 90 : 160; px[i * 3 + 1] = on ? 150 : 120; px[i * 3 + 2] = 70; }
  return sharp(px, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 80 }).toBuffer();
}

/** The id of the signed-in user's task of this plan kind, through the API (as the page's session). */
async function taskOf(page: Page, planCode: string): Promise<number> {
  const tasks = await page.evaluate(async (url) => (await fetch(url)).json(), `/api/v1/routines/my-tasks?from=${FROM}&to=${TO}`) as { id: number; planCode: string }[];
  const t = tasks.find((x) => x.planCode === planCode);
  expect(t, `a ${planCode} task in ${FROM}..${TO}`).toBeTruthy();
  return t!.id;
}

describe('routine field records', () => {
  it('a village cadre keeps the cleaning day\'s list on a phone', async () => {
    const errors: string[] = [];
    const { context, page } = await newPage(env.browser, { mobile: true });
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await login(page, env.server.url, 'cungan01', DEMO_PASSWORD);
      await page.getByTestId('app-name').waitFor({ state: 'attached' });
      const id = await taskOf(page, 'cleaning_day');
      await page.goto(`${env.server.url}/#/tasks/${id}`);
      const panel = page.getByTestId('turnout-panel');
      await panel.getByTestId('turnout-form').waitFor();
      const came = () => panel.getByTestId('turnout-came').locator('.ant-statistic-content-value').textContent();

      // A party member, signed in on the spot, with the area cleaned.
      await panel.getByTestId('turnout-name').fill('王建国');
      await panel.getByTestId('turnout-kind').click();
      await page.getByTestId('turnout-kind-party_member').click();
      await panel.getByTestId('turnout-area').fill('村东主街');
      await panel.getByTestId('turnout-add').click();
      await panel.locator('[data-testid="turnout-person"][data-name="王建国"][data-signed-in="true"]').waitFor();
      expect(await panel.locator('[data-testid="turnout-person"][data-name="王建国"]').textContent()).toContain('村东主街');

      // A volunteer who signed up but has not come yet.
      await panel.getByTestId('turnout-name').fill('李志愿');
      await panel.getByTestId('turnout-kind').click();
      await page.getByTestId('turnout-kind-volunteer').click();
      await panel.getByTestId('turnout-area').fill('');
      await panel.getByTestId('turnout-form').getByText('同时签到').click();
      await panel.getByTestId('turnout-add').click();
      const li = panel.locator('[data-testid="turnout-person"][data-name="李志愿"]');
      await li.waitFor();
      expect(await li.getAttribute('data-signed-in')).toBe('false');
      await expect.poll(came).toBe('1');

      // The same name twice is refused with a message.
      await panel.getByTestId('turnout-name').fill('李志愿');
      await panel.getByTestId('turnout-add').click();
      await expect.poll(() => panel.getByTestId('turnout-error').textContent()).toContain('已在本次清洁日名单中');

      // The volunteer comes: 签到.
      await li.getByTestId('turnout-sign-in').click();
      await expect.poll(() => li.getAttribute('data-signed-in')).toBe('true');
      await expect.poll(came).toBe('2');
      const totals = panel.getByTestId('turnout-totals');
      expect(await totals.getByTestId('turnout-signed-up').locator('.ant-statistic-content-value').textContent()).toBe('2');
      expect(await totals.getByTestId('turnout-party').locator('.ant-statistic-content-value').textContent()).toBe('1');
      expect(await totals.getByTestId('turnout-volunteers').locator('.ant-statistic-content-value').textContent()).toBe('1');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'routines-cleaning-day-phone.png'), fullPage: true });
    } finally {
      await context.close();
    }
    expect(errors).toEqual([]);
  });

  it('the agriculture office picks villages to observe from the scores and by hand, and records a visit', async () => {
    const errors: string[] = [];
    const { context, page } = await newPage(env.browser);
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await login(page, env.server.url, 'nongwei', DEMO_PASSWORD);
      await page.getByTestId('app-name').waitFor({ state: 'attached' });
      const id = await taskOf(page, 'observation');
      await page.goto(`${env.server.url}/#/tasks/${id}`);
      const panel = page.getByTestId('visits-panel');
      await panel.getByTestId('visit-pick-form').waitFor();
      expect(await panel.textContent()).toContain('最好的 2 个村和最差的 2 个村');
      // the scores pick the month's best and worst villages of the district, each with its reasons
      await panel.getByTestId('visit-from-scores').click();
      await expect.poll(() => panel.locator('[data-testid="visit"]').count()).toBeGreaterThanOrEqual(2);
      expect(await panel.getByTestId('visits-list').textContent()).toContain('环境整治得分最好');
      expect(await panel.getByTestId('visits-list').textContent()).toContain('环境整治得分最差');

      await panel.getByTestId('visit-village').click();
      const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option:not(.ant-select-item-option-disabled)').first();
      await option.waitFor();
      const village = (await option.getAttribute('title'))!;
      expect(village).toBeTruthy();
      await option.click();
      await panel.getByTestId('visit-reason').fill('上月得分最低');
      await panel.getByTestId('visit-pick').click();
      const visit = panel.locator(`[data-testid="visit"][data-village="${village}"]`);
      await visit.waitFor();
      expect(await visit.getAttribute('data-visited')).toBe('false');
      expect(await visit.textContent()).toContain('上月得分最低');

      await visit.getByTestId('visit-record').click();
      const modal = page.getByTestId('visit-modal');
      await modal.waitFor();
      await modal.getByTestId('visit-score-input').fill('85');
      await modal.getByTestId('visit-note-input').fill('村容明显改善，坑塘已清理');
      await modal.getByTestId('visit-photo').setInputFiles({ name: 'visit.jpg', mimeType: 'image/jpeg', buffer: await jpeg() });
      await expect.poll(() => modal.getByTestId('photo-item').getAttribute('data-status')).toBe('done');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'routines-observation-record-desk.png') });
      await page.getByTestId('visit-save').click();
      await modal.waitFor({ state: 'hidden' });

      await expect.poll(() => visit.getAttribute('data-visited')).toBe('true');
      expect(await visit.getByTestId('visit-score').textContent()).toBe('85 分');
      expect(await visit.getByTestId('visit-note').textContent()).toBe('村容明显改善，坑塘已清理');
      expect(await visit.getByTestId('visit-state').textContent()).toBe('已观摩');
      expect(await visit.locator('img').count()).toBe(1);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'routines-observation-desk.png'), fullPage: true });
    } finally {
      await context.close();
    }
    expect(errors).toEqual([]);
  });
});
