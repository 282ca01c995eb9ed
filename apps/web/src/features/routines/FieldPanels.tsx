// The field records shown inside a task page for two plan kinds:
// 清洁日名单 (cleaning_day): who signed up, who came (党员、志愿者), a quick add form and a 签到 button each;
// 观摩村 (observation): the villages picked for the month's visit, and a 记录观摩 modal for each (score, note, photos).
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Empty, Image, Input, InputNumber, Modal, Select, Space, Spin, Statistic, Tag, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import { CheckOutlined, EditOutlined, PlusOutlined, TrophyOutlined, UserAddOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { api, errorText, type Area } from '../../api';
import { useI18n, type TKey } from '../../i18n';
import { PhotoUploads, usePhotoUploads } from '../cases/PhotoUploads';
import { todayInChina } from './common';
import { fieldApi, TURNOUT_KINDS, type Turnout, type TurnoutKind, type Visit, type Visits } from './fieldApi';

const KIND_LABEL: Record<TurnoutKind, TKey> = { party_member: 'rfKindParty', volunteer: 'rfKindVolunteer', villager: 'rfKindVillager', cadre: 'rfKindCadre' };
const KIND_COLOR: Record<TurnoutKind, string> = { party_member: 'red', volunteer: 'green', villager: 'default', cadre: 'blue' };

/** The panel for a task of this plan kind, or nothing. */
export function FieldPanel({ kind, taskId, mayDo }: { kind: string; taskId: number; mayDo: boolean }) {
  if (kind === 'cleaning_day') return <CleaningTurnout taskId={taskId} mayDo={mayDo} />;
  if (kind === 'observation') return <ObservationVisits taskId={taskId} mayDo={mayDo} />;
  return null;
}

// ------------------------------------------------------------------ 清洁日名单

function CleaningTurnout({ taskId, mayDo }: { taskId: number; mayDo: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [data, setData] = useState<Turnout | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [kind, setKind] = useState<TurnoutKind>('villager');
  const [signIn, setSignIn] = useState(true);
  const [area, setArea] = useState('');
  const [adding, setAdding] = useState(false);
  const [signing, setSigning] = useState<number | null>(null);

  const load = useCallback(async () => {
    try { setData(await fieldApi.turnout(taskId)); setError(null); } catch (e) { setError(errorText(e)); }
  }, [taskId]);
  useEffect(() => { void load(); }, [load]);

  if (!data) {
    return (
      <Card size="small" title={t('rfTurnoutTitle')} style={{ marginBottom: 12 }} data-testid="turnout-panel">
        {error ? <Alert type="error" showIcon title={error} action={<Button size="small" onClick={() => void load()}>{t('rtRetry')}</Button>} /> : <Spin />}
      </Card>
    );
  }
  const open = todayInChina() >= data.task.windowStart;
  const canSignIn = mayDo && open;

  const add = async () => {
    if (!name.trim()) { setError(t('rfNameNeeded')); return; }
    setAdding(true);
    try {
      setData(await fieldApi.signUp(taskId, { name: name.trim(), kind, signIn: canSignIn && signIn, area: area.trim() || null }));
      message.success(t('rfAdded', { name: name.trim() }));
      setName('');
      setError(null);
    } catch (e) { setError(errorText(e)); } finally { setAdding(false); }
  };
  const doSignIn = async (id: number) => {
    setSigning(id);
    try { setData(await fieldApi.signIn(taskId, id)); setError(null); } catch (e) { setError(errorText(e)); } finally { setSigning(null); }
  };

  const { totals } = data;
  return (
    <Card size="small" title={t('rfTurnoutTitle')} style={{ marginBottom: 12 }} data-testid="turnout-panel">
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(4, 1fr)', gap: 8, textAlign: 'center', marginBottom: 12 }} data-testid="turnout-totals">
        <Statistic title={t('rfSignedUp')} value={totals.signedUp} data-testid="turnout-signed-up" />
        <Statistic title={t('rfCame')} value={totals.came} data-testid="turnout-came" />
        <Statistic title={t('rfOfParty')} value={totals.partyMembers} data-testid="turnout-party" />
        <Statistic title={t('rfOfVolunteers')} value={totals.volunteers} data-testid="turnout-volunteers" />
      </div>
      {!open && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('rfNotYet', { d: data.task.windowStart })} data-testid="turnout-not-yet" />}

      {mayDo && (
        <div style={{ background: '#fafafa', border: '1px solid #f0f0f0', borderRadius: 8, padding: 10, marginBottom: 12, display: 'flex', flexDirection: 'column', gap: 8 }} data-testid="turnout-form">
          <Input size="large" placeholder={t('rfName')} value={name} maxLength={30} onChange={(e) => setName(e.target.value)} onPressEnter={() => void add()} data-testid="turnout-name" />
          <Select size="large" value={kind} onChange={setKind} data-testid="turnout-kind"
            options={TURNOUT_KINDS.map((k) => ({ value: k, label: <span data-testid={`turnout-kind-${k}`}>{t(KIND_LABEL[k])}</span> }))} />
          <Input size="large" placeholder={t('rfArea')} value={area} maxLength={100} onChange={(e) => setArea(e.target.value)} data-testid="turnout-area" />
          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8 }}>
            <Checkbox checked={canSignIn && signIn} disabled={!canSignIn} onChange={(e) => setSignIn(e.target.checked)} data-testid="turnout-sign-in-now">{t('rfSignInNow')}</Checkbox>
            <Button type="primary" size="large" icon={<UserAddOutlined />} loading={adding} onClick={() => void add()} data-testid="turnout-add">{t('rfAdd')}</Button>
          </div>
        </div>
      )}
      {error && <Alert type="error" showIcon closable onClose={() => setError(null)} style={{ marginBottom: 12 }} title={error} data-testid="turnout-error" />}

      {data.people.length === 0 ? <Empty description={t('rfNobody')} /> : (
        <div data-testid="turnout-list">
          {data.people.map((p, i) => (
            <div key={p.id} data-testid="turnout-person" data-name={p.name} data-signed-in={!!p.signedInAt}
              style={{ display: 'flex', alignItems: 'center', gap: 8, padding: '8px 0', borderTop: i === 0 ? undefined : '1px solid #f0f0f0' }}>
              <div style={{ flex: 1, minWidth: 0 }}>
                <Typography.Text strong style={{ fontSize: 15 }}>{p.name}</Typography.Text>{' '}
                <Tag color={KIND_COLOR[p.kind]}>{t(KIND_LABEL[p.kind])}</Tag>
                <div style={{ fontSize: 12 }}>
                  <Typography.Text type="secondary">
                    {p.signedInAt ? `${t('rfSignedInAt')} ${dayjs(p.signedInAt).format('MM-DD HH:mm')}` : t('rfNotSignedIn')}
                    {p.area ? ` · ${t('rfCleaned')} ${p.area}` : ''}
                  </Typography.Text>
                </div>
              </div>
              {p.signedInAt ? <Tag color="green" icon={<CheckOutlined />} style={{ marginInlineEnd: 0 }}>{t('rfCameTag')}</Tag> : canSignIn ? (
                <Button size="large" loading={signing === p.id} onClick={() => void doSignIn(p.id)} data-testid="turnout-sign-in">{t('rfSignIn')}</Button>
              ) : null}
            </div>
          ))}
        </div>
      )}
    </Card>
  );
}

// ------------------------------------------------------------------ 观摩村

function ObservationVisits({ taskId, mayDo }: { taskId: number; mayDo: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [data, setData] = useState<Visits | null>(null);
  const [villages, setVillages] = useState<Area[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [villageId, setVillageId] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const [picking, setPicking] = useState(false);
  const [recording, setRecording] = useState<Visit | null>(null);

  const load = useCallback(async () => {
    try {
      const v = await fieldApi.visits(taskId);
      setData(v);
      setError(null);
      setVillages((await api.children(v.task.areaId)).filter((a) => a.level === 'village'));
    } catch (e) { setError(errorText(e)); }
  }, [taskId]);
  useEffect(() => { void load(); }, [load]);

  if (!data) {
    return (
      <Card size="small" title={t('rfVisitsTitle')} style={{ marginBottom: 12 }} data-testid="visits-panel">
        {error ? <Alert type="error" showIcon title={error} action={<Button size="small" onClick={() => void load()}>{t('rtRetry')}</Button>} /> : <Spin />}
      </Card>
    );
  }
  const picked = new Set(data.visits.map((v) => v.villageId));
  // The month's 2 best and 2 worst villages of the district by environment score (考核评价).
  const fromScores = async () => {
    setPicking(true);
    try {
      setData(await fieldApi.pickFromScores(taskId));
      setError(null);
      message.success(t('rfPicked'));
    } catch (e) { setError(errorText(e)); } finally { setPicking(false); }
  };
  const pick = async () => {
    if (villageId === null) { setError(t('rfVillageNeeded')); return; }
    setPicking(true);
    try {
      setData(await fieldApi.pick(taskId, { villageId, reason: reason.trim() || null }));
      setVillageId(null);
      setReason('');
      setError(null);
      message.success(t('rfPicked'));
    } catch (e) { setError(errorText(e)); } finally { setPicking(false); }
  };

  return (
    <Card size="small" title={t('rfVisitsTitle')} style={{ marginBottom: 12 }} data-testid="visits-panel"
      extra={<Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('rfVisitedCount', { a: data.visits.filter((v) => v.visitedAt).length, n: data.visits.length })}</Typography.Text>}>
      <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('rfVisitsHint')} />
      {data.visits.length === 0 ? <Empty description={t('rfNoVisits')} style={{ marginBottom: 12 }} /> : (
        <div data-testid="visits-list" style={{ marginBottom: 12 }}>
          {data.visits.map((v, i) => (
            <div key={v.id} data-testid="visit" data-village={v.villageName} data-visited={!!v.visitedAt}
              style={{ padding: '8px 0', borderTop: i === 0 ? undefined : '1px solid #f0f0f0' }}>
              <div style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
                <div style={{ flex: 1, minWidth: 0 }}>
                  <Typography.Text strong style={{ fontSize: 15 }}>{v.villageName}</Typography.Text>{' '}
                  {v.visitedAt
                    ? <Tag color="green" data-testid="visit-state">{t('rfVisited')}</Tag>
                    : <Tag data-testid="visit-state">{t('rfNotVisited')}</Tag>}
                  {v.score !== null && <Tag color={v.score >= 80 ? 'blue' : v.score >= 60 ? 'gold' : 'red'} data-testid="visit-score">{t('rfScoreN', { n: v.score })}</Tag>}
                </div>
                {mayDo && (
                  <Button icon={<EditOutlined />} onClick={() => setRecording(v)} data-testid="visit-record">
                    {v.visitedAt ? t('rfEditVisit') : t('rfRecordVisit')}
                  </Button>
                )}
              </div>
              {v.reason && <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>{t('rfReason')}：{v.reason}</Typography.Text>}
              {v.note && <Typography.Paragraph style={{ margin: '4px 0 0', whiteSpace: 'pre-wrap', fontSize: 13 }} data-testid="visit-note">{v.note}</Typography.Paragraph>}
              {v.visitedAt && (
                <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
                  {dayjs(v.visitedAt).format('MM-DD HH:mm')}{v.visitedBy ? ` · ${v.visitedBy}` : ''}
                </Typography.Text>
              )}
              {(v.photoIds ?? []).length > 0 && (
                <Image.PreviewGroup>
                  <Space wrap size={6} style={{ marginTop: 6 }}>
                    {(v.photoIds ?? []).map((p) => <Image key={p} src={`/api/v1/photos/${p}/thumb`} preview={{ src: `/api/v1/photos/${p}/file` }} width={64} height={64} style={{ objectFit: 'cover', borderRadius: 4 }} alt="" />)}
                  </Space>
                </Image.PreviewGroup>
              )}
            </div>
          ))}
        </div>
      )}

      {mayDo && (
        <div style={{ background: '#fafafa', border: '1px solid #f0f0f0', borderRadius: 8, padding: 10, display: 'flex', flexDirection: 'column', gap: 8 }} data-testid="visit-pick-form">
          <Button size="large" icon={<TrophyOutlined />} loading={picking} onClick={() => void fromScores()} data-testid="visit-from-scores">{t('rfPickFromScores')}</Button>
          <Typography.Text strong>{t('rfPickTitle')}</Typography.Text>
          <Select
            size="large" showSearch={{ optionFilterProp: 'label' }} placeholder={t('rfPickVillage')} value={villageId ?? undefined} onChange={(v: number) => setVillageId(v)}
            options={villages.map((a) => ({ value: a.id, label: a.name, disabled: picked.has(a.id) }))} data-testid="visit-village"
          />
          <Input size="large" placeholder={t('rfReasonHint')} value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} data-testid="visit-reason" />
          <Button type="primary" size="large" icon={<PlusOutlined />} loading={picking} onClick={() => void pick()} data-testid="visit-pick">{t('rfPick')}</Button>
        </div>
      )}
      {error && <Alert type="error" showIcon closable onClose={() => setError(null)} style={{ marginTop: 12 }} title={error} data-testid="visits-error" />}

      {recording && (
        <RecordVisit taskId={taskId} visit={recording} onClose={() => setRecording(null)}
          onSaved={(v) => { setData(v); setRecording(null); message.success(t('rfVisitSaved')); }} />
      )}
    </Card>
  );
}

function RecordVisit({ taskId, visit, onClose, onSaved }: { taskId: number; visit: Visit; onClose(): void; onSaved(v: Visits): void }) {
  const { t } = useI18n();
  const [score, setScore] = useState<number | null>(visit.score);
  const [note, setNote] = useState(visit.note ?? '');
  const photos = usePhotoUploads();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const save = async () => {
    if (score === null) { setError(t('rfScoreNeeded')); return; }
    if (photos.busy) { setError(t('casePhotosUploading')); return; }
    setSaving(true);
    try {
      // Photos already kept with the visit stay; new ones are added.
      const photoIds = [...new Set([...(visit.photoIds ?? []), ...photos.photos.map((p) => p.id)])];
      onSaved(await fieldApi.record(taskId, visit.id, { score, note: note.trim() || null, ...(photoIds.length ? { photoIds } : {}) }));
    } catch (e) { setError(errorText(e)); } finally { setSaving(false); }
  };

  return (
    <Modal open title={t('rfRecordTitle', { v: visit.villageName })} onCancel={onClose} onOk={() => void save()} okText={t('rfSave')}
      confirmLoading={saving} okButtonProps={{ disabled: photos.busy, 'data-testid': 'visit-save' } as ButtonProps} destroyOnHidden>
      <div style={{ display: 'flex', flexDirection: 'column', gap: 10 }} data-testid="visit-modal">
        <div>
          <Typography.Text>{t('rfScore')}</Typography.Text>
          <InputNumber size="large" min={0} max={100} precision={0} inputMode="numeric" style={{ width: '100%', marginTop: 4 }} suffix="/ 100"
            value={score} onChange={(n) => setScore(n ?? null)} data-testid="visit-score-input" />
        </div>
        <div>
          <Typography.Text>{t('rfNote')}</Typography.Text>
          <Input.TextArea value={note} onChange={(e) => setNote(e.target.value)} autoSize={{ minRows: 3, maxRows: 8 }} maxLength={2000}
            style={{ marginTop: 4 }} data-testid="visit-note-input" />
        </div>
        <div>
          <Typography.Text style={{ display: 'block', marginBottom: 4 }}>{t('rfPhotos')}</Typography.Text>
          <PhotoUploads state={photos} testId="visit-photo" />
        </div>
        {error && <Alert type="error" showIcon title={error} data-testid="visit-error" />}
      </div>
    </Modal>
  );
}
