// 门前三包 batch entry: a village's households on one day, a grade each (or not checked), saved in
// one request. Households already checked that day show their grade and cannot be graded again.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, DatePicker, Drawer, Empty, Grid, Input, Segmented, Space, Spin, Tag, Typography } from 'antd';
import { CheckOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { errorText } from '../../api';
import { rewardsApi, type FrontageDay, type Grade } from './api';
import { GradeTag, todayInChina } from './common';
import { useRwT } from './strings';
import type { Village } from './RewardsPage';

type Pick = Grade | 'skip';

export function FrontageDrawer({ village, open, onClose, onSaved }: { village: Village; open: boolean; onClose: () => void; onSaved: () => void }) {
  const t = useRwT();
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const [day, setDay] = useState<Dayjs>(() => dayjs(todayInChina()));
  const [data, setData] = useState<FrontageDay | null>(null);
  const [picks, setPicks] = useState<Record<number, Pick>>({});
  const [notes, setNotes] = useState<Record<number, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [points, setPoints] = useState<Record<string, number>>({});
  const on = day.format('YYYY-MM-DD');

  const load = useCallback(async () => {
    setError(null);
    try {
      setData(await rewardsApi.frontageDay(village.id, on));
      setPicks({});
      setNotes({});
    } catch (e) { setError(errorText(e)); }
  }, [village.id, on]);
  useEffect(() => { if (open) void load(); }, [open, load]);
  useEffect(() => {
    if (!open) return;
    rewardsApi.rules().then((rs) => {
      const p: Record<string, number> = {};
      for (const r of rs) if (r.active && r.event === 'frontage_check' && r.grade) p[r.grade] = r.points;
      setPoints(p);
    }).catch(() => {});
  }, [open]);

  const open_ = data?.households.filter((h) => !h.grade) ?? [];
  const chosen = useMemo(() => Object.entries(picks).filter(([, g]) => g !== 'skip').map(([id, g]) => ({ householdId: Number(id), grade: g as Grade })), [picks]);

  const save = async () => {
    if (chosen.length === 0) { message.warning(t('ftNothing')); return; }
    setSaving(true);
    setError(null);
    try {
      const r = await rewardsApi.recordFrontage(village.id, on, chosen.map((c) => ({ ...c, note: notes[c.householdId]?.trim() || null })));
      message.success(t('ftSavedN', { n: r.saved, p: r.points }));
      await load();
      onSaved();
    } catch (e) { setError(errorText(e)); } finally { setSaving(false); }
  };

  return (
    <Drawer open={open} onClose={onClose} destroyOnHidden size={screens.md ? 620 : '100%'} placement={screens.md ? 'right' : 'bottom'}
      title={`${t('ftTitle')} · ${village.name}`} data-testid="rw-ft"
      footer={(
        <Space style={{ width: '100%', justifyContent: 'flex-end' }} wrap>
          <Button onClick={() => setPicks((p) => ({ ...Object.fromEntries(open_.map((h) => [h.householdId, 'good' as Pick])), ...Object.fromEntries(Object.entries(p).filter(([, g]) => g !== 'skip')) }))}
            disabled={open_.length === 0} data-testid="rw-ft-allgood">{t('ftAllGood')}</Button>
          <Button type="primary" icon={<CheckOutlined />} loading={saving} onClick={() => void save()} data-testid="rw-ft-save">{t('ftSave', { n: chosen.length })}</Button>
        </Space>
      )}>
      <Space wrap size={[8, 8]} style={{ marginBottom: 8 }}>
        <span>{t('ftDate')}</span>
        <DatePicker value={day} allowClear={false} onChange={(d) => { if (d) setDay(d); }} disabledDate={(d) => d.isAfter(dayjs(todayInChina()), 'day')} data-testid="rw-ft-date" />
        {Object.keys(points).length > 0 && <Tag>{t('ftPointsHint', { g: points.good ?? 0, f: points.fair ?? 0, p: points.poor ?? 0 })}</Tag>}
      </Space>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('ftHint')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="rw-ft-error" />}
      {!data ? <Spin /> : data.households.length === 0 ? <Empty description={t('hhNone')} /> : (
        <div>
          {data.households.map((h) => (
            <div key={h.householdId} data-testid={`rw-ft-row-${h.householdId}`}
              style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 8, padding: '8px 0', borderBottom: '1px solid #f0f0f0' }}>
              <div style={{ minWidth: 120, flex: '1 1 120px' }}>
                <Typography.Text strong>{h.no}</Typography.Text> {h.headName}
                {h.address && <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{h.address}</Typography.Text></div>}
              </div>
              {h.grade ? (
                <Space size={4}><GradeTag grade={h.grade} t={t} testId={`rw-ft-done-${h.householdId}`} /><Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('ftChecked')} · {h.byName}</Typography.Text></Space>
              ) : (
                <>
                  <Segmented<Pick> size="small" value={picks[h.householdId] ?? 'skip'} data-testid={`rw-ft-grade-${h.householdId}`}
                    onChange={(g) => setPicks((p) => ({ ...p, [h.householdId]: g }))}
                    options={[{ value: 'good', label: t('ftGood') }, { value: 'fair', label: t('ftFair') }, { value: 'poor', label: t('ftPoor') }, { value: 'skip', label: t('ftSkip') }]} />
                  {(picks[h.householdId] === 'fair' || picks[h.householdId] === 'poor') && (
                    <Input size="small" style={{ flex: '1 1 160px' }} maxLength={200} placeholder={t('ftNotePlaceholder')} value={notes[h.householdId] ?? ''}
                      onChange={(e) => setNotes((n) => ({ ...n, [h.householdId]: e.target.value }))} data-testid={`rw-ft-note-${h.householdId}`} />
                  )}
                </>
              )}
            </div>
          ))}
        </div>
      )}
    </Drawer>
  );
}
