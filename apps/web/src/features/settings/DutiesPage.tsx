// 职责权限: the duty table (packages/shared/src/duties.ts seeds it; then it is data), duties × roles,
// grouped as the catalogue groups them, with which duties need a second factor and which are
// install-wide. Everyone signed in may read it (it says who may do what); only the duty
// duties.manage edits it, one duty's row at a time (PUT /duties/:key, audited). The server checks
// every change: a refusal is shown in its own words beside the row.
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { ReloadOutlined, SafetyCertificateOutlined, GlobalOutlined } from '@ant-design/icons';
import { errorText } from '../../api';
import { useI18n, type TKey } from '../../i18n';
import { useSession } from '../../session';
import { settingsApi, type DutyRow, type DutyTable } from './api';

const GROUPS: { key: string; label: TKey }[] = [
  { key: 'network', label: 'dutyGroupNetwork' }, { key: 'people', label: 'dutyGroupPeople' }, { key: 'cases', label: 'dutyGroupCases' },
  { key: 'routines', label: 'dutyGroupRoutines' }, { key: 'scores', label: 'dutyGroupScores' }, { key: 'rewards', label: 'dutyGroupRewards' },
  { key: 'public', label: 'dutyGroupPublic' }, { key: 'publicity', label: 'dutyGroupPublicity' }, { key: 'settings', label: 'dutyGroupSettings' },
  { key: 'audit', label: 'dutyGroupAudit' },
];

const NAME_W = 250;
const ROLE_W = 56;
const ACT_W = 86;
const TAG: React.CSSProperties = { marginInlineEnd: 0, fontSize: 11, lineHeight: '16px', paddingInline: 4 };

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

export function DutiesPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const { can, me } = useSession();
  const editable = can('duties.manage');
  const [data, setData] = useState<DutyTable | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  /** duty key → the roles ticked on screen, while they differ from what is saved */
  const [draft, setDraft] = useState<Record<string, string[]>>({});
  const [rowError, setRowError] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState<string | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try { setData(await settingsApi.duties()); setDraft({}); setRowError({}); } catch (e) { setError(errorText(e)); } finally { setLoading(false); }
  }, []);
  useEffect(() => { void load(); }, [load]);

  const rolesOf = (d: DutyRow) => draft[d.key] ?? d.roles;
  const setRoles = (d: DutyRow, roles: string[]) => {
    setDraft((m) => {
      const next = { ...m };
      if (sameSet(roles, d.roles)) delete next[d.key]; else next[d.key] = roles;
      return next;
    });
    setRowError((m) => { const n = { ...m }; delete n[d.key]; return n; });
  };
  const toggle = (d: DutyRow, role: string, on: boolean) => {
    const now = rolesOf(d);
    setRoles(d, on ? [...new Set([...now, role])] : now.filter((r) => r !== role));
  };
  const save = async (d: DutyRow) => {
    setSaving(d.key);
    try {
      const saved = await settingsApi.setDutyRoles(d.key, rolesOf(d));
      setData((x) => x && { ...x, duties: x.duties.map((y) => (y.key === saved.key ? saved : y)) });
      setDraft((m) => { const n = { ...m }; delete n[d.key]; return n; });
      setRowError((m) => { const n = { ...m }; delete n[d.key]; return n; });
      message.success(t('dutySaved', { name: lang === 'zh' ? d.zh : d.en }));
    } catch (e) {
      // The server's own words: why this change is refused.
      setRowError((m) => ({ ...m, [d.key]: errorText(e) }));
    } finally { setSaving(null); }
  };

  const roleCols = data?.roles ?? [];
  const columns: ColumnsType<DutyRow> = [
    {
      title: t('dutyName'), key: 'name', fixed: 'left', width: NAME_W,
      render: (_: unknown, d) => (
        <div data-testid={`duty-name-${d.key}`}>
          <div>{lang === 'zh' ? d.zh : d.en}</div>
          <Space size={[4, 2]} wrap style={{ marginTop: 2 }}>
            <Typography.Text type="secondary" style={{ fontSize: 11 }}>{d.key}</Typography.Text>
            {d.secondFactor && <Tooltip title={t('dutySecondFactorTip')}><Tag color="volcano" icon={<SafetyCertificateOutlined />} style={TAG} data-testid={`duty-2fa-${d.key}`}>{t('dutySecondFactor')}</Tag></Tooltip>}
            {d.global && <Tooltip title={t('dutyGlobalTip')}><Tag color="purple" icon={<GlobalOutlined />} style={TAG} data-testid={`duty-global-${d.key}`}>{t('dutyGlobal')}</Tag></Tooltip>}
            {draft[d.key] && <Tag color="orange" style={TAG}>{t('dutyChanged')}</Tag>}
            {!draft[d.key] && !sameSet(d.roles, d.defaultRoles) && <Tag style={TAG} data-testid={`duty-not-default-${d.key}`}>{t('dutyNotDefault')}</Tag>}
          </Space>
          {rowError[d.key] && <Alert type="error" showIcon style={{ marginTop: 4, padding: '2px 8px' }} title={rowError[d.key]} data-testid={`duty-error-${d.key}`} />}
        </div>
      ),
    },
    ...roleCols.map((r) => ({
      title: <span style={{ fontSize: 12, whiteSpace: 'normal' as const }}>{lang === 'zh' ? r.zh : r.en}</span>,
      key: r.key, width: ROLE_W, align: 'center' as const,
      render: (_: unknown, d: DutyRow) => {
        const on = rolesOf(d).includes(r.key);
        const changed = on !== d.roles.includes(r.key);
        return (
          <Checkbox
            checked={on} disabled={!editable || saving === d.key}
            onChange={(e) => toggle(d, r.key, e.target.checked)}
            style={changed ? { outline: '2px solid #fa8c16', outlineOffset: 2, borderRadius: 2 } : undefined}
            aria-label={`${lang === 'zh' ? d.zh : d.en} · ${lang === 'zh' ? r.zh : r.en}`}
            data-testid={`duty-cell-${d.key}-${r.key}`} data-checked={on ? '1' : '0'}
          />
        );
      },
    })),
    ...(editable ? [{
      title: '', key: 'act', fixed: 'right' as const, width: ACT_W,
      render: (_: unknown, d: DutyRow) => (
        <Space size={2} orientation="vertical">
          <Button size="small" type="primary" disabled={!draft[d.key]} loading={saving === d.key} onClick={() => void save(d)} data-testid={`duty-save-${d.key}`}>{t('dutySave')}</Button>
          {draft[d.key] && <Button size="small" onClick={() => setRoles(d, d.roles)} data-testid={`duty-undo-${d.key}`}>{t('dutyUndo')}</Button>}
          {!draft[d.key] && !sameSet(d.roles, d.defaultRoles) && <Button size="small" type="link" onClick={() => setRoles(d, d.defaultRoles)} data-testid={`duty-default-${d.key}`}>{t('dutyDefault')}</Button>}
        </Space>
      ),
    }] : []),
  ];

  const groups = GROUPS.map((g) => ({ ...g, duties: (data?.duties ?? []).filter((d) => d.group === g.key) })).filter((g) => g.duties.length > 0);
  // Groups the catalogue may add later still show, under their key.
  const known = new Set(GROUPS.map((g) => g.key));
  const others = (data?.duties ?? []).filter((d) => !known.has(d.group));

  return (
    <Card
      size="small" title={t('setDuties')} data-testid="duties-page" data-editable={editable ? '1' : '0'}
      extra={<Button icon={<ReloadOutlined />} onClick={() => void load()} loading={loading} aria-label={t('refresh')} />}
    >
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('dutyIntro')} {t('dutyHeld', { n: me.capabilities?.length ?? 0 })}
      </Typography.Paragraph>
      {!editable && <Alert type="info" showIcon title={t('dutyReadOnly')} style={{ marginBottom: 12 }} data-testid="duties-readonly" />}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="duties-error" />}
      {[...groups, ...(others.length ? [{ key: 'other', label: null, duties: others }] : [])].map((g) => (
        <div key={g.key} style={{ marginBottom: 16 }} data-testid={`duty-group-${g.key}`}>
          <Typography.Title level={5} style={{ margin: '4px 0 6px' }}>{g.label ? t(g.label as TKey) : g.key}</Typography.Title>
          <Table<DutyRow>
            size="small" rowKey="key" pagination={false} bordered
            columns={columns} dataSource={g.duties} loading={loading && !data}
            scroll={{ x: NAME_W + roleCols.length * ROLE_W + (editable ? ACT_W : 0) }}
            onRow={(d) => ({ 'data-testid': `duty-row-${d.key}` } as React.HTMLAttributes<HTMLElement>)}
          />
        </div>
      ))}
    </Card>
  );
}
