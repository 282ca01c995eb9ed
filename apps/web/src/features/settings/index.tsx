// 设置: the settings pages, one per menu entry (#/settings/categories|calendar|notify|open311|duties).
import { Button, Result } from 'antd';
import { useI18n } from '../../i18n';
import { navigate } from '../../router';
import { CategoriesPage } from './CategoriesPage';
import { CalendarPage } from './CalendarPage';
import { NotifyPage } from './NotifyPage';
import { PartnersPage } from '../open311';
import { DutiesPage } from './DutiesPage';
import { useSession } from '../../session';

export { NotificationBell } from './NotificationBell';

export const SETTINGS_SECTIONS = ['categories', 'calendar', 'notify', 'open311', 'duties'] as const;

export function SettingsPage({ section }: { section?: string }) {
  const { t } = useI18n();
  // #/settings opens the first page the caller may use (the duty table is open to everyone).
  const { can } = useSession();
  switch (section ?? (can('categories.manage') ? 'categories' : 'duties')) {
    case 'categories': return <CategoriesPage />;
    case 'calendar': return <CalendarPage />;
    case 'notify': return <NotifyPage />;
    case 'open311': return <PartnersPage />;
    case 'duties': return <DutiesPage />;
    default: return <Result status="404" title="404" extra={<Button onClick={() => navigate('/settings/categories')}>{t('setCategories')}</Button>} />;
  }
}
