// 设置: the case loop's settings pages, one per menu entry (#/settings/categories|calendar|notify|open311).
import { Button, Result } from 'antd';
import { useI18n } from '../../i18n';
import { navigate } from '../../router';
import { CategoriesPage } from './CategoriesPage';
import { CalendarPage } from './CalendarPage';
import { NotifyPage } from './NotifyPage';
import { PartnersPage } from '../open311';

export { NotificationBell } from './NotificationBell';

export const SETTINGS_SECTIONS = ['categories', 'calendar', 'notify', 'open311'] as const;

export function SettingsPage({ section }: { section?: string }) {
  const { t } = useI18n();
  switch (section ?? 'categories') {
    case 'categories': return <CategoriesPage />;
    case 'calendar': return <CalendarPage />;
    case 'notify': return <NotifyPage />;
    case 'open311': return <PartnersPage />;
    default: return <Result status="404" title="404" extra={<Button onClick={() => navigate('/settings/categories')}>{t('setCategories')}</Button>} />;
  }
}
