// 示范户评选: a village's rounds of 最美庭院 and 美在家庭 per period. Create one with its quota, enter
// households with scores, and decide it (the top quota win, ties included; winners earn points).
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Drawer, Empty, Grid, Input, InputNumber, Popconfirm, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { CheckOutlined, PlusOutlined, ReloadOutlined, TrophyOutlined } from '@ant-design/icons';
import { errorText } from '../../api';
import { useSession } from '../../session';
import { rewardsApi, type Household, type ModelKind, type Round, type RoundDetail } from './api';
import { when } from './common';
import { useRwT } from './strings';
import type { Village } from './RewardsPage';

const lastQuarter = () => {
  const d = new Date();
  const y = d.getFullYear();
  const q = Math.floor(d.getMonth() / 3) + 1;
  return q === 1 ? `${y - 1}Q4` : `${y}Q${q - 1}`;
};

export function RoundsTab({ village }: { village: Village | undefined }) {
  const t = useRwT();
  const { message } = App.useApp();
  const [list, setList] = useState<Round[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [kind, setKind] = useState<ModelKind>('courtyard');
  const [period, setPeriod] = useState(lastQuarter);
  const [quota, setQuota] = useState(3);
  const [createError, setCreateError] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const manage = useSession().can('rewards.round.manage');

  const load = useCallback(async () => {
    if (!village) return;
    setLoading(true);
    setError(null);
    try { setList(await rewardsApi.rounds(village.id)); } catch (e) { setError(errorText(e)); } finally { setLoading(false); }
  }, [village]);
  useEffect(() => { void load(); }, [load]);
  if (!village) return <Empty description={t('pickVillageFirst')} />;

  const kindName = (k: string) => (k === 'family' ? t('rdFamily') : t('rdCourtyard'));
  const create = async () => {
    setCreateError(null);
    try {
      const r = await rewardsApi.createRound(village.id, kind, period.trim(), quota);
      message.success(t('rdCreatedMsg'));
      await load();
      setOpen(r.id);
    } catch (e) { setCreateError(errorText(e)); }
  };
  const columns: ColumnsType<Round> = [
    { title: t('rdPeriod'), dataIndex: 'period', width: 90 },
    { title: t('rdKind'), dataIndex: 'kind', width: 110, render: (k: string) => kindName(k) },
    { title: t('rdQuota'), dataIndex: 'quota', width: 60, align: 'right' },
    { title: t('rdEntries'), dataIndex: 'entries', width: 70, align: 'right' },
    { title: t('rdWinners'), dataIndex: 'winners', width: 70, align: 'right' },
    { title: t('rdStatus'), dataIndex: 'status', width: 90, render: (s: string) => (s === 'decided' ? <Tag color="green">{t('rdDecided')}</Tag> : <Tag color="blue">{t('rdOpen')}</Tag>) },
    { title: '', key: 'open', width: 70, render: (_: unknown, r) => <a onClick={() => setOpen(r.id)} data-testid={`rw-rd-open-${r.period}-${r.kind}`}>{t('rdView')}</a> },
  ];

  return (
    <div data-testid="rw-rounds">
      {manage && <Card size="small" title={t('rdCreate')} style={{ marginBottom: 12 }}>
        <Space wrap size={[8, 8]}>
          <Segmented<ModelKind> value={kind} onChange={setKind} data-testid="rw-rd-kind"
            options={[{ value: 'courtyard', label: t('rdCourtyard') }, { value: 'family', label: t('rdFamily') }]} />
          <Input value={period} onChange={(e) => setPeriod(e.target.value)} style={{ width: 110 }} placeholder="2026Q3" title={t('rdPeriodHelp')} data-testid="rw-rd-period" />
          <Space size={4}><span>{t('rdQuota')}</span><InputNumber min={1} max={100} precision={0} value={quota} onChange={(v) => setQuota(v ?? 1)} style={{ width: 70 }} data-testid="rw-rd-quota" /></Space>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => void create()} data-testid="rw-rd-create">{t('rdCreate')}</Button>
          <Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('refresh')} />
        </Space>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0 0' }}>{t('rdPeriodHelp')}</Typography.Paragraph>
        {createError && <Alert type="error" showIcon title={createError} style={{ marginTop: 8 }} data-testid="rw-rd-create-error" />}
      </Card>}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Table<Round> size="small" rowKey="id" loading={loading} columns={columns} dataSource={list ?? []} pagination={false} scroll={{ x: 560 }}
        locale={{ emptyText: t('rdNone') }} data-testid="rw-rd-table" />
      <RoundDrawer id={open} village={village} onClose={() => setOpen(null)} onChanged={() => void load()} />
    </div>
  );
}

function RoundDrawer({ id, village, onClose, onChanged }: { id: number | null; village: Village; onClose: () => void; onChanged: () => void }) {
  const t = useRwT();
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const [r, setR] = useState<RoundDetail | null>(null);
  const [scores, setScores] = useState<Record<number, number | null>>({});
  const [households, setHouseholds] = useState<Household[]>([]);
  const [adding, setAdding] = useState<number[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { can } = useSession();
  // Who organises a round (entries, scores) and who decides it are different duties.
  const manage = can('rewards.round.manage');
  const mayDecide = can('rewards.round.decide');

  const show = (d: RoundDetail) => { setR(d); setScores(Object.fromEntries(d.entries.map((e) => [e.householdId, e.score]))); };
  const load = useCallback(async () => {
    if (!id) return;
    setError(null);
    try { show(await rewardsApi.round(id)); } catch (e) { setError(errorText(e)); }
  }, [id]);
  useEffect(() => { setR(null); setAdding([]); void load(); }, [load]);
  useEffect(() => {
    if (!id) return;
    rewardsApi.households(village.id, undefined, 1, 500).then((d) => setHouseholds(d.items)).catch(() => setHouseholds([]));
  }, [id, village.id]);

  const act = async (fn: () => Promise<RoundDetail>, ok?: (d: RoundDetail) => string) => {
    setBusy(true);
    setError(null);
    try {
      const d = await fn();
      show(d);
      if (ok) message.success(ok(d));
      onChanged();
    } catch (e) { setError(errorText(e)); } finally { setBusy(false); }
  };
  const decided = r?.status === 'decided';
  const putAll = () => rewardsApi.putEntries(r!.id, [
    ...r!.entries.map((e) => ({ householdId: e.householdId, score: scores[e.householdId] ?? null, note: e.note })),
    ...adding.filter((h) => !r!.entries.some((e) => e.householdId === h)).map((householdId) => ({ householdId, score: null })),
  ]);
  const saveScores = () => act(putAll, () => t('saved')).then(() => setAdding([]));
  // Deciding saves the scores on the screen first (when the decider may enter them), then decides on what was saved.
  const decide = () => act(async () => {
    const saved = manage ? await putAll() : r!;
    setAdding([]);
    return rewardsApi.decideRound(saved.id, saved.version);
  },
    (d) => t('rdDecidedMsg', { n: d.entries.filter((e) => e.winner).length }));

  return (
    <Drawer open={id !== null} onClose={onClose} destroyOnHidden size={screens.md ? 640 : '100%'} data-testid="rw-rd-drawer"
      title={r ? `${r.villageName} · ${r.period} · ${r.kindName}` : ''}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="rw-rd-error" />}
      {r && (
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <Space wrap>
            {decided ? <Tag color="green" data-testid="rw-rd-status">{t('rdDecided')}</Tag> : <Tag color="blue" data-testid="rw-rd-status">{t('rdOpen')}</Tag>}
            <span>{t('rdQuota')} {r.quota}</span>
            <Typography.Text type="secondary">{t('rdRule', { q: r.quota })}</Typography.Text>
          </Space>
          {decided && <Typography.Text type="secondary">{t('rdDecidedBy', { who: r.decidedByName ?? '—', at: when(r.decidedAt) })}</Typography.Text>}
          {!decided && manage && (
            <Space wrap style={{ width: '100%' }}>
              <Select mode="multiple" style={{ minWidth: 260 }} value={adding} onChange={setAdding} placeholder={t('rdAddHouseholds')} data-testid="rw-rd-add"
                optionFilterProp="label" options={households.filter((h) => h.active && !r.entries.some((e) => e.householdId === h.id)).map((h) => ({ value: h.id, label: `${h.no} ${h.headName}` }))} />
            </Space>
          )}
          <Table size="small" rowKey="householdId" pagination={false} dataSource={r.entries} data-testid="rw-rd-entries"
            columns={[
              { title: t('hhNo'), dataIndex: 'householdNo', width: 70 },
              { title: t('hhHead'), dataIndex: 'headName', width: 90 },
              { title: t('rdScore'), dataIndex: 'score', width: 130, render: (v: number | null, e) => (decided || !manage ? (v ?? t('rdNoScore'))
                : <InputNumber min={0} max={100} value={scores[e.householdId] ?? null} onChange={(x) => setScores((s) => ({ ...s, [e.householdId]: x ?? null }))}
                  data-testid={`rw-rd-score-${e.householdNo}`} style={{ width: 100 }} />) },
              { title: '', key: 'w', width: 110, render: (_: unknown, e) => (e.winner ? <Tag color="gold" icon={<TrophyOutlined />} data-testid={`rw-rd-winner-${e.householdNo}`}>{t('rdWinner')}</Tag>
                : !decided && manage ? <Button size="small" type="link" onClick={() => void act(() => rewardsApi.removeEntry(r.id, e.householdId))}>{t('rdRemove')}</Button> : null) },
            ]} />
          {!decided && (manage || mayDecide) && (
            <Space wrap>
              {manage && <Button onClick={() => void saveScores()} loading={busy} data-testid="rw-rd-save">{t('rdSaveScores')}</Button>}
              {mayDecide && <Popconfirm title={t('rdDecideConfirm', { q: r.quota })} onConfirm={() => void decide()}
                okButtonProps={{ 'data-testid': 'rw-rd-decide-ok' }}>
                <Button type="primary" icon={<CheckOutlined />} loading={busy} disabled={r.entries.length === 0 && adding.length === 0} data-testid="rw-rd-decide">{t('rdDecide')}</Button>
              </Popconfirm>}
            </Space>
          )}
        </Space>
      )}
    </Drawer>
  );
}
