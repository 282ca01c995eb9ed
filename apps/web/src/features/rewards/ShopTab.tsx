// 积分超市: the items (kept by the town's administrators), exchanging a household's points for one,
// and the village's exchange record.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Card, Col, Form, Input, InputNumber, Modal, Row, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { EditOutlined, GiftOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { errorText } from '../../api';
import { useSession } from '../../session';
import { rewardsApi, type BalanceRow, type Exchange, type Item } from './api';
import { when } from './common';
import { ExchangeModal } from './Statement';
import { useRwT } from './strings';
import type { Village } from './RewardsPage';

export function ShopTab({ village }: { village: Village | undefined }) {
  const t = useRwT();
  const { can } = useSession();
  const mayEditRules = can('rewards.rules.manage');
  const [items, setItems] = useState<Item[]>([]);
  const [record, setRecord] = useState<Exchange[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Item | 'new' | null>(null);
  const [who, setWho] = useState<BalanceRow | null>(null);
  const [exchanging, setExchanging] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      setItems(await rewardsApi.items(mayEditRules));
      setRecord(village ? await rewardsApi.exchanges({ areaId: village.id }) : []);
    } catch (e) { setError(errorText(e)); }
  }, [village, mayEditRules]);
  useEffect(() => { void load(); }, [load]);
  useEffect(() => { setWho(null); }, [village?.id]);

  const itemColumns: ColumnsType<Item> = [
    { title: t('spName'), dataIndex: 'name', render: (v: string, i) => <span data-testid={`rw-item-${v}`}>{v}{!i.active && <Tag style={{ marginInlineStart: 4 }}>{t('spInactive')}</Tag>}</span> },
    { title: t('spPoints'), dataIndex: 'points', width: 80, align: 'right' },
    { title: t('spStock'), dataIndex: 'stock', width: 80, align: 'right', render: (v: number | null, i) => <span data-testid={`rw-item-stock-${i.name}`}>{v ?? t('spUnlimited')}</span> },
    { title: t('spExchanged'), dataIndex: 'exchanged', width: 80, align: 'right' },
    ...(mayEditRules ? [{ title: '', key: 'e', width: 50, render: (_: unknown, i: Item) => <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(i)} aria-label={t('edit')} /> }] : []),
  ];
  const recordColumns: ColumnsType<Exchange> = [
    { title: t('spWhen'), dataIndex: 'at', width: 140, render: (v: string) => when(v) },
    { title: t('spWho'), key: 'who', render: (_: unknown, x) => `${x.householdNo ? `${x.householdNo} ` : ''}${x.name ?? ''}` },
    { title: t('spItem'), dataIndex: 'itemName', render: (v: string, x) => `${v} × ${x.quantity}` },
    { title: t('points'), dataIndex: 'points', width: 70, align: 'right', render: (v: number) => `-${v}` },
    { title: t('spBy'), dataIndex: 'byName', width: 100 },
  ];

  return (
    <div data-testid="rw-shop">
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('spItems')}
            extra={<Space>{mayEditRules && <Button size="small" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="rw-item-add">{t('spAdd')}</Button>}
              <Button size="small" icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('refresh')} /></Space>}>
            {!mayEditRules && <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('spManagersOnly')}</Typography.Paragraph>}
            <Table<Item> size="small" rowKey="id" columns={itemColumns} dataSource={items} pagination={false} data-testid="rw-items" />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('spExchange')}>
            {!village ? <Typography.Text type="secondary">{t('pickVillageFirst')}</Typography.Text> : !can('rewards.exchange') ? <Typography.Text type="secondary" data-testid="rw-shop-no-exchange">{t('spNoExchange')}</Typography.Text> : (
              <Space wrap size={[8, 8]}>
                <AccountPicker villageId={village.id} value={who} onChange={setWho} />
                {who && <Tag color="blue" data-testid="rw-who-balance">{t('spBalanceOf', { n: who.balance })}</Tag>}
                <Button type="primary" icon={<GiftOutlined />} disabled={!who} onClick={() => setExchanging(true)} data-testid="rw-shop-exchange">{t('spDo')}</Button>
              </Space>
            )}
          </Card>
        </Col>
      </Row>
      {village && (
        <Card size="small" title={`${t('spRecord')} · ${village.name}`} style={{ marginTop: 12 }}>
          <Table<Exchange> size="small" rowKey="id" columns={recordColumns} dataSource={record} pagination={{ pageSize: 20, hideOnSinglePage: true }}
            scroll={{ x: 560 }} locale={{ emptyText: t('spNoRecord') }} data-testid="rw-exchanges" />
        </Card>
      )}
      <ItemModal editing={editing} onClose={() => setEditing(null)} onSaved={() => { setEditing(null); void load(); }} />
      {who && (
        <ExchangeModal open={exchanging} holder={who.accountId ? { accountId: who.accountId } : { householdId: who.householdId! }} balance={who.balance}
          label={`${who.householdNo ? `${who.householdNo} ` : ''}${who.name ?? ''}`} onClose={() => setExchanging(false)}
          onDone={() => { setExchanging(false); setWho(null); void load(); }} />
      )}
    </div>
  );
}

/** A search over the village's households (and reporters) with their balances. */
function AccountPicker({ villageId, value, onChange }: { villageId: number; value: BalanceRow | null; onChange: (r: BalanceRow | null) => void }) {
  const t = useRwT();
  const [hits, setHits] = useState<BalanceRow[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const search = (q: string) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => { rewardsApi.findAccounts(villageId, q.trim()).then(setHits).catch(() => setHits([])); }, 250);
  };
  useEffect(() => { search(''); return () => clearTimeout(timer.current); }, [villageId]); // search is recreated each render; the village is what matters
  const key = (r: BalanceRow) => (r.householdId ? `h${r.householdId}` : `a${r.accountId}`);
  return (
    <Select<string> style={{ minWidth: 240 }} showSearch={{ filterOption: false, onSearch: search }} allowClear placeholder={t('spWhoPlaceholder')} data-testid="rw-who"
      value={value ? key(value) : undefined} onChange={(k) => onChange(hits.find((h) => key(h) === k) ?? null)}
      options={hits.map((h) => ({ value: key(h), label: `${h.householdNo ? `${h.householdNo} ` : ''}${h.name ?? ''}${h.phone ? ` ${h.phone}` : ''} · ${t('pointsN', { n: h.balance })}` }))} />
  );
}

function ItemModal({ editing, onClose, onSaved }: { editing: Item | 'new' | null; onClose: () => void; onSaved: () => void }) {
  const t = useRwT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ name: string; points: number; stock: number | null; active: boolean }>();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!editing) return;
    setError(null);
    form.setFieldsValue(editing === 'new' ? { name: '', points: 10, stock: null, active: true } : { name: editing.name, points: editing.points, stock: editing.stock, active: editing.active });
  }, [editing, form]);
  const submit = async () => {
    const v = await form.validateFields();
    try {
      const body = { name: v.name.trim(), points: v.points, stock: v.stock ?? null, active: v.active };
      if (editing === 'new') await rewardsApi.createItem(body);
      else if (editing) await rewardsApi.updateItem(editing.id, { ...body, version: editing.version });
      message.success(t('saved'));
      onSaved();
    } catch (e) { setError(errorText(e)); }
  };
  return (
    <Modal open={!!editing} onCancel={onClose} onOk={() => void submit()} forceRender okText={t('save')} okButtonProps={{ 'data-testid': 'rw-item-save' }}
      title={editing === 'new' ? t('spAdd') : editing ? t('spEdit', { name: editing.name }) : ''}>
      <Form form={form} layout="vertical">
        <Form.Item name="name" label={t('spName')} rules={[{ required: true, whitespace: true, max: 50 }]}><Input data-testid="rw-item-name" /></Form.Item>
        <Form.Item name="points" label={t('spPoints')} rules={[{ required: true }]}><InputNumber min={1} max={100000} precision={0} data-testid="rw-item-points" /></Form.Item>
        <Form.Item name="stock" label={t('spStock')} extra={t('spStockHelp')}><InputNumber min={0} max={1000000} precision={0} data-testid="rw-item-stockinput" /></Form.Item>
        <Form.Item name="active" label={t('spActive')} valuePropName="checked"><Switch /></Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}
