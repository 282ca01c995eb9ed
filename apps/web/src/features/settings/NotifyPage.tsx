// 消息推送: group-robot webhooks (WeCom, DingTalk, plain JSON) with add / edit / test / delete, and
// the outbox of deliveries (pending, delivered, dead) with a retry for what did not get through.
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Form, Input, Modal, Popconfirm, Segmented, Select, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined, ReloadOutlined, SendOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { errorText } from '../../api';
import { useI18n } from '../../i18n';
import { AreaPicker } from '../../components/Pickers';
import { settingsApi, type OutboxRow, type OutboxStatus, type Webhook, type WebhookFormat, type WebhookInput, type WebhookList } from './api';

/** English names of the events and formats (the API gives the Chinese ones). */
const EVENT_EN: Record<string, string> = {
  'case.reported': 'Problem reported', 'case.dispatched': 'Dispatched', 'case.due_soon': 'Due soon', 'case.overdue': 'Overdue',
  'case.rework': 'Returned for rework', 'case.closed': 'Closed', 'case.request': 'Extension / return request', 'bulletin.issued': 'Bulletin issued',
  'webhook.test': 'Test message',
};
const FORMAT_EN: Record<string, string> = { wecom: 'WeCom group robot', dingtalk: 'DingTalk custom robot', json: 'Plain JSON' };
const FORMAT_COLOR: Record<string, string> = { wecom: 'green', dingtalk: 'blue', json: 'default' };
const fmt = (s: string | null) => (s ? dayjs(s).format('YYYY-MM-DD HH:mm:ss') : '');

export function NotifyPage() {
  const [meta, setMeta] = useState<WebhookList | null>(null);
  const [outboxKey, setOutboxKey] = useState(0);
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 12 }} data-testid="notify-page">
      <WebhooksCard onList={setMeta} onQueued={() => setOutboxKey((k) => k + 1)} />
      <OutboxCard key={outboxKey} meta={meta} />
    </div>
  );
}

function useLabels(meta: WebhookList | null) {
  const { lang } = useI18n();
  const event = (k: string) => (lang === 'en' ? EVENT_EN[k] : meta?.events.find((e) => e.key === k)?.zh) ?? (k === 'webhook.test' ? '测试消息' : k);
  const format = (k: string) => (lang === 'en' ? FORMAT_EN[k] : meta?.formats.find((f) => f.key === k)?.zh) ?? k;
  return { event, format };
}

function WebhooksCard({ onList, onQueued }: { onList: (l: WebhookList) => void; onQueued: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [data, setData] = useState<WebhookList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Webhook | 'new' | null>(null);
  const labels = useLabels(data);

  const load = useCallback(async () => {
    setError(null);
    try {
      const l = await settingsApi.webhooks();
      setData(l);
      onList(l);
    } catch (e) { setError(errorText(e)); setData({ items: [], events: [], formats: [] }); }
  }, [onList]);
  useEffect(() => { void load(); }, [load]);

  const test = async (w: Webhook) => {
    try {
      const r = await settingsApi.testWebhook(w.id);
      message.success(r.message);
      onQueued();
    } catch (e) { message.error(errorText(e)); }
  };
  const remove = async (w: Webhook) => {
    try {
      const r = await settingsApi.deleteWebhook(w.id);
      message.success(r.message);
      void load();
    } catch (e) { message.error(errorText(e)); }
  };

  return (
    <Card
      size="small"
      title={t('whTitle')}
      data-testid="webhooks"
      extra={
        <Space>
          <Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('refresh')} />
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} disabled={!data} data-testid="webhook-add">{t('whAdd')}</Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('whHint')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} />}
      <Table<Webhook>
        rowKey="id"
        size="small"
        loading={data === null}
        dataSource={data?.items ?? []}
        pagination={false}
        scroll={{ x: 900 }}
        data-testid="webhooks-table"
        locale={{ emptyText: t('whNone') }}
        columns={[
          { title: t('name'), dataIndex: 'name', render: (v: string, w) => <Space size={4}>{v}{!w.active && <Tag>{t('disabled')}</Tag>}</Space> },
          { title: t('whFormat'), dataIndex: 'format', width: 150, render: (v: string) => <Tag color={FORMAT_COLOR[v]}>{labels.format(v)}</Tag> },
          { title: t('whUrl'), dataIndex: 'url', ellipsis: true, render: (v: string, w) => <Space size={4}><Typography.Text code style={{ fontSize: 12 }}>{v}</Typography.Text>{w.hasSecret && <Tag>{t('whSigned')}</Tag>}</Space> },
          { title: t('area'), dataIndex: 'areaName', width: 120, render: (v: string | null) => v ?? t('whAllAreas') },
          { title: t('whEvents'), dataIndex: 'events', render: (ev: string[]) => <Space size={[2, 2]} wrap>{ev.map((e) => <Tag key={e} style={{ marginInlineEnd: 0 }}>{labels.event(e)}</Tag>)}</Space> },
          {
            title: t('whQueue'), key: 'q', width: 110,
            render: (_: unknown, w) => (
              <Space size={2}>
                {w.pending > 0 && <Tooltip title={t('obPending')}><Tag color="gold">{w.pending}</Tag></Tooltip>}
                {w.dead > 0 && <Tooltip title={t('obDead')}><Tag color="red">{w.dead}</Tag></Tooltip>}
              </Space>
            ),
          },
          {
            title: t('actions'), key: 'a', width: 210,
            render: (_: unknown, w) => (
              <Space size={0}>
                <Button size="small" type="link" icon={<EditOutlined />} onClick={() => setEditing(w)} data-testid={`webhook-edit-${w.id}`}>{t('edit')}</Button>
                <Button size="small" type="link" icon={<SendOutlined />} onClick={() => void test(w)} disabled={!w.active} data-testid={`webhook-test-${w.id}`}>{t('whTest')}</Button>
                <Popconfirm title={t('whDeleteConfirm')} onConfirm={() => void remove(w)} okText={t('ok')} cancelText={t('cancel')}>
                  <Button size="small" type="link" danger icon={<DeleteOutlined />} data-testid={`webhook-delete-${w.id}`}>{t('delete')}</Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      {editing && data && (
        <WebhookModal
          hook={editing === 'new' ? undefined : editing}
          meta={data}
          onClose={() => setEditing(null)}
          onSaved={() => { setEditing(null); message.success(t('saved')); void load(); }}
        />
      )}
    </Card>
  );
}

interface HookValues { name: string; url?: string; format: WebhookFormat; secret?: string; clearSecret?: boolean; areaId?: number | null; events: string[]; active: boolean }

function WebhookModal({ hook, meta, onClose, onSaved }: { hook?: Webhook; meta: WebhookList; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const labels = useLabels(meta);
  const [form] = Form.useForm<HookValues>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const format = Form.useWatch('format', form);

  const submit = async (v: HookValues) => {
    setBusy(true);
    setError(null);
    const body: WebhookInput = { name: v.name.trim(), format: v.format, areaId: v.areaId ?? null, events: v.events, active: v.active };
    // The stored URL is only shown masked: it is sent only when a new one is typed. So is the secret.
    if (v.url?.trim()) body.url = v.url.trim();
    if (v.secret?.trim()) body.secret = v.secret.trim();
    else if (hook && v.clearSecret) body.secret = null;
    try {
      if (hook) await settingsApi.updateWebhook(hook.id, body);
      else await settingsApi.createWebhook(body);
      onSaved();
    } catch (e) { setError(errorText(e)); } finally { setBusy(false); }
  };

  return (
    <Modal
      open
      width={620}
      title={hook ? t('whEdit', { name: hook.name }) : t('whAdd')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('save')}
      cancelText={t('cancel')}
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'webhook-save' } as Record<string, string>}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="webhook-error" />}
      <Form<HookValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{
          name: hook?.name ?? '', url: '', format: hook?.format ?? 'wecom', areaId: hook?.areaId ?? null,
          events: hook?.events ?? ['case.overdue', 'bulletin.issued'], active: hook?.active ?? true, clearSecret: false,
        }}
      >
        <Form.Item name="name" label={t('name')} rules={[{ required: true, whitespace: true, message: t('required') }]}>
          <Input maxLength={100} data-testid="webhook-name" />
        </Form.Item>
        <Form.Item name="format" label={t('whFormat')} rules={[{ required: true, message: t('required') }]}>
          <Select options={meta.formats.map((f) => ({ value: f.key, label: labels.format(f.key) }))} data-testid="webhook-format" />
        </Form.Item>
        <Form.Item
          name="url"
          label={t('whUrl')}
          extra={hook ? t('whUrlKeep', { url: hook.url }) : t('whUrlHint')}
          rules={[
            { required: !hook, whitespace: true, message: t('required') },
            { pattern: /^https?:\/\/\S+$/i, message: t('whUrlRule') },
          ]}
        >
          <Input maxLength={2000} placeholder={format === 'dingtalk' ? 'https://oapi.dingtalk.com/robot/send?access_token=…' : format === 'wecom' ? 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…' : 'https://…'} data-testid="webhook-url" />
        </Form.Item>
        {format !== 'wecom' && (
          <Form.Item name="secret" label={t('whSecret')} extra={format === 'dingtalk' ? t('whSecretDingtalk') : t('whSecretJson')}>
            <Input.Password maxLength={200} placeholder={hook?.hasSecret ? t('whSecretKeep') : ''} autoComplete="new-password" />
          </Form.Item>
        )}
        {hook?.hasSecret && (
          <Form.Item name="clearSecret" valuePropName="checked" style={{ marginTop: -8 }}>
            <Checkbox>{t('whSecretClear')}</Checkbox>
          </Form.Item>
        )}
        <Form.Item name="areaId" label={t('area')} extra={t('whAreaHint')}>
          <AreaPicker initialLabel={hook?.areaName ?? undefined} placeholder={t('whAllAreas')} testId="webhook-area" />
        </Form.Item>
        <Form.Item name="events" label={t('whEvents')} rules={[{ required: true, type: 'array', min: 1, message: t('whEventsRequired') }]}>
          <Checkbox.Group options={meta.events.map((e) => ({ value: e.key, label: labels.event(e.key) }))} data-testid="webhook-events" />
        </Form.Item>
        <Form.Item name="active" label={t('enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}

const PAGE = 50;

function OutboxCard({ meta }: { meta: WebhookList | null }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const labels = useLabels(meta);
  const [status, setStatus] = useState<OutboxStatus | 'all'>('all');
  const [rows, setRows] = useState<OutboxRow[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async (before?: number) => {
    setLoading(true);
    setError(null);
    try {
      const r = await settingsApi.outbox({ status: status === 'all' ? undefined : status, before, limit: PAGE });
      setRows((old) => (before ? [...(old ?? []), ...r.items] : r.items));
      setNext(r.nextBefore);
    } catch (e) { setError(errorText(e)); setRows((old) => old ?? []); } finally { setLoading(false); }
  }, [status]);
  useEffect(() => { void load(); }, [load]);

  const retry = async (o: OutboxRow) => {
    try {
      const r = await settingsApi.retryOutbox(o.id);
      setRows((old) => (old ?? []).map((x) => (x.id === o.id ? { ...x, ...r } : x)));
      message.success(t('obRetried'));
    } catch (e) { message.error(errorText(e)); }
  };

  const statusTag = (s: OutboxStatus) => (s === 'delivered' ? <Tag color="green">{t('obDelivered')}</Tag> : s === 'dead' ? <Tag color="red">{t('obDead')}</Tag> : <Tag color="gold">{t('obPending')}</Tag>);

  return (
    <Card
      size="small"
      title={t('obTitle')}
      data-testid="outbox"
      extra={<Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('refresh')} />}
    >
      <Space wrap style={{ marginBottom: 8 }}>
        <Segmented
          value={status}
          onChange={(v) => setStatus(v as OutboxStatus | 'all')}
          options={[
            { value: 'all', label: t('obAll') },
            { value: 'pending', label: t('obPending') },
            { value: 'delivered', label: t('obDelivered') },
            { value: 'dead', label: t('obDead') },
          ]}
          data-testid="outbox-status"
        />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('obHint')}</Typography.Text>
      </Space>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} />}
      <Table<OutboxRow>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={rows ?? []}
        pagination={false}
        scroll={{ x: 900 }}
        data-testid="outbox-table"
        locale={{ emptyText: t('obNone') }}
        columns={[
          { title: '#', dataIndex: 'id', width: 70 },
          { title: t('obWhen'), dataIndex: 'createdAt', width: 170, render: fmt },
          { title: t('whTitleShort'), dataIndex: 'webhookName', width: 140 },
          { title: t('obEvent'), dataIndex: 'event', width: 130, render: (e: string) => labels.event(e) },
          { title: t('obMessage'), dataIndex: 'title', ellipsis: true },
          { title: t('status'), dataIndex: 'status', width: 90, render: statusTag },
          { title: t('obAttempts'), dataIndex: 'attempts', width: 80 },
          {
            title: t('obNext'), key: 'next', width: 170,
            render: (_: unknown, o) => (o.status === 'delivered' ? fmt(o.deliveredAt) : o.status === 'pending' ? fmt(o.nextAttemptAt) : ''),
          },
          { title: t('obError'), dataIndex: 'lastError', ellipsis: true, render: (v: string | null) => (v ? <Tooltip title={v}><Typography.Text type="danger" style={{ fontSize: 12 }}>{v}</Typography.Text></Tooltip> : '') },
          {
            title: '', key: 'a', width: 90,
            render: (_: unknown, o) => (o.status !== 'delivered'
              ? <Button size="small" onClick={() => void retry(o)} data-testid={`outbox-retry-${o.id}`}>{t('obRetry')}</Button>
              : null),
          },
        ]}
      />
      {next && <div style={{ textAlign: 'center', marginTop: 8 }}><Button onClick={() => void load(next)} loading={loading}>{t('loadMore')}</Button></div>}
    </Card>
  );
}
