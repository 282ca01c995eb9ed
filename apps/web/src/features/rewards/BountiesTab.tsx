// 爆料奖励: propose a bounty for a case (50–1,000 yuan, with the reason); a second person of the
// town approves or rejects it; an approved bounty is marked paid once; a proposal can be withdrawn.
// Every refusal is the server's own message.
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Segmented, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { CheckOutlined, CloseOutlined, DollarOutlined, ReloadOutlined, RollbackOutlined, SendOutlined } from '@ant-design/icons';
import { errorText } from '../../api';
import { useSession } from '../../session';
import { rewardsApi, type Bounty, type BountyStatus } from './api';
import { when } from './common';
import { useRwT, type RwKey } from './strings';

const STATUS: Record<BountyStatus, { key: RwKey; color: string }> = {
  proposed: { key: 'bnStProposed', color: 'orange' }, approved: { key: 'bnStApproved', color: 'blue' }, rejected: { key: 'bnStRejected', color: 'red' },
  withdrawn: { key: 'bnStWithdrawn', color: 'default' }, paid: { key: 'bnStPaid', color: 'green' },
};

export function BountiesTab() {
  const t = useRwT();
  const { message, modal } = App.useApp();
  const { me, can } = useSession();
  const [filter, setFilter] = useState<BountyStatus | 'all'>('all');
  const [list, setList] = useState<Bounty[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [caseNo, setCaseNo] = useState('');
  const [amount, setAmount] = useState<number | null>(200);
  const [reason, setReason] = useState('');
  const [proposeError, setProposeError] = useState<string | null>(null);
  const [busy, setBusy] = useState<number | 'propose' | null>(null);
  const [deciding, setDeciding] = useState<{ b: Bounty; approve: boolean } | null>(null);
  const [note, setNote] = useState('');

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try { setList(await rewardsApi.bounties(filter === 'all' ? {} : { status: filter })); } catch (e) { setError(errorText(e)); } finally { setLoading(false); }
  }, [filter]);
  useEffect(() => { void load(); }, [load]);

  const propose = async () => {
    setBusy('propose');
    setProposeError(null);
    try {
      await rewardsApi.proposeBounty({ caseNo: caseNo.trim(), amountYuan: amount ?? 0, reason: reason.trim() });
      message.success(t('bnProposed'));
      setCaseNo(''); setReason('');
      await load();
    } catch (e) { setProposeError(errorText(e)); } finally { setBusy(null); }
  };
  const act = async (id: number, fn: () => Promise<Bounty>, ok: string) => {
    setBusy(id);
    setError(null);
    try { await fn(); message.success(ok); await load(); return true; } catch (e) { setError(errorText(e)); return false; } finally { setBusy(null); }
  };
  const pay = (b: Bounty) => {
    let payNote = '';
    modal.confirm({
      title: t('bnPayConfirm', { n: b.amountYuan, who: b.reporterName ?? t('bnNoReporter') }),
      content: <Input placeholder={t('bnPayNote')} maxLength={200} onChange={(e) => { payNote = e.target.value; }} data-testid="rw-bn-pay-note" />,
      okButtonProps: { 'data-testid': 'rw-bn-pay-ok' } as React.ComponentProps<typeof Button>,
      onOk: () => act(b.id, () => rewardsApi.payBounty(b.id, payNote.trim() || null), t('bnPaidMsg')),
    });
  };

  const columns: ColumnsType<Bounty> = [
    { title: t('bnCase'), key: 'case', width: 170, render: (_: unknown, b) => (
      <div><a href={`#/cases/${b.caseId}`} data-testid={`rw-bn-case-${b.id}`}>{b.caseNo}</a><div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{b.areaName}</Typography.Text></div></div>
    ) },
    { title: t('bnReporter'), key: 'rep', width: 130, render: (_: unknown, b) => (b.reporterName || b.reporterPhone ? `${b.reporterName ?? ''} ${b.reporterPhone ?? ''}` : t('bnNoReporter')) },
    { title: t('bnAmount'), dataIndex: 'amountYuan', width: 80, align: 'right', render: (v: number) => <Typography.Text strong>{v}</Typography.Text> },
    { title: t('bnReason'), dataIndex: 'reason', width: 200 },
    { title: t('bnStatus'), dataIndex: 'status', width: 80, render: (s: BountyStatus, b) => <Tag color={STATUS[s]?.color} data-testid={`rw-bn-status-${b.id}`}>{STATUS[s] ? t(STATUS[s].key) : s}</Tag> },
    { title: t('bnProposer'), key: 'p', width: 140, render: (_: unknown, b) => <span>{b.proposedByName}<div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{when(b.proposedAt)}</Typography.Text></div></span> },
    { title: t('bnDecider'), key: 'd', width: 140, render: (_: unknown, b) => (b.decidedAt ? <span>{b.decidedByName}{b.decisionNote ? `：${b.decisionNote}` : ''}<div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{when(b.decidedAt)}</Typography.Text></div></span> : '—') },
    { title: t('bnPaid'), key: 'paid', width: 140, render: (_: unknown, b) => (b.paidAt ? <span>{b.paidByName}{b.payNote ? `：${b.payNote}` : ''}<div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{when(b.paidAt)}</Typography.Text></div></span> : '—') },
    { title: t('actions'), key: 'act', width: 210, fixed: 'right', render: (_: unknown, b) => (
      <Space size={4} wrap>
        {b.status === 'proposed' && (can('rewards.bounty.decide') || b.proposedBy === me.id) && (b.proposedBy === me.id
          ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('bnYours')}</Typography.Text>
          : <>
            <Button size="small" type="primary" icon={<CheckOutlined />} loading={busy === b.id} onClick={() => { setNote(''); setDeciding({ b, approve: true }); }} data-testid={`rw-bn-approve-${b.id}`}>{t('bnApprove')}</Button>
            <Button size="small" danger icon={<CloseOutlined />} onClick={() => { setNote(''); setDeciding({ b, approve: false }); }} data-testid={`rw-bn-reject-${b.id}`}>{t('bnReject')}</Button>
          </>)}
        {b.status === 'proposed' && can('rewards.bounty.propose') && (
          <Popconfirm title={t('bnWithdrawConfirm')} onConfirm={() => void act(b.id, () => rewardsApi.withdrawBounty(b.id), t('bnWithdrawn'))}>
            <Button size="small" icon={<RollbackOutlined />} data-testid={`rw-bn-withdraw-${b.id}`}>{t('bnWithdraw')}</Button>
          </Popconfirm>
        )}
        {b.status === 'approved' && can('rewards.bounty.pay') && b.proposedBy !== me.id && b.decidedBy !== me.id && <Button size="small" type="primary" icon={<DollarOutlined />} loading={busy === b.id} onClick={() => pay(b)} data-testid={`rw-bn-pay-${b.id}`}>{t('bnPay')}</Button>}
      </Space>
    ) },
  ];

  return (
    <div data-testid="rw-bounties">
      {can('rewards.bounty.propose') && <Card size="small" title={t('bnPropose')} style={{ marginBottom: 12 }}>
        <Form layout="vertical" style={{ maxWidth: 560 }}>
          <Form.Item label={t('bnCaseNo')} extra={t('bnCaseNoHelp')} required>
            <Input value={caseNo} onChange={(e) => setCaseNo(e.target.value)} maxLength={20} inputMode="numeric" data-testid="rw-bn-caseno" />
          </Form.Item>
          <Form.Item label={t('bnAmount')} extra={t('bnAmountHelp')} required>
            <InputNumber value={amount} onChange={setAmount} precision={0} style={{ width: 160 }} data-testid="rw-bn-amount" />
          </Form.Item>
          <Form.Item label={t('bnReason')} required>
            <Input.TextArea value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} rows={2} placeholder={t('bnReasonPlaceholder')} data-testid="rw-bn-reason" />
          </Form.Item>
          <Space wrap>
            <Button type="primary" icon={<SendOutlined />} loading={busy === 'propose'} disabled={!caseNo.trim() || !reason.trim()} onClick={() => void propose()} data-testid="rw-bn-submit">{t('bnSubmit')}</Button>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('bnSecond')}</Typography.Text>
          </Space>
        </Form>
        {proposeError && <Alert type="error" showIcon title={proposeError} style={{ marginTop: 12 }} data-testid="rw-bn-propose-error" />}
      </Card>}
      <Card size="small" title={t('bnList')} extra={<Button size="small" icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('refresh')} />}>
        <Segmented<BountyStatus | 'all'> value={filter} onChange={setFilter} style={{ marginBottom: 8 }} data-testid="rw-bn-filter"
          options={[{ value: 'all', label: t('bnAll') }, ...(Object.keys(STATUS) as BountyStatus[]).map((s) => ({ value: s, label: t(STATUS[s].key) }))]} />
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} data-testid="rw-bn-error" />}
        <Table<Bounty> size="small" rowKey="id" loading={loading} columns={columns} dataSource={list} scroll={{ x: 1200 }} pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: t('bnNone') }} data-testid="rw-bn-table" />
      </Card>
      <Modal open={!!deciding} onCancel={() => setDeciding(null)} title={deciding ? `${deciding.approve ? t('bnApprove') : t('bnReject')} · ${deciding.b.caseNo} · ${t('yuanN', { n: deciding.b.amountYuan })}` : ''}
        okText={deciding?.approve ? t('bnApprove') : t('bnReject')} okButtonProps={{ danger: !deciding?.approve, 'data-testid': 'rw-bn-decide-ok' }}
        onOk={async () => {
          if (!deciding) return;
          // closed either way: a refusal shows above the list in the server's words
          await act(deciding.b.id, () => rewardsApi.decideBounty(deciding.b.id, deciding.approve, note.trim() || null), deciding.approve ? t('bnApproved') : t('bnRejected'));
          setDeciding(null);
        }}>
        <Typography.Paragraph>{deciding?.b.reason}</Typography.Paragraph>
        <Input.TextArea rows={2} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} data-testid="rw-bn-decide-note"
          placeholder={deciding?.approve ? t('bnDecisionNote') : t('bnRejectNote')} />
      </Modal>
    </div>
  );
}
