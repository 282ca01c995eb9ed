// A campaign: its name, its scope (a town, district or village), its dates and its targets
// (letters, lectures, people reached, posts, audio rounds; empty = no target).
import { useEffect, useState } from 'react';
import { Alert, App, Col, DatePicker, Form, Grid, Input, InputNumber, Modal, Row } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { ApiError, errorText } from '../../api';
import { AreaPicker } from '../../components/Pickers';
import { useDefaultScope } from '../map/scope';
import { TARGET_KEYS, publicityApi, type CampaignDetail, type TargetKey, type Targets } from './api';
import { usePpT, type PpKey } from './strings';

interface Values { name?: string; scopeAreaId?: number; startsOn?: Dayjs; endsOn?: Dayjs; targets?: Targets }

export const TARGET_LABEL: Record<TargetKey, { name: PpKey; unit: PpKey }> = {
  letters: { name: 'tLetters', unit: 'uLetters' }, lectures: { name: 'tLectures', unit: 'uLectures' }, attendees: { name: 'tAttendees', unit: 'uAttendees' },
  posts: { name: 'tPosts', unit: 'uPosts' }, audioRounds: { name: 'tAudioRounds', unit: 'uAudioRounds' },
};

export function CampaignForm({ open, campaign, onClose, onSaved }: {
  open: boolean; campaign?: CampaignDetail | null; onClose: () => void; onSaved: (c: CampaignDetail) => void;
}) {
  const t = usePpT();
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const scope = useDefaultScope();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [scopeLabel, setScopeLabel] = useState<string | undefined>();

  useEffect(() => {
    if (!open) return;
    setError(null);
    form.resetFields();
    if (campaign) {
      setScopeLabel(campaign.scopeName);
      form.setFieldsValue({ name: campaign.name, scopeAreaId: campaign.scopeAreaId, startsOn: dayjs(campaign.startsOn), endsOn: dayjs(campaign.endsOn), targets: campaign.targets });
    } else {
      setScopeLabel(scope?.name);
      form.setFieldsValue({ scopeAreaId: scope?.id, startsOn: dayjs().startOf('month'), endsOn: dayjs().endOf('year') });
    }
  }, [open, campaign, scope, form]);

  const submit = async (v: Values) => {
    setSaving(true);
    setError(null);
    const targets: Targets = {};
    for (const k of TARGET_KEYS) { const x = v.targets?.[k]; if (typeof x === 'number') targets[k] = x; }
    const input = { name: (v.name ?? '').trim(), scopeAreaId: v.scopeAreaId!, startsOn: v.startsOn!.format('YYYY-MM-DD'), endsOn: v.endsOn!.format('YYYY-MM-DD'), targets };
    try {
      const c = campaign ? await publicityApi.updateCampaign(campaign.id, { ...input, version: campaign.version }) : await publicityApi.createCampaign(input);
      message.success(campaign ? t('cUpdated') : t('cCreated'));
      onSaved(c);
    } catch (e) {
      setError(e instanceof ApiError && e.code === 'STALE' ? t('cStale') : errorText(e));
      if (e instanceof ApiError) {
        const fields = (e.details ?? []).filter((d) => d.field).map((d) => ({ name: d.field!.split('.') as never, errors: [d.message] }));
        if (fields.length) form.setFields(fields);
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open} onCancel={onClose} title={campaign ? t('editCampaign') : t('newCampaign')} forceRender width={phone ? '100%' : 620}
      okText={t('save')} cancelText={t('cancel')} onOk={() => form.submit()} confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'pc-save' } as Record<string, string>} data-testid="pc-modal"
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="pc-error" />}
      <Form<Values> form={form} layout="vertical" onFinish={(v) => void submit(v)} onValuesChange={() => setError(null)}>
        <Form.Item name="name" label={t('cName')} rules={[{ required: true, whitespace: true, message: t('required') }]}>
          <Input maxLength={100} data-testid="pc-name" />
        </Form.Item>
        <Form.Item name="scopeAreaId" label={t('cScope')} extra={t('cScopeHelp')} rules={[{ required: true, message: t('required') }]}>
          <AreaPicker levels={['town', 'district', 'village']} initialLabel={scopeLabel} allowClear={false} testId="pc-scope" style={{ width: '100%' }} />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={12}>
            <Form.Item name="startsOn" label={t('cStarts')} rules={[{ required: true, message: t('required') }]}>
              <DatePicker style={{ width: '100%' }} format="YYYY-MM-DD" allowClear={false} inputReadOnly={phone} data-testid="pc-starts" />
            </Form.Item>
          </Col>
          <Col xs={12}>
            <Form.Item name="endsOn" label={t('cEnds')} rules={[{ required: true, message: t('required') }]}>
              <DatePicker style={{ width: '100%' }} format="YYYY-MM-DD" allowClear={false} inputReadOnly={phone} data-testid="pc-ends" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label={t('cTargets')} extra={t('cTargetsHelp')} style={{ marginBottom: 0 }}>
          <Row gutter={12}>
            {TARGET_KEYS.map((k) => (
              <Col xs={12} sm={8} key={k}>
                <Form.Item name={['targets', k]} label={`${t(TARGET_LABEL[k].name)}（${t(TARGET_LABEL[k].unit) || '—'}）`}>
                  <InputNumber min={0} max={10_000_000} precision={0} style={{ width: '100%' }} data-testid={`pc-target-${k}`} />
                </Form.Item>
              </Col>
            ))}
          </Row>
        </Form.Item>
      </Form>
    </Modal>
  );
}
