// A leader's daily self-check on a phone: 我的任务 → today's 每天一自查 for a village → answer the
// checklist, fail one item with a note and a photo → submit → the score and the case raised → the case
// itself (待立案, its category filled in). Then the desk's calendar of the same tasks.
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, SCREENSHOTS, login, newPage, today, useAppAndBrowser } from './harness.js';

const env = useAppAndBrowser();

beforeAll(async () => {
  // The job queue makes tasks ahead of time; here today's are made directly.
  const { generateTasks } = await import('../apps/api/src/modules/routines/routines.service.js');
  await generateTasks(env.server.database.db, today(), today());
});

/** A 640×480 JPEG of stripes: a photo of the problem. */
function jpeg(): Promise<Buffer> {
  const w = 640, h = 480;
  const px = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const on = Math.floor((x + y) / 32) % 2 === 0;
      const i = (y * w + x) * 3;
      px[i] = on ? 170 : 70; px[i + 1] = on ? 140 : 80; px[i + 2] = on ? 90 : 50;
    }
  }
  return sharp(px, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 80 }).toBuffer();
}

describe('routines', () => {
  it('a leader does the daily self-check on a phone, fails an item and sees the case it raised', async () => {
    const errors: string[] = [];
    const { context, page } = await newPage(env.browser, { mobile: true });
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await login(page, env.server.url, 'lingdao01', DEMO_PASSWORD);
      // An assigned leader lands on 我的任务.
      await page.getByTestId('my-tasks-page').waitFor();
      const todayGroup = page.getByTestId('tasks-group-today');
      const card = todayGroup.locator('[data-testid="task-card"][data-plan-code="self_check"][data-status="due"]').first();
      await card.waitFor();
      await expect.poll(() => card.textContent()).toContain('每天一自查');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'routines-my-tasks-phone.png'), fullPage: true });
      const village = (await card.getByTestId('task-area').textContent())!.trim();
      const taskId = Number(await card.getAttribute('data-task-id'));
      await card.click();

      // The checklist, by section.
      await page.getByTestId('task-form').waitFor();
      await expect.poll(() => page.getByTestId('task-area').textContent()).toBe(village);
      const items = page.getByTestId('task-item');
      const n = await items.count();
      expect(n).toBeGreaterThan(3);
      let failedLabel = '';
      for (let i = 0; i < n; i++) {
        const item = items.nth(i);
        const kind = await item.getAttribute('data-kind');
        if (kind === 'yes_no') {
          if (!failedLabel) {
            failedLabel = (await item.getByTestId('item-label').textContent())!;
            await item.getByTestId('item-no').click();
          } else await item.getByTestId('item-yes').click();
        } else if (kind === 'score') {
          const options = item.locator('[data-testid^="item-score-"]');
          await options.last().click(); // full marks
        } else if (kind === 'count') {
          await item.getByTestId('item-count').fill('3');
        } else if (kind === 'note') {
          await item.getByTestId('item-note').fill('e2e：村内整体较好');
        }
      }
      // The failed item asks what is wrong, takes a photo, and raises a case by default.
      const failed = page.locator('[data-testid="task-item"][data-failed="true"]');
      await expect.poll(() => failed.count()).toBe(1);
      await failed.getByTestId('item-fail-note').fill('村东路口有暴露垃圾，约两立方');
      await failed.locator('input[type="file"]').setInputFiles({ name: 'problem.jpg', mimeType: 'image/jpeg', buffer: await jpeg() });
      await expect.poll(() => failed.locator('[data-testid="photo-item"]').getAttribute('data-status')).toBe('done');
      expect(await failed.getByTestId('item-raise-case').getAttribute('aria-checked')).toBe('true');
      await expect.poll(() => page.getByTestId('task-preview').textContent()).toContain('80%');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'routines-checklist-phone.png'), fullPage: true });

      await page.getByTestId('task-submit').click();
      const result = page.getByTestId('task-result');
      await result.waitFor();
      await expect.poll(() => page.getByTestId('task-percent').getAttribute('data-percent')).toBe('80');
      const link = result.getByTestId('task-case-link');
      await expect.poll(() => link.count()).toBe(1);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'routines-result-phone.png'), fullPage: true });
      // The draft is gone once the server answered.
      expect(await page.evaluate((id) => Object.keys(localStorage).filter((k) => k.startsWith('wangge.routines.taskDraft.') && k.endsWith(`.${id}`)), taskId)).toEqual([]);

      // The case raised: 待立案, in the village, its category filled in, the note and the photo with it.
      await link.click();
      const detail = page.getByTestId('case-detail');
      await detail.waitFor();
      expect(await detail.getAttribute('data-case-state')).toBe('reported');
      await expect.poll(() => detail.getByTestId('case-state').textContent()).toBe('待立案');
      expect((await page.getByTestId('case-category').textContent())!.trim()).toBe('暴露垃圾');
      expect(await page.getByTestId('case-area').textContent()).toContain(village);
      const description = (await page.getByTestId('case-description').textContent())!;
      expect(description).toContain('每天一自查');
      expect(description).toContain(failedLabel);
      expect(description).toContain('村东路口有暴露垃圾');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'routines-case-phone.png'), fullPage: true });

      // Back in 我的任务 the task is done, with its score; opening it again shows the result read-only.
      await page.goto(`${env.server.url}/#/tasks`);
      const doneCard = page.locator(`[data-testid="task-card"][data-task-id="${taskId}"]`);
      await doneCard.waitFor();
      await expect.poll(() => doneCard.getAttribute('data-status')).toMatch(/^(done|late)$/);
      await doneCard.click();
      await page.getByTestId('task-result').waitFor();
      expect(await page.getByTestId('task-form').count()).toBe(0);
      expect(await page.locator('[data-testid="task-answer"][data-failed="true"]').count()).toBe(1);
    } finally {
      await context.close();
    }
    expect(errors).toEqual([]);
  });

  it('shows the month as a calendar on a desk, and a task opens from it', async () => {
    const { context, page } = await newPage(env.browser);
    try {
      await login(page, env.server.url, 'lingdao01', DEMO_PASSWORD);
      await page.getByTestId('my-tasks-page').waitFor();
      await page.getByTestId('tasks-tab-calendar').click();
      const day = page.locator(`[data-testid="calendar-day"][data-day="${today()}"]`);
      await day.waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, 'routines-calendar-desk.png') });
      // A day lists all its tasks (the cell shows three).
      await page.locator(`td[title="${today()}"] .ant-picker-calendar-date-value`).click();
      const modal = page.locator('.ant-modal-wrap:visible');
      await modal.waitFor();
      await expect.poll(() => modal.getByTestId('task-card').count()).toBeGreaterThanOrEqual(await day.getByTestId('calendar-task').count());
      await page.keyboard.press('Escape');
      await modal.waitFor({ state: 'hidden' });
      const entry = day.getByTestId('calendar-task').first();
      const id = await entry.getAttribute('data-task-id');
      await entry.click();
      await page.getByTestId('task-page').waitFor();
      expect(page.url()).toContain(`#/tasks/${id}`);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'routines-task-desk.png') });
    } finally {
      await context.close();
    }
  });
});
