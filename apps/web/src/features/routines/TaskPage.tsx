// 任务: one routine task's checklist, by section, made for a phone. yes/no items are two big buttons
// (合格 / 不合格, and 不适用), scores a segmented 0..N, counts a number, photos the case upload, notes text.
// A failed item asks what is wrong and whether to raise a case (on when the item has a category).
// The answers and the client id stay in localStorage until the server answers, so a retry sends the
// same clientId and the server keeps one result. A task already done shows its result read-only.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Alert, App, Button, Card, Descriptions, Empty, Grid, Image, Input, InputNumber, Progress, Result, Segmented, Space, Spin, Switch, Tag, Typography,
} from 'antd';
import { ArrowLeftOutlined, CheckOutlined, CloseOutlined, FileSearchOutlined, MinusOutlined, SendOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { ApiError, errorText } from '../../api';
import { useI18n } from '../../i18n';
import { navigate } from '../../router';
import { useSession } from '../../session';
import type { CasePhotoView } from '../../../../../packages/shared/src/cases';
import { newClientId } from '../cases/api';
import { PhotoUploads, usePhotoUploads } from '../cases/PhotoUploads';
import { routinesApi, type Answer, type AnswerValue, type ChecklistItem, type TaskDetail, type TaskResult } from './api';
import { StatusTag, fmtPercent, isAnswered, isFailed, isScored, preview, shortDay, todayInChina, windowText } from './common';
import { FieldPanel } from './FieldPanels';

interface ItemDraft { value?: AnswerValue; note?: string; photos?: CasePhotoView[]; raiseCase?: boolean }
interface Draft { clientId?: string; items: Record<string, ItemDraft>; note?: string }

const draftKey = (userId: number, taskId: number) => `wangge.routines.taskDraft.${userId}.${taskId}`;
function readDraft(userId: number, taskId: number): Draft | null {
  try {
    const raw = localStorage.getItem(draftKey(userId, taskId));
    const d = raw ? (JSON.parse(raw) as Draft) : null;
    return d && typeof d === 'object' && d.items && typeof d.items === 'object' ? d : null;
  } catch { return null; }
}
function writeDraft(userId: number, taskId: number, d: Draft | null) {
  try {
    if (d) localStorage.setItem(draftKey(userId, taskId), JSON.stringify(d));
    else localStorage.removeItem(draftKey(userId, taskId));
  } catch { /* storage full or private mode: the form still works, without the safety net */ }
}

/** Items grouped by section, in the template's order. */
function bySection(items: ChecklistItem[]): { section: string; items: ChecklistItem[] }[] {
  const out: { section: string; items: ChecklistItem[] }[] = [];
  for (const it of items) {
    const same = out.find((s) => s.section === it.section);
    if (same) same.items.push(it);
    else out.push({ section: it.section, items: [it] });
  }
  return out;
}

export function TaskPage({ id }: { id: number }) {
  const { t } = useI18n();
  const [detail, setDetail] = useState<TaskDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [justSubmitted, setJustSubmitted] = useState(false);
  const { me } = useSession();

  const load = useCallback(async () => {
    try { setDetail(await routinesApi.task(id)); setError(null); } catch (e) { setError(errorText(e)); }
  }, [id]);
  useEffect(() => { void load(); }, [load]);
  // A result on the server (also one whose answer got lost on the way back): the draft has done its job.
  const done = !!detail?.result;
  useEffect(() => { if (done) writeDraft(me.id, id, null); }, [done, me.id, id]);

  if (error && !detail) {
    return (
      <div style={{ maxWidth: 720, margin: '0 auto' }} data-testid="task-page">
        <BackLink />
        <Alert type="error" showIcon title={error} data-testid="task-load-error" action={<Button size="small" onClick={() => void load()}>{t('rtRetry')}</Button>} />
      </div>
    );
  }
  if (!detail) return <div style={{ textAlign: 'center', padding: 48 }}><Spin /></div>;

  return (
    <div style={{ maxWidth: 720, margin: '0 auto' }} data-testid="task-page" data-task-status={detail.task.status}>
      <BackLink />
      <TaskHeader detail={detail} />
      <FieldPanel kind={detail.plan.kind} taskId={detail.task.id} mayDo={detail.mayDo !== false} />
      {detail.result ? (
        <ResultView detail={detail} result={detail.result} justSubmitted={justSubmitted} />
      ) : (
        <ChecklistForm
          detail={detail}
          onSubmitted={(result) => {
            setJustSubmitted(true);
            setDetail((d) => (d ? { ...d, result, task: { ...d.task, status: d.task.dueDate >= todayInChina() ? 'done' : 'late', doneAt: result.submittedAt } } : d));
            window.scrollTo({ top: 0 });
            void load();
          }}
          onStale={() => void load()}
        />
      )}
    </div>
  );
}

function BackLink() {
  const { t } = useI18n();
  return (
    <Button type="link" icon={<ArrowLeftOutlined />} onClick={() => navigate('/tasks')} style={{ paddingInline: 0, marginBottom: 4 }} data-testid="task-back">
      {t('menuTasks')}
    </Button>
  );
}

function TaskHeader({ detail }: { detail: TaskDetail }) {
  const { t } = useI18n();
  const { task, template } = detail;
  return (
    <Card size="small" style={{ marginBottom: 12 }}>
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8 }}>
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="task-plan">{task.planName}</Typography.Title>
        <StatusTag status={task.status} />
      </div>
      <div style={{ marginTop: 4 }}>
        <Typography.Text strong style={{ fontSize: 15 }} data-testid="task-area">{task.areaName}</Typography.Text>
        <Typography.Text type="secondary"> · {task.period}{template ? ` · ${template.name}` : ''}</Typography.Text>
      </div>
      <div style={{ fontSize: 13, display: 'flex', gap: 12, flexWrap: 'wrap', marginTop: 2 }}>
        <Typography.Text type="secondary">{t('rtWindow')} {windowText(task, t('rtTo'))}</Typography.Text>
        <Typography.Text type={task.status === 'overdue' ? 'danger' : 'secondary'}>{t('rtDue')} {shortDay(task.dueDate)}</Typography.Text>
        <Typography.Text type="secondary">{task.userName ?? t('rtAreaTask')}</Typography.Text>
      </div>
    </Card>
  );
}

// ------------------------------------------------------------------ the form

function ChecklistForm({ detail, onSubmitted, onStale }: { detail: TaskDetail; onSubmitted(r: TaskResult): void; onStale(): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { me } = useSession();
  const { task } = detail;
  const items = useMemo(() => detail.template?.items ?? [], [detail.template]);
  const sections = useMemo(() => bySection(items), [items]);
  const [restored] = useState(() => readDraft(me.id, task.id));
  const [draft, setDraft] = useState<Draft>(() => restored ?? { items: {} });
  const [busy, setBusy] = useState<Record<string, boolean>>({});
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<{ text: string; network: boolean; details?: string[] } | null>(null);
  const [showMissing, setShowMissing] = useState(false);
  const formRef = useRef<HTMLDivElement>(null);

  const mayDo = detail.mayDo !== false;
  const today = todayInChina();
  const notYet = task.windowStart > today;

  // Keep the answers (with their photos) in localStorage while they are being filled in.
  const started = draft.clientId || draft.note || Object.keys(draft.items).length > 0;
  useEffect(() => {
    if (started) writeDraft(me.id, task.id, draft);
  }, [draft, started, me.id, task.id]);

  const setItem = useCallback((itemId: string, p: Partial<ItemDraft>) => {
    setDraft((d) => ({ ...d, items: { ...d.items, [itemId]: { ...d.items[itemId], ...p } } }));
  }, []);
  const setPhotos = useCallback((itemId: string, photos: CasePhotoView[], uploading: boolean) => {
    setDraft((d) => {
      const cur = d.items[itemId]?.photos ?? [];
      if (cur.length === photos.length && cur.every((p, i) => p.id === photos[i]!.id)) return d;
      return { ...d, items: { ...d.items, [itemId]: { ...d.items[itemId], photos } } };
    });
    setBusy((b) => (!!b[itemId] === uploading ? b : { ...b, [itemId]: uploading }));
  }, []);

  const answerOf = (it: ChecklistItem) => {
    const d = draft.items[it.id];
    return { value: d?.value, note: d?.note, photoCount: d?.photos?.length ?? 0 };
  };
  const missing = items.filter((it) => it.required && !isAnswered(it, answerOf(it)));
  const answeredCount = items.filter((it) => isAnswered(it, answerOf(it))).length;
  const failed = items.filter((it) => isFailed(it, draft.items[it.id]?.value));
  const raising = failed.filter((it) => it.categoryCode && draft.items[it.id]?.raiseCase !== false).length;
  const live = preview(items, (id) => draft.items[id]?.value);
  const anyScored = items.some((it) => isScored(it) && draft.items[it.id]?.value != null);
  const uploading = Object.values(busy).some(Boolean);

  const answers = (): Answer[] => items.map((it) => {
    const d = draft.items[it.id] ?? {};
    const photoIds = (d.photos ?? []).map((p) => p.id);
    if (it.kind === 'photo') return { itemId: it.id, value: null, ...(photoIds.length ? { photoIds } : {}) };
    if (it.kind === 'note') return { itemId: it.id, value: null, ...(d.note?.trim() ? { note: d.note.trim() } : {}) };
    const value = d.value ?? null;
    if (isScored(it) && isFailed(it, value)) {
      return {
        itemId: it.id, value, ...(d.note?.trim() ? { note: d.note.trim() } : {}), ...(photoIds.length ? { photoIds } : {}),
        ...(it.categoryCode ? { raiseCase: d.raiseCase !== false } : {}),
      };
    }
    return { itemId: it.id, value };
  });

  const submit = async () => {
    if (missing.length) {
      setShowMissing(true);
      setError({ text: t('rtMissing', { f: missing.map((m) => m.label).join('、') }), network: false });
      const first = formRef.current?.querySelector(`[data-item-id="${CSS.escape(missing[0]!.id)}"]`);
      first?.scrollIntoView({ behavior: 'smooth', block: 'center' });
      return;
    }
    if (uploading) { setError({ text: t('casePhotosUploading'), network: false }); return; }
    const clientId = draft.clientId ?? newClientId();
    const kept: Draft = { ...draft, clientId };
    setDraft(kept);
    writeDraft(me.id, task.id, kept); // before the request: a lost answer is retried with the same id
    setSending(true);
    setError(null);
    try {
      const r = await routinesApi.submit(task.id, { clientId, answers: answers(), note: draft.note?.trim() || undefined });
      writeDraft(me.id, task.id, null);
      message.success(t('rtSubmitted'));
      onSubmitted(r);
    } catch (e) {
      const network = e instanceof ApiError && e.status === 0;
      const details = e instanceof ApiError ? e.details?.map((d) => d.message).filter((m, i, a) => a.indexOf(m) === i) : undefined;
      if (e instanceof ApiError && e.code === 'ALREADY_SUBMITTED') {
        // Someone (or another device) sent the result: nothing of ours was saved; show what was.
        writeDraft(me.id, task.id, null);
        message.warning(e.message);
        onStale();
        return;
      }
      setError({ text: network ? `${errorText(e)}。${t('rtRetrySafe')}` : errorText(e), network, details: details && details.length > 1 ? details : undefined });
    } finally {
      setSending(false);
    }
  };

  const clear = () => {
    writeDraft(me.id, task.id, null);
    setDraft({ items: {} });
    setShowMissing(false);
    setError(null);
  };

  return (
    <div ref={formRef} data-testid="task-form">
      {!mayDo && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('rtNotMine', { name: task.userName ?? '—' })} data-testid="task-not-mine" />}
      {mayDo && notYet && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('rtNotYet', { d: task.windowStart })} data-testid="task-not-yet" />}
      {restored?.clientId && !error && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('rtDraftPending')} data-testid="task-draft-pending" />
      )}
      {items.length === 0 && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('rtNoChecklist')} />}
      {sections.map((s) => (
        <Card key={s.section} size="small" title={s.section} style={{ marginBottom: 12 }} styles={{ body: { padding: 0 } }} data-testid="task-section">
          {s.items.map((it, i) => (
            <ItemField
              key={it.id}
              item={it}
              draft={draft.items[it.id]}
              first={i === 0}
              disabled={!mayDo || sending}
              missing={showMissing && !!it.required && !isAnswered(it, answerOf(it))}
              onChange={setItem}
              onPhotos={setPhotos}
            />
          ))}
        </Card>
      ))}
      <Card size="small" style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary" style={{ fontSize: 13 }}>{t('rtOverallNote')}</Typography.Text>
        <Input.TextArea
          value={draft.note ?? ''}
          onChange={(e) => setDraft((d) => ({ ...d, note: e.target.value }))}
          autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} disabled={!mayDo || sending} data-testid="task-note" style={{ marginTop: 4 }}
        />
      </Card>

      {error && (
        <Alert
          type="error" showIcon style={{ marginBottom: 12 }} title={error.text} data-testid="task-error"
          description={error.details ? <ul style={{ margin: 0, paddingInlineStart: 18 }}>{error.details.map((d) => <li key={d}>{d}</li>)}</ul> : undefined}
        />
      )}
      {mayDo && (
        <div style={{ position: 'sticky', bottom: 0, background: '#fff', padding: '8px 0', borderTop: '1px solid #f0f0f0', zIndex: 5 }}>
          <div style={{ display: 'flex', justifyContent: 'space-between', fontSize: 12, marginBottom: 6, gap: 8, flexWrap: 'wrap' }} data-testid="task-progress">
            <Typography.Text type="secondary">{t('rtAnswered', { a: answeredCount, n: items.length })}</Typography.Text>
            {anyScored && live.percent !== null && <Typography.Text type="secondary" data-testid="task-preview">{t('rtPreview', { p: fmtPercent(live.percent) })}</Typography.Text>}
            {failed.length > 0 && <Typography.Text type="danger">{t('rtFailedCount', { n: failed.length })}{raising ? ` · ${t('rtCasesToRaise', { n: raising })}` : ''}</Typography.Text>}
          </div>
          <div style={{ display: 'flex', gap: 8 }}>
            {started && !sending && <Button size="large" onClick={clear} data-testid="task-clear">{t('caseClearForm')}</Button>}
            <Button
              type="primary" size="large" block icon={<SendOutlined />} loading={sending} disabled={notYet || uploading}
              onClick={() => void submit()} data-testid="task-submit"
            >
              {uploading ? t('casePhotosUploading') : draft.clientId ? t('rtSubmitAgain') : t('rtSubmit')}
            </Button>
          </div>
        </div>
      )}
    </div>
  );
}

const BIG = { height: 44, fontSize: 16 } as const;

function ItemField({ item, draft, first, disabled, missing, onChange, onPhotos }: {
  item: ChecklistItem; draft: ItemDraft | undefined; first: boolean; disabled: boolean; missing: boolean;
  onChange(id: string, p: Partial<ItemDraft>): void; onPhotos(id: string, photos: CasePhotoView[], busy: boolean): void;
}) {
  const { t } = useI18n();
  const v = draft?.value;
  const failed = isFailed(item, v);
  const set = (p: Partial<ItemDraft>) => onChange(item.id, p);
  return (
    <div
      data-testid="task-item" data-item-id={item.id} data-kind={item.kind} data-failed={failed || undefined} data-missing={missing || undefined}
      style={{ padding: '10px 12px', borderTop: first ? undefined : '1px solid #f0f0f0', background: missing ? '#fff2f0' : failed ? '#fffbe6' : undefined }}
    >
      <div style={{ marginBottom: 6, fontSize: 15, lineHeight: 1.4 }}>
        {item.required && <span style={{ color: '#ff4d4f', marginInlineEnd: 4 }} title={t('rtRequired')} data-testid="item-required">*</span>}
        <span data-testid="item-label">{item.label}</span>
        {isScored(item) && <Typography.Text type="secondary" style={{ fontSize: 12 }}> （{t('rtPoints', { n: item.weight })}）</Typography.Text>}
      </div>

      {item.kind === 'yes_no' && (
        <div style={{ display: 'flex', gap: 8 }}>
          <Button
            style={{ ...BIG, flex: 1 }} color="green" variant={v === true ? 'solid' : 'outlined'} icon={<CheckOutlined />} disabled={disabled}
            onClick={() => set({ value: v === true ? null : true })} data-testid="item-yes" aria-pressed={v === true}
          >{t('rtPass')}</Button>
          <Button
            style={{ ...BIG, flex: 1 }} color="danger" variant={v === false ? 'solid' : 'outlined'} icon={<CloseOutlined />} disabled={disabled}
            onClick={() => set({ value: v === false ? null : false })} data-testid="item-no" aria-pressed={v === false}
          >{t('rtFail')}</Button>
          <NaButton value={v} disabled={disabled} onChange={(value) => set({ value })} />
        </div>
      )}

      {item.kind === 'score' && (
        <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
          {(item.maxScore ?? 0) <= 10 ? (
            <Segmented
              block
              style={{ flex: 1 }}
              size="large"
              disabled={disabled}
              value={typeof v === 'number' ? v : undefined as unknown as number}
              onChange={(n) => set({ value: n as number })}
              options={Array.from({ length: (item.maxScore ?? 0) + 1 }, (_, n) => ({ value: n, label: <span data-testid={`item-score-${n}`}>{n}</span> }))}
              data-testid="item-score"
            />
          ) : (
            <InputNumber
              size="large" min={0} max={item.maxScore} precision={0} disabled={disabled} style={{ flex: 1 }}
              value={typeof v === 'number' ? v : null} onChange={(n) => set({ value: n ?? null })}
              suffix={`/ ${item.maxScore}`} data-testid="item-score-input"
            />
          )}
          <NaButton value={v} disabled={disabled} onChange={(value) => set({ value })} />
        </div>
      )}

      {item.kind === 'count' && (
        <InputNumber
          size="large" min={0} max={1_000_000} precision={0} inputMode="numeric" disabled={disabled} style={{ width: 160 }}
          value={typeof v === 'number' ? v : null} onChange={(n) => set({ value: n ?? null })} data-testid="item-count"
        />
      )}

      {item.kind === 'photo' && <ItemPhotos itemId={item.id} initial={draft?.photos} onPhotos={onPhotos} testId={`item-photo-${item.id}`} />}

      {item.kind === 'note' && (
        <Input.TextArea
          value={draft?.note ?? ''} onChange={(e) => set({ note: e.target.value })} autoSize={{ minRows: 2, maxRows: 8 }} maxLength={2000}
          disabled={disabled} data-testid="item-note"
        />
      )}

      {failed && (
        <div style={{ marginTop: 8, display: 'flex', flexDirection: 'column', gap: 8 }} data-testid="item-failed">
          <Input.TextArea
            value={draft?.note ?? ''} onChange={(e) => set({ note: e.target.value })} autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000}
            placeholder={t('rtFailNoteHint')} disabled={disabled} data-testid="item-fail-note"
          />
          <ItemPhotos itemId={item.id} initial={draft?.photos} onPhotos={onPhotos} testId={`item-photo-${item.id}`} label={t('rtFailPhoto')} />
          {item.categoryCode ? (
            <label style={{ display: 'flex', alignItems: 'center', gap: 8, cursor: 'pointer' }}>
              <Switch checked={draft?.raiseCase !== false} onChange={(on) => set({ raiseCase: on })} disabled={disabled} data-testid="item-raise-case" />
              <span>
                <Typography.Text strong>{t('rtRaiseCase')}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>{t('rtRaiseCaseHint')}</Typography.Text>
              </span>
            </label>
          ) : (
            <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="item-no-category">{t('rtNoCategory')}</Typography.Text>
          )}
        </div>
      )}
      {missing && <Typography.Text type="danger" style={{ fontSize: 12, display: 'block', marginTop: 4 }}>{item.kind === 'photo' ? t('rtPhotoNeeded') : t('rtAnswerNeeded')}</Typography.Text>}
    </div>
  );
}

function NaButton({ value, disabled, onChange }: { value: AnswerValue | undefined; disabled: boolean; onChange(v: AnswerValue): void }) {
  const { t } = useI18n();
  const on = value === 'na';
  return (
    <Button
      style={{ ...BIG, fontSize: 14, paddingInline: 10 }} color="default" variant={on ? 'solid' : 'outlined'} icon={<MinusOutlined />} disabled={disabled}
      onClick={() => onChange(on ? null : 'na')} data-testid="item-na" aria-pressed={on}
    >{t('rtNa')}</Button>
  );
}

/** One item's photos: uploads at once, reports the uploaded ones (and whether any is still going) up. */
function ItemPhotos({ itemId, initial, onPhotos, testId, label }: {
  itemId: string; initial?: CasePhotoView[]; onPhotos(id: string, photos: CasePhotoView[], busy: boolean): void; testId: string; label?: string;
}) {
  const state = usePhotoUploads(initial ?? []);
  useEffect(() => { onPhotos(itemId, state.photos, state.busy); }, [itemId, state.photos, state.busy, onPhotos]);
  return <PhotoUploads state={state} testId={testId} label={label} />;
}

// ------------------------------------------------------------------ the result, read-only

function ResultView({ detail, result, justSubmitted }: { detail: TaskDetail; result: TaskResult; justSubmitted: boolean }) {
  const { t } = useI18n();
  const screens = Grid.useBreakpoint();
  const items = detail.template?.items ?? [];
  const answers = new Map((Array.isArray(result.answers) ? result.answers : []).map((a) => [a.itemId, a]));
  const percent = result.percent;
  const color = percent === null ? undefined : percent >= 90 ? '#52c41a' : percent >= 60 ? '#1677ff' : '#ff4d4f';
  return (
    <div data-testid="task-result">
      <Card size="small" style={{ marginBottom: 12 }}>
        {justSubmitted && <Result status="success" title={t('rtSubmitted')} style={{ padding: '8px 0 0' }} />}
        <div style={{ display: 'flex', alignItems: 'center', gap: 16, flexWrap: 'wrap', justifyContent: justSubmitted ? 'center' : undefined }}>
          {percent !== null && (
            <Progress type="circle" percent={percent} size={screens.md ? 96 : 84} strokeColor={color}
              format={() => <span style={{ fontSize: 20, color }} data-testid="task-percent" data-percent={percent}>{fmtPercent(percent)}</span>} />
          )}
          <Descriptions size="small" column={1} style={{ flex: 1, minWidth: 200 }} items={[
            ...(result.score !== null && result.maxScore !== null
              ? [{ key: 's', label: t('rtScore'), children: <span data-testid="task-score-points">{Math.round(result.score * 10) / 10} / {Math.round(result.maxScore * 10) / 10}</span> }] : []),
            { key: 'at', label: t('rtSubmittedAt'), children: dayjs(result.submittedAt).format('YYYY-MM-DD HH:mm') },
            ...(result.note ? [{ key: 'n', label: t('rtOverallNote'), children: <span style={{ whiteSpace: 'pre-wrap' }}>{result.note}</span> }] : []),
          ]} />
        </div>
      </Card>

      <Card size="small" title={t('rtCasesRaised')} style={{ marginBottom: 12 }} data-testid="task-cases">
        {result.cases.length === 0 ? <Typography.Text type="secondary">{t('rtNoCases')}</Typography.Text> : (
          <Space orientation="vertical" style={{ width: '100%' }}>
            {result.cases.map((c) => (
              <a key={c.id} href={`#/cases/${c.id}`} data-testid="task-case-link" data-case-id={c.id}
                style={{ display: 'flex', alignItems: 'center', gap: 8, padding: '8px 12px', border: '1px solid #f0f0f0', borderRadius: 6 }}>
                <FileSearchOutlined />
                <Typography.Text strong style={{ color: '#1677ff' }}>{c.no}</Typography.Text>
                <span style={{ flex: 1 }} />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('caseOpen')} ›</Typography.Text>
              </a>
            ))}
          </Space>
        )}
      </Card>

      {bySection(items).map((s) => (
        <Card key={s.section} size="small" title={s.section} style={{ marginBottom: 12 }} styles={{ body: { padding: 0 } }}>
          {s.items.map((it, i) => <ItemAnswer key={it.id} item={it} answer={answers.get(it.id)} first={i === 0} />)}
        </Card>
      ))}
      {items.length === 0 && !result.note && <Empty description={t('rtNoChecklist')} />}
    </div>
  );
}

function ItemAnswer({ item, answer, first }: { item: ChecklistItem; answer: Answer | undefined; first: boolean }) {
  const { t } = useI18n();
  const v = answer?.value ?? null;
  const failed = isFailed(item, v);
  let shown: React.ReactNode;
  if (item.kind === 'yes_no') {
    shown = v === true ? <Tag color="green">{t('rtPass')}</Tag> : v === false ? <Tag color="red">{t('rtFail')}</Tag> : v === 'na' ? <Tag>{t('rtNa')}</Tag> : <Tag>{t('rtNotAnswered')}</Tag>;
  } else if (item.kind === 'score') {
    shown = v === 'na' ? <Tag>{t('rtNa')}</Tag> : typeof v === 'number' ? <Tag color={failed ? 'red' : 'blue'}>{v} / {item.maxScore}</Tag> : <Tag>{t('rtNotAnswered')}</Tag>;
  } else if (item.kind === 'count') {
    shown = typeof v === 'number' ? <Typography.Text strong>{v}</Typography.Text> : <Typography.Text type="secondary">—</Typography.Text>;
  } else shown = null;
  const photos = answer?.photoIds ?? [];
  return (
    <div style={{ padding: '8px 12px', borderTop: first ? undefined : '1px solid #f0f0f0', background: failed ? '#fff1f0' : undefined }}
      data-testid="task-answer" data-item-id={item.id} data-failed={failed || undefined}>
      <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8, alignItems: 'center' }}>
        <span style={{ fontSize: 14 }}>{item.label}</span>
        {shown}
      </div>
      {answer?.note && <Typography.Paragraph type={failed ? 'danger' : 'secondary'} style={{ margin: '4px 0 0', whiteSpace: 'pre-wrap', fontSize: 13 }}>{answer.note}</Typography.Paragraph>}
      {photos.length > 0 && (
        <Image.PreviewGroup>
          <Space wrap size={6} style={{ marginTop: 6 }}>
            {photos.map((p) => <Image key={p} src={`/api/v1/photos/${p}/thumb`} preview={{ src: `/api/v1/photos/${p}/file` }} width={72} height={72} style={{ objectFit: 'cover', borderRadius: 4 }} alt="" />)}
          </Space>
        </Image.PreviewGroup>
      )}
      {((item.kind === 'note' && !answer?.note) || (item.kind === 'photo' && photos.length === 0)) && <Typography.Text type="secondary">—</Typography.Text>}
    </div>
  );
}
