// 积分与奖励 as the town uses it. A resident has reported a problem from their phone (a registered
// public report). The town office adds that resident's household to the village, records its 门前三包
// check for today (one batch entry), and sees the statement: the report's points (matched by the
// phone) and the check's. A shop item is added and the household exchanges points for it. Then a
// bounty for the report: 20 yuan is refused with the server's message, 300 is proposed; approving
// it oneself is not offered; the party secretary approves it and marks it paid. On a phone, the
// village cadre sees the statement and decides a 最美庭院 round with the household as its winner.
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { rows, sql } from '../apps/api/src/db/client.js';
import { DEMO_PASSWORD, SCREENSHOTS, newPage, useAppAndBrowser, loginHere } from './harness.js';

const env = useAppAndBrowser();

const dropdown = (page: Page) => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
const toasts = (page: Page) => page.locator('.ant-message-notice').allTextContents().then((t) => t.join(' | '));
async function inputOf(el: Locator): Promise<Locator> {
  return (await el.evaluate((e) => e.tagName)) === 'INPUT' ? el : el.locator('input').first();
}
async function setNumber(el: Locator, v: number) {
  const input = await inputOf(el);
  await input.fill(String(v));
  await input.press('Tab');
}

/** Closes the open drawer by its close button and waits until it is gone. */
async function closeDrawer(page: Page) {
  await page.locator('.ant-drawer-open .ant-drawer-close').last().click();
  await expect.poll(() => page.locator('.ant-drawer-open').count()).toBe(0);
}

/** Opens a hash route and logs in there. */
async function open(username: string, hash: string, opts: { mobile?: boolean } = {}) {
  const { context, page } = await newPage(env.browser, opts);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}/${hash}`);
  await loginHere(page, username, DEMO_PASSWORD); // the second factor too, where the role needs one
  await page.getByTestId('app-name').waitFor();
  return { context, page, errors };
}

describe('points and rewards', () => {
  it('records a frontage check, shows the statement, exchanges an item, and pays a bounty approved by a second person', async () => {
    const db = env.server.database.db;
    const [v] = await rows<{ id: number; name: string }>(db, sql`SELECT a.id, a.name FROM app_user u JOIN user_role r ON r.user_id = u.id
      JOIN area a ON a.id = r.area_id WHERE u.username = 'cungan01'`);
    const [m] = await rows<{ id: number }>(db, sql`SELECT m.id FROM area m JOIN area v ON m.path LIKE v.path || '%'
      WHERE v.id = ${v!.id} AND m.level_key = 'micro_grid' ORDER BY m.code LIMIT 1`);
    const [cat] = await rows<{ id: number }>(db, sql`SELECT id FROM case_category WHERE name = '暴露垃圾'`);
    // A resident's report as the public intake keeps it: a registered case from the public, the reporter's phone.
    const phone = '13912345678';
    const [c] = await rows<{ id: number; no: string }>(db, sql`INSERT INTO case_file (no, source, state, category_id, area_id, description, reported_at, registered_at)
      VALUES ('2099010100001', 'public', 'registered', ${cat!.id}, ${m!.id}, '路口垃圾堆放多日', now(), now()) RETURNING id, no`);
    await db.execute(sql`INSERT INTO public_report (case_id, token, channel, placement, phone, phone_hash, name)
      VALUES (${c!.id}, ${randomBytes(16).toString('hex')}, 'web', 'micro_grid', ${phone}, ${createHash('sha256').update(phone).digest('hex')}, '张女士')`);

    const office = await open('zhenadmin', '#/rewards/households');
    const { page } = office;
    try {
      await page.getByTestId('rw-page').waitFor();
      // The town office picks the village.
      const picker = page.getByTestId('rw-village');
      await picker.click();
      await picker.locator('input').fill(v!.name);
      await dropdown(page).locator('.ant-select-item-option').filter({ hasText: v!.name }).first().click();
      await page.getByTestId('rw-hh-table').waitFor();

      // ---- a household, with the reporter's phone
      await page.getByTestId('rw-hh-add').click();
      await page.getByTestId('rw-hh-no').fill('88');
      await page.getByTestId('rw-hh-head').fill('张桂英');
      await page.getByTestId('rw-hh-phone').fill('139-1234-5678');
      await page.getByTestId('rw-hh-save').click();
      await expect.poll(() => toasts(page)).toContain('已新增 张桂英');
      await expect.poll(() => page.getByTestId('rw-hh-name-88').count()).toBe(1);
      const hid = ((await (await page.request.get(`${env.server.url}/api/v1/rewards/households?areaId=${v!.id}&q=张桂英`)).json()) as { items: { id: number }[] }).items[0]!.id;

      // ---- 门前三包: today's check in the batch entry
      await page.getByTestId('rw-ft-open').click();
      const row = page.getByTestId(`rw-ft-row-${hid}`);
      await row.waitFor();
      await page.getByTestId(`rw-ft-grade-${hid}`).locator('.ant-segmented-item', { hasText: '好' }).click();
      await expect.poll(() => page.getByTestId('rw-ft-save').textContent()).toContain('1 户');
      await page.getByTestId('rw-ft-save').click();
      await expect.poll(() => toasts(page)).toContain('已保存 1 户的检查，共得 3 分');
      await expect.poll(() => page.getByTestId(`rw-ft-done-${hid}`).textContent()).toBe('好');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'rewards-frontage.png') });
      await closeDrawer(page);
      await expect.poll(() => page.getByTestId('rw-hh-balance-88').textContent()).toBe('8'); // 5 for the valid report + 3 for the check

      // ---- the statement
      await page.getByTestId('rw-hh-statement-88').click();
      const st = page.getByTestId('rw-statement');
      await expect.poll(() => st.getByTestId('rw-statement-balance').textContent()).toContain('8');
      const entries = await st.getByTestId('rw-statement-entries').textContent();
      expect(entries).toContain('门前三包');
      expect(entries).toContain('随手拍有效上报');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'rewards-statement.png') });
      await closeDrawer(page);

      // ---- the 积分超市: an item, then the household exchanges for it from its statement
      await page.getByTestId('rw-tab-shop').click();
      await page.getByTestId('rw-item-add').click();
      await page.getByTestId('rw-item-name').fill('毛巾');
      await setNumber(page.getByTestId('rw-item-points'), 5);
      await setNumber(page.getByTestId('rw-item-stockinput'), 20);
      await page.getByTestId('rw-item-save').click();
      await expect.poll(() => page.getByTestId('rw-item-stock-毛巾').textContent()).toBe('20');
      const who = page.getByTestId('rw-who');
      await who.click();
      await who.locator('input').fill('张桂英');
      await dropdown(page).locator('.ant-select-item-option').filter({ hasText: '张桂英' }).first().click();
      await expect.poll(() => page.getByTestId('rw-who-balance').textContent()).toContain('8');
      await page.getByTestId('rw-shop-exchange').click();
      const modal = page.getByTestId('rw-exchange-modal');
      await page.getByTestId('rw-exchange-item').click();
      await dropdown(page).locator('.ant-select-item-option').filter({ hasText: '毛巾' }).first().click();
      await setNumber(page.getByTestId('rw-exchange-qty'), 2);
      await page.getByTestId('rw-exchange-ok').click();
      await expect.poll(() => modal.getByTestId('rw-exchange-error').textContent()).toContain('积分不足'); // 10 > 8: the server says no
      await setNumber(page.getByTestId('rw-exchange-qty'), 1);
      await page.getByTestId('rw-exchange-ok').click();
      await expect.poll(() => toasts(page)).toContain('已兑换 毛巾，扣 5 分，余额 3 分');
      await expect.poll(() => page.getByTestId('rw-exchanges').textContent()).toContain('毛巾 × 1');
      await expect.poll(() => page.getByTestId('rw-item-stock-毛巾').textContent()).toBe('19');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'rewards-shop.png'), fullPage: true });

      // ---- a bounty for the report: out of range refused, then proposed
      await page.getByTestId('rw-tab-bounties').click();
      await page.getByTestId('rw-bn-caseno').fill(c!.no);
      await setNumber(page.getByTestId('rw-bn-amount'), 20);
      await page.getByTestId('rw-bn-reason').fill('举报垃圾堆放多日，线索属实，已立案');
      await page.getByTestId('rw-bn-submit').click();
      await expect.poll(() => page.getByTestId('rw-bn-propose-error').textContent()).toContain('50–1000');
      await setNumber(page.getByTestId('rw-bn-amount'), 300);
      await page.getByTestId('rw-bn-submit').click();
      await expect.poll(() => toasts(page)).toContain('已提议');
      const [b] = await rows<{ id: number }>(db, sql`SELECT id FROM bounty WHERE case_id = ${c!.id}`);
      const bid = Number(b!.id);
      await expect.poll(() => page.getByTestId(`rw-bn-status-${bid}`).textContent()).toBe('待审批');
      expect(await page.getByTestId(`rw-bn-approve-${bid}`).count()).toBe(0); // the proposer is not offered approval
      expect(await page.getByTestId('rw-bn-table').textContent()).toContain('张女士');
      expect(office.errors).toEqual([]);
    } finally {
      await office.context.close();
    }

    // ---- the party secretary approves and marks it paid
    const second = await open('shuji', '#/rewards/bounties');
    try {
      const p2 = second.page;
      const [b] = await rows<{ id: number }>(db, sql`SELECT id FROM bounty WHERE case_id = ${c!.id}`);
      const bid = Number(b!.id);
      await p2.getByTestId(`rw-bn-approve-${bid}`).click();
      await p2.getByTestId('rw-bn-decide-note').fill('同意，按 300 元发放');
      await p2.getByTestId('rw-bn-decide-ok').click();
      await expect.poll(() => p2.getByTestId(`rw-bn-status-${bid}`).textContent()).toBe('已批准');
      await p2.getByTestId(`rw-bn-pay-${bid}`).click();
      await p2.getByTestId('rw-bn-pay-note').fill('现金发放，本人签收');
      await p2.getByTestId('rw-bn-pay-ok').click();
      await expect.poll(() => p2.getByTestId(`rw-bn-status-${bid}`).textContent()).toBe('已发放');
      expect(await p2.getByTestId('rw-bn-table').textContent()).toContain('现金发放，本人签收');
      await p2.screenshot({ path: path.join(SCREENSHOTS, 'rewards-bounties.png'), fullPage: true });
      const [row] = await rows<{ status: string; decided_by: number; paid_by: number; proposed_by: number }>(db, sql`SELECT status, decided_by, paid_by, proposed_by FROM bounty WHERE id = ${bid}`);
      expect(row!.status).toBe('paid');
      expect(row!.decided_by).not.toBe(row!.proposed_by);
      expect(second.errors).toEqual([]);
    } finally {
      await second.context.close();
    }

    // ---- on a phone, the village cadre opens their own village's households
    const cadre = await open('cungan01', '#/rewards/households', { mobile: true });
    try {
      const p3 = cadre.page;
      await expect.poll(() => p3.getByTestId('rw-hh-name-88').count()).toBe(1);
      await expect.poll(() => p3.getByTestId('rw-hh-balance-88').textContent()).toBe('3');
      await p3.screenshot({ path: path.join(SCREENSHOTS, 'rewards-phone.png'), fullPage: true });
      await p3.getByTestId('rw-hh-statement-88').click();
      await expect.poll(() => p3.getByTestId('rw-statement-balance').textContent()).toContain('3');
      expect(await p3.getByTestId('rw-statement-entries').textContent()).toContain('兑换 毛巾 × 1');
      await closeDrawer(p3);

      // 最美庭院 of the last quarter: the household entered with a score, the round decided, the winner credited.
      await p3.goto(`${env.server.url}/#/rewards/rounds`);
      await setNumber(p3.getByTestId('rw-rd-quota'), 1);
      await p3.getByTestId('rw-rd-create').click();
      const add = p3.getByTestId('rw-rd-add');
      await add.waitFor();
      await add.click();
      await dropdown(p3).locator('.ant-select-item-option').filter({ hasText: '张桂英' }).first().click();
      await p3.getByTestId('rw-rd-save').click();
      await setNumber(p3.getByTestId('rw-rd-score-88'), 92);
      await p3.getByTestId('rw-rd-decide').click();
      await p3.getByTestId('rw-rd-decide-ok').click();
      await expect.poll(() => p3.getByTestId('rw-rd-status').textContent()).toBe('已评定');
      await expect.poll(() => p3.getByTestId('rw-rd-winner-88').count()).toBe(1);
      await p3.screenshot({ path: path.join(SCREENSHOTS, 'rewards-round-phone.png'), fullPage: true });
      const [bal] = await rows<{ b: number }>(db, sql`SELECT sum(e.delta) AS b FROM points_entry e JOIN points_account a ON a.id = e.account_id
        JOIN household h ON h.id = a.household_id WHERE h.area_id = ${v!.id} AND h.no = '88'`);
      expect(Number(bal!.b)).toBe(53);
      expect(cadre.errors).toEqual([]);
    } finally {
      await cadre.context.close();
    }
  });
});
