// 工作日历: a month at a time, each day 班 (workday) or 休 (day off) with its holiday name; a click
// sets a day by hand (or puts it back to the default); a year can be re-filled from the published
// holiday schedule; the working hours that deadlines count in.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Col, DatePicker, Form, Input, Modal, Popconfirm, Row, Segmented, Space, Spin, Tag, TimePicker, Tooltip, Typography, Grid } from 'antd';
import { LeftOutlined, ReloadOutlined, RightOutlined, SyncOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat';
import { errorText } from '../../api';
import { useI18n } from '../../i18n';
import { useSession } from '../../session';
import { settingsApi, type CalendarDay, type CalendarMonth, type WorkingHours } from './api';

dayjs.extend(customParseFormat);

/** The working calendar is install-wide: the duty settings.manage edits it. */
export function useIsSettingsAdmin(): boolean {
  return useSession().can('settings.manage');
}

export function CalendarPage() {
  const screens = Grid.useBreakpoint();
  return (
    <Row gutter={[12, 12]} data-testid="calendar-page">
      <Col xs={24} xl={16}><MonthCard compact={!screens.md} /></Col>
      <Col xs={24} xl={8}><HoursCard /></Col>
    </Row>
  );
}

function MonthCard({ compact }: { compact: boolean }) {
  const { t, lang } = useI18n();
  const { message, modal } = App.useApp();
  const canEdit = useIsSettingsAdmin();
  const [month, setMonth] = useState<Dayjs>(() => dayjs().startOf('month'));
  const [data, setData] = useState<CalendarMonth | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [editing, setEditing] = useState<CalendarDay | null>(null);
  const [reseeding, setReseeding] = useState(false);
  const key = month.format('YYYY-MM');

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try { setData(await settingsApi.month(key)); } catch (e) { setError(errorText(e)); } finally { setLoading(false); }
  }, [key]);
  useEffect(() => { void load(); }, [load]);

  const year = month.year();
  const reseed = () => {
    modal.confirm({
      title: t('calReseedTitle', { year }),
      content: t('calReseedConfirm'),
      okText: t('ok'),
      cancelText: t('cancel'),
      onOk: async () => {
        setReseeding(true);
        try {
          const r = await settingsApi.reseedYear(year);
          message.success(t('calReseedDone', { changed: r.changed, kept: r.keptAdmin }));
          await load();
        } catch (e) {
          message.error(errorText(e));
        } finally {
          setReseeding(false);
        }
      },
    });
  };

  const cells = useMemo(() => {
    if (!data) return [];
    const lead = (data.days[0]?.weekday ?? 1) - 1;
    return [...Array.from({ length: lead }, () => null), ...data.days];
  }, [data]);
  const today = dayjs().format('YYYY-MM-DD');
  const weekdays = lang === 'zh' ? ['一', '二', '三', '四', '五', '六', '日'] : ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

  return (
    <Card
      size="small"
      title={t('setCalendar')}
      extra={
        <Space wrap>
          <Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('refresh')} />
          {canEdit && (
            <Tooltip title={data && !data.seedAvailable ? t('calNoSeed', { year }) : undefined}>
              <Button icon={<SyncOutlined />} onClick={reseed} loading={reseeding} disabled={!!data && !data.seedAvailable} data-testid="calendar-reseed">
                {t('calReseed', { year })}
              </Button>
            </Tooltip>
          )}
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Button icon={<LeftOutlined />} onClick={() => setMonth((m) => m.subtract(1, 'month'))} aria-label={t('calPrev')} data-testid="calendar-prev" />
        <DatePicker picker="month" value={month} allowClear={false} onChange={(d) => d && setMonth(d.startOf('month'))} format={lang === 'zh' ? 'YYYY年M月' : 'MMM YYYY'} data-testid="calendar-month" />
        <Button icon={<RightOutlined />} onClick={() => setMonth((m) => m.add(1, 'month'))} aria-label={t('calNext')} data-testid="calendar-next" />
        <Button onClick={() => setMonth(dayjs().startOf('month'))}>{t('calThisMonth')}</Button>
        {data && <Typography.Text type="secondary" data-testid="calendar-workdays">{t('calWorkdays', { n: data.workdays })}</Typography.Text>}
      </Space>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} />}
      {data && !data.seedAvailable && <Alert type="warning" showIcon title={t('calNoSeed', { year })} style={{ marginBottom: 8 }} />}
      <Spin spinning={loading}>
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(7, minmax(0, 1fr))', gap: compact ? 3 : 6 }} data-testid="calendar-grid">
          {weekdays.map((w, i) => (
            <div key={w} style={{ textAlign: 'center', fontWeight: 600, color: i >= 5 ? '#cf1322' : undefined, padding: '2px 0' }}>{w}</div>
          ))}
          {cells.map((d, i) => (d === null
            ? <div key={`blank${i}`} />
            : (
              <DayCell
                key={d.day}
                d={d}
                compact={compact}
                isToday={d.day === today}
                onClick={canEdit ? () => setEditing(d) : undefined}
              />
            )))}
        </div>
      </Spin>
      <Space wrap size={[12, 4]} style={{ marginTop: 10, fontSize: 12 }}>
        <span><Tag color="blue">{t('calWork')}</Tag>{t('calWorkday')}</span>
        <span><Tag color="green">{t('calOff')}</Tag>{t('calDayOff')}</span>
        <span><Tag color="orange">{t('calWork')}</Tag>{t('calMakeUp')}</span>
        <span><span style={{ display: 'inline-block', width: 12, height: 12, border: '2px dashed #fa8c16', verticalAlign: 'middle', marginRight: 4 }} />{t('calByAdmin')}</span>
        {!canEdit && <Typography.Text type="secondary">{t('calReadOnly')}</Typography.Text>}
      </Space>
      {editing && (
        <DayModal
          d={editing}
          onClose={() => setEditing(null)}
          onDone={(msg) => { setEditing(null); message.success(msg); void load(); }}
        />
      )}
    </Card>
  );
}

function DayCell({ d, compact, isToday, onClick }: { d: CalendarDay; compact: boolean; isToday: boolean; onClick?: () => void }) {
  const { t } = useI18n();
  const weekend = d.weekday >= 6;
  // A worked weekend (调休) and a weekday off (a holiday) are what people look for.
  const color = d.workday ? (weekend ? 'orange' : 'blue') : weekend ? 'default' : 'green';
  const bg = d.workday ? (weekend ? '#fff7e6' : '#fff') : weekend ? '#fafafa' : '#f6ffed';
  return (
    <div
      role={onClick ? 'button' : undefined}
      tabIndex={onClick ? 0 : undefined}
      onClick={onClick}
      onKeyDown={(e) => { if (onClick && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); onClick(); } }}
      data-testid={`calendar-day-${d.day}`}
      data-workday={d.workday ? '1' : '0'}
      data-source={d.source ?? ''}
      title={d.name ?? undefined}
      style={{
        minHeight: compact ? 54 : 72, padding: compact ? 3 : 6, borderRadius: 6, background: bg, cursor: onClick ? 'pointer' : 'default',
        border: d.source === 'admin' ? '2px dashed #fa8c16' : isToday ? '2px solid #1677ff' : '1px solid #f0f0f0', overflow: 'hidden',
      }}
    >
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 2 }}>
        <span style={{ fontWeight: isToday ? 700 : 500, color: weekend && !d.workday ? '#cf1322' : undefined }}>{Number(d.day.slice(8))}</span>
        <Tag color={color} style={{ marginInlineEnd: 0, paddingInline: compact ? 2 : 6, fontSize: compact ? 11 : 12, lineHeight: compact ? '16px' : undefined }}>
          {d.workday ? t('calWork') : t('calOff')}
        </Tag>
      </div>
      {d.name && (
        <div style={{ fontSize: compact ? 10 : 12, color: '#595959', marginTop: 2, whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>{d.name}</div>
      )}
    </div>
  );
}

function DayModal({ d, onClose, onDone }: { d: CalendarDay; onClose: () => void; onDone: (msg: string) => void }) {
  const { t } = useI18n();
  const [workday, setWorkday] = useState(d.workday);
  const [name, setName] = useState(d.name ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      await settingsApi.setDay(d.day, workday, name.trim() || null);
      onDone(t('saved'));
    } catch (e) { setError(errorText(e)); } finally { setBusy(false); }
  };
  const reset = async () => {
    setBusy(true);
    setError(null);
    try {
      await settingsApi.resetDay(d.day);
      onDone(t('calResetDone'));
    } catch (e) { setError(errorText(e)); } finally { setBusy(false); }
  };
  const weekdayName = dayjs(d.day).format('dddd');
  return (
    <Modal
      open
      title={`${d.day} ${weekdayName}`}
      onCancel={onClose}
      destroyOnHidden
      footer={[
        d.source === 'admin' && (
          <Popconfirm key="reset" title={t('calResetConfirm')} onConfirm={() => void reset()} okText={t('ok')} cancelText={t('cancel')}>
            <Button danger disabled={busy} data-testid="calendar-day-reset">{t('calReset')}</Button>
          </Popconfirm>
        ),
        <Button key="cancel" onClick={onClose}>{t('cancel')}</Button>,
        <Button key="ok" type="primary" loading={busy} onClick={() => void save()} data-testid="calendar-day-save">{t('save')}</Button>,
      ]}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form layout="vertical">
        <Form.Item label={t('calDayKind')}>
          <Segmented
            value={workday ? 'work' : 'off'}
            onChange={(v) => setWorkday(v === 'work')}
            options={[{ value: 'work', label: `${t('calWork')} · ${t('calWorkday')}` }, { value: 'off', label: `${t('calOff')} · ${t('calDayOff')}` }]}
            data-testid="calendar-day-kind"
          />
        </Form.Item>
        <Form.Item label={t('calDayName')} extra={t('calDayNameHint')}>
          <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={50} placeholder={t('calDayNamePlaceholder')} data-testid="calendar-day-name" />
        </Form.Item>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {d.source === 'admin' ? t('calSourceAdmin') : d.source === 'seed' ? t('calSourceSeed') : t('calSourceDefault')}
        </Typography.Text>
      </Form>
    </Modal>
  );
}

function HoursCard() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const canEdit = useIsSettingsAdmin();
  const [hours, setHours] = useState<WorkingHours | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ morning: [Dayjs, Dayjs]; afternoon: [Dayjs, Dayjs] }>();
  const toPair = (p: { start: string; end: string }): [Dayjs, Dayjs] => [dayjs(p.start, 'HH:mm'), dayjs(p.end, 'HH:mm')];

  useEffect(() => {
    settingsApi.hours().then((h) => { setHours(h); form.setFieldsValue({ morning: toPair(h.morning), afternoon: toPair(h.afternoon) }); })
      .catch((e) => setError(errorText(e)));
  }, [form]);

  const perDay = (h: WorkingHours | null) => {
    if (!h) return null;
    const m = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
    return ((m(h.morning.end) - m(h.morning.start)) + (m(h.afternoon.end) - m(h.afternoon.start))) / 60;
  };

  return (
    <Card size="small" title={t('calHours')} data-testid="calendar-hours">
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} />}
      {!hours && !error && <Spin />}
      <Form
        form={form}
        layout="vertical"
        disabled={!canEdit || !hours}
        onFinish={async (v) => {
          setBusy(true);
          setError(null);
          const p = (r: [Dayjs, Dayjs]) => ({ start: r[0].format('HH:mm'), end: r[1].format('HH:mm') });
          try {
            const h = await settingsApi.setHours({ morning: p(v.morning), afternoon: p(v.afternoon) });
            setHours(h);
            message.success(t('saved'));
          } catch (e) { setError(errorText(e)); } finally { setBusy(false); }
        }}
        style={{ display: hours ? undefined : 'none' }}
      >
        <Form.Item name="morning" label={t('calMorning')} rules={[{ required: true, message: t('required') }]}>
          <TimePicker.RangePicker format="HH:mm" minuteStep={5} allowClear={false} data-testid="calendar-morning" />
        </Form.Item>
        <Form.Item name="afternoon" label={t('calAfternoon')} rules={[{ required: true, message: t('required') }]}>
          <TimePicker.RangePicker format="HH:mm" minuteStep={5} allowClear={false} data-testid="calendar-afternoon" />
        </Form.Item>
        {hours && <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('calHoursPerDay', { n: perDay(hours) ?? 0 })}</Typography.Paragraph>}
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('calHoursHint')}</Typography.Paragraph>
        {canEdit && <Button type="primary" htmlType="submit" loading={busy} data-testid="calendar-hours-save">{t('save')}</Button>}
      </Form>
    </Card>
  );
}
