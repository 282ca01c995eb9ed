// 积分与奖励 as the town uses it. A resident has reported a problem from their phone (a registered
// public report). The town office adds that resident's household to the village, records its 门前三包
// check for today (one batch entry), and sees the statement: the report's points (matched by the
// phone) and the check's. A shop item is added and the household exchanges points for it. Then a
// bounty for the report. An office proposes it only inside its districts: the agriculture office
// (south-east and south-west) is refused for a case in the village (north-west), the discipline office,
// which supervises that district, proposes it: 20 yuan is refused with the server's message, 300 is
// proposed; approving it oneself is not offered. The party secretary approves it and is not offered
// the payment; the town office marks it paid (three people). On a phone, the village cadre sees the
// statement and organises a 最美庭院 round (the household entered with a score) but may not decide it
// (neither the web nor the server lets them); the party secretary decides it and the winner is credited.
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
  it('records a frontage check, shows the statement, exchanges an item, pays a bounty proposed, approved and paid by three people, and has a round decided by another than its organiser', async () => {
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

      expect(office.errors).toEqual([]);
    } finally {
      await office.context.close();
    }

    // ---- a bounty for the report. An office acts inside its districts only: the agriculture office
    // (东南/西南管区) may propose bounties, but not for a case in this village (西北管区), and the server says why.
    const outside = await open('nongwei', '#/rewards/bounties');
    try {
      const page = outside.page;
      await page.getByTestId('rw-bn-caseno').fill(c!.no);
      await setNumber(page.getByTestId('rw-bn-amount'), 300);
      await page.getByTestId('rw-bn-reason').fill('举报垃圾堆放多日，线索属实，已立案');
      await page.getByTestId('rw-bn-submit').click();
      await expect.poll(() => page.getByTestId('rw-bn-propose-error').textContent()).toContain('不在您负责的区域内');
      expect(await rows(db, sql`SELECT id FROM bounty WHERE case_id = ${c!.id}`)).toEqual([]);
      expect(outside.errors).toEqual([]);
    } finally {
      await outside.context.close();
    }

    // ---- the discipline office, which supervises 西北管区 (MECHANISM §7), proposes it: out of range refused, then proposed
    const proposer = await open('jiwei', '#/rewards/bounties');
    try {
      const page = proposer.page;
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
      expect(proposer.errors).toEqual([]);
    } finally {
      await proposer.context.close();
    }

    // ---- the party secretary approves (and may not pay what they approved)
    const second = await open('shuji', '#/rewards/bounties');
    const [b] = await rows<{ id: number }>(db, sql`SELECT id FROM bounty WHERE case_id = ${c!.id}`);
    const bid = Number(b!.id);
    try {
      const p2 = second.page;
      await p2.getByTestId(`rw-bn-approve-${bid}`).click();
      await p2.getByTestId('rw-bn-decide-note').fill('同意，按 300 元发放');
      await p2.getByTestId('rw-bn-decide-ok').click();
      await expect.poll(() => p2.getByTestId(`rw-bn-status-${bid}`).textContent()).toBe('已批准');
      expect(await p2.getByTestId(`rw-bn-pay-${bid}`).count()).toBe(0); // paying is the town office's duty
      expect(second.errors).toEqual([]);
    } finally {
      await second.context.close();
    }

    // ---- the town office marks it paid: proposer, approver and payer are three people
    const payer = await open('zhenadmin', '#/rewards/bounties');
    try {
      const p3 = payer.page;
      await p3.getByTestId(`rw-bn-pay-${bid}`).click();
      await p3.getByTestId('rw-bn-pay-note').fill('现金发放，本人签收');
      await p3.getByTestId('rw-bn-pay-ok').click();
      await expect.poll(() => p3.getByTestId(`rw-bn-status-${bid}`).textContent()).toBe('已发放');
      expect(await p3.getByTestId('rw-bn-table').textContent()).toContain('现金发放，本人签收');
      await p3.screenshot({ path: path.join(SCREENSHOTS, 'rewards-bounties.png'), fullPage: true });
      const [row] = await rows<{ status: string; proposer: string; decider: string; payer: string }>(db, sql`SELECT b.status, p.username AS proposer,
        d.username AS decider, y.username AS payer FROM bounty b JOIN app_user p ON p.id = b.proposed_by JOIN app_user d ON d.id = b.decided_by
        JOIN app_user y ON y.id = b.paid_by WHERE b.id = ${bid}`);
      expect(row).toEqual({ status: 'paid', proposer: 'jiwei', decider: 'shuji', payer: 'zhenadmin' });
      expect(payer.errors).toEqual([]);
    } finally {
      await payer.context.close();
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

      // 最美庭院 of the last quarter: the cadre organises it (the household entered with a score) but may not decide it.
      await p3.goto(`${env.server.url}/#/rewards/rounds`);
      await setNumber(p3.getByTestId('rw-rd-quota'), 1);
      await p3.getByTestId('rw-rd-create').click();
      const add = p3.getByTestId('rw-rd-add');
      await add.waitFor();
      await add.click();
      await dropdown(p3).locator('.ant-select-item-option').filter({ hasText: '张桂英' }).first().click();
      await p3.getByTestId('rw-rd-save').click();
      await setNumber(p3.getByTestId('rw-rd-score-88'), 92);
      await p3.getByTestId('rw-rd-save').click();
      const [round] = await rows<{ id: number }>(db, sql`SELECT id FROM model_round WHERE village_id = ${v!.id}`);
      await expect.poll(async () => (await rows<{ score: number }>(db, sql`SELECT score FROM model_entry WHERE round_id = ${round!.id}`)).map((e) => Number(e.score))).toEqual([92]);
      expect(await p3.getByTestId('rw-rd-status').textContent()).toBe('评选中');
      expect(await p3.getByTestId('rw-rd-decide').count()).toBe(0); // the organiser is not offered the decision
      await p3.screenshot({ path: path.join(SCREENSHOTS, 'rewards-round-phone.png'), fullPage: true });
      // ... and the server refuses it from their session all the same.
      const [fresh] = await rows<{ version: number }>(db, sql`SELECT version FROM model_round WHERE id = ${round!.id}`);
      const refused = await p3.evaluate(async ({ id, version }) => {
        const r = await fetch(`/api/v1/rewards/rounds/${id}/decide`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ version }) });
        return { status: r.status, body: (await r.json()) as { error?: { code: string; message: string } } };
      }, { id: Number(round!.id), version: Number(fresh!.version) });
      expect(refused.status).toBe(403);
      expect(refused.body.error).toMatchObject({ code: 'DUTY_REQUIRED', message: expect.stringContaining('评定示范户') });
      expect((await rows<{ status: string }>(db, sql`SELECT status FROM model_round WHERE id = ${round!.id}`))[0]!.status).toBe('open');
      expect(cadre.errors).toEqual([]);
    } finally {
      await cadre.context.close();
    }

    // ---- the party secretary decides the round: the scores as entered, read-only to them; the winner credited
    const decider = await open('shuji', '#/rewards/rounds');
    try {
      const p4 = decider.page;
      const picker = p4.getByTestId('rw-village');
      await picker.click();
      await picker.locator('input').fill(v!.name);
      await dropdown(p4).locator('.ant-select-item-option').filter({ hasText: v!.name }).first().click();
      const [round] = await rows<{ id: number; period: string }>(db, sql`SELECT id, period FROM model_round WHERE village_id = ${v!.id}`);
      await p4.getByTestId(`rw-rd-open-${round!.period}-courtyard`).click();
      await expect.poll(() => p4.getByTestId('rw-rd-entries').textContent()).toContain('张桂英');
      expect(await p4.getByTestId('rw-rd-entries').textContent()).toContain('92');
      // deciding is not organising: no scores to type, no households to add
      expect(await p4.getByTestId('rw-rd-score-88').count()).toBe(0);
      expect(await p4.getByTestId('rw-rd-add').count()).toBe(0);
      expect(await p4.getByTestId('rw-rd-save').count()).toBe(0);
      await p4.getByTestId('rw-rd-decide').click();
      await p4.getByTestId('rw-rd-decide-ok').click();
      await expect.poll(() => p4.getByTestId('rw-rd-status').textContent()).toBe('已评定');
      await expect.poll(() => p4.getByTestId('rw-rd-winner-88').count()).toBe(1);
      await p4.screenshot({ path: path.join(SCREENSHOTS, 'rewards-round-decided.png'), fullPage: true });
      const [who] = await rows<{ creator: string; decider: string }>(db, sql`SELECT c.username AS creator, d.username AS decider FROM model_round r
        JOIN app_user c ON c.id = r.created_by JOIN app_user d ON d.id = r.decided_by WHERE r.id = ${round!.id}`);
      expect(who).toEqual({ creator: 'cungan01', decider: 'shuji' });
      const [bal] = await rows<{ b: number }>(db, sql`SELECT sum(e.delta) AS b FROM points_entry e JOIN points_account a ON a.id = e.account_id
        JOIN household h ON h.id = a.household_id WHERE h.area_id = ${v!.id} AND h.no = '88'`);
      expect(Number(bal!.b)).toBe(53);
      expect(decider.errors).toEqual([]);
    } finally {
      await decider.context.close();
    }
  });
});
