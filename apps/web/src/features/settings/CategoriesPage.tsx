// 事件分类: the event table as a tree (大类 → 小类) with each 小类's deadline, closing requirement
// and routing; add and edit in a modal (the version seen is sent back, so a stale edit is refused).
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { EditOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { errorText } from '../../api';
import { useI18n } from '../../i18n';
import { useSession } from '../../session';
import { DEADLINE_UNITS, type DeadlineUnit } from '../../../../../packages/shared/src/cases';
import { RESPONSIBILITY_KINDS } from '../../../../../packages/shared/src/mechanism';
import { settingsApi, type Category, type CategoryInput } from './api';

type Node = Category & { children?: Node[] };

export function CategoriesPage() {
  const { t, lang, kind } = useI18n();
  const { message } = App.useApp();
  const session = useSession();
  const [list, setList] = useState<Category[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<{ cat?: Category; parentId?: number | null } | null>(null);
  const [showInactive, setShowInactive] = useState(true);
  const [expanded, setExpanded] = useState<React.Key[] | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try { setList(await settingsApi.categories()); } catch (e) { setError(errorText(e)); setList([]); }
  }, []);
  useEffect(() => { void load(); }, [load]);

  const tree = useMemo<Node[]>(() => {
    const all = (list ?? []).filter((c) => showInactive || c.active);
    const order = (a: Category, b: Category) => a.sort - b.sort || a.code.localeCompare(b.code);
    const parents = all.filter((c) => c.parentId === null).sort(order);
    const known = new Set(parents.map((p) => p.id));
    const nodes: Node[] = parents.map((p) => {
      const kids = all.filter((c) => c.parentId === p.id).sort(order);
      return { ...p, children: kids.length ? kids : undefined };
    });
    // 小类 whose 大类 is hidden or missing still show, at the top level.
    for (const c of all) if (c.parentId !== null && !known.has(c.parentId)) nodes.push(c);
    return nodes;
  }, [list, showInactive]);
  const parents = useMemo(() => (list ?? []).filter((c) => c.parentId === null), [list]);

  const unitName = (u: string | null) => { const d = DEADLINE_UNITS.find((x) => x.key === u); return d ? d[lang] : (u ?? ''); };
  // The event table is install-wide: the duty categories.manage edits it.
  const canEdit = session.can('categories.manage');

  return (
    <Card
      size="small"
      title={t('setCategories')}
      data-testid="categories-page"
      extra={
        <Space>
          <Space size={4}><Switch size="small" checked={showInactive} onChange={setShowInactive} />{t('setShowInactive')}</Space>
          <Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('refresh')} />
          {canEdit && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ parentId: null })} data-testid="category-add">{t('setAddMajor')}</Button>}
        </Space>
      }
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} />}
      <Table<Node>
        rowKey="id"
        size="small"
        loading={list === null}
        dataSource={tree}
        pagination={false}
        scroll={{ x: 900 }}
        data-testid="categories-table"
        expandable={{ expandedRowKeys: expanded ?? tree.filter((n) => n.children).map((n) => n.id), onExpandedRowsChange: (k) => setExpanded([...k]) }}
        rowClassName={(r) => (r.parentId === null ? 'category-major' : '')}
        columns={[
          { title: t('code'), dataIndex: 'code', width: 150, render: (v: string, r) => (r.parentId === null ? <b>{v}</b> : v) },
          {
            title: t('name'), dataIndex: 'name',
            render: (v: string, r) => (
              <span style={{ fontWeight: r.parentId === null ? 600 : undefined }} title={lang === 'zh' ? (r.nameEn ?? undefined) : v}>
                {lang === 'en' && r.nameEn ? <>{r.nameEn} <Typography.Text type="secondary" style={{ fontSize: 12 }}>{v}</Typography.Text></> : v}
              </span>
            ),
          },
          { title: t('setDeadline'), key: 'deadline', width: 130, render: (_: unknown, r) => (r.deadlineAmount ? `${r.deadlineAmount} ${unitName(r.deadlineUnit)}` : '') },
          { title: t('setClosing'), dataIndex: 'closingRequirement', width: 110 },
          { title: t('setRouteKind'), dataIndex: 'routeKind', width: 130, render: (v: string | null) => (v ? <Tag>{kind(v)}</Tag> : '') },
          { title: t('setDupRadius'), dataIndex: 'duplicateRadiusM', width: 100, responsive: ['lg'], render: (v: number | null) => (v ? `${v} m` : '') },
          {
            title: lang === 'zh' ? '群众可报' : 'Public', key: 'public', width: 100, responsive: ['lg'],
            render: (_: unknown, r: Node) => (r.parentId === null ? '' : r.publicVisible
              ? <Tag color="blue">{lang === 'zh' ? '可报' : 'yes'}{r.publicAttributes?.length ? ` · ${r.publicAttributes.length}${lang === 'zh' ? ' 问' : ' q'}` : ''}</Tag>
              : <Tag>{lang === 'zh' ? '不开放' : 'no'}</Tag>),
          },
          { title: t('status'), dataIndex: 'active', width: 80, render: (v: boolean) => (v ? <Tag color="green">{t('setActive')}</Tag> : <Tag>{t('setInactive')}</Tag>) },
          ...(canEdit ? [{
            title: t('actions'), key: 'a', width: 150,
            render: (_: unknown, r: Node) => (
              <Space size={0}>
                <Button size="small" type="link" icon={<EditOutlined />} onClick={() => setEditing({ cat: r })} data-testid={`category-edit-${r.code}`}>{t('edit')}</Button>
                {r.parentId === null && <Button size="small" type="link" icon={<PlusOutlined />} onClick={() => setEditing({ parentId: r.id })} data-testid={`category-add-minor-${r.code}`}>{t('setAddMinor')}</Button>}
              </Space>
            ),
          }] : []),
        ]}
      />
      {editing && (
        <CategoryModal
          cat={editing.cat}
          parentId={editing.cat ? editing.cat.parentId : editing.parentId ?? null}
          parents={parents}
          onClose={() => setEditing(null)}
          onSaved={() => { setEditing(null); message.success(t('saved')); void load(); }}
          onStale={() => void load()}
        />
      )}
    </Card>
  );
}

interface Values {
  code: string; parentId: number | null; name: string; nameEn?: string; deadlineAmount?: number | null; deadlineUnit?: DeadlineUnit | null;
  closingRequirement?: string; routeKind?: string | null; duplicateRadiusM?: number | null; active: boolean; sort?: number;
  publicVisible: boolean; questions: { code: string; description: string; datatype: string; required: boolean; values?: string }[];
}

const DATATYPES = ['string', 'text', 'number', 'datetime', 'singlevaluelist', 'multivaluelist'];
const DATATYPE_ZH: Record<string, string> = { string: '短文本', text: '长文本', number: '数字', datetime: '日期时间', singlevaluelist: '单选', multivaluelist: '多选' };
/** "yes=是; no=否" ↔ [{key, name}] */
const valuesText = (v?: { key: string; name: string }[]) => (v ?? []).map((x) => `${x.key}=${x.name}`).join('; ');
const parseValues = (s?: string) => (s ?? '').split(/[;；]/).map((x) => x.trim()).filter(Boolean)
  .map((x) => { const [k, ...n] = x.split('='); return { key: k!.trim(), name: (n.join('=') || k!).trim() }; });

function CategoryModal({ cat, parentId, parents, onClose, onSaved, onStale }: {
  cat?: Category; parentId: number | null; parents: Category[]; onClose: () => void; onSaved: () => void; onStale: () => void;
}) {
  const { t, lang, kind } = useI18n();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const parent = Form.useWatch('parentId', form);
  const minor = parent !== null && parent !== undefined;

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    const trim = (s?: string | null) => (s?.trim() ? s.trim() : null);
    const body: CategoryInput = {
      code: v.code.trim(),
      name: v.name.trim(),
      nameEn: trim(v.nameEn),
      active: v.active,
      ...(v.sort !== undefined && v.sort !== null ? { sort: v.sort } : {}),
      ...(minor
        ? {
          deadlineAmount: v.deadlineAmount ?? null, deadlineUnit: v.deadlineAmount ? (v.deadlineUnit ?? 'work_day') : null,
          closingRequirement: trim(v.closingRequirement), routeKind: v.routeKind ?? null, duplicateRadiusM: v.duplicateRadiusM ?? null,
          publicVisible: v.publicVisible,
          publicAttributes: (v.questions ?? []).length ? v.questions.map((q, i) => ({
            code: q.code.trim(), description: q.description.trim(), datatype: q.datatype, required: !!q.required, order: i + 1,
            ...(q.datatype.endsWith('valuelist') ? { values: parseValues(q.values) } : {}),
          })) : null,
        }
        : {}),
    };
    try {
      if (cat) await settingsApi.updateCategory(cat.id, { ...body, parentId: v.parentId, version: cat.version });
      else await settingsApi.createCategory({ ...body, ...(v.parentId !== null ? { parentId: v.parentId } : {}) });
      onSaved();
    } catch (e) {
      setError(errorText(e));
      if ((e as { code?: string }).code === 'STALE') onStale();
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      width={600}
      title={cat ? t('setEditCategory', { name: cat.name }) : minor ? t('setAddMinor') : t('setAddMajor')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('save')}
      cancelText={t('cancel')}
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'category-save' } as Record<string, string>}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="category-error" />}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{
          code: cat?.code ?? '', parentId, name: cat?.name ?? '', nameEn: cat?.nameEn ?? '', deadlineAmount: cat?.deadlineAmount ?? null,
          deadlineUnit: cat?.deadlineUnit ?? 'work_day', closingRequirement: cat?.closingRequirement ?? '', routeKind: cat?.routeKind ?? null,
          duplicateRadiusM: cat?.duplicateRadiusM ?? null, active: cat?.active ?? true, sort: cat?.sort,
          publicVisible: cat?.publicVisible ?? true,
          questions: (cat?.publicAttributes ?? []).map((q) => ({ code: q.code, description: q.description, datatype: q.datatype, required: q.required, values: valuesText(q.values) })),
        }}
      >
        <Space wrap align="start" style={{ width: '100%' }}>
          <Form.Item name="code" label={t('code')} rules={[{ required: true, whitespace: true, message: t('required') }, { pattern: /^[0-9A-Za-z]{2,12}$/, message: t('setCodeRule') }]}>
            <Input style={{ width: 160 }} maxLength={12} data-testid="category-code" />
          </Form.Item>
          <Form.Item name="parentId" label={t('setMajor')}>
            <Select
              style={{ width: 220 }}
              disabled={!!cat && cat.parentId === null}
              options={[{ value: null as unknown as number, label: t('setNoParent') }, ...parents.filter((p) => p.id !== cat?.id).map((p) => ({ value: p.id, label: `${p.code} ${p.name}` }))]}
              data-testid="category-parent"
            />
          </Form.Item>
          <Form.Item name="sort" label={t('setSort')}>
            <InputNumber min={0} max={100000} style={{ width: 90 }} />
          </Form.Item>
        </Space>
        <Space wrap align="start" style={{ width: '100%' }}>
          <Form.Item name="name" label={t('name')} rules={[{ required: true, whitespace: true, message: t('required') }]}>
            <Input style={{ width: 240 }} maxLength={50} data-testid="category-name" />
          </Form.Item>
          <Form.Item name="nameEn" label={t('setNameEn')}>
            <Input style={{ width: 240 }} maxLength={100} />
          </Form.Item>
        </Space>
        {minor && (
          <>
            <Form.Item label={t('setDeadline')} style={{ marginBottom: 0 }}>
              <Space.Compact>
                <Form.Item name="deadlineAmount" noStyle>
                  <InputNumber min={1} max={365} precision={0} placeholder={t('setAmount')} style={{ width: 110 }} data-testid="category-deadline-amount" />
                </Form.Item>
                <Form.Item name="deadlineUnit" noStyle>
                  <Select style={{ width: 130 }} options={DEADLINE_UNITS.map((u) => ({ value: u.key, label: u[lang] }))} data-testid="category-deadline-unit" />
                </Form.Item>
              </Space.Compact>
            </Form.Item>
            <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '4px 0 12px' }}>{t('setDeadlineHint')}</Typography.Paragraph>
            <Space wrap align="start" style={{ width: '100%' }}>
              <Form.Item name="closingRequirement" label={t('setClosing')}>
                <Input style={{ width: 160 }} maxLength={50} placeholder={t('setClosingPlaceholder')} />
              </Form.Item>
              <Form.Item name="routeKind" label={t('setRouteKind')}>
                <Select allowClear style={{ width: 200 }} placeholder={t('setRouteDefault')} options={RESPONSIBILITY_KINDS.map((k) => ({ value: k.key, label: kind(k.key) }))} />
              </Form.Item>
              <Form.Item name="duplicateRadiusM" label={t('setDupRadius')}>
                <InputNumber min={1} max={10000} precision={0} suffix="m" style={{ width: 130 }} />
              </Form.Item>
              <Form.Item name="publicVisible" label={lang === 'zh' ? '群众可报（随手拍、Open311）' : 'Residents may report'} valuePropName="checked">
                <Switch data-testid="category-public" />
              </Form.Item>
            </Space>
            <Typography.Text strong>{lang === 'zh' ? '上报时询问（选填的问题，Open311 属性）' : 'Questions asked on report (Open311 attributes)'}</Typography.Text>
            <Form.List name="questions">
              {(fields, { add, remove }) => (
                <div style={{ margin: '8px 0 12px' }}>
                  {fields.map((f) => (
                    <Space key={f.key} wrap align="start" style={{ display: 'flex', marginBottom: 4 }}>
                      <Form.Item name={[f.name, 'code']} rules={[{ required: true, pattern: /^[A-Za-z][A-Za-z0-9_]{0,39}$/, message: lang === 'zh' ? '字母开头的代码' : 'a code' }]} noStyle>
                        <Input placeholder={lang === 'zh' ? '代码 plate' : 'code'} style={{ width: 100 }} maxLength={40} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'description']} rules={[{ required: true, whitespace: true, message: t('required') }]} noStyle>
                        <Input placeholder={lang === 'zh' ? '问题，如：车牌号' : 'question'} style={{ width: 180 }} maxLength={200} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'datatype']} initialValue="string" noStyle>
                        <Select style={{ width: 100 }} options={DATATYPES.map((d) => ({ value: d, label: lang === 'zh' ? DATATYPE_ZH[d] : d }))} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'values']} noStyle>
                        <Input placeholder={lang === 'zh' ? '选项：yes=是; no=否' : 'yes=Yes; no=No'} style={{ width: 170 }} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'required']} valuePropName="checked" noStyle>
                        <Switch size="small" checkedChildren={lang === 'zh' ? '必填' : 'req.'} unCheckedChildren={lang === 'zh' ? '选填' : 'opt.'} />
                      </Form.Item>
                      <Button size="small" type="link" danger onClick={() => remove(f.name)}>{t('delete')}</Button>
                    </Space>
                  ))}
                  {fields.length < 20 && <Button size="small" icon={<PlusOutlined />} onClick={() => add({ datatype: 'string', required: false })}>{lang === 'zh' ? '加一个问题' : 'Add a question'}</Button>}
                </div>
              )}
            </Form.List>
          </>
        )}
        <Form.Item name="active" label={t('setActive')} valuePropName="checked">
          <Switch data-testid="category-active" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
