import { useCallback, useEffect, useMemo, useState } from 'react';
import { App as AntApp, Button, ConfigProvider, Drawer, Dropdown, Grid, Layout, Menu, Result, Segmented, Space, Spin, Typography } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import {
  ApartmentOutlined, AuditOutlined, CameraOutlined, FileExcelOutlined, InboxOutlined, ProfileOutlined, KeyOutlined, LogoutOutlined, MenuOutlined, SolutionOutlined, TeamOutlined, UserOutlined,
} from '@ant-design/icons';
import { api, onAuthProblem, type Me, type Reference } from './api';
import { I18nContext, initialLang, makeI18n, saveLang, useI18n, type Lang } from './i18n';
import { navigate, useRoute } from './router';
import { SessionContext, can, useSession, type Session } from './session';
import { LoginPage } from './pages/LoginPage';
import { PasswordPage } from './pages/PasswordPage';
import { SecondFactorPage, secondFactorPending } from './pages/SecondFactorPage';
import { AreasPage } from './pages/AreasPage';
import { PeoplePage } from './pages/PeoplePage';
import { ResponsibilitiesPage } from './pages/ResponsibilitiesPage';
import { ExcelPage } from './pages/ExcelPage';
import { AuditPage } from './pages/AuditPage';
import { EnvironmentOutlined, FileTextOutlined, SettingOutlined } from '@ant-design/icons';
import { MapPage } from './features/map';
import { BulletinPage } from './features/bulletin';
import { NotificationBell, SettingsPage } from './features/settings';
import { CaseDetailPage, CaseListPage, InboxPage, ReportPage } from './features/cases';
import { IntakePage } from './features/intake';
import { MobileOutlined } from '@ant-design/icons';
import { ScheduleOutlined } from '@ant-design/icons';
import { MyTasksPage, TaskPage, landingPage } from './features/routines';
import { CompletenessPage, PlansPage } from './features/routines-admin';
import { ScorecardPage } from './features/scores';
import { OtherWorkPage, RatingsPage, ScoreSettingsPage } from './features/scores-admin';
import { CarryOutOutlined, TrophyOutlined } from '@ant-design/icons';
import { GiftOutlined } from '@ant-design/icons';
import { RewardsPage, rewardsMenuLabel } from './features/rewards';
import { NotificationOutlined } from '@ant-design/icons';
import { PublicityPage, publicityMenuLabel } from './features/publicity';

export function App() {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((l: Lang) => { saveLang(l); setLangState(l); }, []);
  const i18n = useMemo(() => makeI18n(lang, setLang), [lang, setLang]);
  useEffect(() => {
    dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = lang === 'zh' ? '网格 · 网格化治理' : 'Wangge · grid governance';
  }, [lang]);
  return (
    <I18nContext.Provider value={i18n}>
      <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} theme={{ token: { colorPrimary: '#1677ff', borderRadius: 6 } }} button={{ autoInsertSpace: false }}>
        <AntApp>
          <Root />
        </AntApp>
      </ConfigProvider>
    </I18nContext.Provider>
  );
}

type State = { kind: 'loading' } | { kind: 'anon' } | { kind: 'secondFactor'; me: Me } | { kind: 'mustChange'; me: Me | null } | { kind: 'in'; me: Me };

function Root() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [reference, setReference] = useState<Reference | null>(null);

  const load = useCallback(async () => {
    try {
      const me = await api.me();
      // the second factor first (set up or entered), then a password set by an administrator
      if (secondFactorPending(me)) { setState({ kind: 'secondFactor', me }); return; }
      if (me.mustChangePassword) { setState({ kind: 'mustChange', me }); return; }
      setState({ kind: 'in', me });
      api.reference().then(setReference).catch(() => {});
    } catch {
      setState({ kind: 'anon' });
    }
  }, []);

  useEffect(() => { void load(); }, [load]);
  useEffect(() => onAuthProblem((e) => {
    if (e.status === 401) setState({ kind: 'anon' });
    else if (e.code === 'PASSWORD_CHANGE_REQUIRED') setState((s) => ({ kind: 'mustChange', me: s.kind === 'in' ? s.me : null }));
  }), []);

  if (state.kind === 'loading') return <div style={{ padding: 80, textAlign: 'center' }}><Spin size="large" /></div>;
  if (state.kind === 'anon') return <LoginPage onLoggedIn={load} />;
  if (state.kind === 'secondFactor') return <SecondFactorPage me={state.me} onDone={load} />;
  if (state.kind === 'mustChange') {
    return (
      <Shell me={state.me} minimal>
        <PasswordPage forced onDone={load} />
      </Shell>
    );
  }
  const me = state.me;
  const session: Session = {
    me,
    reference,
    reload: load,
    can: (duty, areaIds) => can(me, duty, areaIds),
  };
  return (
    <SessionContext.Provider value={session}>
      <Shell me={me}>
        <Pages />
      </Shell>
    </SessionContext.Provider>
  );
}

function Pages() {
  const route = useRoute();
  const { t } = useI18n();
  const [page, arg] = route.path;
  switch (page ?? landingPage(useSession().me)) {
    case 'areas': return <AreasPage areaId={arg ? Number(arg) : undefined} />;
    case 'people': return <PeoplePage userId={arg ? Number(arg) : undefined} />;
    case 'responsibilities': return <ResponsibilitiesPage />;
    case 'excel': return <ExcelPage />;
    case 'audit': return <AuditPage />;
    case 'map': return <MapPage />;
    case 'bulletin': return <BulletinPage key={arg ?? 'preview'} id={arg ? Number(arg) : undefined} />;
    case 'settings': return <SettingsPage section={arg} />;
    case 'inbox': return <InboxPage />;
    case 'intake': return <IntakePage route={route} />;
    case 'report': return <ReportPage />;
    case 'tasks': return arg ? <TaskPage key={arg} id={Number(arg)} /> : <MyTasksPage />;
    case 'routines': return arg === 'plans' ? <PlansPage /> : <CompletenessPage />;
    case 'scores':
      if (arg === 'other') return <OtherWorkPage />;
      if (arg === 'ratings') return <RatingsPage key={route.path[2] ?? 'list'} id={route.path[2] ? Number(route.path[2]) : undefined} certificate={route.path[3] === 'certificate'} />;
      if (arg === 'settings') return <ScoreSettingsPage />;
      return <ScorecardPage route={route} />;
    case 'rewards': return <RewardsPage section={arg} />;
    case 'publicity': return <PublicityPage route={route} />;
    case 'cases': return arg ? <CaseDetailPage key={arg} id={Number(arg)} /> : <CaseListPage route={route} />;
    case 'password': return <PasswordPage onDone={() => navigate('/areas')} />;
    default: return <Result status="404" title="404" extra={<Button onClick={() => navigate('/areas')}>{t('menuAreas')}</Button>} />;
  }
}

function Shell({ me, minimal, children }: { me: Me | null; minimal?: boolean; children: React.ReactNode }) {
  const { t, lang, setLang } = useI18n();
  const route = useRoute();
  const screens = Grid.useBreakpoint();
  const mobile = !screens.lg;
  const [collapsed, setCollapsed] = useState(true);
  // Only what the caller may do (the duties of /me); the server still checks every request.
  const has = (duty: string) => can(me, duty);
  const when = <T,>(ok: boolean, item: T): T[] => (ok ? [item] : []);
  const current = route.path[0] ?? landingPage(me);

  const logout = async () => {
    await api.logout().catch(() => {});
    window.location.hash = '';
    window.location.reload();
  };

  const items = [
    ...when(has('cases.read'), { key: 'inbox', icon: <InboxOutlined />, label: <span data-testid="menu-inbox">{t('menuInbox')}</span> }),
    ...when(has('intake.read'), { key: 'intake', icon: <MobileOutlined />, label: <span data-testid="menu-intake">群众上报</span> }),
    ...when(has('routines.do'), { key: 'tasks', icon: <ScheduleOutlined />, label: <span data-testid="menu-tasks">{t('menuTasks')}</span> }),
    ...when(has('cases.report'), { key: 'report', icon: <CameraOutlined />, label: <span data-testid="menu-report">{t('menuReport')}</span> }),
    ...when(has('cases.read'), { key: 'cases', icon: <ProfileOutlined />, label: <span data-testid="menu-cases">{t('menuCases')}</span> }),
    ...when(has('cases.read'), { key: 'map', icon: <EnvironmentOutlined />, label: <span data-testid="menu-map">{t('menuMap')}</span> }),
    ...when(has('scores.read'), { key: 'bulletin', icon: <FileTextOutlined />, label: <span data-testid="menu-bulletin">{t('menuBulletin')}</span> }),
    ...when(has('routines.read'), {
      key: 'routines', icon: <CarryOutOutlined />, label: <span data-testid="menu-routines">{t('menuRoutines')}</span>,
      children: [
        { key: 'routines/completeness', label: <span data-testid="menu-routines-completeness">{t('menuRoutineCompleteness')}</span> },
        ...when(has('routines.manage'), { key: 'routines/plans', label: <span data-testid="menu-routines-plans">{t('menuRoutinePlans')}</span> }),
      ],
    }),
    ...when(has('scores.read'), {
      key: 'scores', icon: <TrophyOutlined />, label: <span data-testid="menu-scores">{t('menuScores')}</span>,
      children: [
        { key: 'scores/card', label: <span data-testid="menu-scores-card">{t('menuScorecard')}</span> },
        { key: 'scores/other', label: <span data-testid="menu-scores-other">{t('menuScoresOther')}</span> },
        { key: 'scores/ratings', label: <span data-testid="menu-scores-ratings">{t('menuScoresRatings')}</span> },
        ...when(has('scores.indicators.manage') || has('settings.manage'), { key: 'scores/settings', label: <span data-testid="menu-scores-settings">{t('menuScoresSettings')}</span> }),
      ],
    }),
    ...when(has('rewards.read'), { key: 'rewards', icon: <GiftOutlined />, label: <span data-testid="menu-rewards">{rewardsMenuLabel(lang)}</span> }),
    ...when(has('publicity.read'), { key: 'publicity', icon: <NotificationOutlined />, label: <span data-testid="menu-publicity">{publicityMenuLabel(lang)}</span> }),
    ...when(has('network.read'), { key: 'areas', icon: <ApartmentOutlined />, label: <span data-testid="menu-areas">{t('menuAreas')}</span> }),
    ...when(has('network.read'), { key: 'people', icon: <TeamOutlined />, label: <span data-testid="menu-people">{t('menuPeople')}</span> }),
    ...when(has('network.read'), { key: 'responsibilities', icon: <SolutionOutlined />, label: <span data-testid="menu-responsibilities">{t('menuResponsibilities')}</span> }),
    ...when(has('network.read'), { key: 'excel', icon: <FileExcelOutlined />, label: <span data-testid="menu-excel">{t('menuExcel')}</span> }),
    ...when(has('audit.read'), { key: 'audit', icon: <AuditOutlined />, label: <span data-testid="menu-audit">{t('menuAudit')}</span> }),
    ...when(!!me, {
      key: 'settings', icon: <SettingOutlined />, label: <span data-testid="menu-settings">{t('menuSettings')}</span>,
      children: [
        ...when(has('categories.manage'), { key: 'settings/categories', label: <span data-testid="menu-settings-categories">{t('setCategories')}</span> }),
        ...when(has('settings.manage'), { key: 'settings/calendar', label: <span data-testid="menu-settings-calendar">{t('setCalendar')}</span> }),
        ...when(has('webhooks.manage'), { key: 'settings/notify', label: <span data-testid="menu-settings-notify">{t('setNotify')}</span> }),
        ...when(has('open311.manage'), { key: 'settings/open311', label: <span data-testid="menu-settings-open311">Open311 合作方</span> }),
        // Everyone may read the duty table (it says who may do what); only duties.manage edits it.
        { key: 'settings/duties', label: <span data-testid="menu-settings-duties">{t('setDuties')}</span> },
      ],
    }),
    { key: 'password', icon: <KeyOutlined />, label: <span data-testid="menu-password">{t('menuPassword')}</span> },
  ];

  const menu = (
    <Menu
      mode="inline"
      selectedKeys={[current, route.path.slice(0, 2).join('/')]}
      key={['settings', 'routines', 'scores'].includes(current) ? `menu-in-${current}` : 'menu'}
      defaultOpenKeys={['settings', 'routines', 'scores'].includes(current) ? [current] : []}
      items={items}
      onClick={(e) => { navigate(`/${e.key}`); if (mobile) setCollapsed(true); }}
      style={{ borderInlineEnd: 0 }}
    />
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        style={{ display: 'flex', alignItems: 'center', gap: 12, padding: mobile ? '0 12px' : '0 24px', background: '#fff', borderBottom: '1px solid #f0f0f0', position: 'sticky', top: 0, zIndex: 20 }}
      >
        {!minimal && mobile && <Button type="text" icon={<MenuOutlined />} onClick={() => setCollapsed((c) => !c)} aria-label="menu" data-testid="menu-toggle" />}
        <a href="#/areas" style={{ display: 'flex', alignItems: 'center', gap: 8, color: 'inherit' }}>
          <GridLogo />
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="app-name">{t('appName')}</Typography.Title>
          {!mobile && <Typography.Text type="secondary">{t('appSubtitle')}</Typography.Text>}
        </a>
        <div style={{ flex: 1 }} />
        {me && !minimal && <NotificationBell />}
        <Segmented
          size="small"
          value={lang}
          onChange={(v) => setLang(v as Lang)}
          options={[{ label: '中文', value: 'zh' }, { label: 'English', value: 'en' }]}
          data-testid="lang-switch"
        />
        {me && (mobile ? (
          <Dropdown menu={{ items: [{ key: 'u', label: me.displayName, disabled: true }, { key: 'logout', label: t('logout'), icon: <LogoutOutlined />, onClick: logout }] }}>
            <Button type="text" icon={<UserOutlined />} data-testid="user-menu" />
          </Dropdown>
        ) : (
          <Space>
            <Typography.Text data-testid="user-name"><UserOutlined /> {me.displayName}</Typography.Text>
            <Button icon={<LogoutOutlined />} onClick={logout} data-testid="logout">{t('logout')}</Button>
          </Space>
        ))}
        {!me && <Button icon={<LogoutOutlined />} onClick={logout} data-testid="logout">{t('logout')}</Button>}
      </Layout.Header>
      <Layout>
        {!minimal && !mobile && (
          <Layout.Sider width={200} theme="light" style={{ borderRight: '1px solid #f0f0f0' }}>
            {menu}
          </Layout.Sider>
        )}
        {!minimal && mobile && (
          <Drawer placement="left" open={!collapsed} onClose={() => setCollapsed(true)} size={240} title={t('appName')} styles={{ body: { padding: 0 } }}>
            {menu}
          </Drawer>
        )}
        <Layout.Content style={{ padding: mobile ? 8 : 16, minWidth: 0 }}>{children}</Layout.Content>
      </Layout>
    </Layout>
  );
}

function GridLogo() {
  return (
    <svg width="26" height="26" viewBox="0 0 16 16" aria-hidden>
      <rect x="1" y="1" width="14" height="14" rx="2" fill="#1677ff" />
      <path d="M1 5.7h14M1 10.3h14M5.7 1v14M10.3 1v14" stroke="#fff" strokeWidth="0.8" />
    </svg>
  );
}
