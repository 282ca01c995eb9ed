// Small pieces the case screens share: state and due tags, names in the current language, the category cache.
import { useEffect, useState } from 'react';
import { Space, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useI18n, type Lang } from '../../i18n';
import type { Me } from '../../api';
import {
  CASE_ACTIONS, CASE_SOURCES, CASE_STATES, DEADLINE_UNITS, RUNNING_STATES, type CaseAction, type CaseSource, type CaseState, type CaseView,
} from '../../../../../packages/shared/src/cases';
import { casesApi, type CaseCategory } from './api';

export const STATE_BY_KEY = Object.fromEntries(CASE_STATES.map((s) => [s.key, s])) as Record<CaseState, (typeof CASE_STATES)[number]>;

export const stateName = (s: CaseState, lang: Lang) => STATE_BY_KEY[s]?.[lang] ?? s;
export const actionName = (a: CaseAction | string, lang: Lang) => CASE_ACTIONS[a as CaseAction]?.[lang] ?? a;
export const sourceName = (s: CaseSource | string, lang: Lang) => CASE_SOURCES.find((x) => x.key === s)?.[lang] ?? s;
export const categoryName = (c: Pick<CaseCategory, 'name' | 'nameEn'>, lang: Lang) => (lang === 'en' && c.nameEn ? c.nameEn : c.name);

export function deadlineText(c: Pick<CaseCategory, 'deadlineAmount' | 'deadlineUnit'>, lang: Lang): string | null {
  if (!c.deadlineAmount || !c.deadlineUnit) return null;
  const u = DEADLINE_UNITS.find((d) => d.key === c.deadlineUnit);
  return lang === 'zh' ? `${c.deadlineAmount} ${u?.zh ?? c.deadlineUnit}` : `${c.deadlineAmount} ${u?.en ?? c.deadlineUnit}`;
}

export const fmtTime = (iso: string | null | undefined) => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '');

/** Hours before the due time from which a running case shows 即将到期. */
export const DUE_SOON_HOURS = 24;

export function StateTag({ state }: { state: CaseState }) {
  const { lang } = useI18n();
  const s = STATE_BY_KEY[state];
  return <Tag color={s?.color ?? 'default'} style={{ marginInlineEnd: 0 }} data-testid="case-state" data-state={state}>{stateName(state, lang)}</Tag>;
}

/** 超期 (red) when overdue; 即将到期 (orange) within a day of the due time; 超时完成 when fixed late. */
export function DueTags({ c }: { c: Pick<CaseView, 'overdue' | 'late' | 'dueAt' | 'state'> }) {
  const { t } = useI18n();
  if (c.overdue) return <Tag color="red" style={{ marginInlineEnd: 0 }} data-testid="case-overdue">{t('caseOverdue')}</Tag>;
  if (c.dueAt && RUNNING_STATES.includes(c.state)) {
    const left = dayjs(c.dueAt).diff(dayjs(), 'hour', true);
    if (left >= 0 && left < DUE_SOON_HOURS) return <Tooltip title={t('caseDueSoonHint', { h: DUE_SOON_HOURS })}><Tag color="orange" style={{ marginInlineEnd: 0 }}>{t('caseDueSoon')}</Tag></Tooltip>;
  }
  if (c.late) return <Tag color="volcano" style={{ marginInlineEnd: 0 }}>{t('caseLate')}</Tag>;
  return null;
}

let categoryCache: Promise<CaseCategory[]> | null = null;
/** The category table, fetched once per page load (a failed fetch is retried next time). */
export function useCategories(): { categories: CaseCategory[] | null; error: string | null } {
  const [categories, setCategories] = useState<CaseCategory[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    categoryCache ??= casesApi.categories().catch((e) => { categoryCache = null; throw e; });
    categoryCache.then((c) => { if (live) setCategories(c); }).catch((e) => { if (live) setError(e instanceof Error ? e.message : String(e)); });
    return () => { live = false; };
  }, []);
  return { categories, error };
}

/** A category's name in the current language (case views carry the Chinese name; the table has the English one). */
export function useCategoryName(): (id: number, fallback: string) => string {
  const { lang } = useI18n();
  const { categories } = useCategories();
  return (id, fallback) => {
    if (lang === 'zh' || !categories) return fallback;
    const c = categories.find((x) => x.id === id);
    return c ? categoryName(c, lang) : fallback;
  };
}

/** A case as a card row (the inbox, the list on a phone): number, state, category, area, description, due. */
export function CaseCard({ c }: { c: CaseView }) {
  const { t } = useI18n();
  const catName = useCategoryName();
  return (
    <a href={`#/cases/${c.id}`} style={{ display: 'block', width: '100%', color: 'inherit' }} data-testid="case-card" data-case-no={c.no}>
      <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8, alignItems: 'center' }}>
        <Typography.Text strong style={{ color: '#1677ff' }}>{c.no}</Typography.Text>
        <Space size={4}><StateTag state={c.state} /><DueTags c={c} /></Space>
      </div>
      <div style={{ fontSize: 13 }}>
        <Typography.Text>{catName(c.categoryId, c.categoryName)}</Typography.Text>
        <Typography.Text type="secondary"> · {c.areaName}</Typography.Text>
      </div>
      <Typography.Paragraph type="secondary" ellipsis={{ rows: 1 }} style={{ margin: 0, fontSize: 12 }}>{c.description}</Typography.Paragraph>
      <div style={{ fontSize: 12, display: 'flex', justifyContent: 'space-between', gap: 8 }}>
        {c.dueAt ? <Typography.Text type={c.overdue ? 'danger' : 'secondary'}>{t('caseDue')} {fmtTime(c.dueAt)}</Typography.Text> : <Typography.Text type="secondary">{fmtTime(c.reportedAt)}</Typography.Text>}
        {c.assigneeName && <Typography.Text type="secondary">{c.assigneeName}</Typography.Text>}
      </div>
    </a>
  );
}

/** Case cards one under another, with a hairline between them (the inbox, the list on a phone). */
export function CaseCards({ items, testId }: { items: CaseView[]; testId?: string }) {
  return (
    <div data-testid={testId}>
      {items.map((c, i) => (
        <div key={c.id} style={{ padding: '8px 0', borderTop: i ? '1px solid #f0f0f0' : undefined }}><CaseCard c={c} /></div>
      ))}
    </div>
  );
}

/** Category options for a Select: 小类 grouped under their 大类 (active ones only unless `all`). */
export function categoryOptions(cats: CaseCategory[], lang: Lang, all = false) {
  const parents = cats.filter((c) => c.parentId === null).sort((a, b) => a.sort - b.sort || a.code.localeCompare(b.code));
  const kids = (pid: number | null) => cats.filter((c) => c.parentId === pid && (all || c.active)).sort((a, b) => a.sort - b.sort || a.code.localeCompare(b.code));
  const groups = parents.map((p) => ({ label: categoryName(p, lang), title: p.code, options: kids(p.id).map((c) => ({ value: c.id, label: categoryName(c, lang) })) }))
    .filter((g) => g.options.length > 0);
  // 小类 whose 大类 is missing (should not happen) still show.
  const ids = new Set(parents.map((p) => p.id));
  const orphans = cats.filter((c) => c.parentId !== null && !ids.has(c.parentId) && (all || c.active)).map((c) => ({ value: c.id, label: categoryName(c, lang) }));
  return orphans.length ? [...groups, { label: '—', title: '', options: orphans }] : groups;
}

const FIELD_ROLES = new Set(['grid_worker', 'cleaner', 'village_cadre', 'volunteer']);
/** People who work in the field (grid workers, cleaners, village cadres): no desk sources, the inbox as landing page. */
export function isFieldUser(me: Pick<Me, 'roles'> | null | undefined): boolean {
  return !!me && me.roles.length > 0 && me.roles.every((r) => FIELD_ROLES.has(r.roleKey));
}
const INBOX_FIRST = new Set(['grid_worker', 'cleaner']);
/** The page shown at #/ : 我的待办 for grid workers and cleaners, 区域网格 for everyone else. (Village cadres keep
 * the tree of their village: e2e/app.test.ts expects it.) */
export const landingPage = (me: Pick<Me, 'roles'> | null | undefined) =>
  (me && me.roles.length > 0 && me.roles.every((r) => INBOX_FIRST.has(r.roleKey)) ? 'inbox' : 'areas');
