import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Form, Input, Modal, Select, Space, Switch, Table, Tag, Typography, Grid } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api, errorText, type Responsibility } from '../api';
import { useI18n } from '../i18n';
import { navigate } from '../router';
import { useSession } from '../session';
import { AreaPicker, UserPicker } from '../components/Pickers';
import { LevelTag } from '../components/LevelTag';
import { KIND_BY_KEY, RESPONSIBILITY_KINDS, type ResponsibilityKind } from '../../../../packages/shared/src/mechanism';

const PAGE = 20;

export function ResponsibilitiesPage() {
  const { t, kind } = useI18n();
  const { message } = App.useApp();
  const session = useSession();
  const screens = Grid.useBreakpoint();
  const [areaId, setAreaId] = useState<number | undefined>();
  const [subtree, setSubtree] = useState(true);
  const [date, setDate] = useState<Dayjs | null>(() => dayjs());
  const [kindKey, setKindKey] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ total: number; items: Responsibility[] }>({ total: 0, items: [] });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [ending, setEnding] = useState<Responsibility | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setData(await api.responsibilities({
        areaId, subtree: areaId ? subtree : undefined, date: date?.format('YYYY-MM-DD'), kind: kindKey, limit: PAGE, offset: (page - 1) * PAGE,
      }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setLoading(false);
    }
  }, [areaId, subtree, date, kindKey, page]);
  useEffect(() => { void load(); }, [load]);

  const mayManage = session.can('people.manage');

  return (
    <Card
      size="small"
      title={t('menuResponsibilities')}
      data-testid="responsibilities-page"
      extra={mayManage && <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="resp-add">{t('addResponsibility')}</Button>}
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <AreaPicker value={areaId} onChange={(id) => { setAreaId(id); setPage(1); }} placeholder={t('anyArea')} testId="resp-area" />
        <Space size={4}><Switch size="small" checked={subtree} onChange={(v) => { setSubtree(v); setPage(1); }} />{t('subtree')}</Space>
        <DatePicker value={date} onChange={(d) => { setDate(d); setPage(1); }} format="YYYY-MM-DD" placeholder={t('date')} data-testid="resp-date" />
        <Select allowClear placeholder={t('allKinds')} style={{ width: 170 }} value={kindKey} onChange={(v) => { setKindKey(v); setPage(1); }}
          options={RESPONSIBILITY_KINDS.map((k) => ({ value: k.key, label: kind(k.key) }))} />
        <Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('refresh')} />
      </Space>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Table<Responsibility>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={data.items}
        scroll={{ x: 760 }}
        data-testid="resp-table"
        pagination={{ current: page, pageSize: PAGE, total: data.total, showSizeChanger: false, onChange: setPage, showTotal: (n) => t('total', { n }), simple: !screens.md }}
        columns={[
          { title: t('kind'), dataIndex: 'kind', render: (k: string, r) => <Space size={2}><Tag color="blue">{kind(k)}</Tag>{r.principal && <Tag color="red">{t('principal')}</Tag>}</Space> },
          { title: t('area'), dataIndex: 'areaName', render: (v: string, r) => <Space size={4}><a onClick={() => navigate(`/areas/${r.areaId}`)}>{v}</a><LevelTag level={r.areaLevel} /></Space> },
          { title: t('holder'), key: 'holder', render: (_: unknown, r) => (r.userId ? <a onClick={() => navigate(`/people/${r.userId}`)}>{r.userName}</a> : r.holderName) },
          { title: t('phone'), dataIndex: 'phone', responsive: ['md'] },
          { title: t('validity'), key: 'valid', render: (_: unknown, r) => `${r.validFrom} – ${r.validTo ?? t('openEnded')}` },
          { title: t('note'), dataIndex: 'note', responsive: ['lg'], ellipsis: true },
          ...(mayManage ? [{
            title: '', key: 'end', width: 70,
            render: (_: unknown, r: Responsibility) => <Button size="small" type="link" onClick={() => setEnding(r)} data-testid={`resp-end-${r.id}`}>{t('end')}</Button>,
          }] : []),
        ]}
      />
      {adding && <AddModal onClose={() => setAdding(false)} onDone={() => { setAdding(false); message.success(t('saved')); void load(); }} initialArea={areaId} />}
      {ending && <EndModal r={ending} onClose={() => setEnding(null)} onDone={() => { setEnding(null); message.success(t('saved')); void load(); }} />}
    </Card>
  );
}

interface AddValues { kind: ResponsibilityKind; areaId: number; userId?: number; holderName?: string; principal?: boolean; validFrom: Dayjs; validTo?: Dayjs | null; note?: string }

function AddModal({ onClose, onDone, initialArea }: { onClose: () => void; onDone: () => void; initialArea?: number }) {
  const { t, kind, level, role } = useI18n();
  const [form] = Form.useForm<AddValues>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const k = Form.useWatch('kind', form) as ResponsibilityKind | undefined;
  const def = k ? KIND_BY_KEY[k] : undefined;
  return (
    <Modal open title={t('addResponsibility')} onCancel={onClose} onOk={() => form.submit()} okText={t('save')} cancelText={t('cancel')} confirmLoading={busy} destroyOnHidden width={560}
      okButtonProps={{ 'data-testid': 'resp-add-ok' } as Record<string, string>}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="resp-add-error" />}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ validFrom: dayjs(), areaId: initialArea, principal: false }}
        onFinish={async (v) => {
          setBusy(true);
          setError(null);
          try {
            // Empty fields are left out, not sent as null: the API turns a JSON null for a date into an
            // empty string and refuses it, so an open-ended duty (no end date) could not be saved.
            await api.addResponsibility({
              kind: v.kind, areaId: v.areaId, userId: def?.roles ? v.userId : undefined, holderName: def?.roles ? undefined : v.holderName?.trim() || undefined,
              principal: v.principal ?? false, validFrom: v.validFrom.format('YYYY-MM-DD'), validTo: v.validTo ? v.validTo.format('YYYY-MM-DD') : undefined, note: v.note?.trim() || undefined,
            });
            onDone();
          } catch (e) {
            setError(errorText(e));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="kind" label={t('kind')} rules={[{ required: true, message: t('required') }]}>
          <Select options={RESPONSIBILITY_KINDS.map((x) => ({ value: x.key, label: `${kind(x.key)}（${level(x.level)}）` }))} data-testid="resp-kind" />
        </Form.Item>
        <Form.Item name="areaId" label={`${t('area')}${def ? `（${level(def.level)}）` : ''}`} rules={[{ required: true, message: t('required') }]}>
          <AreaPicker level={def?.level} style={{ width: '100%' }} testId="resp-add-area" />
        </Form.Item>
        {def && def.roles ? (
          <Form.Item name="userId" label={`${t('person')}（${def.roles.map((r) => role(r)).join(' / ')}）`} rules={[{ required: true, message: t('required') }]}>
            <UserPicker role={def.roles.length === 1 ? def.roles[0] : undefined} style={{ width: '100%' }} testId="resp-add-user" />
          </Form.Item>
        ) : def ? (
          <Form.Item name="holderName" label={t('householdName')} rules={[{ required: true, whitespace: true, message: t('required') }]}>
            <Input maxLength={100} />
          </Form.Item>
        ) : null}
        <Space wrap>
          <Form.Item name="validFrom" label={t('validFrom')} rules={[{ required: true, message: t('required') }]}><DatePicker format="YYYY-MM-DD" data-testid="resp-add-from" /></Form.Item>
          <Form.Item name="validTo" label={t('validTo')}><DatePicker format="YYYY-MM-DD" data-testid="resp-add-to" /></Form.Item>
          {k === 'leader_village' && <Form.Item name="principal" label={t('principal')} valuePropName="checked"><Switch /></Form.Item>}
        </Space>
        <Form.Item name="note" label={t('note')}><Input.TextArea rows={2} maxLength={500} /></Form.Item>
      </Form>
    </Modal>
  );
}

function EndModal({ r, onClose, onDone }: { r: Responsibility; onClose: () => void; onDone: () => void }) {
  const { t, kind } = useI18n();
  const [d, setD] = useState<Dayjs | null>(() => dayjs());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Modal open title={`${t('end')}：${kind(r.kind)} · ${r.areaName} · ${r.userName ?? r.holderName ?? ''}`} onCancel={onClose} okText={t('ok')} cancelText={t('cancel')} confirmLoading={busy}
      okButtonProps={{ disabled: !d }}
      onOk={async () => {
        setBusy(true);
        setError(null);
        try { await api.endResponsibility(r.id, d!.format('YYYY-MM-DD')); onDone(); } catch (e) { setError(errorText(e)); } finally { setBusy(false); }
      }}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Space orientation="vertical">
        <Typography.Text>{t('endOn')}</Typography.Text>
        <DatePicker value={d} onChange={setD} format="YYYY-MM-DD" />
      </Space>
    </Modal>
  );
}
