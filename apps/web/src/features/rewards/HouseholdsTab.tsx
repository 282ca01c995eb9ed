// 户与积分: a village's households with their balance and last 门前三包 check; add, edit, import the
// list, open a household's statement, and record the day's frontage checks for many at once.
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Empty, Form, Grid, Input, InputNumber, Modal, Space, Switch, Table, Tag, Typography, Upload } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { DownloadOutlined, EditOutlined, FileSearchOutlined, FormOutlined, PlusOutlined, ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import { errorText } from '../../api';
import { useSession } from '../../session';
import { rewardsApi, type Household, type HouseholdInput } from './api';
import { GradeTag, RowProblems } from './common';
import { FrontageDrawer } from './Frontage';
import { StatementDrawer } from './Statement';
import { useRwT } from './strings';
import type { Village } from './RewardsPage';

export function HouseholdsTab({ village }: { village: Village | undefined }) {
  const t = useRwT();
  const { message, modal } = App.useApp();
  const { can } = useSession();
  const manage = can('rewards.households.manage');
  const mayReveal = can('personal.reveal');
  const [revealed, setRevealed] = useState<Record<number, string | null>>({});
  const screens = Grid.useBreakpoint();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ total: number; items: Household[] } | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Household | 'new' | null>(null);
  const [statement, setStatement] = useState<number | null>(null);
  const [frontage, setFrontage] = useState(false);
  const [importing, setImporting] = useState(false);
  const [imported, setImported] = useState<{ ok: true; text: string } | { ok: false; error: unknown } | null>(null);

  const load = useCallback(async () => {
    if (!village) return;
    setLoading(true);
    setError(null);
    try { setData(await rewardsApi.households(village.id, q.trim() || undefined, page)); } catch (e) { setError(errorText(e)); } finally { setLoading(false); }
  }, [village, q, page]);
  useEffect(() => { void load(); }, [load]);
  useEffect(() => { setPage(1); setImported(null); }, [village?.id]);

  if (!village) return <Empty description={t('pickVillageFirst')} />;

  const upload = async (file: File) => {
    setImporting(true);
    setImported(null);
    try {
      const r = await rewardsApi.importHouseholds(village.id, file);
      const n = (k: 'created' | 'updated') => (r[k] as Record<string, number> | undefined)?.households ?? 0;
      setImported({ ok: true, text: t('hhImported', { n: r.rows, c: n('created'), u: n('updated') }) });
      await load();
    } catch (e) { setImported({ ok: false, error: e }); } finally { setImporting(false); }
  };

  const columns: ColumnsType<Household> = [
    { title: t('hhNo'), dataIndex: 'no', width: 60 },
    { title: t('hhHead'), dataIndex: 'headName', width: 100, render: (v: string, h) => <span data-testid={`rw-hh-name-${h.no}`}>{v}{!h.active && <Tag style={{ marginInlineStart: 4 }}>{t('hhInactive')}</Tag>}</span> },
    { title: t('hhPhone'), dataIndex: 'phone', width: 150, responsive: ['md'], render: (v: string | null, h) => {
      // Lists hold the phone masked; the whole number is an audited look for those with the duty.
      if (!v) return '—';
      if (h.id in revealed) return <a href={`tel:${revealed[h.id]}`} data-testid={`rw-hh-phone-full-${h.no}`}>{revealed[h.id]}</a>;
      return (
        <Space size={4}>
          <span data-testid={`rw-hh-phone-${h.no}`}>{v}</span>
          {mayReveal && <Button size="small" type="link" style={{ padding: 0 }} data-testid={`rw-hh-reveal-${h.no}`} onClick={() => modal.confirm({
            title: t('hhRevealTitle'), content: t('hhRevealText'), okText: t('hhReveal'),
            onOk: async () => {
              try { const r = await rewardsApi.revealHouseholdPhone(h.id); setRevealed((m) => ({ ...m, [h.id]: r.phone })); } catch (e) { message.error(errorText(e)); }
            },
          })}>{t('hhReveal')}</Button>}
        </Space>
      );
    } },
    { title: t('hhAddress'), dataIndex: 'address', width: 140, responsive: ['lg'], render: (v: string | null) => v ?? '—' },
    { title: t('hhLastCheck'), key: 'check', width: 150, responsive: ['sm'], render: (_: unknown, h) => (h.lastCheckOn ? <Space size={4}><span>{h.lastCheckOn}</span><GradeTag grade={h.lastGrade} t={t} /></Space> : '—') },
    { title: screens.sm ? t('hhBalance') : t('points'), dataIndex: 'balance', width: 70, align: 'right', render: (v: number, h) => <Typography.Text strong data-testid={`rw-hh-balance-${h.no}`}>{v}</Typography.Text> },
    { title: t('actions'), key: 'act', width: screens.sm ? 130 : 80, render: (_: unknown, h) => (
      <Space size={4}>
        <Button size="small" icon={<FileSearchOutlined />} onClick={() => setStatement(h.id)} data-testid={`rw-hh-statement-${h.no}`}>{screens.sm ? t('hhStatement') : null}</Button>
        {manage && <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(h)} aria-label={t('edit')} data-testid={`rw-hh-edit-${h.no}`} />}
      </Space>
    ) },
  ];

  return (
    <div data-testid="rw-households">
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap size={[8, 8]}>
          <Input.Search allowClear placeholder={t('hhSearch')} style={{ width: 220 }} data-testid="rw-hh-search"
            onSearch={(v) => { setQ(v); setPage(1); }} />
          {can('rewards.frontage.enter') && <Button type="primary" icon={<FormOutlined />} onClick={() => setFrontage(true)} data-testid="rw-ft-open">{t('ftOpen')}</Button>}
          {manage && <Button icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="rw-hh-add">{t('hhAdd')}</Button>}
          <Button icon={<DownloadOutlined />} href={rewardsApi.templateUrl(village.id)} download data-testid="rw-hh-template">{t('hhTemplate')}</Button>
          {manage && <Upload accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" maxCount={1} showUploadList={false} disabled={importing}
            customRequest={(opt) => { void upload(opt.file as File).then(() => opt.onSuccess?.({})); }}>
            <Button icon={<UploadOutlined />} loading={importing} data-testid="rw-hh-import">{t('hhImport')}</Button>
          </Upload>}
          <Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('refresh')} />
        </Space>
        {imported?.ok && <Alert type="success" showIcon title={imported.text} style={{ marginTop: 8 }} data-testid="rw-hh-imported" />}
        {imported && !imported.ok && (
          <Alert type="error" showIcon style={{ marginTop: 8 }} title={`${t('hhImportFailed')}：${errorText(imported.error)}`}
            description={<RowProblems error={imported.error} t={t} />} data-testid="rw-hh-import-error" />
        )}
      </Card>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Table<Household> size="small" rowKey="id" loading={loading} columns={columns} dataSource={data?.items ?? []} scroll={screens.md ? { x: 760 } : undefined} data-testid="rw-hh-table"
        locale={{ emptyText: t('hhNone') }}
        pagination={{ current: page, pageSize: 50, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false, showTotal: (n) => t('hhTotal', { n }), hideOnSinglePage: true }} />
      <HouseholdModal village={village} editing={editing} onClose={() => setEditing(null)}
        onSaved={(h, created) => { setEditing(null); if (created) message.success(t('hhCreated', { name: h.headName })); else message.success(t('saved')); void load(); }} />
      <StatementDrawer holder={statement ? { householdId: statement } : null} onClose={() => setStatement(null)} onChanged={() => void load()} />
      <FrontageDrawer village={village} open={frontage} onClose={() => setFrontage(false)} onSaved={() => void load()} />
    </div>
  );
}

function HouseholdModal({ village, editing, onClose, onSaved }: { village: Village; editing: Household | 'new' | null; onClose: () => void; onSaved: (h: Household, created: boolean) => void }) {
  const t = useRwT();
  const [form] = Form.useForm<HouseholdInput & { active: boolean }>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!editing) return;
    setError(null);
    if (editing === 'new') form.setFieldsValue({ no: '', headName: '', phone: null, address: null, members: null, active: true });
    // The list holds the phone masked: the field starts empty, and only a new number typed is sent.
    else form.setFieldsValue({ no: editing.no, headName: editing.headName, phone: null, address: editing.address, members: editing.members, active: editing.active });
  }, [editing, form]);
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    const body = { no: v.no.trim(), headName: v.headName.trim(), phone: v.phone?.trim() || null, address: v.address?.trim() || null, members: v.members ?? null, active: v.active };
    try {
      if (editing === 'new') onSaved(await rewardsApi.createHousehold(village.id, body), true);
      else if (editing) {
        const { phone, ...rest } = body;
        onSaved(await rewardsApi.updateHousehold(editing.id, { ...rest, ...(phone ? { phone } : {}), version: editing.version }), false);
      }
    } catch (e) { setError(errorText(e)); } finally { setBusy(false); }
  };
  return (
    <Modal open={!!editing} onCancel={onClose} onOk={() => void submit()} confirmLoading={busy} forceRender data-testid="rw-hh-modal"
      title={editing === 'new' ? `${t('hhAdd')} · ${village.name}` : editing ? t('hhEdit', { name: editing.headName }) : ''}
      okText={t('save')} okButtonProps={{ 'data-testid': 'rw-hh-save' }}>
      <Form form={form} layout="vertical">
        <Form.Item name="no" label={t('hhNo')} rules={[{ required: true, whitespace: true, max: 20 }]}><Input data-testid="rw-hh-no" /></Form.Item>
        <Form.Item name="headName" label={t('hhHead')} rules={[{ required: true, whitespace: true, max: 30 }]}><Input data-testid="rw-hh-head" /></Form.Item>
        <Form.Item name="phone" label={t('hhPhone')} extra={editing && editing !== 'new' && editing.phone ? t('hhPhoneHelp') : undefined}>
          <Input inputMode="tel" data-testid="rw-hh-phone" placeholder={editing && editing !== 'new' && editing.phone ? t('hhPhoneKeep', { phone: editing.phone }) : undefined} />
        </Form.Item>
        <Form.Item name="address" label={t('hhAddress')}><Input maxLength={100} /></Form.Item>
        <Form.Item name="members" label={t('hhMembers')}><InputNumber min={0} max={100} precision={0} /></Form.Item>
        <Form.Item name="active" label={t('hhActive')} valuePropName="checked"><Switch /></Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} data-testid="rw-hh-error" />}
    </Modal>
  );
}
