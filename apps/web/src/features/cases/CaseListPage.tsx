// 案件列表: filters kept in the address (#/cases?state=…&page=2), so going back from a case returns to the same list.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, Badge, Button, Card, Checkbox, DatePicker, Empty, Grid, Input, Pagination, Select, Space, Table, Typography } from 'antd';
import { DownloadOutlined, FilterOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { api, errorText } from '../../api';
import { useI18n } from '../../i18n';
import { navigate, type Route } from '../../router';
import { AreaPicker, UserPicker } from '../../components/Pickers';
import { useSession } from '../../session';
import { CASE_STATES, type CaseState, type CaseView } from '../../../../../packages/shared/src/cases';
import { casesApi, downloadExport, type CaseFilters, type CasePage } from './api';
import { CaseCards, categoryOptions, DueTags, fmtTime, StateTag, stateName, useCategories, useCategoryName } from './common';

const PAGE_SIZE = 20;

function readFilters(q: URLSearchParams): CaseFilters & { page: number } {
  const num = (k: string) => { const v = Number(q.get(k)); return Number.isInteger(v) && v > 0 ? v : undefined; };
  const day = (k: string) => { const v = q.get(k); return v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined; };
  const states = (q.get('state') ?? '').split(',').filter((s): s is CaseState => CASE_STATES.some((x) => x.key === s));
  return {
    areaId: num('areaId'), state: states.length ? states : undefined, categoryId: num('categoryId'),
    overdue: q.get('overdue') === 'true' || undefined, mine: q.get('mine') === 'true' || undefined, assigneeId: num('assigneeId'),
    from: day('from'), to: day('to'), q: q.get('q') ?? undefined, page: num('page') ?? 1,
  };
}

function writeFilters(f: CaseFilters & { page?: number }) {
  const p = new URLSearchParams();
  const put = (k: string, v: unknown) => { if (v !== undefined && v !== null && v !== '' && v !== false) p.set(k, String(v)); };
  put('areaId', f.areaId); put('state', f.state?.join(',')); put('categoryId', f.categoryId); put('overdue', f.overdue);
  put('mine', f.mine); put('assigneeId', f.assigneeId); put('from', f.from); put('to', f.to); put('q', f.q?.trim()); if (f.page && f.page > 1) put('page', f.page);
  const s = p.toString();
  navigate(`/cases${s ? `?${s}` : ''}`, true);
}

export function CaseListPage({ route }: { route: Route }) {
  const { t, lang, level: levelName } = useI18n();
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const { can } = useSession();
  const query = route.query.toString();
  const filters = useMemo(() => readFilters(new URLSearchParams(query)), [query]);
  const { categories } = useCategories();
  const catName = useCategoryName();
  const [data, setData] = useState<CasePage | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const [areaLabel, setAreaLabel] = useState<string | undefined>();
  const [text, setText] = useState(filters.q ?? '');
  const [showFilters, setShowFilters] = useState(false);
  useEffect(() => { setText(filters.q ?? ''); }, [filters.q]);

  const { page, ...f } = filters;
  const change = (p: Partial<CaseFilters>) => writeFilters({ ...f, ...p, page: 1 });

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      const { page: pg, ...rest } = readFilters(new URLSearchParams(query));
      setData(await casesApi.list(rest, pg, PAGE_SIZE));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setLoading(false);
    }
  }, [query]);
  useEffect(() => { void load(); }, [load]);

  // A label for an area filter that came from the address.
  useEffect(() => {
    if (!filters.areaId) { setAreaLabel(undefined); return; }
    let live = true;
    api.area(filters.areaId).then((a) => { if (live) setAreaLabel(`${a.name}（${levelName(a.level)}）`); }).catch(() => {});
    return () => { live = false; };
  }, [filters.areaId, levelName]);

  const exportXlsx = async () => {
    setExporting(true);
    try { await downloadExport(f, `案件-${dayjs().format('YYYYMMDD')}.xlsx`); } catch (e) { message.error(errorText(e), 6); } finally { setExporting(false); }
  };

  const catOpts = useMemo(() => categoryOptions(categories ?? [], lang, true), [categories, lang]);
  const phone = !screens.md;
  const w = (px: number) => (phone ? '100%' : px);
  const active = [f.areaId, f.state, f.categoryId, f.assigneeId, f.mine, f.overdue, f.from || f.to].filter(Boolean).length;
  const search = (
    <Input.Search
      allowClear placeholder={t('caseSearch')} value={text} onChange={(e) => setText(e.target.value)}
      onSearch={(v) => change({ q: v.trim() || undefined })} style={{ width: phone ? undefined : 220, flex: phone ? 1 : undefined }} data-testid="cases-search"
    />
  );

  return (
    <Card
      size="small"
      title={t('menuCases')}
      data-testid="cases-page"
      extra={
        <Space size={4}>
          {can('cases.report') && <Button icon={<PlusOutlined />} onClick={() => navigate('/report')} data-testid="cases-report">{screens.sm ? t('menuReport') : null}</Button>}
          {can('cases.export') && <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportXlsx()} data-testid="cases-export">{screens.sm ? t('caseExport') : null}</Button>}
        </Space>
      }
    >
      {phone && (
        <div style={{ display: 'flex', gap: 8, marginBottom: 8 }}>
          {search}
          <Badge count={active} size="small"><Button icon={<FilterOutlined />} onClick={() => setShowFilters((v) => !v)} data-testid="cases-filters-toggle" aria-label={t('caseFilters')} /></Badge>
        </div>
      )}
      {(!phone || showFilters) && (
        <div style={phone ? { display: 'grid', gap: 8, marginBottom: 12 } : { display: 'flex', flexWrap: 'wrap', gap: 8, marginBottom: 12, alignItems: 'center' }}>
          <AreaPicker
            value={filters.areaId} initialLabel={areaLabel} placeholder={t('anyArea')} testId="cases-area"
            onChange={(id, hit) => { if (hit) setAreaLabel(`${hit.name}（${levelName(hit.level)}）`); change({ areaId: id }); }}
            style={{ width: w(220) }}
          />
          <Select<CaseState[]>
            mode="multiple" allowClear placeholder={t('caseAllStates')} data-testid="cases-state" maxTagCount="responsive"
            style={{ width: w(240) }}
            value={filters.state ?? []}
            onChange={(v) => change({ state: v.length ? v : undefined })}
            options={CASE_STATES.map((s) => ({ value: s.key, label: stateName(s.key, lang) }))}
          />
          <Select<number>
            allowClear showSearch={{ optionFilterProp: 'label' }} placeholder={t('caseAllCategories')} data-testid="cases-category"
            style={{ width: w(180) }}
            value={filters.categoryId} onChange={(v) => change({ categoryId: v })} options={catOpts}
          />
          <UserPicker value={filters.assigneeId} onChange={(v) => change({ assigneeId: v, mine: undefined })} placeholder={t('caseAssignee')} testId="cases-assignee" style={{ width: w(180), minWidth: 160 }} />
          <DatePicker.RangePicker
            value={[filters.from ? dayjs(filters.from) : null, filters.to ? dayjs(filters.to) : null]}
            allowEmpty={[true, true]}
            onChange={(v) => change({ from: v?.[0]?.format('YYYY-MM-DD'), to: v?.[1]?.format('YYYY-MM-DD') })}
            placeholder={[t('caseReportedFrom'), t('caseReportedTo')]}
            data-testid="cases-dates"
            style={{ width: w(250) }}
          />
          <Space size={12} wrap>
            <Checkbox checked={!!filters.mine} onChange={(e) => change({ mine: e.target.checked || undefined, assigneeId: undefined })} data-testid="cases-mine">{t('caseMine')}</Checkbox>
            <Checkbox checked={!!filters.overdue} onChange={(e) => change({ overdue: e.target.checked || undefined })} data-testid="cases-overdue">{t('caseOverdueOnly')}</Checkbox>
          </Space>
          {!phone && search}
          {!phone && <Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('refresh')} />}
        </div>
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {phone ? (
        <div data-testid="cases-table" style={{ opacity: loading ? 0.5 : 1 }}>
          {!loading && data && data.items.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
          <CaseCards items={data?.items ?? []} />
          {(data?.total ?? 0) > 0 && (
            <div style={{ display: 'flex', justifyContent: 'center', marginTop: 8 }}>
              <Pagination simple size="small" current={page} pageSize={PAGE_SIZE} total={data?.total ?? 0} showTotal={(n) => t('total', { n })}
                onChange={(p) => writeFilters({ ...f, page: p })} />
            </div>
          )}
        </div>
      ) : (
        <Table<CaseView>
          rowKey="id"
          size="small"
          loading={loading}
          dataSource={data?.items ?? []}
          scroll={{ x: 900 }}
          data-testid="cases-table"
          onRow={(r) => ({ onClick: () => navigate(`/cases/${r.id}`), style: { cursor: 'pointer' }, 'data-case-no': r.no } as React.HTMLAttributes<HTMLElement>)}
          pagination={{
            current: page, pageSize: PAGE_SIZE, total: data?.total ?? 0, showSizeChanger: false, simple: !screens.md,
            onChange: (p) => writeFilters({ ...f, page: p }), showTotal: (n) => t('total', { n }),
          }}
          columns={[
            { title: t('caseNo'), dataIndex: 'no', width: 150, fixed: screens.md ? 'left' : undefined, render: (v: string, r) => <a href={`#/cases/${r.id}`} onClick={(e) => e.stopPropagation()}>{v}</a> },
            {
              title: t('status'), key: 'state', width: 140,
              render: (_: unknown, r) => <Space size={4} wrap><StateTag state={r.state} /><DueTags c={r} /></Space>,
            },
            { title: t('caseCategory'), dataIndex: 'categoryName', width: 120, ellipsis: true, render: (v: string, r) => catName(r.categoryId, v) },
            { title: t('area'), dataIndex: 'areaName', width: 140, ellipsis: true, render: (v: string, r) => <span title={r.areaTrail}>{v}</span> },
            { title: t('caseDescription'), dataIndex: 'description', ellipsis: true },
            { title: t('caseReportedAt'), dataIndex: 'reportedAt', width: 140, render: (v: string) => fmtTime(v) },
            { title: t('caseDue'), dataIndex: 'dueAt', width: 140, render: (v: string | null, r) => <Typography.Text type={r.overdue ? 'danger' : undefined}>{fmtTime(v)}</Typography.Text> },
            { title: t('caseAssignee'), dataIndex: 'assigneeName', width: 100, ellipsis: true },
          ]}
        />
      )}
    </Card>
  );
}
