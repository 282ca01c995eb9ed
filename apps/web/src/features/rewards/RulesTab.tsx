// 积分规则: the points rules as data. Valid reports may earn per category (the most specific rule
// applies), frontage checks by grade, model households by kind. Town administrators edit them.
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Select, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { errorText } from '../../api';
import { useSession } from '../../session';
import { CategorySelect } from '../map/CategorySelect';
import { EVENTS, rewardsApi, type PointsEvent, type Rule, type RuleInput } from './api';
import { kindKey, when } from './common';
import { useRwT } from './strings';

const GRADES_OF: Record<PointsEvent, string[] | null> = {
  report_valid: null, report_confirmed: null, frontage_check: ['good', 'fair', 'poor'], model_household: ['courtyard', 'family'],
};

export function RulesTab() {
  const t = useRwT();
  const mayEditRules = useSession().can('rewards.rules.manage');
  const [rules, setRules] = useState<Rule[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const load = useCallback(async () => {
    setError(null);
    try { setRules(await rewardsApi.rules()); } catch (e) { setError(errorText(e)); }
  }, []);
  useEffect(() => { void load(); }, [load]);

  const columns: ColumnsType<Rule> = [
    { title: t('rlEvent'), dataIndex: 'event', width: 150, render: (e: string) => t(kindKey[e] ?? 'none') },
    { title: `${t('rlCategory')} / ${t('rlGrade')}`, key: 'scope', width: 160, render: (_: unknown, r) => (r.categoryName ?? (r.grade ? t(kindKey[r.grade] ?? 'none')
      : <Typography.Text type="secondary">{GRADES_OF[r.event] ? t('rlGradeAny') : t('rlCategoryAny')}</Typography.Text>)) },
    { title: t('rlPoints'), dataIndex: 'points', width: 70, align: 'right', render: (v: number, r) => <Typography.Text strong data-testid={`rw-rule-points-${r.id}`}>{v}</Typography.Text> },
    { title: t('rlActive'), dataIndex: 'active', width: 70, render: (v: boolean) => (v ? <Tag color="green">{t('yes')}</Tag> : <Tag>{t('no')}</Tag>) },
    { title: t('rlNote'), dataIndex: 'note', width: 180 },
    { title: t('rlUpdated'), key: 'u', width: 150, render: (_: unknown, r) => <span>{r.updatedByName ?? ''} <Typography.Text type="secondary" style={{ fontSize: 12 }}>{when(r.updatedAt)}</Typography.Text></span> },
    ...(mayEditRules ? [{ title: '', key: 'e', width: 50, render: (_: unknown, r: Rule) => <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(r)} aria-label={t('edit')} data-testid={`rw-rule-edit-${r.id}`} /> }] : []),
  ];

  return (
    <Card size="small" data-testid="rw-rules" title={t('tabRules')}
      extra={mayEditRules ? <Button size="small" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="rw-rule-add">{t('rlAdd')}</Button> : null}>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('rlExplain')}</Typography.Paragraph>
      {!mayEditRules && <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('rlManagersOnly')}</Typography.Paragraph>}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} />}
      <Table<Rule> size="small" rowKey="id" columns={columns} dataSource={rules} pagination={false} scroll={{ x: 830 }} data-testid="rw-rules-table" />
      <RuleModal editing={editing} onClose={() => setEditing(null)} onSaved={() => { setEditing(null); void load(); }} />
    </Card>
  );
}

function RuleModal({ editing, onClose, onSaved }: { editing: Rule | 'new' | null; onClose: () => void; onSaved: () => void }) {
  const t = useRwT();
  const { message } = App.useApp();
  const [form] = Form.useForm<RuleInput>();
  const event = Form.useWatch('event', form) as PointsEvent | undefined;
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!editing) return;
    setError(null);
    form.setFieldsValue(editing === 'new' ? { event: 'report_valid', categoryId: null, grade: null, points: 5, active: true, note: null }
      : { event: editing.event, categoryId: editing.categoryId, grade: editing.grade, points: editing.points, active: editing.active, note: editing.note });
  }, [editing, form]);
  const grades = event ? GRADES_OF[event] : null;
  const submit = async () => {
    const v = await form.validateFields();
    const body: RuleInput = { event: v.event, categoryId: grades ? null : v.categoryId ?? null, grade: grades ? v.grade ?? null : null, points: v.points, active: v.active, note: v.note?.trim() || null };
    try {
      if (editing === 'new') await rewardsApi.createRule(body);
      else if (editing) await rewardsApi.updateRule(editing.id, body);
      message.success(t('saved'));
      onSaved();
    } catch (e) { setError(errorText(e)); }
  };
  return (
    <Modal open={!!editing} onCancel={onClose} onOk={() => void submit()} forceRender okText={t('save')} okButtonProps={{ 'data-testid': 'rw-rule-save' }}
      title={editing === 'new' ? t('rlAdd') : t('rlEdit')}>
      <Form form={form} layout="vertical">
        <Form.Item name="event" label={t('rlEvent')} rules={[{ required: true }]}>
          <Select options={EVENTS.map((e) => ({ value: e, label: t(kindKey[e]!) }))} data-testid="rw-rule-event" />
        </Form.Item>
        {grades ? (
          <Form.Item name="grade" label={t('rlGrade')}>
            <Select allowClear placeholder={t('rlGradeAny')} options={grades.map((g) => ({ value: g, label: t(kindKey[g]!) }))} />
          </Form.Item>
        ) : (
          <Form.Item name="categoryId" label={t('rlCategory')}>
            {/* Form.Item gives it the value and onChange */}
            <CategorySelect onChange={() => undefined} style={{ width: '100%' }} testId="rw-rule-category" />
          </Form.Item>
        )}
        <Form.Item name="points" label={t('rlPoints')} rules={[{ required: true }]}><InputNumber min={0} max={10000} precision={0} data-testid="rw-rule-pointsinput" /></Form.Item>
        <Form.Item name="active" label={t('rlActive')} valuePropName="checked"><Switch /></Form.Item>
        <Form.Item name="note" label={t('rlNote')}><Input maxLength={200} /></Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} data-testid="rw-rule-error" />}
    </Modal>
  );
}
