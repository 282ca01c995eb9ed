// 上报问题: a phone-first form. The form and its client id stay in localStorage until the server
// answers, so a retry after a lost connection sends the same clientId and never makes a second case.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Result, Select, Space, Typography } from 'antd';
import { AimOutlined, ClearOutlined, SendOutlined } from '@ant-design/icons';
import { api, ApiError, errorText } from '../../api';
import { useI18n } from '../../i18n';
import { useSession } from '../../session';
import { AreaPicker } from '../../components/Pickers';
import { CASE_SOURCES, SUPERVISION_DEADLINE, type CaseDetail, type CasePhotoView, type CaseSource } from '../../../../../packages/shared/src/cases';
import { casesApi, newClientId } from './api';
import { categoryName, deadlineText, isFieldUser, sourceName, useCategories } from './common';
import { LocationMap, type LatLng } from './LocationMap';
import { PhotoUploads, usePhotoUploads } from './PhotoUploads';

interface Draft {
  clientId?: string;
  parentId?: number;
  categoryId?: number;
  baseArea?: { id: number; label: string };
  subAreaId?: number;
  location?: LatLng & { accuracy?: number };
  address?: string;
  description?: string;
  source?: CaseSource;
  photos?: CasePhotoView[];
}

const DESK_SOURCES: CaseSource[] = ['field', 'feedback', 'phone', 'supervision'];
const draftKey = (userId: number) => `wangge.cases.reportDraft.${userId}`;

function readDraft(userId: number): Draft | null {
  try {
    const raw = localStorage.getItem(draftKey(userId));
    return raw ? (JSON.parse(raw) as Draft) : null;
  } catch { return null; }
}
function writeDraft(userId: number, d: Draft | null) {
  try {
    if (d) localStorage.setItem(draftKey(userId), JSON.stringify(d));
    else localStorage.removeItem(draftKey(userId));
  } catch { /* storage full or private mode: the form still works, without the safety net */ }
}

export function ReportPage() {
  const { t, lang, level: levelName } = useI18n();
  const { message } = App.useApp();
  const { me } = useSession();
  const [restored] = useState(() => readDraft(me.id));
  const [draft, setDraft] = useState<Draft>(() => restored ?? { source: 'field' });
  const photos = usePhotoUploads(restored?.photos ?? []);
  const { categories, error: catError } = useCategories();
  const [children, setChildren] = useState<{ id: number; name: string; level: string }[]>([]);
  const [locating, setLocating] = useState(false);
  const [locError, setLocError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<{ text: string; network: boolean; details?: string[] } | null>(null);
  const [done, setDone] = useState<CaseDetail | null>(null);
  const desk = !isFieldUser(me);

  const set = (p: Partial<Draft>) => setDraft((d) => ({ ...d, ...p }));

  // Keep the form (with its photos) in localStorage while it is being filled in.
  const started = draft.categoryId || draft.description || draft.location || photos.photos.length > 0 || draft.clientId;
  useEffect(() => {
    if (done) return;
    if (started) writeDraft(me.id, { ...draft, photos: photos.photos });
  }, [draft, photos.photos, done, started, me.id]);

  // Default area: the user's own smallest area.
  const defaulted = useRef(false);
  useEffect(() => {
    if (defaulted.current || draft.baseArea || me.areas.length === 0) return;
    defaulted.current = true;
    void Promise.all(me.areas.map((a) => api.area(a.id).catch(() => null))).then((list) => {
      const best = list.filter((a) => a && !a.archived).sort((a, b) => b!.depth - a!.depth)[0];
      if (best) setDraft((d) => (d.baseArea ? d : { ...d, baseArea: { id: best.id, label: `${best.name}（${levelName(best.level)}）` } }));
    });
  }, [me.areas, draft.baseArea, levelName]);

  // The chosen area's children (grid → micro-grids) to narrow the place down.
  const baseId = draft.baseArea?.id;
  useEffect(() => {
    setChildren([]);
    if (!baseId) return;
    let live = true;
    api.children(baseId).then((c) => { if (live) setChildren(c.map((x) => ({ id: x.id, name: x.name, level: x.level }))); }).catch(() => {});
    return () => { live = false; };
  }, [baseId]);

  const parents = useMemo(() => (categories ?? []).filter((c) => c.parentId === null && c.active).sort((a, b) => a.sort - b.sort || a.code.localeCompare(b.code)), [categories]);
  const kids = useMemo(() => (categories ?? []).filter((c) => c.parentId !== null && c.active && (parents.length === 0 || c.parentId === draft.parentId))
    .sort((a, b) => a.sort - b.sort || a.code.localeCompare(b.code)), [categories, parents, draft.parentId]);
  const chosen = categories?.find((c) => c.id === draft.categoryId);

  const locate = () => {
    setLocError(null);
    if (!('geolocation' in navigator)) { setLocError(t('caseGeoUnavailable')); return; }
    if (!window.isSecureContext) { setLocError(t('caseGeoInsecure')); return; }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(false);
        set({ location: { lat: Number(pos.coords.latitude.toFixed(6)), lng: Number(pos.coords.longitude.toFixed(6)), accuracy: Math.round(pos.coords.accuracy) } });
      },
      (e) => { setLocating(false); setLocError(e.code === e.PERMISSION_DENIED ? t('caseGeoDenied') : t('caseGeoFailed', { m: e.message })); },
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 30_000 },
    );
  };

  const missing: string[] = [];
  if (!draft.categoryId) missing.push(t('caseCategory'));
  if (!(draft.subAreaId ?? draft.baseArea?.id)) missing.push(t('area'));
  if (!draft.description?.trim()) missing.push(t('caseDescription'));

  const submit = async () => {
    if (missing.length) { setError({ text: t('caseMissing', { f: missing.join('、') }), network: false }); return; }
    if (photos.busy) { setError({ text: t('casePhotosUploading'), network: false }); return; }
    const clientId = draft.clientId ?? newClientId();
    const kept: Draft = { ...draft, clientId, photos: photos.photos };
    setDraft(kept);
    writeDraft(me.id, kept); // before the request: a lost answer is retried with the same id
    setSending(true);
    setError(null);
    try {
      const c = await casesApi.create({
        clientId,
        source: draft.source ?? 'field',
        categoryId: draft.categoryId!,
        areaId: (draft.subAreaId ?? draft.baseArea!.id),
        description: draft.description!.trim(),
        address: draft.address?.trim() || undefined,
        lat: draft.location?.lat,
        lng: draft.location?.lng,
        photoIds: photos.photos.map((p) => p.id),
      });
      writeDraft(me.id, null);
      setDone(c);
      message.success(t('caseReported', { no: c.no }));
    } catch (e) {
      const network = e instanceof ApiError && (e.status === 0 || e.status >= 500);
      setError({ text: errorText(e), network, details: e instanceof ApiError ? e.details?.map((d) => d.message) : undefined });
    } finally {
      setSending(false);
    }
  };

  const reset = () => {
    writeDraft(me.id, null);
    photos.clear();
    setDraft({ source: 'field', baseArea: draft.baseArea });
    setError(null);
    setDone(null);
  };

  if (done) {
    return (
      <Card size="small" style={{ maxWidth: 640, margin: '0 auto' }} data-testid="report-done">
        <Result
          status="success"
          title={t('caseReportedTitle')}
          subTitle={<span>{t('caseNo')}：<Typography.Text strong copyable data-testid="report-case-no">{done.no}</Typography.Text></span>}
          extra={[
            <Button type="primary" key="open" href={`#/cases/${done.id}`} data-testid="report-case-link">{t('caseOpen')}</Button>,
            <Button key="again" onClick={reset} data-testid="report-again">{t('caseReportAnother')}</Button>,
          ]}
        />
      </Card>
    );
  }

  return (
    <Card
      size="small"
      title={t('menuReport')}
      style={{ maxWidth: 640, margin: '0 auto' }}
      data-testid="report-page"
      extra={started ? <Button size="small" type="text" icon={<ClearOutlined />} onClick={reset} data-testid="report-clear">{t('caseClearForm')}</Button> : null}
    >
      {restored?.clientId && !error && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('caseDraftPending')} data-testid="report-draft-pending" />
      )}
      {catError && <Alert type="error" showIcon title={catError} style={{ marginBottom: 12 }} />}
      <Form layout="vertical" requiredMark onFinish={() => void submit()}>
        <Form.Item label={t('caseCategory')} required style={{ marginBottom: 12 }}>
          <Space orientation="vertical" style={{ width: '100%' }} size={8}>
            {parents.length > 0 && (
              <Select
                data-testid="report-parent-category"
                placeholder={t('caseParentCategory')}
                value={draft.parentId}
                loading={!categories && !catError}
                onChange={(v) => set({ parentId: v, categoryId: undefined })}
                options={parents.map((p) => ({ value: p.id, label: categoryName(p, lang) }))}
                style={{ width: '100%' }}
              />
            )}
            <Select
              data-testid="report-category"
              placeholder={parents.length > 0 && !draft.parentId ? t('casePickParentFirst') : t('caseSubCategory')}
              disabled={parents.length > 0 && !draft.parentId}
              value={draft.categoryId}
              onChange={(v) => set({ categoryId: v })}
              options={kids.map((c) => ({ value: c.id, label: categoryName(c, lang) }))}
              style={{ width: '100%' }}
              showSearch={{ optionFilterProp: 'label' }}
            />
            {chosen && (
              <Alert
                type="info"
                data-testid="report-category-info"
                title={
                  <span>
                    {t('caseDeadline')}：{draft.source === 'supervision'
                      ? `${deadlineText({ deadlineAmount: SUPERVISION_DEADLINE.amount, deadlineUnit: SUPERVISION_DEADLINE.unit }, lang)}（${t('caseThreeDayRule')}）`
                      : deadlineText(chosen, lang) ?? t('caseNoDeadline')}
                    <br />
                    {t('caseClosingRequirement')}：{chosen.closingRequirement || '—'}
                  </span>
                }
              />
            )}
          </Space>
        </Form.Item>

        <Form.Item label={t('area')} required style={{ marginBottom: 12 }}>
          <Space orientation="vertical" style={{ width: '100%' }} size={8}>
            <AreaPicker
              testId="report-area"
              value={draft.baseArea?.id}
              initialLabel={draft.baseArea?.label}
              allowClear={false}
              style={{ width: '100%' }}
              onChange={(id, hit) => set({ baseArea: id ? { id, label: hit ? `${hit.name}（${levelName(hit.level)}）` : draft.baseArea?.label ?? String(id) } : undefined, subAreaId: undefined })}
            />
            {children.length > 0 && (
              <Select
                data-testid="report-subarea"
                allowClear
                placeholder={t('caseNarrowArea', { level: lang === 'zh' ? levelName(children[0]!.level) : levelName(children[0]!.level).toLowerCase() })}
                value={draft.subAreaId}
                onChange={(v) => set({ subAreaId: v })}
                options={children.map((c) => ({ value: c.id, label: c.name }))}
                style={{ width: '100%' }}
                showSearch={{ optionFilterProp: 'label' }}
              />
            )}
          </Space>
        </Form.Item>

        <Form.Item label={t('caseLocation')} style={{ marginBottom: 12 }}>
          <Space orientation="vertical" style={{ width: '100%' }} size={8}>
            <Space wrap>
              <Button icon={<AimOutlined />} loading={locating} onClick={locate} data-testid="report-locate">{t('caseUseMyLocation')}</Button>
              {draft.location && (
                <Typography.Text type="secondary" data-testid="report-coords">
                  {draft.location.lat.toFixed(5)}, {draft.location.lng.toFixed(5)}{draft.location.accuracy ? ` ±${draft.location.accuracy} m` : ''}
                </Typography.Text>
              )}
            </Space>
            {locError && <Typography.Text type="warning" style={{ fontSize: 12 }}>{locError}</Typography.Text>}
            <LocationMap
              testId="report-map"
              areaId={baseId}
              value={draft.location}
              onChange={(p) => set({ location: p })}
              onAreaHit={(a) => { if (children.some((c) => c.id === a.id)) set({ subAreaId: a.id }); }}
              height={220}
            />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('caseTapMap')}</Typography.Text>
            <Input placeholder={t('caseAddress')} value={draft.address} onChange={(e) => set({ address: e.target.value })} maxLength={200} data-testid="report-address" />
          </Space>
        </Form.Item>

        <Form.Item label={t('casePhotos')} style={{ marginBottom: 12 }}>
          <PhotoUploads state={photos} testId="report-photos" />
        </Form.Item>

        <Form.Item label={t('caseDescription')} required style={{ marginBottom: 28 }}>
          <Input.TextArea
            data-testid="report-description"
            value={draft.description}
            onChange={(e) => set({ description: e.target.value })}
            autoSize={{ minRows: 3, maxRows: 8 }}
            maxLength={1000}
            showCount
            placeholder={t('caseDescriptionHint')}
          />
        </Form.Item>

        {desk && (
          <Form.Item label={t('caseSource')} style={{ marginBottom: 12 }}>
            <Select
              data-testid="report-source"
              value={draft.source ?? 'field'}
              onChange={(v) => set({ source: v })}
              options={CASE_SOURCES.filter((s) => DESK_SOURCES.includes(s.key)).map((s) => ({ value: s.key, label: sourceName(s.key, lang) }))}
              style={{ width: '100%' }}
            />
          </Form.Item>
        )}

        {error && (
          <Alert
            type={error.network ? 'warning' : 'error'}
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="report-error"
            title={error.text}
            description={error.network ? t('caseRetrySafe') : error.details?.length ? error.details.join('；') : undefined}
          />
        )}
        <Button type="primary" htmlType="submit" size="large" block icon={<SendOutlined />} loading={sending} disabled={photos.busy} data-testid="report-submit">
          {photos.busy ? t('casePhotosUploading') : draft.clientId ? t('caseSubmitAgain') : t('caseSubmit')}
        </Button>
      </Form>
    </Card>
  );
}

