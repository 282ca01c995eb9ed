// 案件详情: the header, the action buttons the server allows, 整改前后对比, the pending request and the timeline.
import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  Alert, App, Button, Card, Col, DatePicker, Descriptions, Empty, Form, Grid, Image, Input, Modal, Radio, Result, Row, Select, Space, Spin, Tag, Timeline, Typography,
} from 'antd';
import { ArrowLeftOutlined, ReloadOutlined, WarningOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { ApiError, errorText } from '../../api';
import { useI18n } from '../../i18n';
import { navigate } from '../../router';
import type { CaseAction, CaseDetail, CasePhotoView, CaseRequestView, CaseStepView } from '../../../../../packages/shared/src/cases';
import { casesApi, type Assignee, type StepInput } from './api';
import { actionName, DueTags, fmtTime, sourceName, StateTag, useCategoryName } from './common';
import { LocationMap } from './LocationMap';
import { PhotoUploads, usePhotoUploads } from './PhotoUploads';

const ACTION_ORDER: CaseAction[] = ['register', 'refuse', 'dispatch', 'accept', 'feedback', 'pass', 'rework', 'request_extension', 'request_return', 'approve', 'reject'];
const PRIMARY: CaseAction[] = ['register', 'dispatch', 'accept', 'feedback', 'pass', 'approve'];
const DANGER: CaseAction[] = ['refuse', 'rework', 'reject'];
const NOTE_REQUIRED: CaseAction[] = ['refuse', 'rework', 'request_extension', 'request_return', 'reject'];

export function CaseDetailPage({ id }: { id: number }) {
  const { t, lang } = useI18n();
  const screens = Grid.useBreakpoint();
  const catName = useCategoryName();
  const [c, setC] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [loading, setLoading] = useState(false);
  const [acting, setActing] = useState<{ action: CaseAction; request?: CaseRequestView } | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try { setC(await casesApi.get(id)); setError(null); } catch (e) { setError(e instanceof Error ? e : new Error(String(e))); } finally { setLoading(false); }
  }, [id]);
  useEffect(() => { setC(null); void load(); }, [load]);

  if (error && !c) {
    const status = error instanceof ApiError && error.status === 404 ? '404' : error instanceof ApiError && error.status === 403 ? '403' : 'error';
    return <Result status={status} title={error.message} extra={<Button onClick={() => navigate('/cases')}>{t('menuCases')}</Button>} />;
  }
  if (!c) return <div style={{ padding: 48, textAlign: 'center' }}><Spin /></div>;

  const pending = c.requests.find((r) => !r.decision) ?? null;
  const actions = ACTION_ORDER.filter((a) => c.allowed.includes(a) && !(pending && (a === 'approve' || a === 'reject')));
  const back = () => { if (window.history.length > 1) window.history.back(); else navigate('/cases'); };

  const header = (
    <Card
      size="small"
      data-testid="case-detail"
      data-case-state={c.state}
      data-version={c.version}
      title={
        <Space wrap size={6}>
          <Button type="text" size="small" icon={<ArrowLeftOutlined />} onClick={back} aria-label={t('caseBack')} />
          <span data-testid="case-no">{c.no}</span>
          <StateTag state={c.state} />
          <DueTags c={c} />
          {c.demo && <Tag>{t('demoData')}</Tag>}
        </Space>
      }
      extra={<Button size="small" icon={<ReloadOutlined />} loading={loading} onClick={() => void load()} aria-label={t('refresh')} />}
    >
      <Descriptions size="small" column={screens.md ? 2 : 1} items={[
        { key: 'cat', label: t('caseCategory'), children: <span data-testid="case-category">{catName(c.categoryId, c.categoryName)}</span> },
        { key: 'closing', label: t('caseClosingRequirement'), children: c.closingRequirement || '—' },
        { key: 'area', label: t('area'), children: <span data-testid="case-area">{c.areaTrail || c.areaName}</span>, span: screens.md ? 2 : 1 },
        { key: 'desc', label: t('caseDescription'), children: <span style={{ whiteSpace: 'pre-wrap' }} data-testid="case-description">{c.description}</span>, span: screens.md ? 2 : 1 },
        ...(c.address ? [{ key: 'addr', label: t('caseAddress'), children: c.address, span: screens.md ? 2 : 1 }] : []),
        { key: 'src', label: t('caseSource'), children: sourceName(c.source, lang) },
        { key: 'rep', label: t('caseReporter'), children: `${c.reporterName ?? '—'} · ${fmtTime(c.reportedAt)}` },
        {
          key: 'due', label: t('caseDue'),
          children: c.dueAt
            ? <Space size={4} wrap><Typography.Text type={c.overdue ? 'danger' : undefined} data-testid="case-due">{fmtTime(c.dueAt)}</Typography.Text><DueTags c={c} /></Space>
            : '—',
        },
        { key: 'rule', label: t('caseDeadlineRule'), children: c.deadlineRule || '—' },
        { key: 'who', label: t('caseAssignee'), children: <span data-testid="case-assignee">{c.assigneeName ?? '—'}</span> },
        ...(c.reworkCount || c.extensionCount ? [{ key: 'counts', label: t('caseCounts'), children: t('caseCountsText', { r: c.reworkCount, e: c.extensionCount }) }] : []),
        ...(c.state === 'refused' ? [{
          key: 'refused', label: t('caseRefuseReason'),
          children: (
            <span data-testid="case-refused-reason">
              {c.refusedReason === 'duplicate' ? t('caseRefuseDuplicate') : c.refusedReason === 'invalid' ? t('caseRefuseInvalid') : c.refusedReason ?? ''}
              {c.duplicateOf ? <> → <a href={`#/cases/${c.duplicateOf}`}>{duplicateNo(c) ?? `#${c.duplicateOf}`}</a></> : null}
            </span>
          ),
        }] : []),
      ]} />
      {actions.length > 0 && (
        <div style={{ marginTop: 12, display: 'flex', flexWrap: 'wrap', gap: 8 }} data-testid="case-actions">
          {actions.map((a) => (
            <Button key={a} type={PRIMARY.includes(a) ? 'primary' : 'default'} danger={DANGER.includes(a)} onClick={() => setActing({ action: a, request: pending ?? undefined })} data-testid={`case-action-${a}`}>
              {actionName(a, lang)}
            </Button>
          ))}
        </div>
      )}
    </Card>
  );

  const requestBox = pending && (
    <Alert
      type="warning"
      showIcon
      data-testid="case-pending-request"
      title={<span>{pending.kind === 'extension' ? t('caseRequestExtension') : t('caseRequestReturn')} · {pending.requesterName ?? '—'} · {fmtTime(pending.requestedAt)}</span>}
      description={
        <div>
          <div style={{ whiteSpace: 'pre-wrap' }}>{pending.reason}</div>
          {pending.requestedDueAt && <div>{t('caseRequestedDue')}{lang === 'zh' ? '：' : ': '}{fmtTime(pending.requestedDueAt)}</div>}
          {(c.allowed.includes('approve') || c.allowed.includes('reject')) && (
            <Space style={{ marginTop: 8 }}>
              {c.allowed.includes('approve') && <Button type="primary" size="small" onClick={() => setActing({ action: 'approve', request: pending })} data-testid="case-action-approve">{actionName('approve', lang)}</Button>}
              {c.allowed.includes('reject') && <Button danger size="small" onClick={() => setActing({ action: 'reject', request: pending })} data-testid="case-action-reject">{actionName('reject', lang)}</Button>}
            </Space>
          )}
        </div>
      }
    />
  );

  return (
    <div style={{ maxWidth: 1280, margin: '0 auto' }}>
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={14}>
          <Space orientation="vertical" size={12} style={{ width: '100%' }}>
            {header}
            {requestBox}
            {c.source === 'public' && (
              <Alert type="info" showIcon data-testid="case-intake-link" title={<a href={`#/intake?view=all&case=${c.id}`}>群众上报：审核与查重</a>} />
            )}
            <PhotoCompare photos={c.photos} />
            {c.lat != null && c.lng != null && (
              <Card size="small" title={t('caseLocation')}>
                <LocationMap readOnly areaId={c.areaId} value={{ lat: c.lat, lng: c.lng }} height={screens.md ? 260 : 200} testId="case-map" />
              </Card>
            )}
          </Space>
        </Col>
        <Col xs={24} lg={10}>
          <StepsTimeline steps={c.steps} photos={c.photos} />
        </Col>
      </Row>
      {acting && (
        <ActionModal
          c={c}
          action={acting.action}
          request={acting.request}
          onClose={() => setActing(null)}
          onDone={(next) => { setActing(null); if (next) setC(next); else void load(); }}
        />
      )}
    </div>
  );
}

/** The original's number, as the refusal step recorded it. */
function duplicateNo(c: CaseDetail): string | null {
  const s = [...c.steps].reverse().find((x) => x.action === 'refuse');
  const v = (s?.data as { duplicateOf?: unknown } | null)?.duplicateOf;
  return typeof v === 'string' ? v : null;
}

function PhotoTile({ p, size }: { p: CasePhotoView; size: number }) {
  const { t } = useI18n();
  return (
    <div style={{ width: size }} data-testid="compare-photo" data-phase={p.phase ?? ''} data-flags={p.flags.map((f) => f.code).join(',')}>
      <Image
        src={p.thumbUrl}
        preview={{ src: p.url }}
        width={size}
        height={size}
        style={{ objectFit: 'cover', borderRadius: 6 }}
        alt={`${p.phase ?? ''} ${p.id}`}
      />
      <div style={{ fontSize: 12, color: 'rgba(0,0,0,.45)', lineHeight: 1.4, marginTop: 2 }}>
        {p.takenAt ? `${t('casePhotoTaken')} ${fmtTime(p.takenAt)}` : t('casePhotoNoTime')}
      </div>
      {p.flags.map((f, i) => (
        <div key={i} data-testid="photo-flag-text" style={{ fontSize: 12, lineHeight: 1.4 }}>
          <Typography.Text type="warning"><WarningOutlined /> {f.message}</Typography.Text>
        </div>
      ))}
    </div>
  );
}

/** 整改前后对比: before on the left, after on the right; thumbnails open large; flags are warnings beside each photo. */
function PhotoCompare({ photos }: { photos: CasePhotoView[] }) {
  const { t } = useI18n();
  const screens = Grid.useBreakpoint();
  const before = photos.filter((p) => p.phase === 'before' || p.phase === null);
  const after = photos.filter((p) => p.phase === 'after');
  const check = photos.filter((p) => p.phase === 'check');
  const size = screens.xl ? 180 : screens.md ? 150 : 140;
  const column = (title: string, list: CasePhotoView[], testId: string, color: string) => (
    <div data-testid={testId} style={{ flex: 1, minWidth: 0 }}>
      <div style={{ marginBottom: 6 }}><Tag color={color}>{title}</Tag><Typography.Text type="secondary">{list.length}</Typography.Text></div>
      {list.length === 0
        ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('caseNoPhotos')} style={{ margin: 8 }} />
        : (
          <Image.PreviewGroup>
            <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
              {list.map((p) => <PhotoTile key={p.id} p={p} size={size} />)}
            </div>
          </Image.PreviewGroup>
        )}
    </div>
  );
  const flagged = photos.filter((p) => p.flags.length > 0).length;
  return (
    <Card size="small" title={t('caseCompare')} data-testid="case-compare" extra={flagged > 0 ? <Tag color="warning" icon={<WarningOutlined />}>{t('caseFlaggedPhotos', { n: flagged })}</Tag> : null}>
      <div style={{ display: 'flex', gap: 12, alignItems: 'flex-start' }}>
        {column(t('caseBefore'), before, 'compare-before', 'default')}
        <div style={{ width: 1, alignSelf: 'stretch', background: '#f0f0f0' }} />
        {column(t('caseAfter'), after, 'compare-after', 'green')}
      </div>
      {check.length > 0 && <div style={{ marginTop: 12 }}>{column(t('caseCheckPhotos'), check, 'compare-check', 'purple')}</div>}
    </Card>
  );
}

function stepDetails(s: CaseStepView, t: ReturnType<typeof useI18n>['t'], lang: string): string[] {
  const d = (s.data ?? {}) as Record<string, unknown>;
  const colon = lang === 'zh' ? '：' : ': ';
  const out: string[] = [];
  if (typeof d.assigneeName === 'string') out.push(`${t('caseDispatchTo')}${colon}${d.assigneeName}`);
  if (d.reason === 'invalid') out.push(t('caseRefuseInvalid'));
  if (d.reason === 'duplicate') out.push(`${t('caseRefuseDuplicate')}${d.duplicateOf != null ? `${colon}${String(d.duplicateOf)}` : ''}`);
  if ((s.action === 'approve' || s.action === 'reject') && (d.kind === 'extension' || d.kind === 'return')) out.push(d.kind === 'extension' ? t('caseRequestExtension') : t('caseRequestReturn'));
  if (typeof d.requestedDueAt === 'string') out.push(`${t('caseRequestedDue')}${colon}${fmtTime(d.requestedDueAt)}`);
  if (typeof d.dueAt === 'string') out.push(`${t('caseDue')}${colon}${fmtTime(d.dueAt)}${typeof d.rule === 'string' ? `（${d.rule}）` : ''}`);
  return out;
}

function StepsTimeline({ steps, photos }: { steps: CaseStepView[]; photos: CasePhotoView[] }) {
  const { t, lang } = useI18n();
  const sorted = [...steps].sort((a, b) => a.seq - b.seq);
  const color = (a: string) => (a === 'pass' ? 'green' : a === 'rework' || a === 'refuse' || a === 'reject' ? 'red' : a.startsWith('request') ? 'orange' : 'blue');
  return (
    <Card size="small" title={t('caseTimeline')} data-testid="case-timeline">
      {sorted.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> : (
        <Timeline
          items={sorted.map((s) => {
            const pics = photos.filter((p) => p.stepSeq === s.seq);
            return {
              key: s.seq,
              color: color(s.action),
              content: (
                <div data-testid="case-step" data-action={s.action}>
                  <div><Typography.Text strong>{actionName(s.action, lang)}</Typography.Text> <Typography.Text type="secondary">· {s.actorName ?? '—'} · {fmtTime(s.at)}</Typography.Text></div>
                  {stepDetails(s, t, lang).map((x, i) => <div key={i} style={{ fontSize: 13 }}>{x}</div>)}
                  {s.note && <div style={{ whiteSpace: 'pre-wrap', fontSize: 13, color: 'rgba(0,0,0,.75)' }}>{s.note}</div>}
                  {pics.length > 0 && (
                    <Image.PreviewGroup>
                      <Space size={4} wrap style={{ marginTop: 4 }}>
                        {pics.map((p) => <Image key={p.id} src={p.thumbUrl} preview={{ src: p.url }} width={56} height={56} style={{ objectFit: 'cover', borderRadius: 4 }} alt={String(p.id)} />)}
                      </Space>
                    </Image.PreviewGroup>
                  )}
                </div>
              ),
            };
          })}
        />
      )}
    </Card>
  );
}

interface ActionForm { note?: string; reason?: 'invalid' | 'duplicate'; duplicateOf?: number; assigneeId?: number; requestedDueAt?: Dayjs }

function ActionModal({ c, action, request, onClose, onDone }: {
  c: CaseDetail; action: CaseAction; request?: CaseRequestView; onClose: () => void; onDone: (next: CaseDetail | null) => void;
}) {
  const { t, lang } = useI18n();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<ActionForm>();
  const photos = usePhotoUploads();
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [assignees, setAssignees] = useState<Assignee[] | null>(null);
  const [dupOptions, setDupOptions] = useState<{ value: number; label: string }[]>([]);
  const reason = Form.useWatch('reason', form);

  useEffect(() => {
    if (action !== 'dispatch') return;
    casesApi.assignees(c.id).then((list) => {
      const sorted = [...list].sort((a, b) => Number(b.suggested) - Number(a.suggested));
      setAssignees(sorted);
      const s = sorted.find((a) => a.suggested);
      if (s) form.setFieldValue('assigneeId', s.userId);
    }).catch((e) => { setAssignees([]); setError(errorText(e)); });
  }, [action, c.id, form]);

  const searchDup = useMemo(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    return (q: string) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (!q.trim()) { setDupOptions([]); return; }
        casesApi.list({ q: q.trim() }, 1, 20)
          .then((p) => setDupOptions(p.items.filter((x) => x.id !== c.id).map((x) => ({ value: x.id, label: `${x.no} · ${x.categoryName} · ${x.areaName}` }))))
          .catch(() => setDupOptions([]));
      }, 250);
    };
  }, [c.id]);

  const noteRequired = NOTE_REQUIRED.includes(action);
  const title = action === 'approve' || action === 'reject'
    ? `${actionName(action, lang)} · ${request?.kind === 'extension' ? t('caseRequestExtension') : t('caseRequestReturn')}`
    : actionName(action, lang);

  const submit = async () => {
    let v: ActionForm;
    try { v = await form.validateFields(); } catch { return; }
    if (photos.busy) { setError(t('casePhotosUploading')); return; }
    if (action === 'feedback') {
      if (photos.busy) { setError(t('casePhotosUploading')); return; }
      if (photos.photos.length === 0) { setError(t('caseAfterPhotoNeeded')); return; }
    }
    const input: StepInput = { action, version: c.version, note: v.note?.trim() || undefined };
    if (action === 'refuse') { input.reason = v.reason; if (v.reason === 'duplicate') input.duplicateOf = v.duplicateOf; }
    if (action === 'dispatch') input.assigneeId = v.assigneeId;
    if (action === 'feedback' || ((action === 'pass' || action === 'rework') && photos.photos.length)) input.photoIds = photos.photos.map((p) => p.id);
    if (action === 'request_extension') input.requestedDueAt = v.requestedDueAt?.toISOString();
    if ((action === 'approve' || action === 'reject') && request) input.requestId = request.id;
    setSending(true);
    setError(null);
    try {
      const next = await casesApi.step(c.id, input);
      message.success(t('caseStepDone', { a: actionName(action, lang) }));
      onDone(next);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        modal.warning({ title: t('caseConflict'), content: e.message, okText: t('ok') });
        onDone(null);
      } else {
        setError(errorText(e));
      }
    } finally {
      setSending(false);
    }
  };

  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={actionName(action, lang)}
      cancelText={t('cancel')}
      confirmLoading={sending}
      okButtonProps={{ danger: DANGER.includes(action), disabled: photos.busy, ...({ 'data-testid': 'case-action-submit' } as object) }}
      destroyOnHidden
      data-testid="case-action-modal"
    >
      <Form form={form} layout="vertical" initialValues={{ reason: 'invalid' }}>
        {action === 'refuse' && (
          <>
            <Form.Item name="reason" label={t('caseRefuseReason')} rules={[{ required: true }]}>
              <Radio.Group data-testid="refuse-reason" options={[{ value: 'invalid', label: t('caseRefuseInvalid') }, { value: 'duplicate', label: t('caseRefuseDuplicate') }]} />
            </Form.Item>
            {reason === 'duplicate' && (
              <Form.Item name="duplicateOf" label={t('caseDuplicateOf')} rules={[{ required: true, message: t('caseDuplicateOfNeeded') }]}>
                <Select showSearch={{ filterOption: false, onSearch: searchDup }} options={dupOptions} placeholder={t('caseDuplicateOfHint')} notFoundContent={t('noResults')} data-testid="refuse-duplicate" />
              </Form.Item>
            )}
          </>
        )}
        {action === 'dispatch' && (
          <Form.Item name="assigneeId" label={t('caseDispatchTo')} rules={[{ required: true, message: t('caseAssigneeNeeded') }]}>
            <Select
              data-testid="dispatch-assignee"
              loading={assignees === null}
              showSearch={{ optionFilterProp: 'search' }}
              options={(assignees ?? []).map((a) => ({ value: a.userId, search: `${a.displayName} ${a.kindName ?? ''} ${a.areaName ?? ''}`, label: (
                <span>{a.displayName} {a.suggested && <Tag color="green" style={{ marginInlineStart: 4 }}>{t('caseSuggested')}</Tag>}<Typography.Text type="secondary" style={{ fontSize: 12 }}>{[a.kindName, a.areaName].filter(Boolean).join(' · ')}</Typography.Text></span>
              ) }))}
            />
          </Form.Item>
        )}
        {action === 'feedback' && (
          <Form.Item label={t('caseAfterPhotos')} required>
            <PhotoUploads state={photos} testId="feedback-photos" label={t('caseAddAfterPhoto')} />
          </Form.Item>
        )}
        {action === 'request_extension' && (
          <Form.Item name="requestedDueAt" label={t('caseRequestedDue')} rules={[{ required: true, message: t('caseRequestedDueNeeded') }, {
            validator: (_, v: Dayjs | undefined) => (!v || v.isAfter(c.dueAt ? dayjs(c.dueAt) : dayjs()) ? Promise.resolve() : Promise.reject(new Error(t('caseRequestedDueLater')))),
          }]}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} data-testid="extension-due"
              disabledDate={(d) => d.isBefore(dayjs().startOf('day'))} />
          </Form.Item>
        )}
        {action === 'pass' && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('casePassHint')} />}
        {(action === 'pass' || action === 'rework') && (
          <Form.Item label={t('caseCheckPhotosOptional')}>
            <PhotoUploads state={photos} testId="check-photos" />
          </Form.Item>
        )}
        <Form.Item name="note" label={action === 'refuse' || action.startsWith('request') ? t('caseReason') : t('note')}
          rules={noteRequired ? [{ required: true, whitespace: true, message: t('caseNoteNeeded') }] : []}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={1000} data-testid="action-note" />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} data-testid="action-error" />}
    </Modal>
  );
}
