// 例行计划 (administrators): the plans of the routines — who, at which level, how often, with how
// many days of grace, active or not — and a modal to edit the recurrence, grace and state. The
// server checks the recurrence; its 400 details are shown next to the fields they name.
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Result, Select, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { EditOutlined, ReloadOutlined } from '@ant-design/icons';
import { ApiError, errorText } from '../../api';
import { useI18n } from '../../i18n';
import { routinesAdminApi, RECURRENCE_TYPES, type Plan, type Recurrence, type RecurrenceType } from './api';
import { describeAssignee, describeRecurrence, thirdName, useIsRoutineAdmin, weekdayName } from './common';

const TYPE_KEYS = {
  daily: 'raTypeDaily', weekly: 'raTypeWeekly', monthly: 'raTypeMonthly', month_third: 'raTypeThird',
  quarterly: 'raTypeQuarterly', half_yearly: 'raTypeHalf', yearly: 'raTypeYearly',
} as const;

export function PlansPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const admin = useIsRoutineAdmin();
  const [plans, setPlans] = useState<Plan[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Plan | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try { setPlans(await routinesAdminApi.plans()); } catch (e) { setPlans([]); setError(errorText(e)); }
  }, []);
  useEffect(() => { void load(); }, [load]);

  if (!admin) return <Result status="403" title="403" subTitle={t('raAdminsOnly')} data-testid="rp-forbidden" />;

  const columns: ColumnsType<Plan> = [
    { title: t('raName'), dataIndex: 'name', key: 'name', render: (v: string, p) => <span data-testid={`rp-name-${p.code}`}>{v}</span> },
    { title: t('raWho'), key: 'who', render: (_: unknown, p) => describeAssignee(i18n, p.assignee) },
    { title: t('raLevel'), dataIndex: 'areaLevel', key: 'level', render: (v: string) => i18n.level(v) },
    { title: t('raRecurrence'), key: 'rec', render: (_: unknown, p) => <span data-testid={`rp-rec-${p.code}`}>{describeRecurrence(t, p.recurrence)}</span> },
    { title: t('raGraceDays'), dataIndex: 'graceDays', key: 'grace', align: 'right' },
    { title: t('raActive'), dataIndex: 'active', key: 'active', render: (v: boolean) => (v ? <Tag color="green">{t('raOn')}</Tag> : <Tag>{t('raOff')}</Tag>) },
    { title: '', key: 'edit', render: (_: unknown, p) => <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(p)} data-testid={`rp-edit-${p.code}`}>{t('raEdit')}</Button> },
  ];
  return (
    <Card title={t('menuRoutinePlans')} data-testid="rp-page" extra={<Button icon={<ReloadOutlined />} onClick={() => void load()}>{t('raRefresh')}</Button>}>
      <Alert type="info" showIcon message={t('raPlansNote')} style={{ marginBottom: 12 }} data-testid="rp-note" />
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Table<Plan> data-testid="rp-table" size="small" rowKey="id" loading={!plans} columns={columns} dataSource={plans ?? []} pagination={false} scroll={{ x: 760 }} />
      {editing && <EditPlan plan={editing} onClose={() => setEditing(null)} onSaved={(p) => { setEditing(null); setPlans((ps) => ps?.map((x) => (x.id === p.id ? p : x)) ?? null); }} onStale={load} />}
    </Card>
  );
}

interface Values {
  name: string; type: RecurrenceType; weekday?: number; fromDay?: number; toDay?: number; third?: 1 | 2 | 3;
  withinDays?: number | null; month?: number | null; day?: number | null; graceDays: number; active: boolean;
}
const RECURRENCE_FIELDS = ['type', 'weekday', 'fromDay', 'toDay', 'third', 'withinDays', 'month', 'day'] as const;

function toValues(p: Plan): Values {
  const r = p.recurrence as Recurrence & Record<string, unknown>;
  return {
    name: p.name, type: r.type, graceDays: p.graceDays, active: p.active,
    weekday: (r.weekday as number | undefined) ?? 1, fromDay: (r.fromDay as number | undefined) ?? 1, toDay: (r.toDay as number | undefined) ?? 28,
    third: (r.third as 1 | 2 | 3 | undefined) ?? 1, withinDays: (r.withinDays as number | undefined) ?? null,
    month: (r.month as number | undefined) ?? null, day: (r.day as number | undefined) ?? null,
  };
}
function toRecurrence(v: Values): Recurrence {
  const opt = (x: number | null | undefined) => (x === null || x === undefined ? undefined : x);
  switch (v.type) {
    case 'daily': return { type: 'daily' };
    case 'weekly': return { type: 'weekly', weekday: v.weekday! };
    case 'monthly': return { type: 'monthly', fromDay: v.fromDay!, toDay: v.toDay! };
    case 'month_third': return { type: 'month_third', third: v.third! };
    case 'quarterly': return opt(v.withinDays) ? { type: 'quarterly', withinDays: v.withinDays! } : { type: 'quarterly' };
    case 'half_yearly': return opt(v.withinDays) ? { type: 'half_yearly', withinDays: v.withinDays! } : { type: 'half_yearly' };
    case 'yearly': {
      const m = opt(v.month); const d = opt(v.day);
      return m !== undefined || d !== undefined ? { type: 'yearly', ...(m !== undefined ? { month: m } : {}), ...(d !== undefined ? { day: d } : {}) } : { type: 'yearly' };
    }
  }
}

function EditPlan({ plan, onClose, onSaved, onStale }: { plan: Plan; onClose(): void; onSaved(p: Plan): void; onStale(): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const type = Form.useWatch('type', form) ?? plan.recurrence.type;

  const save = async () => {
    let v: Values;
    try { v = await form.validateFields(); } catch { return; }
    setSaving(true);
    setError(null);
    try {
      const saved = await routinesAdminApi.updatePlan(plan.id, {
        name: v.name.trim(), recurrence: toRecurrence(v), graceDays: v.graceDays, active: v.active, version: plan.version,
      });
      message.success(t('raSaved'));
      onSaved(saved);
    } catch (e) {
      setError(errorText(e));
      if (e instanceof ApiError) {
        const fields = new Set<string>([...RECURRENCE_FIELDS, 'graceDays', 'name']);
        const byField = new Map<string, string[]>();
        for (const d of e.details ?? []) {
          const f = d.field === 'recurrence' ? 'type' : d.field;
          if (f && fields.has(f)) byField.set(f, [...(byField.get(f) ?? []), d.message]);
        }
        if (byField.size) form.setFields([...byField].map(([name, errors]) => ({ name: name as keyof Values, errors })));
        if (e.status === 409 && e.code === 'STALE') onStale();
      }
    } finally {
      setSaving(false);
    }
  };

  const num = (name: keyof Values, label: string, min: number, max: number, opts: { optional?: boolean; extra?: string } = {}) => (
    <Form.Item name={name} label={label} extra={opts.extra} rules={opts.optional ? [] : [{ required: true, message: t('raRequired') }]}>
      <InputNumber min={min} max={max} precision={0} style={{ width: 120 }} data-testid={`rp-${name}`} />
    </Form.Item>
  );

  return (
    <Modal
      open title={t('raEditPlan', { name: plan.name })} onCancel={onClose} onOk={() => void save()} confirmLoading={saving}
      okText={t('raSave')} okButtonProps={{ 'data-testid': 'rp-save' }} destroyOnHidden data-testid="rp-modal" width={560}
    >
      <Form<Values> form={form} layout="vertical" initialValues={toValues(plan)} onValuesChange={() => setError(null)}>
        <Form.Item name="name" label={t('raName')} rules={[{ required: true, whitespace: true, message: t('raRequired') }, { max: 50 }]}>
          <Input maxLength={50} data-testid="rp-name" />
        </Form.Item>
        <Form.Item name="type" label={t('raRecurrence')} rules={[{ required: true }]}>
          <Select data-testid="rp-type" options={RECURRENCE_TYPES.map((k) => ({ value: k, label: t(TYPE_KEYS[k]) }))} />
        </Form.Item>
        {type === 'weekly' && (
          <Form.Item name="weekday" label={t('raWeekday')} rules={[{ required: true, message: t('raRequired') }]}>
            <Select data-testid="rp-weekday" style={{ width: 160 }} options={[1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: d, label: weekdayName(t, d) }))} />
          </Form.Item>
        )}
        {type === 'monthly' && (
          <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap' }}>
            {num('fromDay', t('raFromDay'), 1, 28)}
            {num('toDay', t('raToDay'), 1, 28, { extra: t('raMonthlyHint') })}
          </div>
        )}
        {type === 'month_third' && (
          <Form.Item name="third" label={t('raThird')} rules={[{ required: true, message: t('raRequired') }]}>
            <Select data-testid="rp-third" style={{ width: 200 }} options={[1, 2, 3].map((n) => ({ value: n, label: thirdName(t, n) }))} />
          </Form.Item>
        )}
        {(type === 'quarterly' || type === 'half_yearly') &&
          num('withinDays', t('raWithinDays'), 1, type === 'quarterly' ? 90 : 181, { optional: true, extra: t('raWithinHint') })}
        {type === 'yearly' && (
          <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap' }}>
            {num('month', t('raMonth'), 1, 12, { optional: true })}
            {num('day', t('raDay'), 1, 31, { optional: true, extra: t('raYearlyHint') })}
          </div>
        )}
        <div style={{ display: 'flex', gap: 32, flexWrap: 'wrap' }}>
          {num('graceDays', t('raGraceDays'), 0, 60, { extra: t('raGraceHint') })}
          <Form.Item name="active" label={t('raActive')} valuePropName="checked">
            <Switch data-testid="rp-active" />
          </Form.Item>
        </div>
        {error && <Alert type="error" showIcon message={error} data-testid="rp-error" />}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('raVersion', { v: plan.version })}</Typography.Text>
      </Form>
    </Modal>
  );
}
