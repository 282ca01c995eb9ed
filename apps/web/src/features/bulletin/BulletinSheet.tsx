// One bulletin as a sheet: title, day, version, the table by district and village, the overdue
// cases with who answers for each, and the definitions. The same sheet shows a preview and a stored
// version (exactly as stored: nothing here is recomputed) and is what gets printed.
import { Fragment } from 'react';
import dayjs from 'dayjs';
import { useI18n } from '../../i18n';
import type { BulletinContent, BulletinOverdue, BulletinPerson, BulletinRow } from './api';
import './bulletin.css';

export interface SheetMeta { version?: number; note?: string | null; issuedAt?: string; issuedByName?: string | null }

/** The measures in the table's order (a stored bulletin's JSON keeps no order), then any others. */
const DEF_ORDER = ['new', 'fixed', 'overdue', 'reworked', 'closed', 'closedOnTime', 'onTimeRate', 'onTimeRateMonth', 'overdueBy', 'scope'];
function orderedDefinitions(d: Record<string, unknown>): [string, unknown][] {
  const rank = (k: string) => { const i = DEF_ORDER.indexOf(k); return i < 0 ? DEF_ORDER.length : i; };
  return Object.entries(d).filter(([, v]) => v !== null && v !== undefined).sort((a, b) => rank(a[0]) - rank(b[0]));
}

export const pct = (r: number | null | undefined) => (r === null || r === undefined ? '—' : `${(r * 100).toFixed(1)}%`);

const fmtTime = (s: string | null | undefined) => (s ? dayjs(s).format('YYYY-MM-DD HH:mm') : '—');

export function BulletinSheet({ content, meta }: { content: BulletinContent; meta?: SheetMeta }) {
  const { t, lang } = useI18n();
  const cols: { key: keyof BulletinRow; label: string; red?: boolean; rate?: boolean }[] = [
    { key: 'new', label: t('blNew') },
    { key: 'fixed', label: t('blFixed') },
    { key: 'overdue', label: t('blOverdue'), red: true },
    { key: 'reworked', label: t('blReworked') },
    { key: 'closed', label: t('blClosed') },
    { key: 'closedOnTime', label: t('blClosedOnTime') },
    { key: 'onTimeRate', label: t('blOnTimeRate'), rate: true },
    { key: 'onTimeRateMonth', label: t('blOnTimeRateMonth'), rate: true },
  ];
  const cells = (r: BulletinRow) => cols.map((c) => {
    const v = r[c.key];
    if (c.rate) return <td key={c.key} className="num">{pct(v as number | null)}</td>;
    const n = Number(v ?? 0);
    return <td key={c.key} className={`num${c.red && n > 0 ? ' bl-red' : ''}${n === 0 ? ' bl-zero' : ''}`}>{n}</td>;
  });
  const title = lang === 'zh' ? `${content.scope.name}${t('blTitleSuffix')}` : `${t('blTitleSuffix')}: ${content.scope.name}`;

  return (
    <div className="bulletin-sheet" data-testid="bulletin-sheet">
      <div className="bl-title" data-testid="bulletin-title">{title}</div>
      <div className="bl-sub">
        <span data-testid="bulletin-day">{t('blDayLabel', { day: content.day })}</span>
        {' · '}
        {meta?.version
          ? <span className="bl-version" data-testid="bulletin-version">{t('blVersionN', { n: meta.version })}</span>
          : <span data-testid="bulletin-version">{t('blPreviewNotIssued')}</span>}
        {' · '}
        {meta?.issuedAt
          ? <span>{t('blIssuedAt', { at: fmtTime(meta.issuedAt) })}{meta.issuedByName ? ` (${meta.issuedByName})` : ''}</span>
          : <span>{t('blGeneratedAt', { at: fmtTime(content.generatedAt) })}</span>}
      </div>
      {meta?.note && <div className="bl-note" data-testid="bulletin-note">{t('blCorrectionNote')}: {meta.note}</div>}

      <div className="bl-scroll">
        <table data-testid="bulletin-table">
          <thead>
            <tr>
              <th style={{ textAlign: 'left' }}>{t('blArea')}</th>
              {cols.map((c) => <th key={c.key}>{c.label}</th>)}
            </tr>
          </thead>
          <tbody>
            {content.groups.map((g, i) => (
              <Fragment key={g.district?.areaId ?? `g${i}`}>
                {g.district && (
                  <tr className="bl-district" data-testid="bulletin-district">
                    <td className="bl-name">{g.district.name}</td>
                    {cells(g.district)}
                  </tr>
                )}
                {g.villages.map((v) => (
                  <tr key={v.areaId} className="bl-village">
                    <td className="bl-name">{v.name}</td>
                    {cells(v)}
                  </tr>
                ))}
              </Fragment>
            ))}
            <tr className="bl-total" data-testid="bulletin-total">
              <td className="bl-name">{t('blTotal')}</td>
              {cells(content.totals)}
            </tr>
          </tbody>
        </table>
      </div>

      <h3>{t('blOverdueList')}（{content.overdue.length}）</h3>
      {content.overdue.length === 0
        ? <div className="bl-empty" data-testid="bulletin-no-overdue">{t('blNoOverdue')}</div>
        : <OverdueTable rows={content.overdue} />}

      {content.definitions && Object.keys(content.definitions).length > 0 && (
        <ul className="bl-defs" data-testid="bulletin-definitions">
          {orderedDefinitions(content.definitions).map(([k, v]) => (
            <li key={k}>{typeof v === 'string' ? v : JSON.stringify(v)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function OverdueTable({ rows }: { rows: BulletinOverdue[] }) {
  const { t, lang } = useI18n();
  // The stored text is Chinese (it is what was issued); in English the same figures are spelled out.
  const overdueBy = (r: BulletinOverdue) => (lang === 'zh'
    ? <>{r.overdueText}<div className="bl-sub-line">（{r.overdueDays}天）</div></>
    : t('blOverdueByEn', { h: r.overdueWorkHours, d: r.overdueDays }));
  const who = (label: string, p: BulletinPerson | null) => (p && p.name ? <div key={label}>{label}：{p.name}</div> : null);
  // A micro-grid's name carries its village's (毛家1-2微网格): the village is named once.
  const place = (r: BulletinOverdue) => (r.villageName && !r.areaName.includes(r.villageName.replace(/村$/, '')) ? `${r.villageName} · ${r.areaName}` : r.areaName);
  return (
    <div className="bl-scroll">
      <table className="bl-overdue" data-testid="bulletin-overdue">
        <thead>
          <tr>
            <th>{t('blSeq')}</th>
            <th>{t('blCaseNo')}</th>
            <th>{t('blCategory')}</th>
            <th>{t('blPlace')}</th>
            <th>{t('blDescription')}</th>
            <th>{t('blDueAt')}</th>
            <th>{t('blOverdueBy')}</th>
            <th>{t('blAssignee')}</th>
            <th>{t('blAnswerers')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={r.caseId} data-testid={`bulletin-overdue-${r.caseId}`}>
              <td className="num">{i + 1}</td>
              <td style={{ whiteSpace: 'nowrap' }}><a href={`#/cases/${r.caseId}`}>{r.no}</a></td>
              <td className="bl-nowrap">{r.categoryName}</td>
              <td className="bl-place">{place(r)}</td>
              <td className="bl-desc">{r.description}</td>
              <td className="bl-due">{fmtTime(r.dueAt)}</td>
              <td className="bl-red bl-by">{overdueBy(r)}</td>
              <td className="bl-nowrap">{r.assignee?.name || '—'}</td>
              <td className="bl-who">{[who(t('blGridWorker'), r.gridWorker), who(t('blVillageLeader'), r.villageLeader), who(t('blDistrictOffice'), r.districtOffice)].filter(Boolean).length
                ? [who(t('blGridWorker'), r.gridWorker), who(t('blVillageLeader'), r.villageLeader), who(t('blDistrictOffice'), r.districtOffice)]
                : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
