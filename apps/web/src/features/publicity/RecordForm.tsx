// One record of what was done, made for a phone in the field: the kind decides the fields
// (letters to a village or a school, an audio round, a banner count, a WeChat post, a lecture),
// the date defaults to today, numbers are whole. The server's refusal lands beside its field.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App, Button, DatePicker, Drawer, Form, Grid, Input, InputNumber, Radio, Select, AutoComplete, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { ApiError, errorText } from '../../api';
import { publicityApi, type CampaignDetail, type Kind, type PRecord, type RecordInput } from './api';
import { usePpT, type PpKey } from './strings';

interface Values {
  target?: 'village' | 'school'; venue?: 'village' | 'place'; areaId?: number; place?: string; mode?: 'van' | 'loudspeaker';
  on?: Dayjs; quantity?: number | null; attendance?: number | null; title?: string; url?: string; reads?: number | null; note?: string;
}

const ADD_KEY: Record<Kind, PpKey> = { letter: 'addLetter', audio: 'addAudio', banner: 'addBanner', wechat: 'addWechat', lecture: 'addLecture' };
const FIELDS = ['areaId', 'place', 'mode', 'on', 'quantity', 'attendance', 'title', 'url', 'reads', 'note'] as const;
const blank = (s: string | undefined | null) => (s && s.trim() ? s.trim() : null);

export function RecordForm({ open, kind, campaign, record, schools, requiredOf, onClose, onSaved }: {
  open: boolean; kind: Kind; campaign: CampaignDetail; record?: PRecord | null; schools: string[];
  requiredOf: (villageId: number) => number | undefined; onClose: () => void; onSaved: () => void;
}) {
  const t = usePpT();
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const target = Form.useWatch('target', form);
  const venue = Form.useWatch('venue', form);
  const areaId = Form.useWatch('areaId', form);
  const today = dayjs().format('YYYY-MM-DD');
  const lastDay = campaign.endsOn < today ? campaign.endsOn : today;

  const villages = useMemo(() => campaign.villages.filter((v) => v.canWrite || v.id === record?.areaId)
    .map((v) => ({ value: v.id, label: v.name })), [campaign.villages, record?.areaId]);

  // Filled when the drawer opens (not again while it is open, whatever reloads behind it).
  const initial = useRef({ villages, lastDay });
  initial.current = { villages, lastDay };
  useEffect(() => {
    if (!open) return;
    const { villages, lastDay } = initial.current;
    setError(null);
    form.resetFields();
    if (record) {
      form.setFieldsValue({
        target: record.areaId === null ? 'school' : 'village', venue: record.areaId === null ? 'place' : 'village',
        areaId: record.areaId ?? undefined, place: record.place ?? undefined, mode: record.mode ?? undefined, on: dayjs(record.on),
        quantity: record.quantity, attendance: record.attendance, title: record.title ?? undefined, url: record.url ?? undefined,
        reads: record.reads, note: record.note ?? undefined,
      });
    } else {
      const only = villages.length === 1 ? villages[0]!.value : undefined;
      form.setFieldsValue({ target: villages.length ? 'village' : 'school', venue: villages.length ? 'village' : 'place', mode: 'van', on: dayjs(lastDay), areaId: only });
    }
  }, [open, record, form]);

  const payload = (v: Values): RecordInput => {
    const on = v.on!.format('YYYY-MM-DD');
    const note = blank(v.note);
    switch (kind) {
      case 'letter': return v.target === 'school' ? { areaId: null, place: blank(v.place), on, quantity: v.quantity ?? null, note } : { areaId: v.areaId ?? null, place: null, on, quantity: v.quantity ?? null, note };
      case 'audio': return { areaId: v.areaId ?? null, mode: v.mode ?? null, place: blank(v.place), on, quantity: v.quantity ?? null, note };
      case 'banner': return { areaId: v.areaId ?? null, place: blank(v.place), on, quantity: v.quantity ?? null, note };
      case 'wechat': return { title: blank(v.title), url: blank(v.url), on, reads: v.reads ?? null, note };
      case 'lecture': return v.venue === 'place'
        ? { title: blank(v.title), areaId: null, place: blank(v.place), on, attendance: v.attendance ?? null, note }
        : { title: blank(v.title), areaId: v.areaId ?? null, place: null, on, attendance: v.attendance ?? null, note };
    }
  };

  const submit = async (v: Values) => {
    setSaving(true);
    setError(null);
    try {
      if (record) await publicityApi.updateRecord(record.id, { ...payload(v), version: record.version });
      else await publicityApi.addRecord(campaign.id, { kind, ...payload(v) });
      message.success(record ? t('recordUpdated') : t('recordSaved'));
      onSaved();
    } catch (e) {
      setError(e instanceof ApiError && e.code === 'STALE' ? t('recStale') : errorText(e));
      if (e instanceof ApiError) {
        const fields = (e.details ?? []).filter((d) => d.field && (FIELDS as readonly string[]).includes(d.field))
          .map((d) => ({ name: d.field as keyof Values, errors: [d.message] }));
        if (fields.length) form.setFields(fields);
      }
    } finally {
      setSaving(false);
    }
  };

  const villageSelect = (
    <Form.Item name="areaId" label={t('fVillage')} rules={[{ required: true, message: t('mustPickVillage') }]}>
      <Select options={villages} showSearch={{ optionFilterProp: 'label' }} placeholder={t('fVillage')} data-testid="pp-f-areaId" size="large" />
    </Form.Item>
  );
  const date = (label: PpKey = 'date') => (
    <Form.Item name="on" label={t(label)} rules={[{ required: true, message: t('mustDate') }]}>
      <DatePicker
        style={{ width: '100%' }} size="large" format="YYYY-MM-DD" allowClear={false} inputReadOnly={phone} data-testid="pp-f-on"
        disabledDate={(d) => d.format('YYYY-MM-DD') < campaign.startsOn || d.format('YYYY-MM-DD') > lastDay}
      />
    </Form.Item>
  );
  const count = (name: 'quantity' | 'attendance' | 'reads', label: PpKey, min: number, max: number, required = true, extra?: string) => (
    <Form.Item name={name} label={t(label)} extra={extra} rules={required ? [{ required: true, message: t('mustNumber') }] : []}>
      <InputNumber min={min} max={max} precision={0} inputMode="numeric" style={{ width: '100%' }} size="large" data-testid={`pp-f-${name}`} />
    </Form.Item>
  );
  const need = areaId ? requiredOf(areaId) : undefined;

  let fields: React.ReactNode;
  switch (kind) {
    case 'letter':
      fields = (
        <>
          <Form.Item name="target" label={t('fTarget')}>
            <Radio.Group optionType="button" buttonStyle="solid" size="large" data-testid="pp-f-target"
              options={[{ value: 'village', label: t('fToVillage'), disabled: !villages.length }, { value: 'school', label: t('fToSchool'), disabled: !campaign.canWrite }]} />
          </Form.Item>
          {target === 'school' ? (
            <Form.Item name="place" label={t('fSchool')} rules={[{ required: true, whitespace: true, message: t('mustSchool') }]}>
              <AutoComplete options={schools.map((s) => ({ value: s }))} placeholder={t('fSchoolPh')} size="large" data-testid="pp-f-place"
                showSearch={{ filterOption: (input, o) => String(o?.value ?? '').includes(input) }} />
            </Form.Item>
          ) : villageSelect}
          {date()}
          {count('quantity', 'fQuantityLetters', 1, 100_000)}
        </>
      );
      break;
    case 'audio':
      fields = (
        <>
          <Form.Item name="mode" label={t('fMode')} rules={[{ required: true }]}>
            <Radio.Group optionType="button" buttonStyle="solid" size="large" data-testid="pp-f-mode"
              options={[{ value: 'van', label: t('mVan') }, { value: 'loudspeaker', label: t('mLoudspeaker') }]} />
          </Form.Item>
          {villageSelect}
          {date()}
          {count('quantity', 'fPlays', 1, 1000)}
          <Form.Item name="place" label={t('fRoute')}><Input maxLength={100} size="large" placeholder={t('notePlaceholder')} data-testid="pp-f-place" /></Form.Item>
        </>
      );
      break;
    case 'banner':
      fields = (
        <>
          {villageSelect}
          {date('fOnCount')}
          {count('quantity', 'fBannersUp', 0, 50, true, need !== undefined ? t('fBannersHelp', { n: need }) : t('fBannersHelpNoVillage'))}
          <Form.Item name="place" label={t('fBannerPlace')}><Input maxLength={100} size="large" placeholder={t('notePlaceholder')} data-testid="pp-f-place" /></Form.Item>
        </>
      );
      break;
    case 'wechat':
      fields = (
        <>
          <Form.Item name="title" label={t('fTitle')} rules={[{ required: true, whitespace: true, message: t('mustTitle') }]}>
            <Input maxLength={200} size="large" data-testid="pp-f-title" />
          </Form.Item>
          <Form.Item name="url" label={t('fUrl')}><Input maxLength={1000} size="large" placeholder={t('fUrlPh')} inputMode="url" data-testid="pp-f-url" /></Form.Item>
          {date('fOnPost')}
          {count('reads', 'fReads', 0, 100_000_000, false)}
        </>
      );
      break;
    case 'lecture':
      fields = (
        <>
          <Form.Item name="title" label={t('fTopic')} rules={[{ required: true, whitespace: true, message: t('mustTopic') }]}>
            <Input maxLength={200} size="large" data-testid="pp-f-title" />
          </Form.Item>
          <Form.Item name="venue" label={t('fVenue')}>
            <Radio.Group optionType="button" buttonStyle="solid" size="large" data-testid="pp-f-venue"
              options={[{ value: 'village', label: t('fAtVillage'), disabled: !villages.length }, { value: 'place', label: t('fAtPlace'), disabled: !campaign.canWrite }]} />
          </Form.Item>
          {venue === 'place' ? (
            <Form.Item name="place" label={t('fPlace')} rules={[{ required: true, whitespace: true, message: t('mustVenue') }]}>
              <Input maxLength={100} size="large" placeholder={t('fVenuePh')} data-testid="pp-f-place" />
            </Form.Item>
          ) : villageSelect}
          {date()}
          {count('attendance', 'fAttendance', 1, 5000)}
        </>
      );
      break;
  }

  return (
    <Drawer
      open={open} onClose={onClose} forceRender title={record ? t('editRecord') : t(ADD_KEY[kind])}
      placement={phone ? 'bottom' : 'right'} size={phone ? '92%' : 460} data-testid={`pp-form-${kind}`}
      footer={(
        <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
          <Button onClick={onClose} size="large">{t('cancel')}</Button>
          <Button type="primary" size="large" loading={saving} onClick={() => form.submit()} data-testid="pp-submit" style={phone ? { minWidth: 160 } : undefined}>{t('save')}</Button>
        </Space>
      )}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="pp-form-error" />}
      <Form<Values> form={form} layout="vertical" onFinish={(v) => void submit(v)} onValuesChange={() => setError(null)} requiredMark>
        {fields}
        <Form.Item name="note" label={t('note')}><Input.TextArea maxLength={500} rows={2} placeholder={t('notePlaceholder')} data-testid="pp-f-note" /></Form.Item>
      </Form>
    </Drawer>
  );
}
