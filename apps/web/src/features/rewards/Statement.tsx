// A household's (or a reporter's) points statement in a drawer: balance, earned and spent, every
// ledger row with the balance after it, the recent 门前三包 checks; and the exchange form.
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Col, Drawer, Form, Grid, Input, InputNumber, Modal, Row, Select, Space, Statistic, Table, Typography } from 'antd';
import { GiftOutlined } from '@ant-design/icons';
import { errorText } from '../../api';
import { useSession } from '../../session';
import { rewardsApi, type Item, type Statement } from './api';
import { Delta, GradeTag, when } from './common';
import { useRwT } from './strings';

export type Holder = { householdId: number } | { accountId: number };

export function StatementDrawer({ holder, onClose, onChanged }: { holder: Holder | null; onClose: () => void; onChanged?: () => void }) {
  const t = useRwT();
  const screens = Grid.useBreakpoint();
  const [s, setS] = useState<Statement | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [exchanging, setExchanging] = useState(false);
  const canExchange = useSession().can('rewards.exchange');
  const load = useCallback(async () => {
    if (!holder) return;
    setError(null);
    try {
      setS('householdId' in holder ? await rewardsApi.householdStatement(holder.householdId) : await rewardsApi.accountStatement(holder.accountId));
    } catch (e) { setError(errorText(e)); }
  }, [holder]);
  useEffect(() => { setS(null); void load(); }, [load]);
  const name = s ? `${s.account.householdNo ? `${s.account.householdNo} ` : ''}${s.account.name ?? ''}` : '';

  return (
    <Drawer open={!!holder} onClose={onClose} destroyOnHidden size={screens.md ? 640 : '100%'} title={t('stTitle', { name })} data-testid="rw-statement"
      extra={canExchange && <Button type="primary" icon={<GiftOutlined />} disabled={!s} onClick={() => setExchanging(true)} data-testid="rw-statement-exchange">{t('stExchange')}</Button>}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {s && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Row gutter={12}>
            <Col span={8}><Statistic title={t('stBalance')} value={s.balance} data-testid="rw-statement-balance" /></Col>
            <Col span={8}><Statistic title={t('stEarned')} value={s.earned} /></Col>
            <Col span={8}><Statistic title={t('stSpent')} value={s.spent} /></Col>
          </Row>
          {s.account.type === 'reporter' && <Typography.Text type="secondary">{t('stReporter')} {s.account.phone}</Typography.Text>}
          <Table size="small" rowKey="id" dataSource={s.entries} pagination={{ pageSize: 20, hideOnSinglePage: true }} data-testid="rw-statement-entries"
            locale={{ emptyText: t('stNoEntries') }} scroll={{ x: 520 }}
            columns={[
              { title: t('stWhen'), dataIndex: 'at', width: 140, render: (v: string) => when(v) },
              { title: t('stWhat'), dataIndex: 'text', render: (v: string, e) => <span>{v}{e.byName ? <Typography.Text type="secondary" style={{ fontSize: 12 }}> · {e.byName}</Typography.Text> : null}</span> },
              { title: t('stDelta'), dataIndex: 'delta', width: 70, align: 'right', render: (v: number) => <Delta n={v} /> },
              { title: t('stAfter'), dataIndex: 'balance', width: 70, align: 'right' },
            ]} />
          {s.checks && s.checks.length > 0 && (
            <div>
              <Typography.Title level={5}>{t('stChecks')}</Typography.Title>
              <Table size="small" rowKey="id" dataSource={s.checks} pagination={{ pageSize: 10, hideOnSinglePage: true }}
                columns={[
                  { title: t('ftDate'), dataIndex: 'checkedOn', width: 110 },
                  { title: t('rlGrade'), dataIndex: 'grade', width: 80, render: (g: string) => <GradeTag grade={g} t={t} /> },
                  { title: t('note'), dataIndex: 'note', render: (v: string | null, c) => <span>{v ?? ''} <Typography.Text type="secondary" style={{ fontSize: 12 }}>{c.byName}</Typography.Text></span> },
                ]} />
            </div>
          )}
        </Space>
      )}
      {s && holder && (
        <ExchangeModal open={exchanging} holder={s.account.id ? { accountId: s.account.id } : holder} balance={s.balance} label={name}
          onClose={() => setExchanging(false)} onDone={() => { setExchanging(false); void load(); onChanged?.(); }} />
      )}
    </Drawer>
  );
}

/** Exchange points for an item, for one household or account; the server has the last word (balance, stock). */
export function ExchangeModal({ open, holder, balance, label, onClose, onDone }: {
  open: boolean; holder: Holder; balance: number; label: string; onClose: () => void; onDone: () => void;
}) {
  const t = useRwT();
  const { message } = App.useApp();
  const [items, setItems] = useState<Item[]>([]);
  const [itemId, setItemId] = useState<number | undefined>();
  const [qty, setQty] = useState(1);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!open) return;
    setError(null); setItemId(undefined); setQty(1); setNote('');
    rewardsApi.items().then(setItems).catch((e) => setError(errorText(e)));
  }, [open]);
  const item = items.find((i) => i.id === itemId);
  const submit = async () => {
    if (!itemId) return;
    setBusy(true);
    setError(null);
    try {
      const r = await rewardsApi.exchange(holder, itemId, qty, note.trim() || null);
      message.success(t('spDone', { item: r.itemName, p: r.points, b: r.balance }));
      onDone();
    } catch (e) { setError(errorText(e)); } finally { setBusy(false); }
  };
  return (
    <Modal open={open} onCancel={onClose} title={`${t('spExchange')} · ${label}`} destroyOnHidden data-testid="rw-exchange-modal"
      okText={t('spDo')} onOk={() => void submit()} okButtonProps={{ disabled: !itemId, loading: busy, 'data-testid': 'rw-exchange-ok' }}>
      <Typography.Paragraph>{t('spBalanceOf', { n: balance })}</Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item label={t('spItem')} required>
          <Select data-testid="rw-exchange-item" value={itemId} onChange={setItemId} placeholder={t('spItem')}
            options={items.map((i) => ({ value: i.id, label: `${i.name} · ${t('pointsN', { n: i.points })}${i.stock !== null ? ` · ${t('spStock')} ${i.stock}` : ''}`, disabled: i.stock === 0 }))} />
        </Form.Item>
        <Form.Item label={t('spQty')} extra={item ? t('spCost', { n: item.points * qty }) : null}>
          <InputNumber min={1} max={1000} precision={0} value={qty} onChange={(v) => setQty(v ?? 1)} data-testid="rw-exchange-qty" />
        </Form.Item>
        <Form.Item label={t('note')}>
          <Input value={note} onChange={(e) => setNote(e.target.value)} maxLength={200} placeholder={t('optional')} />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} data-testid="rw-exchange-error" />}
    </Modal>
  );
}
