// 其他工作得分 (the 60% of the composite): pick a town or district and a month, enter each village's
// 0–100 score and a note, save them all at once; or download the template and import it filled.
// On a phone the table becomes a list of cards with a save bar at the bottom.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Empty, Grid, Input, Space, Spin, Table, Tag, Typography, Upload } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { DownloadOutlined, ReloadOutlined, SaveOutlined, UndoOutlined, UploadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { ApiError, errorText, type ApiErrorDetail } from '../../api';
import { AreaPicker } from '../../components/Pickers';
import { useSession } from '../../session';
import { useDefaultScope } from '../map/scope';
import { scoresAdminApi, type OtherItem, type OtherRow, type Weights } from './api';
import { when } from './common';
import { useSaT, type SaT } from './strings';

interface Edit { score: string; note: string }
type Parsed = { ok: true; value: number | null } | { ok: false };

/** The score as typed: empty is none (deletes), else a number 0–100. */
function parseScore(text: string): Parsed {
  const s = text.trim().replace(/，/g, '.').replace(/。/g, '.');
  if (s === '') return { ok: true, value: null };
  const n = Number(s);
  return Number.isFinite(n) && n >= 0 && n <= 100 ? { ok: true, value: n } : { ok: false };
}
const shown = (v: number | null) => (v === null ? '' : String(v));

export function OtherWorkPage() {
  const t = useSaT();
  const { message, modal } = App.useApp();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  // Others see the scores; only the duty scores.other.enter enters them (the server checks the unit too).
  const mayEnter = useSession().can('scores.other.enter');
  const scope = useDefaultScope();
  const [areaId, setAreaId] = useState<number | undefined>();
  const [areaLabel, setAreaLabel] = useState<string | undefined>();
  const [month, setMonth] = useState<Dayjs>(() => dayjs().startOf('month'));
  const [rows, setRows] = useState<OtherRow[] | null>(null);
  const [edits, setEdits] = useState<Record<number, Edit>>({});
  const [rowErrors, setRowErrors] = useState<Record<number, string>>({});
  const [loading, setLoading] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [weights, setWeights] = useState<Weights | null>(null);
  const [filter, setFilter] = useState('');
  const [imported, setImported] = useState<{ ok: true; file: string; n: number } | { ok: false; file: string; error: unknown } | null>(null);
  const [importing, setImporting] = useState(false);
  const monthKey = month.format('YYYYMM');

  useEffect(() => {
    if (scope && areaId === undefined) { setAreaId(scope.id); setAreaLabel(scope.name); }
  }, [scope, areaId]);
  useEffect(() => { scoresAdminApi.weights().then((w) => setWeights(w.current?.weights ?? null)).catch(() => setWeights(null)); }, []);

  const load = useCallback(async () => {
    if (!areaId) return;
    setLoading(true);
    setError(null);
    try {
      const r = await scoresAdminApi.other(areaId, monthKey);
      setRows(r.villages);
      setEdits({});
      setRowErrors({});
    } catch (e) {
      setRows(null);
      setError(errorText(e));
    } finally {
      setLoading(false);
    }
  }, [areaId, monthKey]);
  useEffect(() => { void load(); }, [load]);

  const editOf = useCallback((r: OtherRow): Edit => edits[r.id] ?? { score: shown(r.score), note: r.note ?? '' }, [edits]);
  const changed = useMemo(() => (rows ?? []).filter((r) => {
    const e = edits[r.id];
    if (!e) return false;
    const p = parseScore(e.score);
    return !p.ok || p.value !== r.score || e.note.trim() !== (r.note ?? '');
  }), [rows, edits]);
  const invalid = changed.filter((r) => !parseScore(editOf(r).score).ok);

  const setEdit = (r: OtherRow, patch: Partial<Edit>) => {
    setEdits((m) => ({ ...m, [r.id]: { ...editOf(r), ...patch } }));
    setRowErrors((m) => { const { [r.id]: _gone, ...rest } = m; return rest; });
  };

  /** Runs `go` now, or after the user agrees to drop unsaved changes. */
  const guard = (go: () => void) => {
    if (!changed.length) { go(); return; }
    modal.confirm({ title: t('owDiscardTitle'), content: t('owDiscard', { n: changed.length }), okText: t('owDiscardOk'), cancelText: t('cancel'), onOk: go });
  };

  const save = async () => {
    if (invalid.length) { message.error(t('owFixFirst')); return; }
    const items: OtherItem[] = changed.map((r) => {
      const e = editOf(r);
      return { villageId: r.id, score: (parseScore(e.score) as { value: number | null }).value, note: e.note.trim() || null };
    });
    if (!items.length) return;
    setSaving(true);
    setError(null);
    try {
      const res = await scoresAdminApi.putOther(monthKey, items);
      message.success(t('owSavedN', { n: res.saved }));
      await load();
    } catch (e) {
      setError(errorText(e));
      // A detail's row is the item's place in what was sent: show it beside that village.
      if (e instanceof ApiError) {
        const byRow: Record<number, string> = {};
        for (const d of e.details ?? []) if (d.row && items[d.row - 1]) byRow[items[d.row - 1]!.villageId] = d.message;
        setRowErrors(byRow);
      }
    } finally {
      setSaving(false);
    }
  };

  const upload = async (file: File) => {
    setImporting(true);
    setImported(null);
    try {
      const res = await scoresAdminApi.importOther(monthKey, file);
      setImported({ ok: true, file: file.name, n: res.saved });
      await load();
    } catch (e) {
      setImported({ ok: false, file: file.name, error: e });
    } finally {
      setImporting(false);
    }
  };

  const visible = (rows ?? []).filter((r) => !filter.trim() || r.name.includes(filter.trim()) || r.code.includes(filter.trim()));
  const enteredCount = (rows ?? []).filter((r) => r.score !== null).length;
  const explain = weights ? t('owExplain', { other: weights.other, env: weights.environment }) : t('owExplainNoWeights');

  const scoreInput = (r: OtherRow, width: number | string) => {
    if (!mayEnter) return <span style={{ display: 'inline-block', minWidth: width }} data-testid={`ow-score-ro-${r.code}`}>{r.score ?? '—'}</span>;
    const e = editOf(r);
    const bad = !parseScore(e.score).ok;
    return (
      <Input
        value={e.score} inputMode="decimal" placeholder="0–100" status={bad || rowErrors[r.id] ? 'error' : undefined} style={{ width }}
        onChange={(ev) => setEdit(r, { score: ev.target.value })} data-testid={`ow-score-${r.code}`} aria-label={`${r.name} ${t('owScore')}`}
      />
    );
  };
  const problemOf = (r: OtherRow) => {
    const msg = !parseScore(editOf(r).score).ok ? t('owScoreRange') : rowErrors[r.id];
    return msg ? <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid={`ow-error-${r.code}`}>{msg}</Typography.Text> : null;
  };
  const noteInput = (r: OtherRow) => (!mayEnter ? <span>{r.note ?? ''}</span> : (
    <Input value={editOf(r).note} maxLength={200} placeholder={t('owNotePlaceholder')} onChange={(ev) => setEdit(r, { note: ev.target.value })}
      data-testid={`ow-note-${r.code}`} aria-label={`${r.name} ${t('owNote')}`} />
  ));

  const saveBar = (
    <Space wrap>
      <Button type="primary" icon={<SaveOutlined />} onClick={() => void save()} loading={saving} disabled={!changed.length} data-testid="ow-save">{t('owSaveAll')}</Button>
      {changed.length > 0 && <Button icon={<UndoOutlined />} onClick={() => { setEdits({}); setRowErrors({}); }} data-testid="ow-undo">{t('owUndo')}</Button>}
      <Typography.Text type={changed.length ? 'warning' : 'secondary'} data-testid="ow-changed">
        {changed.length ? t('owChanged', { n: changed.length }) : t('owNoChanges')}
      </Typography.Text>
    </Space>
  );

  return (
    <div data-testid="ow-page" style={phone ? { paddingBottom: 72 } : undefined}>
      <Card
        size="small" title={t('owTitle')} style={{ marginBottom: 12 }}
        extra={<Button icon={<ReloadOutlined />} onClick={() => guard(() => void load())} loading={loading} aria-label={t('refresh')} data-testid="ow-refresh" />}
      >
        <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }} data-testid="ow-explain">{explain}{t('owClear')}。</Typography.Paragraph>
        <Space wrap size={[12, 8]}>
          <AreaPicker
            testId="ow-area" levels={['town', 'district']} value={areaId} initialLabel={areaLabel} allowClear={false} placeholder={t('owPickArea')}
            style={{ minWidth: phone ? 200 : 240 }}
            onChange={(id, hit) => { if (id) guard(() => { setAreaId(id); setAreaLabel(hit?.name); }); }}
          />
          <DatePicker
            picker="month" value={month} allowClear={false} data-testid="ow-month" format="YYYY-MM" inputReadOnly={phone}
            disabledDate={(d) => d.isAfter(dayjs(), 'month')}
            onChange={(d) => { if (d) guard(() => setMonth(d.startOf('month'))); }}
          />
          <Tag data-testid="ow-month-key">{monthKey}</Tag>
          {rows && <Typography.Text type="secondary" data-testid="ow-count">{t('owEntered2', { a: enteredCount, n: rows.length })}</Typography.Text>}
        </Space>
      </Card>

      {mayEnter && <Card size="small" style={{ marginBottom: 12 }} styles={{ body: { paddingBottom: 8 } }}>
        <Space wrap size={[8, 8]} style={{ marginBottom: 4 }}>
          <Button icon={<DownloadOutlined />} href={areaId ? scoresAdminApi.otherTemplateUrl(areaId, monthKey) : undefined} disabled={!areaId} download data-testid="ow-template">
            {t('owTemplate')}
          </Button>
          <Upload
            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" maxCount={1} showUploadList={false}
            disabled={importing || changed.length > 0}
            customRequest={(opt) => { void upload(opt.file as File).then(() => opt.onSuccess?.({})); }}
          >
            <Button icon={<UploadOutlined />} loading={importing} disabled={changed.length > 0} data-testid="ow-import">{t('owImport')}</Button>
          </Upload>
        </Space>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '4px 0 0' }}>{t('owImportHint')}</Typography.Paragraph>
        <ImportOutcome outcome={imported} t={t} />
      </Card>}

      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="ow-error" />}

      <Spin spinning={loading}>
        <Card
          size="small"
          title={!phone && mayEnter ? saveBar : undefined}
          extra={<Input.Search allowClear placeholder={t('owSearch')} value={filter} onChange={(e) => setFilter(e.target.value)} style={{ width: phone ? 150 : 200 }} data-testid="ow-search" />}
        >
          {rows && rows.length === 0 && <Empty description={t('owNoVillages')} />}
          {rows && rows.length > 0 && !phone && (
            <VillageTable rows={visible} t={t} scoreInput={scoreInput} noteInput={noteInput} problemOf={problemOf} changedIds={new Set(changed.map((r) => r.id))} />
          )}
          {rows && rows.length > 0 && phone && (
            <div data-testid="ow-cards">
              {visible.map((r) => (
                <div key={r.id} data-testid={`ow-card-${r.code}`}
                  style={{ borderBottom: '1px solid #f0f0f0', padding: '10px 2px', background: changed.some((c) => c.id === r.id) ? '#fffbe6' : undefined }}>
                  <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'baseline', gap: 8 }}>
                    <Typography.Text strong>{r.name}</Typography.Text>
                    <Entered r={r} t={t} />
                  </div>
                  <div style={{ display: 'flex', gap: 8, marginTop: 6 }}>
                    {scoreInput(r, 88)}
                    <div style={{ flex: 1 }}>{noteInput(r)}</div>
                  </div>
                  {problemOf(r)}
                </div>
              ))}
            </div>
          )}
        </Card>
      </Spin>

      {phone && mayEnter && (
        <div style={{ position: 'fixed', left: 0, right: 0, bottom: 0, zIndex: 30, background: '#fff', borderTop: '1px solid #f0f0f0', padding: '10px 12px', boxShadow: '0 -2px 8px rgba(0,0,0,0.06)' }}>
          {saveBar}
        </div>
      )}
    </div>
  );
}

function Entered({ r, t }: { r: OtherRow; t: SaT }) {
  if (r.score === null) return <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid={`ow-entered-${r.code}`}>{t('owNotEntered')}</Typography.Text>;
  return (
    <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }} data-testid={`ow-entered-${r.code}`}>
      {r.enteredBy ?? '—'} · {when(r.enteredAt)} {r.source === 'imported' && <Tag style={{ marginInlineStart: 4 }}>{t('owSourceImported')}</Tag>}
    </Typography.Text>
  );
}

function VillageTable({ rows, t, scoreInput, noteInput, problemOf, changedIds }: {
  rows: OtherRow[]; t: SaT; changedIds: Set<number>;
  scoreInput(r: OtherRow, w: number): React.ReactNode; noteInput(r: OtherRow): React.ReactNode; problemOf(r: OtherRow): React.ReactNode;
}) {
  const columns: ColumnsType<OtherRow> = [
    { title: t('village'), key: 'name', width: 180, render: (_: unknown, r) => <span>{r.name} <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.code}</Typography.Text></span> },
    { title: t('owScore'), key: 'score', width: 150, render: (_: unknown, r) => <div>{scoreInput(r, 110)}<div>{problemOf(r)}</div></div> },
    { title: t('owNote'), key: 'note', render: (_: unknown, r) => noteInput(r) },
    { title: t('owEntered'), key: 'entered', width: 230, render: (_: unknown, r) => <Entered r={r} t={t} /> },
  ];
  return (
    <Table<OtherRow>
      data-testid="ow-table" size="small" rowKey="id" columns={columns} dataSource={rows} pagination={false} scroll={{ x: 720 }}
      rowClassName={(r) => (changedIds.has(r.id) ? 'ow-changed' : '')}
      onRow={(r) => ({ style: changedIds.has(r.id) ? { background: '#fffbe6' } : undefined })}
    />
  );
}

function ImportOutcome({ outcome, t }: { outcome: { ok: true; file: string; n: number } | { ok: false; file: string; error: unknown } | null; t: SaT }) {
  if (!outcome) return null;
  if (outcome.ok) return <Alert type="success" showIcon style={{ marginTop: 8 }} title={t('owImportedN', { n: outcome.n, file: outcome.file })} data-testid="ow-import-ok" />;
  const details: ApiErrorDetail[] = outcome.error instanceof ApiError ? outcome.error.details ?? [] : [];
  return (
    <div data-testid="ow-import-error" style={{ marginTop: 8 }}>
      <Alert type="error" showIcon title={t('owImportFailed', { file: outcome.file })} description={errorText(outcome.error)} />
      {details.length > 0 && (
        <Table<ApiErrorDetail & { i: number }>
          style={{ marginTop: 8 }} size="small" rowKey="i" data-testid="ow-import-report"
          dataSource={details.map((d, i) => ({ ...d, i }))}
          pagination={details.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
          columns={[
            { title: t('owRow'), dataIndex: 'row', width: 60 },
            { title: t('owColumn'), dataIndex: 'column', width: 90, render: (v?: string, d?: ApiErrorDetail) => v ?? d?.field ?? '' },
            { title: t('owProblem'), dataIndex: 'message' },
          ]}
        />
      )}
    </div>
  );
}
