// 设置 → Open311 合作方: the partners that post through Open311 GeoReport v2 with an api_key. A new
// key is shown once (with a copy button and curl examples); a key can be deactivated, not restored.
// The keys are install-wide (open311.manage, a global grant): to anyone else the page says so and offers nothing.
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Result, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined, ReloadOutlined, StopOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { errorText } from '../../api';
import { useSession } from '../../session';
import { open311Api, type Partner } from './api';
import { useOt } from './strings';

const fmt = (s: string | null) => (s ? dayjs(s).format('YYYY-MM-DD HH:mm') : '');
const base = () => `${window.location.origin}/open311/v2`;

export function PartnersPage() {
  const t = useOt();
  const { message } = App.useApp();
  const [items, setItems] = useState<Partner[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [made, setMade] = useState<{ partner: Partner; key: string } | null>(null);
  const mayManage = useSession().can('open311.manage');

  const load = useCallback(async () => {
    setError(null);
    try { setItems((await open311Api.partners()).items); } catch (e) { setError(errorText(e)); setItems([]); }
  }, []);
  useEffect(() => { if (mayManage) void load(); }, [load, mayManage]);

  const deactivate = async (p: Partner) => {
    try {
      await open311Api.deactivate(p.id);
      message.success(t('deactivated'));
      void load();
    } catch (e) { message.error(errorText(e)); }
  };

  if (!mayManage) return <Result status="403" title="403" subTitle={t('forbidden')} data-testid="open311-forbidden" />;

  return (
    <Card
      size="small"
      title={t('title')}
      data-testid="open311-page"
      extra={
        <Space>
          <Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('refresh')} />
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="open311-add">{t('add')}</Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('explain', { url: base() })}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Table<Partner>
        rowKey="id"
        size="small"
        loading={items === null}
        dataSource={items ?? []}
        pagination={false}
        locale={{ emptyText: t('none') }}
        scroll={{ x: 720 }}
        columns={[
          { title: t('name'), dataIndex: 'name' },
          { title: t('prefix'), dataIndex: 'keyPrefix', render: (v: string) => <Typography.Text code>{v}…</Typography.Text> },
          { title: t('status'), dataIndex: 'active', render: (v: boolean) => (v ? <Tag color="green">{t('active')}</Tag> : <Tag>{t('inactive')}</Tag>) },
          { title: t('created'), dataIndex: 'createdAt', render: (v: string, p) => <span>{fmt(v)}{p.createdBy ? ` · ${p.createdBy}` : ''}</span> },
          { title: t('lastUsed'), dataIndex: 'lastUsedAt', render: (v: string | null) => (v ? fmt(v) : <Typography.Text type="secondary">{t('never')}</Typography.Text>) },
          {
            title: t('actions'), key: 'actions', render: (_: unknown, p) => p.active && (
              <Popconfirm title={t('deactivateConfirm', { name: p.name })} onConfirm={() => deactivate(p)} okButtonProps={{ danger: true }}>
                <Button size="small" danger icon={<StopOutlined />} data-testid={`open311-deactivate-${p.id}`}>{t('deactivate')}</Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      {adding && <AddModal onClose={() => setAdding(false)} onMade={(m) => { setAdding(false); setMade(m); void load(); }} />}
      {made && <KeyModal made={made} onClose={() => setMade(null)} />}
    </Card>
  );
}

function AddModal({ onClose, onMade }: { onClose: () => void; onMade: (m: { partner: Partner; key: string }) => void }) {
  const t = useOt();
  const [form] = Form.useForm<{ name: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    const { name } = await form.validateFields();
    setBusy(true); setError(null);
    try { onMade(await open311Api.create(name.trim())); } catch (e) { setError(errorText(e)); } finally { setBusy(false); }
  };
  return (
    <Modal open title={t('add')} onCancel={onClose} onOk={() => void submit()} confirmLoading={busy} okText={t('create')} cancelText={t('cancel')}
      okButtonProps={{ 'data-testid': 'open311-create-ok' } as Record<string, string>} destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={() => void submit()}>
        <Form.Item name="name" label={t('name')} rules={[{ required: true, whitespace: true, max: 60, message: t('nameRequired') }]}>
          <Input placeholder={t('namePlaceholder')} maxLength={60} autoFocus data-testid="open311-name" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function KeyModal({ made, onClose }: { made: { partner: Partner; key: string }; onClose: () => void }) {
  const t = useOt();
  const [code, setCode] = useState('0101');
  useEffect(() => {
    // A real service code for the example (the list is public).
    fetch('/open311/v2/services.json').then((r) => (r.ok ? r.json() : [])).then((l: { service_code: string }[]) => { if (l[0]) setCode(l[0].service_code); }).catch(() => {});
  }, []);
  const curl = [
    `BASE=${base()}`,
    t('curlServices'),
    'curl "$BASE/services.json"',
    t('curlPost'),
    'curl -X POST "$BASE/requests.json" \\',
    `  --data-urlencode "api_key=${made.key}" \\`,
    `  --data-urlencode "service_code=${code}" \\`,
    '  --data-urlencode "address_string=村委会东 50 米" \\',
    '  --data-urlencode "description=路口有一堆垃圾没人清理"',
    t('curlGet'),
    'curl "$BASE/requests.json?service_request_id=<service_request_id>"',
  ].join('\n');
  return (
    <Modal open title={t('keyTitle', { name: made.partner.name })} onCancel={onClose} width={720} maskClosable={false}
      footer={<Button type="primary" onClick={onClose} data-testid="open311-key-done">{t('done')}</Button>}>
      <Alert type="warning" showIcon title={t('keyOnce')} style={{ marginBottom: 12 }} />
      <Typography.Paragraph copyable={{ text: made.key, tooltips: [t('copy'), t('copied')] }} style={{ fontSize: 16 }}>
        <Typography.Text code data-testid="open311-key">{made.key}</Typography.Text>
      </Typography.Paragraph>
      <Typography.Title level={5}>{t('curlTitle')}</Typography.Title>
      <Typography.Paragraph copyable={{ text: curl, tooltips: [t('copy'), t('copied')] }}>
        <pre style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', margin: 0 }} data-testid="open311-curl">{curl}</pre>
      </Typography.Paragraph>
    </Modal>
  );
}
