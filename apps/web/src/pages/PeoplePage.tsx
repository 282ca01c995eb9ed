import { useCallback, useEffect, useState } from 'react';
import {
  Alert, App, Button, Card, Descriptions, Drawer, Form, Input, Modal, Popconfirm, Select, Space, Switch, Table, Tag, Typography, Grid,
} from 'antd';
import { KeyOutlined, MinusCircleOutlined, PlusOutlined, ReloadOutlined, UserAddOutlined } from '@ant-design/icons';
import { api, errorText, type Grant, type Responsibility, type UserDetail, type UserRow } from '../api';
import { useI18n } from '../i18n';
import { navigate } from '../router';
import { useSession } from '../session';
import { ResetSecondFactorButton } from './SecondFactorPage';
import { AreaPicker } from '../components/Pickers';
import { LevelTag } from '../components/LevelTag';
import { ROLES } from '../../../../packages/shared/src/mechanism';

const PAGE = 20;

export function PeoplePage({ userId }: { userId?: number }) {
  const { t, role } = useI18n();
  const session = useSession();
  const screens = Grid.useBreakpoint();
  const [q, setQ] = useState('');
  const [roleKey, setRoleKey] = useState<string | undefined>();
  const [areaId, setAreaId] = useState<number | undefined>();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ total: number; items: UserRow[] }>({ total: 0, items: [] });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setData(await api.users({ q: q.trim() || undefined, role: roleKey, areaId, limit: PAGE, offset: (page - 1) * PAGE }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setLoading(false);
    }
  }, [q, roleKey, areaId, page]);

  useEffect(() => { void load(); }, [load]);

  return (
    <Card
      size="small"
      title={t('menuPeople')}
      data-testid="people-page"
      extra={session.can('people.manage') && <Button type="primary" icon={<UserAddOutlined />} onClick={() => setCreating(true)} data-testid="user-create">{t('newUser')}</Button>}
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={t('searchPeople')}
          onSearch={(v) => { setQ(v); setPage(1); }}
          style={{ width: 240 }}
          data-testid="people-search"
        />
        <Select
          allowClear
          placeholder={t('anyRole')}
          style={{ width: 160 }}
          value={roleKey}
          onChange={(v) => { setRoleKey(v); setPage(1); }}
          virtual={false} listHeight={480} options={ROLES.map((r) => ({ value: r.key, label: role(r.key) }))}
        />
        <AreaPicker value={areaId} onChange={(id) => { setAreaId(id); setPage(1); }} placeholder={t('anyArea')} />
        <Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('refresh')} />
      </Space>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Table<UserRow>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={data.items}
        scroll={{ x: 640 }}
        data-testid="people-table"
        onRow={(r) => ({ onClick: () => navigate(`/people/${r.id}`), style: { cursor: 'pointer' } })}
        pagination={{ current: page, pageSize: PAGE, total: data.total, showSizeChanger: false, onChange: setPage, showTotal: (n) => t('total', { n }), simple: !screens.md }}
        columns={[
          { title: t('displayName'), dataIndex: 'displayName', render: (v: string) => <a>{v}</a> },
          { title: t('username'), dataIndex: 'username' },
          { title: t('phone'), dataIndex: 'phone', responsive: ['md'] },
          { title: t('roles'), dataIndex: 'roles', ellipsis: true },
          {
            title: t('status'), key: 'status', width: 110,
            render: (_: unknown, r) => (
              <Space size={2}>
                {r.disabled ? <Tag>{t('disabled')}</Tag> : <Tag color="green">{t('enabled')}</Tag>}
                {r.locked && <Tag color="red">{t('locked')}</Tag>}
              </Space>
            ),
          },
        ]}
      />
      {userId && <UserDrawer id={userId} onClose={() => navigate('/people')} onChanged={load} />}
      {creating && <CreateUserModal onClose={() => setCreating(false)} onCreated={(id) => { setCreating(false); void load(); navigate(`/people/${id}`); }} />}
    </Card>
  );
}

function UserDrawer({ id, onClose, onChanged }: { id: number; onClose: () => void; onChanged: () => void }) {
  const { t, role, kind } = useI18n();
  const { message, modal } = App.useApp();
  const session = useSession();
  const screens = Grid.useBreakpoint();
  const [u, setU] = useState<UserDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [grantRole, setGrantRole] = useState<string | undefined>();
  const [grantArea, setGrantArea] = useState<number | undefined>();
  const [editing, setEditing] = useState(false);

  const load = useCallback(async () => {
    try { setU(await api.user(id)); setError(null); } catch (e) { setError(errorText(e)); }
  }, [id]);
  useEffect(() => { void load(); }, [load]);

  const run = async (fn: () => Promise<unknown>) => {
    try { await fn(); message.success(t('saved')); await load(); onChanged(); } catch (e) { message.error(errorText(e), 5); }
  };
  const manage = session.can('people.manage');

  const reset = () => modal.confirm({
    title: t('resetPassword'),
    content: u?.displayName,
    okText: t('ok'),
    cancelText: t('cancel'),
    onOk: async () => {
      try {
        const r = await api.resetPassword(id);
        await load();
        modal.success({
          title: t('resetPassword'),
          content: r.password ? (
            <div>{t('newPasswordShown')}<br /><Typography.Text code copyable strong data-testid="reset-password-value">{r.password}</Typography.Text></div>
          ) : t('saved'),
        });
      } catch (e) {
        message.error(errorText(e), 5);
      }
    },
  });

  return (
    <Drawer open onClose={onClose} size={screens.md ? 640 : '100%'} title={u ? `${u.displayName}（${u.username}）` : t('loading')} data-testid="user-drawer">
      {error && <Alert type="error" showIcon title={error} />}
      {u && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Descriptions size="small" bordered column={1}>
            <Descriptions.Item label={t('username')}>{u.username}</Descriptions.Item>
            <Descriptions.Item label={t('displayName')}>{u.displayName}</Descriptions.Item>
            <Descriptions.Item label={t('phone')}>{u.phone ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('status')}>
              <Space size={4} wrap>
                {u.disabled ? <Tag>{t('disabled')}</Tag> : <Tag color="green">{t('enabled')}</Tag>}
                {u.locked && <Tag color="red">{t('locked')}</Tag>}
                {u.mustChangePassword && <Tag color="orange">{t('mustChange')}</Tag>}
                {u.demo && <Tag>{t('demoData')}</Tag>}
              </Space>
            </Descriptions.Item>
          </Descriptions>
          {manage && (
            <Space wrap>
              <Button onClick={() => setEditing(true)} data-testid="user-edit">{t('edit')}</Button>
              <Button icon={<KeyOutlined />} onClick={reset} data-testid="user-reset-password">{t('resetPassword')}</Button>
              <ResetSecondFactorButton userId={id} name={u.displayName} onDone={() => void load()} />
              <Space>
                <Switch checked={!u.disabled} onChange={(on) => run(() => api.updateUser(id, { disabled: !on }))} data-testid="user-enabled" />
                {t('enabled')}
              </Space>
            </Space>
          )}
          <div>
            <Typography.Title level={5}>{t('roles')}</Typography.Title>
            <Table<Grant>
              rowKey="id" size="small" pagination={false} dataSource={u.roles} data-testid="user-roles"
              columns={[
                { title: t('role'), dataIndex: 'roleKey', render: (k: string, g) => g.roleName ?? role(k) },
                { title: t('area'), dataIndex: 'areaName', render: (v: string | null, g) => (v ? <a onClick={() => g.areaId && navigate(`/areas/${g.areaId}`)}>{v}</a> : '—') },
                ...(manage ? [{
                  title: '', key: 'x', width: 70,
                  render: (_: unknown, g: Grant) => (
                    <Popconfirm title={`${t('removeRole')}？`} onConfirm={() => run(() => api.removeRole(id, g.id))}>
                      <Button size="small" danger type="link">{t('removeRole')}</Button>
                    </Popconfirm>
                  ),
                }] : []),
              ]}
            />
            {manage && (
              <Space wrap style={{ marginTop: 8 }}>
                <Select placeholder={t('role')} style={{ width: 150 }} value={grantRole} onChange={setGrantRole}
                  virtual={false} listHeight={480} options={ROLES.map((r) => ({ value: r.key, label: role(r.key) }))} />
                <AreaPicker value={grantArea} onChange={setGrantArea} />
                <Button icon={<PlusOutlined />} disabled={!grantRole || (!grantArea && grantRole !== 'admin')}
                  onClick={() => run(async () => { await api.addRole(id, grantRole!, grantArea ?? null); setGrantRole(undefined); setGrantArea(undefined); })}>
                  {t('addRole')}
                </Button>
              </Space>
            )}
          </div>
          <div>
            <Typography.Title level={5}>{t('responsibilities')}</Typography.Title>
            <Table<Responsibility>
              rowKey="id" size="small" pagination={false} dataSource={u.responsibilities} scroll={{ x: 480 }}
              columns={[
                { title: t('kind'), dataIndex: 'kind', render: (k: string) => kind(k) },
                { title: t('area'), dataIndex: 'areaName', render: (v: string, r) => <Space size={4}><a onClick={() => navigate(`/areas/${r.areaId}`)}>{v}</a><LevelTag level={r.areaLevel} /></Space> },
                { title: t('validity'), key: 'v', render: (_: unknown, r) => `${r.validFrom} – ${r.validTo ?? t('openEnded')}` },
              ]}
            />
          </div>
        </Space>
      )}
      {editing && u && (
        <Modal open title={t('edit')} onCancel={() => setEditing(false)} footer={null} destroyOnHidden>
          <Form layout="vertical" initialValues={{ displayName: u.displayName, phone: u.phone }}
            onFinish={(v: { displayName: string; phone?: string }) => run(async () => { await api.updateUser(id, { displayName: v.displayName, phone: v.phone || null }); setEditing(false); })}>
            <Form.Item name="displayName" label={t('displayName')} rules={[{ required: true, message: t('required') }]}><Input /></Form.Item>
            <Form.Item name="phone" label={t('phone')}><Input /></Form.Item>
            <Button type="primary" htmlType="submit">{t('save')}</Button>
          </Form>
        </Modal>
      )}
    </Drawer>
  );
}

interface NewUser { username: string; displayName: string; phone?: string; password?: string; roles: { roleKey?: string; areaId?: number }[] }

function CreateUserModal({ onClose, onCreated }: { onClose: () => void; onCreated: (id: number) => void }) {
  const { t, role } = useI18n();
  const { modal } = App.useApp();
  const [form] = Form.useForm<NewUser>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (v: NewUser) => {
    setBusy(true);
    setError(null);
    try {
      const { id } = await api.createUser({
        username: v.username.trim(), displayName: v.displayName.trim(), phone: v.phone?.trim() || undefined, password: v.password || undefined,
        roles: v.roles.filter((r) => r.roleKey).map((r) => ({ roleKey: r.roleKey!, areaId: r.areaId ?? null })),
      });
      const r = v.password ? null : await api.resetPassword(id);
      if (r?.password) {
        // The new person's page opens once the one-time password has been read and closed.
        modal.success({
          title: t('created'),
          content: <div>{t('newPasswordShown')}<br /><Typography.Text code copyable strong data-testid="new-user-password">{r.password}</Typography.Text></div>,
          okButtonProps: { 'data-testid': 'new-user-password-ok' } as Record<string, string>,
          onOk: () => onCreated(id),
        });
      } else {
        onCreated(id);
      }
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('newUser')} onCancel={onClose} onOk={() => form.submit()} okText={t('create')} cancelText={t('cancel')} confirmLoading={busy} destroyOnHidden width={620}
      okButtonProps={{ 'data-testid': 'new-user-ok' } as Record<string, string>}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="create-user-error" />}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ roles: [{}] }}>
        <Space wrap>
          <Form.Item name="username" label={t('username')} rules={[{ required: true, message: t('required') }]}><Input data-testid="new-username" /></Form.Item>
          <Form.Item name="displayName" label={t('displayName')} rules={[{ required: true, message: t('required') }]}><Input data-testid="new-displayname" /></Form.Item>
          <Form.Item name="phone" label={t('phone')}><Input /></Form.Item>
        </Space>
        <Form.Item name="password" label={t('passwordOptional')} extra={t('passwordRule')}><Input.Password autoComplete="new-password" /></Form.Item>
        <Typography.Text strong>{t('roles')}</Typography.Text>
        <Form.List name="roles">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} wrap align="baseline" style={{ display: 'flex', marginTop: 8 }}>
                  <Form.Item name={[f.name, 'roleKey']} rules={[{ required: true, message: t('required') }]} style={{ marginBottom: 0 }}>
                    <Select placeholder={t('role')} style={{ width: 160 }} virtual={false} listHeight={480} options={ROLES.map((r) => ({ value: r.key, label: role(r.key) }))} data-testid={`new-role-${f.name}`} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'areaId']} style={{ marginBottom: 0 }}>
                    <AreaPicker testId={`new-role-area-${f.name}`} />
                  </Form.Item>
                  {fields.length > 1 && <MinusCircleOutlined onClick={() => remove(f.name)} />}
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} style={{ marginTop: 8 }}>{t('addRole')}</Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
