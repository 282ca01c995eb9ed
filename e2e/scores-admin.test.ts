// The scores' administration as the town uses it. The town admin enters other-work scores (the 60%)
// for two villages in the last month of the last ended quarter (a bad score is refused on the
// spot); in 考核设置 weights that do not add up are refused with the server's message and a valid
// new set is saved from next month; the tiers and award amounts are install-wide, so the town admin
// sees them read-only and the global admin's tier thresholds out of order are refused beside them;
// an indicator with a formula naming an unknown fact and its thresholds out of order gets the
// messages beside those fields. The quarterly rating is proposed by the town admin (the current
// quarter is refused: not ended); the proposer is not offered the approval and the server refuses
// it. The party secretary approves it and is not offered the payment; the proposer may not pay it
// either (the server's message); a second person of the town office (镇财务) marks an award paid:
// proposer, approver and payer are three people. Then the annual award of last year, proposed and
// approved by two people, and its certificates on A4. The month's template is downloaded, filled
// and imported (a bad file first: its rows are reported and nothing is saved). Routine tasks for
// those months are generated in the test database first, so that the villages have an environment
// score whatever today is.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { rows as dbRows, sql } from '../apps/api/src/db/client.js';
import { hashPassword } from '../apps/api/src/modules/auth/password.js';
import { DEMO_TOWN } from '../apps/api/src/modules/demo/demo.js';
import * as people from '../apps/api/src/modules/people/people.repository.js';
import { generateTasks } from '../apps/api/src/modules/routines/routines.service.js';
import { ADMIN_PASSWORD, DEMO_PASSWORD, SCREENSHOTS, login, newPage, today, useAppAndBrowser, loginHere } from './harness.js';

const env = useAppAndBrowser();

/** The input of an antd field, whether the test id sits on the input or on its wrapper. */
async function inputOf(el: Locator): Promise<Locator> {
  return (await el.evaluate((e) => e.tagName)) === 'INPUT' ? el : el.locator('input').first();
}
async function setNumber(el: Locator, v: number | string) {
  const input = await inputOf(el);
  await input.fill(String(v));
  await input.press('Tab');
}
/** Types a value into an antd DatePicker and checks it took. */
async function typePicker(el: Locator, text: string) {
  const input = await inputOf(el);
  await input.click();
  await input.fill(text);
  await input.press('Enter');
  await expect.poll(() => input.inputValue()).toBe(text);
}
const toasts = (page: Page) => page.locator('.ant-message-notice').allTextContents().then((t) => t.join(' | '));
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The town office's second person, 镇财务 (a town administrator too), who marks awards paid: the
 * demo town has one town administrator, and whoever proposed a rating may not mark it paid.
 */
const CLERK = { username: 'caiwu', password: 'Caiwu-pass-1' };
async function addClerk() {
  const db = env.server.database.db;
  const [town] = await dbRows<{ id: number }>(db, sql`SELECT id FROM area WHERE code = ${DEMO_TOWN}`);
  const id = await people.insertUser(db, { username: CLERK.username, displayName: '镇财务·王会计', phone: null, passwordHash: await hashPassword(CLERK.password), mustChangePassword: false });
  await people.insertGrant(db, id, 'town_admin', Number(town!.id));
}
const passwordOf = (username: string) => (username === 'admin' ? ADMIN_PASSWORD : username === CLERK.username ? CLERK.password : DEMO_PASSWORD);

/** Calls the API from the page (the user's session, same origin), as a script in their browser could. */
async function call(page: Page, method: string, url: string): Promise<{ status: number; error?: { code: string; message: string } }> {
  return page.evaluate(async ({ method, url }) => {
    const r = await fetch(`/api/v1${url}`, { method, headers: method === 'GET' ? {} : { 'content-type': 'application/json' }, body: method === 'GET' ? undefined : '{}' });
    return { status: r.status, error: ((await r.json()) as { error?: { code: string; message: string } }).error };
  }, { method, url });
}

/** Opens a hash route and logs in there (the app keeps the address: no landing page in between). */
async function open(username: string, hash: string, opts: { mobile?: boolean } = {}) {
  const { context, page } = await newPage(env.browser, opts);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  if (hash) {
    await page.goto(`${env.server.url}/${hash}`);
    await loginHere(page, username, passwordOf(username)); // the second factor too, where the role needs one
  } else {
    await login(page, env.server.url, username, passwordOf(username));
  }
  await page.getByTestId('app-name').waitFor();
  return { context, page, errors };
}

describe('scores administration', () => {
  const day = today();
  const year = Number(day.slice(0, 4));
  const q = Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1;
  // The last ended quarter and its last month.
  const lq = q === 1 ? { y: year - 1, q: 4 } : { y: year, q: q - 1 };
  const quarter = `${lq.y}Q${lq.q}`;
  const lastMonth = { y: lq.y, m: lq.q * 3 };
  const monthText = `${lastMonth.y}-${pad(lastMonth.m)}`;

  it('enters other-work scores, edits weights and an indicator, and rates a quarter proposed, approved and paid by three people', async () => {
    await generateTasks(env.server.database.db, `${monthText}-01`, `${monthText}-${lastDay(lastMonth.y, lastMonth.m)}`);
    await addClerk();

    const admin = await open('zhenadmin', '');
    const { page } = admin;
    try {
      const me = (await (await page.request.get(`${env.server.url}/api/v1/me`)).json()) as { displayName: string };

      // ---- 其他工作得分: the town is the default scope; pick the month.
      await page.getByTestId('menu-scores').click();
      await page.getByTestId('menu-scores-other').click();
      await page.getByTestId('ow-page').waitFor();
      expect(await page.getByTestId('ow-explain').textContent()).toContain('60%');
      await typePicker(page.getByTestId('ow-month'), monthText);
      await expect.poll(() => page.getByTestId('ow-month-key').textContent()).toBe(monthText.replace('-', ''));
      const rows = page.getByTestId('ow-table').locator('tbody tr.ant-table-row');
      await expect.poll(() => rows.count()).toBeGreaterThan(2);
      const codes = await page.getByTestId('ow-table').locator('[data-testid^="ow-score-"]').evaluateAll((els) => els.map((e) => {
        const el = e.tagName === 'INPUT' ? e : e.querySelector('input')!;
        return (el.closest('[data-testid^="ow-score-"]') ?? el).getAttribute('data-testid')!.slice('ow-score-'.length);
      }));
      const [a, b, c] = codes as [string, string, string];

      // A bad score is refused beside the field, and saving is held back.
      await page.getByTestId(`ow-score-${c}`).fill('120');
      await expect.poll(() => page.getByTestId(`ow-error-${c}`).textContent()).toContain('0–100');
      await page.getByTestId('ow-save').click();
      await expect.poll(() => toasts(page)).toContain('请先改正标红的得分');
      await page.getByTestId(`ow-score-${c}`).fill('');

      // 100 × 60% reaches 合格 (60) even with no environment points: an award with money to pay.
      await page.getByTestId(`ow-score-${a}`).fill('100');
      await page.getByTestId(`ow-note-${a}`).fill('端到端测试：环境以外的工作完成出色');
      await page.getByTestId(`ow-score-${b}`).fill('90.5');
      await expect.poll(() => page.getByTestId('ow-changed').textContent()).toBe('2 个村有改动');
      await page.getByTestId('ow-save').click();
      await expect.poll(() => toasts(page)).toContain('已保存 2 个村的得分');
      await expect.poll(() => page.getByTestId(`ow-entered-${a}`).textContent()).toContain(me.displayName);
      expect(await page.getByTestId(`ow-entered-${b}`).textContent()).toContain(me.displayName);
      expect(await page.getByTestId(`ow-entered-${c}`).textContent()).toBe('未录入');
      expect(await page.getByTestId('ow-changed').textContent()).toBe('没有改动');
      // Saved on the server: a reload shows them.
      await page.getByTestId('ow-refresh').click();
      await expect.poll(() => page.getByTestId(`ow-score-${a}`).inputValue()).toBe('100');
      expect(await page.getByTestId(`ow-score-${b}`).inputValue()).toBe('90.5');
      expect(await page.getByTestId(`ow-note-${a}`).inputValue()).toBe('端到端测试：环境以外的工作完成出色');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'scores-other-work.png'), fullPage: true });

      // ---- 考核设置 → 权重: 50 + 60 is refused with the server's message; 50 + 50 is saved from next month.
      await page.getByTestId('menu-scores-settings').click();
      await page.getByTestId('st-page').waitFor();
      await page.getByTestId('st-tab-weights').click();
      await page.getByTestId('wt-current').waitFor();
      await expect.poll(() => page.getByTestId('wt-current-lv1').textContent()).toContain('40%');
      const history = page.getByTestId('wt-history').locator('tbody tr.ant-table-row');
      const before = await history.count();
      await setNumber(page.getByTestId('wt-environment'), 50);
      await expect.poll(() => page.getByTestId('wt-sum1').textContent()).toContain('须为 100%');
      await page.getByTestId('wt-save').click();
      await expect.poll(() => page.getByTestId('wt-error').textContent()).toContain('合计须为 100%');
      expect(await page.getByTestId('st-weights').textContent()).toContain('环境整治（50%）与其他工作（60%）的权重合计须为 100%，现为 110%');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'scores-weights-error.png'), fullPage: true });
      await setNumber(page.getByTestId('wt-other'), 50);
      await expect.poll(() => page.getByTestId('wt-sum1').textContent()).toBe('合计 100%');
      const validFrom = await page.getByTestId('wt-valid-from-key').textContent();
      await page.getByTestId('wt-save').click();
      await expect.poll(() => toasts(page)).toContain('新的权重已保存');
      await expect.poll(() => history.count()).toBe(before + 1);
      expect(await page.getByTestId('wt-history').textContent()).toContain(`${validFrom!.slice(0, 4)}-${validFrom!.slice(4)}`);
      expect(await page.getByTestId('wt-error').count()).toBe(0);

      // ---- 等次与奖励 are install-wide settings: the town admin sees them, with nothing to save.
      await page.getByTestId('st-tab-tiers').click();
      await page.getByTestId('st-tiers').waitFor();
      await expect.poll(async () => (await inputOf(page.getByTestId('tr-thresholds-good'))).inputValue()).toBe('80');
      expect(await page.getByTestId('tr-save').count()).toBe(0);
      // The global administrator's thresholds out of order are refused beside them.
      const settingsAdmin = await open('admin', '');
      try {
        const ga = settingsAdmin.page;
        await ga.getByTestId('menu-scores').click();
        await ga.getByTestId('menu-scores-settings').click();
        await ga.getByTestId('st-tab-tiers').click();
        await ga.getByTestId('st-tiers').waitFor();
        await setNumber(ga.getByTestId('tr-thresholds-good'), 95);
        await ga.getByTestId('tr-save').click();
        await expect.poll(() => ga.getByTestId('tr-item-tiers.thresholds').textContent()).toContain('等次分数线须从高到低');
        await ga.screenshot({ path: path.join(SCREENSHOTS, 'scores-tiers-error.png'), fullPage: true });
        await setNumber(ga.getByTestId('tr-thresholds-good'), 80);
        expect(settingsAdmin.errors).toEqual([]);
      } finally {
        await settingsAdmin.context.close();
      }

      // ---- 指标: a formula naming an unknown fact and thresholds out of order, each message beside its field.
      await page.getByTestId('st-tab-indicators').click();
      await page.getByTestId('in-table').waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, 'scores-indicators.png'), fullPage: true });
      await page.getByTestId('in-edit-closure_rate').click();
      const modal = page.locator('.ant-modal:visible');
      await modal.waitFor();
      await (await inputOf(modal.getByTestId('in-f-formula'))).fill('cases_closed / cases_nope * 100');
      await setNumber(modal.getByTestId('in-f-green'), 50);
      await setNumber(modal.getByTestId('in-f-yellow'), 70);
      await modal.getByTestId('in-save').click();
      await expect.poll(() => modal.getByTestId('in-error').textContent()).toContain('指标有误');
      await expect.poll(() => modal.locator('.ant-form-item-explain-error').allTextContents()).toEqual(expect.arrayContaining([
        expect.stringContaining('未知的事实：cases_nope'),
        expect.stringContaining('绿色阈值（50）不能低于黄色阈值（70）'),
      ]));
      await page.waitForTimeout(500); // the error's fade-in, for the screenshot
      await page.screenshot({ path: path.join(SCREENSHOTS, 'scores-indicator-error.png'), fullPage: true });
      await modal.locator('.ant-modal-footer button').first().click();
      await expect.poll(() => page.locator('.ant-modal:visible').count()).toBe(0);
      expect(await page.getByTestId('in-formula-closure_rate').textContent()).toBe('cases_closed / cases_registered * 100');

      // ---- 评比与奖励: the current quarter has not ended; the last ended one is proposed.
      await page.getByTestId('menu-scores-ratings').click();
      await page.getByTestId('rt-page').waitFor();
      await expect.poll(() => page.getByTestId('rt-period-key').textContent()).toBe(quarter);
      await typePicker(page.getByTestId('rt-period-picker'), `${year}-Q${q}`);
      await expect.poll(() => page.getByTestId('rt-period-key').textContent()).toBe(`${year}Q${q}`);
      await page.getByTestId('rt-propose').click();
      await expect.poll(() => page.getByTestId('rt-propose-error').textContent()).toContain('尚未结束');
      await typePicker(page.getByTestId('rt-period-picker'), `${lq.y}-Q${lq.q}`);
      await expect.poll(() => page.getByTestId('rt-period-key').textContent()).toBe(quarter);
      await page.getByTestId('rt-propose').click();
      await page.getByTestId('rt-detail').waitFor();
      const ratingId = Number(/#\/scores\/ratings\/(\d+)/.exec(page.url())![1]);
      expect(await page.getByTestId('rt-status').textContent()).toBe('待审批');
      await expect.poll(() => page.getByTestId(`rt-award-name-${a}`).count()).toBe(1);
      expect(await page.getByTestId(`rt-award-name-${b}`).count()).toBe(1);
      expect(await page.getByTestId('rt-second-hint').textContent()).toContain('请另一位负责人审批');

      // Approving one's own proposal: not offered, and the server refuses it all the same.
      expect(await page.getByTestId('rt-approve').count()).toBe(0);
      const selfApprove = await call(page, 'POST', `/scores/ratings/${ratingId}/approve`);
      expect(selfApprove.status).toBe(403);
      expect(selfApprove.error).toMatchObject({ code: 'DUTY_REQUIRED', message: expect.stringContaining('审批评比奖励') });
      await page.getByRole('button', { name: '刷新' }).click();
      await expect.poll(() => page.getByTestId('rt-approver').textContent()).toBe('—');
      expect(await page.getByTestId('rt-status').textContent()).toBe('待审批');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'scores-rating-self-approve.png'), fullPage: true });

      // ---- The party secretary approves; paying is not theirs.
      const sec = await open('shuji', `#/scores/ratings/${ratingId}`);
      try {
        const p2 = sec.page;
        await p2.getByTestId('rt-detail').waitFor();
        await p2.getByTestId('rt-approve').click();
        await p2.getByTestId('rt-approve-ok').click();
        await expect.poll(() => p2.getByTestId('rt-status').textContent()).toBe('已审批');
        await expect.poll(() => p2.getByTestId('rt-approver').textContent()).toContain('·');
        expect(await p2.getByTestId('rt-withdraw').count()).toBe(0);
        // Every award with money shows 未发放, none a button to mark it paid.
        await expect.poll(() => p2.getByTestId(`rt-paid-${a}`).textContent()).toBe('未发放');
        expect(await p2.getByTestId('rt-awards').locator('[data-testid^="rt-mark-paid-"]').count()).toBe(0);
        expect(sec.errors).toEqual([]);
      } finally {
        await sec.context.close();
      }

      // The proposer holds the paying duty, but may not pay what they proposed: the server's message.
      const rating = (await (await page.request.get(`${env.server.url}/api/v1/scores/ratings/${ratingId}`)).json()) as { awards: { id: number; amount: number }[] };
      const award = rating.awards.find((x) => x.amount > 0)!;
      const selfPay = await call(page, 'POST', `/scores/ratings/${ratingId}/awards/${award.id}/paid`);
      expect(selfPay.status).toBe(403);
      expect(selfPay.error).toMatchObject({ code: 'SEPARATION_OF_DUTIES', message: expect.stringContaining('不能登记自己提议的评比奖励为已发放') });
      expect(admin.errors).toEqual([]);

      // ---- The town office's second person marks an award paid.
      const clerk = await open(CLERK.username, `#/scores/ratings/${ratingId}`);
      try {
        const p3 = clerk.page;
        await p3.getByTestId('rt-detail').waitFor();
        expect(await p3.getByTestId('rt-status').textContent()).toBe('已审批');
        // The first award with something to pay.
        const pay = p3.getByTestId('rt-awards').locator('[data-testid^="rt-mark-paid-"]').first();
        await expect.poll(() => pay.count()).toBe(1);
        const code = (await pay.getAttribute('data-testid'))!.slice('rt-mark-paid-'.length);
        await pay.click();
        await p3.getByTestId('rt-mark-paid-ok').click();
        await expect.poll(() => p3.getByTestId(`rt-paid-${code}`).textContent()).toContain('已发放');
        expect(await p3.getByTestId(`rt-paid-${code}`).textContent()).toContain('镇财务·王会计');
        await expect.poll(async () => Number((await p3.getByTestId('rt-paid-amount').textContent())!.replace(/[^\d]/g, ''))).toBeGreaterThan(0);
        await p3.screenshot({ path: path.join(SCREENSHOTS, 'scores-rating-approved.png'), fullPage: true });
        const [who] = await dbRows<{ proposer: string; approver: string; payer: string }>(env.server.database.db, sql`SELECT p.username AS proposer,
          ap.username AS approver, y.username AS payer FROM score_rating r JOIN app_user p ON p.id = r.proposed_by JOIN app_user ap ON ap.id = r.approved_by
          JOIN score_award w ON w.rating_id = r.id JOIN app_user y ON y.id = w.paid_by WHERE r.id = ${ratingId}`);
        expect(who).toEqual({ proposer: 'zhenadmin', approver: 'shuji', payer: CLERK.username });

        // The list shows it approved.
        await p3.goto(`${env.server.url}/#/scores/ratings`);
        await expect.poll(() => p3.getByTestId(`rt-status-${quarter}`).textContent()).toBe('已审批');
        await p3.screenshot({ path: path.join(SCREENSHOTS, 'scores-ratings-list.png'), fullPage: true });
        expect(clerk.errors).toEqual([]);
      } finally {
        await clerk.context.close();
      }
    } finally {
      await admin.context.close();
    }
  });

  it('awards last year\'s medals, proposed and approved by two people, and prints their certificates', async () => {
    const y = year - 1;
    await generateTasks(env.server.database.db, `${y}-12-01`, `${y}-12-31`);
    const admin = await open('zhenadmin', '#/scores/other');
    try {
      const { page } = admin;
      await page.getByTestId('ow-page').waitFor();
      await typePicker(page.getByTestId('ow-month'), `${y}-12`);
      const inputs = page.getByTestId('ow-table').locator('[data-testid^="ow-score-"]');
      await expect.poll(() => inputs.count()).toBeGreaterThan(3);
      for (const [i, s] of [[0, 97], [1, 93], [2, 91], [3, 85]] as const) await (await inputOf(inputs.nth(i))).fill(String(s));
      await page.getByTestId('ow-save').click();
      await expect.poll(() => toasts(page)).toContain('已保存 4 个村的得分');

      await page.goto(`${env.server.url}/#/scores/ratings`);
      await page.getByTestId('rt-page').waitFor();
      await page.getByTestId('rt-kind').getByText('每全年一大奖').click();
      await expect.poll(() => page.getByTestId('rt-period-key').textContent()).toBe(String(y));
      await page.getByTestId('rt-propose').click();
      await page.getByTestId('rt-detail').waitFor();
      const ratingId = Number(/#\/scores\/ratings\/(\d+)/.exec(page.url())![1]);
      const awards = page.getByTestId('rt-awards').locator('tbody tr.ant-table-row');
      await expect.poll(() => awards.count()).toBe(3); // the default annual award count
      expect(await page.getByTestId('rt-awards').textContent()).toContain('荣誉奖章');
      expect(await page.getByTestId('rt-approve').count()).toBe(0); // a second person approves
      expect(admin.errors).toEqual([]);
      const sec = await open('shuji', `#/scores/ratings/${ratingId}`);
      try {
        const p2 = sec.page;
        await p2.getByTestId('rt-approve').click();
        await p2.getByTestId('rt-approve-ok').click();
        await expect.poll(() => p2.getByTestId('rt-status').textContent()).toBe('已审批');
        // handing the medals over is registered by the town office, not by the approver
        await p2.getByTestId('rt-certificates').waitFor();
        expect(await p2.getByTestId('rt-awards').locator('[data-testid^="rt-mark-paid-"]').count()).toBe(0);
        expect(await p2.getByTestId('rt-awards').textContent()).toContain('未发放');
        await p2.getByTestId('rt-certificates').click();
        await p2.getByTestId('ct-page').waitFor();
        const certs = p2.locator('section.sa-cert');
        await expect.poll(() => certs.count()).toBe(3);
        const first = await certs.first().textContent();
        expect(first).toContain('荣 誉 证 书');
        expect(first).toContain(`${y}年度人居环境整治荣誉奖章`);
        expect(first).toContain('第 1 名');
        expect(first).toContain('人民政府');
        expect(first).toContain('（盖章）');
        // No menu around a certificate.
        expect(await p2.locator('.ant-layout-sider:visible').count()).toBe(0);
        expect(await p2.locator('.ant-layout-header:visible').count()).toBe(0);
        await p2.screenshot({ path: path.join(SCREENSHOTS, 'scores-certificates.png'), fullPage: true });
        // On paper: one A4 landscape page per certificate.
        const pdf = await p2.pdf({ preferCSSPageSize: true, printBackground: true });
        const boxes = [...pdf.toString('latin1').matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m) => [Number(m[1]), Number(m[2])]);
        expect(boxes.length).toBe(3);
        for (const [w, h] of boxes) expect(w).toBeGreaterThan(h!); // landscape
        // What the paper looks like: print media on an A4-landscape-sized viewport.
        await p2.emulateMedia({ media: 'print' });
        await p2.setViewportSize({ width: 1123, height: 794 });
        await p2.screenshot({ path: path.join(SCREENSHOTS, 'scores-certificate-print.png') });
        expect(sec.errors).toEqual([]);
      } finally {
        await sec.context.close();
      }
    } finally {
      await admin.context.close();
    }
  });

  it('lets a phone enter other-work scores', async () => {
    const m = await open('zhenadmin', '#/scores/other', { mobile: true });
    try {
      const { page } = m;
      await page.getByTestId('ow-page').waitFor();
      const cards = page.getByTestId('ow-cards').locator('[data-testid^="ow-card-"]');
      await expect.poll(() => cards.count()).toBeGreaterThan(2);
      const code = (await cards.first().getAttribute('data-testid'))!.slice('ow-card-'.length);
      await page.getByTestId(`ow-score-${code}`).fill('88');
      await expect.poll(() => page.getByTestId('ow-changed').textContent()).toBe('1 个村有改动');
      // The save bar stays in reach at the bottom of the screen.
      const box = await page.getByTestId('ow-save').boundingBox();
      expect(box!.y + box!.height).toBeLessThanOrEqual(844);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'scores-other-work-phone.png') });
      await page.getByTestId('ow-save').click();
      await expect.poll(() => toasts(page)).toContain('已保存 1 个村的得分');
      await expect.poll(() => page.getByTestId(`ow-entered-${code}`).textContent()).not.toBe('未录入');
      expect(m.errors).toEqual([]);
    } finally {
      await m.context.close();
    }
  });

  it('downloads the template and imports it filled, reporting bad rows', async () => {
    const m = await open('zhenadmin', '#/scores/other');
    try {
      const { page } = m;
      await page.getByTestId('ow-page').waitFor();
      await expect.poll(() => page.getByTestId('ow-table').locator('tbody tr.ant-table-row').count()).toBeGreaterThan(2);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('ow-template').click()]);
      expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(fs.readFileSync((await download.path())!) as unknown as ExcelJS.Buffer);
      const ws = wb.getWorksheet('其他工作得分')!;
      expect(String(ws.getCell(1, 1).value)).toBe('村代码');
      const codeAt = (r: number) => String(ws.getCell(r, 1).value);
      const [c1, c2] = [codeAt(2), codeAt(3)];
      const upload = async (name: string) => page.getByTestId('ow-page').locator('input[type=file]').setInputFiles({
        name, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from(await wb.xlsx.writeBuffer()),
      });

      const before = await page.getByTestId(`ow-score-${c1}`).inputValue();
      // A score out of range and an unknown village: both rows reported, nothing saved.
      ws.getCell(2, 3).value = 150;
      ws.getCell(3, 1).value = '999999999999';
      await upload('其他工作得分-错误.xlsx');
      const report = page.getByTestId('ow-import-report');
      await report.waitFor();
      const cells = await report.locator('tbody tr.ant-table-row').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
      expect(cells).toEqual(expect.arrayContaining([
        ['2', '得分', expect.stringContaining('须为 0–100 的数')],
        ['3', '村代码', expect.stringContaining('不是已有的村')],
      ]));
      expect(await page.getByTestId('ow-import-error').textContent()).toContain('导入未进行');
      // Nothing saved: the table is as before (another test may have scored a village this month).
      expect(await page.getByTestId(`ow-score-${c1}`).inputValue()).toBe(before);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'scores-other-work-import-error.png'), fullPage: true });

      // Corrected: both villages imported, shown as imported.
      ws.getCell(2, 3).value = 82;
      ws.getCell(3, 1).value = c2;
      ws.getCell(3, 3).value = 77.5;
      ws.getCell(3, 4).value = '导入测试';
      await upload('其他工作得分.xlsx');
      await expect.poll(() => page.getByTestId('ow-import-ok').count()).toBe(1);
      await expect.poll(() => page.getByTestId(`ow-score-${c1}`).inputValue()).toBe('82');
      expect(await page.getByTestId(`ow-score-${c2}`).inputValue()).toBe('77.5');
      expect(await page.getByTestId(`ow-note-${c2}`).inputValue()).toBe('导入测试');
      expect(await page.getByTestId(`ow-entered-${c2}`).textContent()).toContain('导入');
      expect(m.errors).toEqual([]);
    } finally {
      await m.context.close();
    }
  });
});
