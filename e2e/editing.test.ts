// The editing flows of a town administrator, clicked through as a person would: adding and editing
// grids, creating people and giving them a grid, moving a village, resetting a password, and the
// refusals (overlapping responsibilities, moving a grid across villages, deleting an area with records).
// The API is only used afterwards, to check what the clicks wrote.
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, openPerson, SCREENSHOTS, login, newPage, useAppAndBrowser } from './harness.js';

const env = useAppAndBrowser();

const ZHAOSU = '370321107240';
const MAOJIA = '370321107201';

interface AreaJson { id: number; code: string; name: string; level: string; parentId: number | null; population: number | null; households: number | null; ancestors: { id: number; code: string; name: string; level: string }[]; moves: { note: string | null; fromParent: string | null; toParent: string | null }[] }

async function apiGet<T>(page: Page, url: string): Promise<T> {
  const res = await page.request.get(`${env.server.url}/api/v1${url}`);
  expect(res.status(), `GET ${url}`).toBe(200);
  return (await res.json()) as T;
}

async function areaByCode(page: Page, code: string): Promise<AreaJson> {
  const hits = await apiGet<{ id: number; code: string }[]>(page, `/areas/search?q=${code}`);
  const hit = hits.find((h) => h.code === code);
  expect(hit, `area ${code} exists`).toBeTruthy();
  return apiGet<AreaJson>(page, `/areas/${hit!.id}`);
}

async function asTownAdmin(page: Page) {
  await login(page, env.server.url, 'zhenadmin', DEMO_PASSWORD);
  await page.getByTestId('tree-node-370321107').waitFor();
}

/** Opens an area by typing its code into the search box and picking the hit. */
async function openArea(page: Page, code: string) {
  await page.getByTestId('menu-areas').click();
  await page.getByTestId('area-search').fill(code);
  await page.getByTestId(`search-hit-${code}`).click();
  await expect.poll(() => page.getByTestId('area-code').textContent()).toBe(code);
}

/** The open (visible) dropdown of an antd Select. */
const dropdown = (page: Page) => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');

/** Picks an option of a plain antd Select by its label. */
async function choose(page: Page, select: Locator, label: string) {
  await select.click();
  await dropdown(page).locator('.ant-select-item-option').filter({ hasText: label }).first().click();
  await expect.poll(() => dropdown(page).count()).toBe(0);
}

/** Types into a remote-search Select (area or person picker) and picks the option showing `pick`. */
async function searchAndChoose(page: Page, select: Locator, query: string, pick: string) {
  await select.click();
  await select.locator('input').fill(query);
  const option = dropdown(page).locator('.ant-select-item-option').filter({ hasText: pick }).first();
  await option.waitFor();
  await option.click();
}

/** Types a date into an antd DatePicker. */
async function typeDate(page: Page, testId: string, day: string) {
  const input = page.locator(`[data-testid="${testId}"] input, input[data-testid="${testId}"]`).first();
  await input.click();
  await input.fill(day);
  await input.press('Enter');
  await expect.poll(() => input.inputValue()).toBe(day);
}

/** The text of the toast messages now shown. */
const toasts = (page: Page) => page.locator('.ant-message-notice').allTextContents().then((t) => t.join(' | '));

/** 添加下级 on the open area: fills the name (and the level when given), saves, and waits for the new area to open. */
async function addChild(page: Page, name: string, opts: { level?: string } = {}): Promise<string> {
  const parentCode = (await page.getByTestId('area-code').textContent())!;
  await page.getByTestId('area-add-child').click();
  await page.getByTestId('area-form-name').waitFor();
  if (opts.level) await choose(page, page.getByTestId('area-form-level'), opts.level);
  await page.getByTestId('area-form-name').fill(name);
  await page.getByTestId('area-form-ok').click();
  await expect.poll(() => page.getByTestId('area-title').textContent()).toBe(name);
  const code = (await page.getByTestId('area-code').textContent())!;
  expect(code.startsWith(parentCode), `${code} extends ${parentCode}`).toBe(true);
  expect(code.length).toBe(parentCode.length + 3);
  await page.getByTestId(`tree-node-${code}`).waitFor();
  return code;
}

/** 人员 → 新建人员 with one role at one area (picked by its code); closes the one-time password box. */
async function createPerson(page: Page, p: { username: string; displayName: string; role: string; areaCode: string; areaName: string }, shot?: string) {
  await page.getByTestId('menu-people').click();
  await page.getByTestId('user-create').click();
  await page.getByTestId('new-username').fill(p.username);
  await page.getByTestId('new-displayname').fill(p.displayName);
  await choose(page, page.getByTestId('new-role-0'), p.role);
  await searchAndChoose(page, page.getByTestId('new-role-area-0'), p.areaName, p.areaCode);
  if (shot) await page.screenshot({ path: path.join(SCREENSHOTS, shot) });
  await page.getByTestId('new-user-ok').click();
  // No password was typed: a one-time password is made and shown once.
  const pw = page.getByTestId('new-user-password');
  await pw.waitFor();
  expect(((await pw.textContent()) ?? '').trim().length).toBeGreaterThanOrEqual(8);
  await page.getByTestId('new-user-password-ok').click();
  // Under load the box may still be animating in when the first click lands: click again, as a person would.
  await expect.poll(async () => {
    if (await page.locator('.ant-modal-confirm').count()) await page.getByTestId('new-user-password-ok').click({ timeout: 1000 }).catch(() => {});
    return page.locator('.ant-modal-confirm').count();
  }).toBe(0);
  // The new person's drawer opens, showing the role.
  const drawer = page.getByTestId('user-drawer');
  await expect.poll(() => drawer.getByTestId('user-roles').textContent()).toContain(p.areaName);
  await page.locator('.ant-drawer-close').click();
  await expect.poll(() => page.locator('.ant-drawer-mask').count()).toBe(0);
}

/** 责任分工 → 新增责任: a grid worker for a grid, from a day. Returns the modal's error text, or null when it saved. */
async function addGridWorker(page: Page, p: { gridCode: string; username: string; from: string }): Promise<string | null> {
  await page.getByTestId('menu-responsibilities').click();
  await page.getByTestId('resp-add').click();
  await choose(page, page.getByTestId('resp-kind'), '网格员包网格');
  await searchAndChoose(page, page.getByTestId('resp-add-area'), p.gridCode, p.gridCode);
  await searchAndChoose(page, page.getByTestId('resp-add-user'), p.username, p.username);
  await typeDate(page, 'resp-add-from', p.from);
  await page.getByTestId('resp-add-ok').click();
  const error = page.getByTestId('resp-add-error');
  const modal = page.locator('.ant-modal').filter({ has: page.getByTestId('resp-add-ok') });
  await expect.poll(async () => (await error.count()) > 0 || (await modal.count()) === 0).toBe(true);
  if (await error.count()) return error.textContent();
  return null;
}

describe('editing as the town administrator', () => {
  it('adds a grid under 赵苏村, edits its population, adds a micro-grid under it', async () => {
    const { context, page } = await newPage(env.browser);
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await asTownAdmin(page);
      await openArea(page, ZHAOSU);
      expect(await page.getByTestId('area-title').textContent()).toBe('赵苏村');

      // A village offers only grids below it (a micro-grid under a village would be refused).
      await page.getByTestId('area-add-child').click();
      await page.getByTestId('area-form-level').click();
      const levels = await dropdown(page).locator('.ant-select-item-option').allTextContents();
      expect(levels).toEqual(['网格']);
      await page.keyboard.press('Escape');
      await page.locator('.ant-modal').getByRole('button', { name: '取消' }).click();
      await expect.poll(() => page.locator('.ant-modal').count()).toBe(0);

      const gridCode = await addChild(page, '赵苏村测试网格');
      expect(gridCode).toMatch(/^370321107240\d{3}$/);
      const grid = await areaByCode(page, gridCode);
      expect(grid.level).toBe('grid');
      // Fields left empty stay empty (not 0).
      expect(grid.population).toBeNull();
      expect(await page.getByTestId('area-population').textContent()).toBe('—');
      expect(grid.ancestors.at(-1)?.code).toBe(ZHAOSU);
      // It sits in the tree under the village.
      expect(await page.getByTestId(`tree-node-${gridCode}`).textContent()).toContain('赵苏村测试网格');

      // Edit its population.
      await page.getByTestId('area-edit').click();
      const pop = page.getByTestId('area-form-population').locator('input').or(page.locator('input[data-testid="area-form-population"]')).first();
      await pop.fill('1234');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'edit-area.png') });
      await page.getByTestId('area-form-ok').click();
      await expect.poll(() => page.getByTestId('area-population').textContent()).toBe('1,234');
      const edited = await areaByCode(page, gridCode);
      expect(edited.population).toBe(1234);
      // Editing the population leaves the untouched, empty households empty.
      expect(edited.households).toBeNull();
      // Editing twice in a row works (the form carries the fresh version).
      await page.getByTestId('area-edit').click();
      await pop.fill('1300');
      await page.getByTestId('area-form-ok').click();
      await expect.poll(() => page.getByTestId('area-population').textContent()).toBe('1,300');
      expect((await areaByCode(page, gridCode)).population).toBe(1300);

      const microCode = await addChild(page, '赵苏村测试微网格');
      expect(microCode).toMatch(new RegExp(`^${gridCode}\\d{3}$`));
      expect(microCode).toBe(`${gridCode}001`);
      const micro = await areaByCode(page, microCode);
      expect(micro.level).toBe('micro_grid');
      expect(await page.getByTestId('area-breadcrumb').textContent()).toContain('赵苏村测试网格');
      // Nothing to add below a micro-grid.
      expect(await page.getByTestId('area-add-child').count()).toBe(0);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('creates a grid worker, gives them the new grid from 2026-01-01, and a second worker for the same days is refused', async () => {
    const { context, page } = await newPage(env.browser);
    try {
      await asTownAdmin(page);
      await openArea(page, ZHAOSU);
      const gridCode = await addChild(page, '责任测试网格');
      const microCode = await addChild(page, '责任测试微网格');

      await createPerson(page, { username: 'e2e_wgy_a', displayName: '测试网格员甲', role: '网格员', areaCode: ZHAOSU, areaName: '赵苏村' }, 'new-person.png');
      const people = await apiGet<{ total: number; items: { id: number; username: string; roles: string }[] }>(page, '/users?q=e2e_wgy_a');
      expect(people.total).toBe(1);
      expect(people.items[0]!.roles).toContain('网格员');

      expect(await addGridWorker(page, { gridCode, username: 'e2e_wgy_a', from: '2026-01-01' })).toBeNull();
      await expect.poll(() => toasts(page)).toContain('已保存');

      // The micro-grid's 谁负责 card names the new grid worker.
      await openArea(page, microCode);
      const holder = page.getByTestId('who-answers').getByTestId('chain-grid_worker_grid');
      await expect.poll(() => holder.getByTestId('chain-holder').textContent()).toBe('测试网格员甲');
      expect(await holder.textContent()).toContain('2026-01-01');

      // A second grid worker for the same grid and days overlaps.
      await createPerson(page, { username: 'e2e_wgy_b', displayName: '测试网格员乙', role: '网格员', areaCode: ZHAOSU, areaName: '赵苏村' });
      const error = await addGridWorker(page, { gridCode, username: 'e2e_wgy_b', from: '2026-01-01' });
      expect(error).toContain('重叠');
      expect(error).toContain('测试网格员甲');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'responsibility-overlap.png') });
      // Nothing was written: the grid still has exactly one grid worker.
      const grid = await areaByCode(page, gridCode);
      const resp = await apiGet<{ total: number; items: { userName: string }[] }>(page, `/responsibilities?areaId=${grid.id}&kind=grid_worker_grid`);
      expect(resp.items.map((r) => r.userName)).toEqual(['测试网格员甲']);
      // The API answers with the overlap code.
      const b = await apiGet<{ items: { id: number }[] }>(page, '/users?q=e2e_wgy_b');
      const res = await page.request.post(`${env.server.url}/api/v1/responsibilities`, {
        data: { kind: 'grid_worker_grid', areaId: grid.id, userId: b.items[0]!.id, validFrom: '2026-01-01' },
      });
      expect(res.status()).toBe(409);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('RESPONSIBILITY_OVERLAP');
    } finally {
      await context.close();
    }
  });

  it('moves 赵苏村 to another district with a note; a grid cannot move to another village', async () => {
    const { context, page } = await newPage(env.browser);
    try {
      await asTownAdmin(page);
      const before = await areaByCode(page, ZHAOSU);
      const fromDistrict = before.ancestors.at(-1)!;
      expect(fromDistrict.level).toBe('district');
      const to = ['西北管区', '东南管区', '西南管区', '东北管区'].find((n) => n !== fromDistrict.name)!;

      await openArea(page, ZHAOSU);
      expect(await page.getByTestId('area-breadcrumb').textContent()).toContain(fromDistrict.name);
      await page.getByTestId('area-move').click();
      await searchAndChoose(page, page.getByTestId('move-parent'), to, to);
      await page.getByTestId('move-note').fill('按镇党委会议调整管区');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'move-village.png') });
      await page.getByTestId('move-ok').click();

      await expect.poll(() => page.getByTestId('area-breadcrumb').textContent()).toContain(to);
      expect(await page.getByTestId('area-breadcrumb').textContent()).not.toContain(fromDistrict.name);
      const moves = page.getByTestId('area-moves');
      await expect.poll(() => moves.textContent()).toContain('按镇党委会议调整管区');
      expect(await moves.textContent()).toContain(`${fromDistrict.name} → ${to}`);
      // 谁负责 follows: the office supervising the village is now the new district's.
      await expect.poll(() => page.getByTestId('who-answers').getByTestId('chain-office_district').textContent()).toContain(to);
      const after = await areaByCode(page, ZHAOSU);
      expect(after.ancestors.at(-1)!.name).toBe(to);
      expect(after.moves[0]).toMatchObject({ note: '按镇党委会议调整管区', fromParent: fromDistrict.name, toParent: to });
      // The village now sits under its new district in the tree (and no longer under the old one).
      const toDistrict = after.ancestors.at(-1)!;
      const nodeCodes = () => page.getByTestId('area-tree').locator('[data-testid^="tree-node-"]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('tree-node-'.length)));
      const districtOf = async (code: string) => {
        const codes = await nodeCodes();
        const i = codes.indexOf(code);
        return i < 0 ? null : codes.slice(0, i).reverse().find((c) => /D\d{2}$/.test(c)) ?? null;
      };
      await expect.poll(() => districtOf(ZHAOSU)).toBe(toDistrict.code);
      expect((await nodeCodes()).filter((c) => c === ZHAOSU)).toHaveLength(1);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'moved-village.png') });

      // A grid's code is its village's code + 3 digits: it cannot move to another village.
      const gridCode = `${ZHAOSU}001`;
      await openArea(page, gridCode);
      await page.getByTestId('area-move').click();
      await searchAndChoose(page, page.getByTestId('move-parent'), '毛家村', MAOJIA);
      await page.getByTestId('move-ok').click();
      const err = page.getByTestId('move-error');
      await err.waitFor();
      const text = (await err.textContent()) ?? '';
      expect(text).toContain('跨村');
      expect(text).toContain(gridCode);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'move-refused.png') });
      expect((await areaByCode(page, gridCode)).ancestors.at(-1)!.code).toBe(ZHAOSU);
    } finally {
      await context.close();
    }
  });

  it('resets a person\'s password and shows the one-time password, which then logs in', async () => {
    const { context, page } = await newPage(env.browser);
    try {
      await asTownAdmin(page);
      const drawer = await openPerson(page, 'wgy002');
      await drawer.getByTestId('user-reset-password').click();
      await page.locator('.ant-modal-confirm-confirm').getByRole('button', { name: '确定' }).click();
      const value = page.getByTestId('reset-password-value');
      await value.waitFor();
      const password = ((await value.textContent()) ?? '').trim();
      expect(password.length).toBeGreaterThanOrEqual(8);
      expect(await page.locator('.ant-modal-confirm-success').textContent()).toContain('只显示这一次');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'reset-password.png') });
      await page.locator('.ant-modal-confirm-success').getByRole('button').last().click();
      // The drawer now shows that the person must change it.
      await expect.poll(() => drawer.textContent()).toContain('需改密码');

      // The old password no longer works; the shown one does.
      const old = await env.server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'wgy002', password: DEMO_PASSWORD } });
      expect(old.statusCode).toBe(401);
      const fresh = await env.server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'wgy002', password } });
      expect(fresh.statusCode).toBe(200);
      expect((fresh.json() as { user: { mustChangePassword: boolean } }).user.mustChangePassword).toBe(true);
    } finally {
      await context.close();
    }
  });

  it('a micro-grid with records cannot be deleted (archive it instead); an empty one can', async () => {
    const { context, page } = await newPage(env.browser);
    try {
      await asTownAdmin(page);
      const code = '370321107201001001';
      await openArea(page, code);
      await page.getByTestId('area-delete').click();
      await page.locator('.ant-popover:not(.ant-popover-hidden) .ant-popconfirm-buttons .ant-btn-primary').click();
      await expect.poll(() => toasts(page)).toContain('归档');
      const text = await toasts(page);
      expect(text).toContain('不能删除');
      expect(text).toContain('责任记录');
      // Still there, still open.
      expect(await page.getByTestId('area-code').textContent()).toBe(code);
      expect((await areaByCode(page, code)).code).toBe(code);

      // A micro-grid just added, with no records, is deleted and leaves the tree.
      await openArea(page, '370321107201001');
      const empty = await addChild(page, '待删除微网格');
      await page.getByTestId('area-delete').click();
      await page.locator('.ant-popover:not(.ant-popover-hidden) .ant-popconfirm-buttons .ant-btn-primary').click();
      await expect.poll(() => page.getByTestId('area-code').textContent()).toBe('370321107201001');
      await expect.poll(() => page.getByTestId(`tree-node-${empty}`).count()).toBe(0);
      const hits = await apiGet<{ code: string }[]>(page, `/areas/search?q=${empty}`);
      expect(hits.filter((h) => h.code === empty)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
