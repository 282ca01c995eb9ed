import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Alert, App, AutoComplete, Breadcrumb, Button, Card, Col, DatePicker, Descriptions, Empty, Form, Input, InputNumber, List, Modal,
  Popconfirm, Row, Select, Space, Spin, Switch, Tag, Timeline, Tree, Typography, Grid,
} from 'antd';
import type { TreeDataNode } from 'antd';
import {
  ApartmentOutlined, DeleteOutlined, EditOutlined, InboxOutlined, PhoneOutlined, PlusOutlined, ReloadOutlined, RollbackOutlined, SearchOutlined, SwapOutlined,
} from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api, ApiError, errorText, type Answerable, type Area, type AreaDetail, type AreaHit } from '../api';
import { useI18n } from '../i18n';
import { navigate } from '../router';
import { useSession } from '../session';
import { LevelTag } from '../components/LevelTag';
import { AreaPicker } from '../components/Pickers';
import { ALLOWED_PARENTS, CHILD_LEVELS, LEVELS, LEVEL_BY_KEY, SIZE_CLASSES, type LevelKey } from '../../../../packages/shared/src/mechanism';

export function AreasPage({ areaId }: { areaId?: number }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const [top, setTop] = useState<Area[] | null>(null);
  const [topError, setTopError] = useState<string | null>(null);
  const [kids, setKids] = useState<Record<number, Area[]>>({});
  const kidsRef = useRef(kids);
  kidsRef.current = kids;
  const [expanded, setExpanded] = useState<React.Key[]>([]);
  const [showArchived, setShowArchived] = useState(false);
  const [detail, setDetail] = useState<AreaDetail | null>(null);
  const [detailError, setDetailError] = useState<string | null>(null);
  const [detailLoading, setDetailLoading] = useState(false);

  const loadTop = useCallback(async () => {
    setTopError(null);
    try {
      const list = await api.topAreas();
      setTop(list);
      setKids({});
      return list;
    } catch (e) {
      setTopError(errorText(e));
      return null;
    }
  }, []);

  useEffect(() => {
    void loadTop().then(async (list) => {
      if (!list || list.length !== 1 || areaId) return;
      // One area at the top: open it, going down through single children (province → city →
      // county of a one-town install) so that the town is what an administrator sees first.
      let cur = list[0]!;
      for (let hops = 0; hops < 4 && cur.childCount === 1 && LEVEL_BY_KEY[cur.level].rank < LEVEL_BY_KEY.town.rank; hops++) {
        const below = await api.children(cur.id, false).catch(() => []);
        if (below.length !== 1) break;
        cur = below[0]!;
      }
      navigate(`/areas/${cur.id}`, true);
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loadTop, showArchived]);

  const loadKids = useCallback(async (id: number) => {
    const list = await api.children(id, showArchived);
    setKids((k) => ({ ...k, [id]: list }));
    return list;
  }, [showArchived]);

  // When an area is opened (by click, search or URL): load its detail and unfold the tree down to it.
  const loadDetail = useCallback(async (id: number) => {
    setDetailLoading(true);
    setDetailError(null);
    try {
      const d = await api.area(id);
      setDetail(d);
      return d;
    } catch (e) {
      setDetail(null);
      setDetailError(errorText(e));
      return null;
    } finally {
      setDetailLoading(false);
    }
  }, []);

  // Unfolds the tree from the top down to the area (loading children on the way) and scrolls to it.
  const reveal = useCallback(async (d: AreaDetail, cancelled: () => boolean = () => false) => {
    if (!top) return;
    const chain = [...d.ancestors.map((a) => a.id), d.id];
    const topIds = new Set(top.map((a) => a.id));
    const start = chain.findIndex((id) => topIds.has(id));
    if (start < 0) return;
    const open: number[] = [];
    for (const id of chain.slice(start)) {
      if (id === d.id && d.childCount === 0) break;
      if (!kidsRef.current[id]) {
        try { await loadKids(id); } catch { break; }
      }
      if (cancelled()) return;
      open.push(id);
    }
    setExpanded((ex) => [...new Set([...ex.map(String), ...open.map(String)])]);
    setTimeout(() => scrollTreeTo(d.id), 60);
  }, [top, loadKids]);

  useEffect(() => {
    if (!areaId || !top) return;
    let cancelled = false;
    void (async () => {
      const d = await loadDetail(areaId);
      if (!d || cancelled) return;
      await reveal(d, () => cancelled);
    })();
    return () => { cancelled = true; };
  }, [areaId, top, loadDetail, reveal]);

  const treeData = useMemo(() => {
    const build = (list: Area[]): TreeDataNode[] => list.map((a) => ({
      key: String(a.id),
      isLeaf: a.childCount === 0,
      title: <NodeTitle area={a} />,
      children: kids[a.id] ? build(kids[a.id]!) : undefined,
    }));
    return top ? build(top) : [];
  }, [top, kids]);

  const refreshAfterChange = async (ids: (number | null | undefined)[], reopen?: number) => {
    for (const id of ids) if (id && kidsRef.current[id]) await loadKids(id).catch(() => {});
    if (ids.some((id) => id && top?.some((a) => a.id === id) === false && !kidsRef.current[id])) { /* not in tree */ }
    if (top && ids.some((id) => !id)) await loadTop();
    if (reopen) {
      // The open area stays open: reload it and unfold the tree down to it again (after a move it
      // sits under a new parent, whose children may not have been loaded yet).
      if (reopen === areaId) {
        const d = await loadDetail(reopen);
        if (d) await reveal(d);
      } else navigate(`/areas/${reopen}`);
    }
  };

  const treeHeight = screens.lg ? 'calc(100vh - 250px)' : '45vh';

  return (
    <Row gutter={[12, 12]} data-testid="areas-page">
      <Col xs={24} lg={9} xl={8}>
        <Card
          size="small"
          title={<Space><ApartmentOutlined />{t('menuAreas')}</Space>}
          extra={
            <Space size="small">
              <Switch size="small" checked={showArchived} onChange={setShowArchived} data-testid="show-archived" />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('showArchived')}</Typography.Text>
              <Button size="small" type="text" icon={<ReloadOutlined />} onClick={() => void loadTop()} aria-label={t('refresh')} />
            </Space>
          }
        >
          <AreaSearch />
          {topError && <Alert type="error" showIcon title={topError} style={{ marginTop: 8 }} />}
          {!top && !topError && <div style={{ padding: 24, textAlign: 'center' }}><Spin /></div>}
          <div style={{ marginTop: 8, maxHeight: treeHeight, overflowY: 'auto', overflowX: 'hidden' }} data-testid="area-tree">
            {top && top.length === 0 && <Empty />}
            {top && top.length > 0 && (
              <Tree
                blockNode
                showLine
                treeData={treeData}
                expandedKeys={expanded}
                onExpand={(keys) => setExpanded(keys)}
                selectedKeys={areaId ? [String(areaId)] : []}
                loadData={async (node) => {
                  const id = Number(node.key);
                  if (!kidsRef.current[id]) await loadKids(id).catch((e) => { message.error(errorText(e)); });
                }}
                onSelect={(_keys, info) => {
                  const id = Number(info.node.key);
                  navigate(`/areas/${id}`);
                  if (!info.node.isLeaf) setExpanded((ex) => (ex.map(String).includes(String(id)) ? ex : [...ex, String(id)]));
                }}
              />
            )}
          </div>
        </Card>
      </Col>
      <Col xs={24} lg={15} xl={16}>
        {!areaId && <Card><Empty description={t('selectArea')} /></Card>}
        {areaId && detailError && <Alert type="error" showIcon title={detailError} data-testid="area-error" />}
        {areaId && !detail && detailLoading && <Card><div style={{ padding: 24, textAlign: 'center' }}><Spin /></div></Card>}
        {areaId && detail && detail.id === areaId && (
          <AreaDetailView
            key={detail.id}
            detail={detail}
            topIds={top?.map((a) => a.id) ?? []}
            loading={detailLoading}
            onChanged={refreshAfterChange}
          />
        )}
      </Col>
    </Row>
  );
}

/** Scrolls the tree box vertically (never sideways) so that the node is in view. */
function scrollTreeTo(id: number) {
  const el = document.querySelector(`[data-area-id="${id}"]`);
  const box = el?.closest('[data-testid="area-tree"]');
  if (!el || !box) return;
  const top = el.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
  if (top < box.scrollTop || top > box.scrollTop + box.clientHeight - 30) box.scrollTop = Math.max(0, top - box.clientHeight / 3);
}

function NodeTitle({ area }: { area: Area }) {
  const { t } = useI18n();
  return (
    <span data-testid={`tree-node-${area.code}`} data-area-id={area.id} style={{ opacity: area.archived ? 0.55 : 1 }}>
      <span className="area-node-name">{area.name}</span>{' '}
      <LevelTag level={area.level} />{' '}
      {area.isKey && <Tag color="red" style={{ marginInlineEnd: 2 }}>{t('isKey')}</Tag>}
      {area.archived && <Tag style={{ marginInlineEnd: 2 }}>{t('archived')}</Tag>}
      <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>{area.code}</Typography.Text>
    </span>
  );
}

function AreaSearch() {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<AreaHit[]>([]);
  const [searching, setSearching] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const seq = useRef(0);
  useEffect(() => () => clearTimeout(timer.current), []);
  const search = (v: string) => {
    setQ(v);
    clearTimeout(timer.current);
    if (!v.trim()) { setHits([]); return; }
    timer.current = setTimeout(async () => {
      const my = ++seq.current;
      setSearching(true);
      try {
        const r = await api.searchAreas(v.trim(), undefined, 30);
        if (my === seq.current) setHits(r);
      } catch {
        if (my === seq.current) setHits([]);
      } finally {
        if (my === seq.current) setSearching(false);
      }
    }, 250);
  };
  return (
    <AutoComplete
      style={{ width: '100%' }}
      value={q}
      onSearch={search}
      onChange={(v) => setQ(String(v ?? ''))}
      onSelect={(v) => { setQ(''); setHits([]); navigate(`/areas/${v}`); }}
      notFoundContent={q.trim() && !searching ? t('noResults') : undefined}
      options={hits.map((h) => ({
        value: String(h.id),
        label: (
          <div data-testid={`search-hit-${h.code}`}>
            <div>{h.name} <LevelTag level={h.level} /> <Typography.Text type="secondary" style={{ fontSize: 12 }}>{h.code}</Typography.Text></div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{h.trail}</Typography.Text>
          </div>
        ),
      }))}
    >
      <Input prefix={<SearchOutlined />} placeholder={t('searchAreas')} allowClear data-testid="area-search" />
    </AutoComplete>
  );
}

function AreaDetailView({ detail, topIds, loading, onChanged }: {
  detail: AreaDetail; topIds: number[]; loading: boolean;
  onChanged: (refreshKidsOf: (number | null | undefined)[], reopen?: number) => Promise<void>;
}) {
  const { t, size } = useI18n();
  const { message } = App.useApp();
  const session = useSession();
  // 新建/编辑/移动/归档/删除 need the duty network.manage in this area (held here or above).
  const manage = session.can('network.manage', [...detail.ancestors.map((a) => a.id), detail.id]);
  const [editing, setEditing] = useState(false);
  const [adding, setAdding] = useState(false);
  const [moving, setMoving] = useState(false);
  const [busy, setBusy] = useState(false);

  const act = async (fn: () => Promise<unknown>, after: () => Promise<void>) => {
    setBusy(true);
    try {
      await fn();
      message.success(t('saved'));
      await after();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'HAS_RECORDS') message.error(`${t('hasRecords')} ${e.message}`, 6);
      else message.error(errorText(e), 5);
    } finally {
      setBusy(false);
    }
  };

  const yesNo = (b: boolean) => (b ? t('yes') : t('no'));
  const num = (n: number | null) => (n === null || n === undefined ? '—' : n.toLocaleString());
  const parentId = detail.parentId;
  // Ancestors above the user's own areas are shown but not links (opening them would be refused).
  const firstVisible = detail.ancestors.findIndex((a) => topIds.includes(a.id));
  const visibleFrom = firstVisible < 0 ? detail.ancestors.length : firstVisible;

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Card
        size="small"
        loading={false}
        data-testid="area-detail"
        title={
          <Space wrap size={6}>
            <Typography.Text strong style={{ fontSize: 16 }} data-testid="area-title">{detail.name}</Typography.Text>
            <LevelTag level={detail.level} />
            {detail.isKey && <Tag color="red">{t('isKey')}</Tag>}
            {detail.archived && <Tag data-testid="area-archived-tag">{t('archived')}</Tag>}
            {detail.demo && <Tag color="default" data-testid="demo-tag">{t('demoData')}</Tag>}
            {loading && <Spin size="small" />}
          </Space>
        }
      >
        <Breadcrumb
          style={{ marginBottom: 12 }}
          data-testid="area-breadcrumb"
          items={[...detail.ancestors.map((a, i) => ({
            title: i >= visibleFrom ? <a onClick={() => navigate(`/areas/${a.id}`)}>{a.name}</a> : a.name,
          })), { title: detail.name }]}
        />
        <Descriptions size="small" bordered column={{ xs: 1, sm: 2, md: 2, lg: 2, xl: 3 }}>
          <Descriptions.Item label={t('code')}><span data-testid="area-code">{detail.code}</span></Descriptions.Item>
          <Descriptions.Item label={t('level')}><LevelTag level={detail.level} /></Descriptions.Item>
          {detail.officialName && detail.officialName !== detail.name && <Descriptions.Item label={t('officialName')}>{detail.officialName}</Descriptions.Item>}
          <Descriptions.Item label={t('population')}><span data-testid="area-population">{num(detail.population)}</span></Descriptions.Item>
          <Descriptions.Item label={t('households')}>{num(detail.households)}</Descriptions.Item>
          <Descriptions.Item label={t('sizeClass')}>{detail.sizeClass ? size(detail.sizeClass) : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('isKey')}>{yesNo(detail.isKey)}</Descriptions.Item>
          <Descriptions.Item label={t('status')}>{detail.archived ? t('archived') : t('active')}</Descriptions.Item>
          <Descriptions.Item label={t('children')}>{detail.childCount}</Descriptions.Item>
        </Descriptions>
        {manage && (
          <Space wrap style={{ marginTop: 12 }}>
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)} disabled={busy} data-testid="area-edit">{t('edit')}</Button>
            {detail.level !== 'micro_grid' && !detail.archived && (
              <Button icon={<PlusOutlined />} onClick={() => setAdding(true)} disabled={busy} data-testid="area-add-child">{t('addChild')}</Button>
            )}
            {parentId && <Button icon={<SwapOutlined />} onClick={() => setMoving(true)} disabled={busy} data-testid="area-move">{t('move')}</Button>}
            {parentId && !detail.archived && (
              <Popconfirm title={t('confirmArchive')} onConfirm={() => act(() => api.archiveArea(detail.id), () => onChanged([parentId], detail.id))}>
                <Button icon={<InboxOutlined />} disabled={busy} data-testid="area-archive">{t('archive')}</Button>
              </Popconfirm>
            )}
            {detail.archived && (
              <Button icon={<RollbackOutlined />} disabled={busy} data-testid="area-restore"
                onClick={() => act(() => api.restoreArea(detail.id), () => onChanged([parentId], detail.id))}>{t('restore')}</Button>
            )}
            {parentId && (
              <Popconfirm title={t('confirmDelete')} onConfirm={() => act(() => api.deleteArea(detail.id), async () => { await onChanged([parentId]); navigate(`/areas/${parentId}`); })}>
                <Button danger icon={<DeleteOutlined />} disabled={busy} data-testid="area-delete">{t('delete')}</Button>
              </Popconfirm>
            )}
          </Space>
        )}
      </Card>

      <WhoAnswers areaId={detail.id} reloadKey={detail} />

      <Card size="small" title={t('moveHistory')} data-testid="area-moves">
        {detail.moves.length === 0 ? <Typography.Text type="secondary">{t('noMoves')}</Typography.Text> : (
          <Timeline
            items={detail.moves.map((m) => ({
              content: (
                <div>
                  <div>{dayjs(m.at).format('YYYY-MM-DD HH:mm')} · {m.actor ?? '—'}</div>
                  <div>{m.fromParent ?? '—'} → {m.toParent ?? '—'}</div>
                  {m.note && <Typography.Text type="secondary">{m.note}</Typography.Text>}
                </div>
              ),
            }))}
          />
        )}
      </Card>

      {editing && (
        <AreaFormModal
          title={`${t('edit')}：${detail.name}`}
          initial={detail}
          onCancel={() => setEditing(false)}
          onSubmit={async (v) => {
            await api.updateArea(detail.id, { ...v, version: detail.version });
            setEditing(false);
            message.success(t('saved'));
            await onChanged([parentId], detail.id);
          }}
        />
      )}
      {adding && (
        <AreaFormModal
          title={`${t('addChild')}：${detail.name}`}
          parentLevel={detail.level}
          onCancel={() => setAdding(false)}
          onSubmit={async (v) => {
            const created = await api.createArea({ ...v, parentId: detail.id });
            setAdding(false);
            message.success(t('created'));
            await onChanged([detail.id], created.id);
          }}
        />
      )}
      {moving && (
        <MoveModal
          detail={detail}
          onCancel={() => setMoving(false)}
          onDone={async (newParent) => { setMoving(false); message.success(t('saved')); await onChanged([parentId, newParent], detail.id); }}
        />
      )}
    </Space>
  );
}

// Which levels may sit directly under which (as the API's placement rule): a village offers only
// grids, not micro-grids, which the API would refuse.

interface AreaFormValues { name: string; level?: LevelKey; code?: string; population?: number | null; households?: number | null; sizeClass?: 'small' | 'medium' | 'large' | null; isKey?: boolean }

function AreaFormModal({ title, initial, parentLevel, onCancel, onSubmit }: {
  title: string; initial?: AreaDetail; parentLevel?: LevelKey; onCancel: () => void; onSubmit: (v: AreaFormValues) => Promise<void>;
}) {
  const { t, level, size } = useI18n();
  const [form] = Form.useForm<AreaFormValues>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const creating = !initial;
  const childLevels = parentLevel ? LEVELS.filter((l) => CHILD_LEVELS[parentLevel].includes(l.key)) : [];
  const lvl = Form.useWatch('level', form) ?? initial?.level;
  return (
    <Modal
      open
      title={title}
      onCancel={onCancel}
      okText={t('save')}
      cancelText={t('cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'area-form-ok' } as Record<string, string>}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="area-form-error" />}
      <Form
        form={form}
        layout="vertical"
        initialValues={initial ? {
          name: initial.name, population: initial.population, households: initial.households, sizeClass: initial.sizeClass, isKey: initial.isKey,
        } : { level: childLevels[0]?.key, isKey: false }}
        onFinish={async (v) => {
          setBusy(true);
          setError(null);
          try {
            const clean: AreaFormValues = { ...v, population: v.population ?? null, households: v.households ?? null, sizeClass: v.sizeClass ?? null };
            if (!clean.code) delete clean.code;
            // Send only what was filled in (creating) or changed (editing): the API turns a JSON null
            // for a number into 0, so an untouched empty population would otherwise be stored as 0.
            for (const k of ['population', 'households', 'sizeClass', 'isKey'] as const) {
              const was = initial ? (initial[k] ?? null) : null;
              if ((clean[k] ?? null) === was) delete clean[k];
            }
            await onSubmit(clean);
          } catch (e) {
            setError(errorText(e));
          } finally {
            setBusy(false);
          }
        }}
      >
        {creating && (
          <Form.Item name="level" label={t('nextLevel')} rules={[{ required: true, message: t('required') }]}>
            <Select options={childLevels.map((l) => ({ value: l.key, label: level(l.key) }))} data-testid="area-form-level" />
          </Form.Item>
        )}
        <Form.Item name="name" label={t('name')} rules={[{ required: true, whitespace: true, message: t('required') }]}>
          <Input maxLength={60} data-testid="area-form-name" />
        </Form.Item>
        {creating && (
          <Form.Item name="code" label={t('codeAuto')}>
            <Input maxLength={30} data-testid="area-form-code" />
          </Form.Item>
        )}
        <Space wrap>
          <Form.Item name="population" label={t('population')}><InputNumber min={0} style={{ width: 140 }} data-testid="area-form-population" /></Form.Item>
          <Form.Item name="households" label={t('households')}><InputNumber min={0} style={{ width: 140 }} data-testid="area-form-households" /></Form.Item>
          <Form.Item name="sizeClass" label={t('sizeClass')}>
            <Select allowClear style={{ width: 120 }} options={SIZE_CLASSES.map((s) => ({ value: s, label: size(s) }))} />
          </Form.Item>
        </Space>
        {lvl === 'village' && (
          <Form.Item name="isKey" label={t('isKey')} valuePropName="checked"><Switch /></Form.Item>
        )}
      </Form>
    </Modal>
  );
}

function MoveModal({ detail, onCancel, onDone }: { detail: AreaDetail; onCancel: () => void; onDone: (newParent: number) => Promise<void> }) {
  const { t } = useI18n();
  const [parent, setParent] = useState<number | undefined>();
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const parentLevels = ALLOWED_PARENTS[detail.level];
  return (
    <Modal
      open
      title={`${t('move')}：${detail.name}`}
      onCancel={onCancel}
      okText={t('ok')}
      cancelText={t('cancel')}
      confirmLoading={busy}
      okButtonProps={{ disabled: !parent, ...({ 'data-testid': 'move-ok' } as Record<string, string>) }}
      onOk={async () => {
        if (!parent) return;
        setBusy(true);
        setError(null);
        try {
          await api.moveArea(detail.id, parent, note.trim() || undefined);
          await onDone(parent);
        } catch (e) {
          setError(errorText(e));
        } finally {
          setBusy(false);
        }
      }}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="move-error" />}
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text>{t('newParent')}</Typography.Text>
        <AreaPicker value={parent} onChange={(id) => setParent(id)} levels={parentLevels} style={{ width: '100%' }} testId="move-parent" />
        <Typography.Text>{t('note')}</Typography.Text>
        <Input.TextArea value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} rows={2} data-testid="move-note" />
      </Space>
    </Modal>
  );
}

/** `reloadKey`: asks again whenever it changes (the area was reloaded after an edit or a move,
 *  which can change who answers, e.g. the district's office after a village moved). */
export function WhoAnswers({ areaId, reloadKey }: { areaId: number; reloadKey?: unknown }) {
  const { t, lang } = useI18n();
  const [date, setDate] = useState<Dayjs>(() => dayjs());
  const [data, setData] = useState<Answerable | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const day = date.format('YYYY-MM-DD');

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    setError(null);
    api.answerable(areaId, day)
      .then((d) => { if (!cancelled) setData(d); })
      .catch((e) => { if (!cancelled) { setData(null); setError(errorText(e)); } })
      .finally(() => { if (!cancelled) setLoading(false); });
    return () => { cancelled = true; };
  }, [areaId, day, reloadKey]);

  return (
    <Card
      size="small"
      data-testid="who-answers"
      title={<span>{t('whoAnswers')}{lang === 'zh' ? <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 6 }}>Who answers</Typography.Text> : null}</span>}
      extra={
        <Space size={4}>
          <DatePicker
            value={date}
            allowClear={false}
            onChange={(d) => d && setDate(d)}
            format="YYYY-MM-DD"
            data-testid="answer-date"
            size="small"
          />
          <Button size="small" onClick={() => setDate(dayjs())}>{t('today')}</Button>
        </Space>
      }
    >
      {error && <Alert type="error" showIcon title={error} />}
      <Spin spinning={loading}>
        <div data-testid="answer-result" data-date={data?.date ?? ''} data-loading={loading ? '1' : '0'}>
          <List
            size="small"
            dataSource={data?.chain ?? []}
            locale={{ emptyText: t('noChain') }}
            renderItem={(r) => (
              <List.Item data-testid={`chain-${r.kind}`} style={{ flexWrap: 'wrap', rowGap: 4 }}>
                <Space wrap size={6} style={{ flex: 1, minWidth: 0 }}>
                  <Tag color="blue" style={{ minWidth: 96, textAlign: 'center' }}>{r.kindName ?? r.kind}</Tag>
                  <Typography.Text strong data-testid="chain-holder">{r.userName ?? r.holderName ?? '—'}</Typography.Text>
                  {r.principal && <Tag color="red">{t('principal')}</Tag>}
                  {r.phone && <a href={`tel:${r.phone}`}><PhoneOutlined /> {r.phone}</a>}
                </Space>
                <Space wrap size={6}>
                  <Typography.Text type="secondary">{r.areaName}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.validFrom} – {r.validTo ?? t('openEnded')}</Typography.Text>
                </Space>
              </List.Item>
            )}
          />
          {data && data.leadership.length > 0 && (
            <>
              <Typography.Title level={5} style={{ marginTop: 12 }}>{t('leadership')}</Typography.Title>
              <List
                size="small"
                dataSource={data.leadership}
                renderItem={(l) => (
                  <List.Item data-testid={`leader-${l.roleKey}`}>
                    <Space wrap size={6}>
                      <Tag color="purple">{l.roleName}</Tag>
                      <Typography.Text strong>{l.userName}</Typography.Text>
                      {l.phone && <a href={`tel:${l.phone}`}><PhoneOutlined /> {l.phone}</a>}
                      {l.areaName && <Typography.Text type="secondary">{l.areaName}</Typography.Text>}
                    </Space>
                  </List.Item>
                )}
              />
            </>
          )}
        </div>
      </Spin>
    </Card>
  );
}
