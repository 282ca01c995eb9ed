// The bell in the header: my unread count, the latest notifications in a dropdown (a click opens
// the case and marks it read), 全部已读. Checks every 60 s while the page is visible.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Badge, Button, Empty, Popover, Spin, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { errorText } from '../../api';
import { useI18n } from '../../i18n';
import { navigate } from '../../router';
import { settingsApi, type Notification } from './api';

const POLL_MS = 60_000;

export function NotificationBell() {
  const { t } = useI18n();
  const [items, setItems] = useState<Notification[] | null>(null);
  const [unread, setUnread] = useState(0);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const live = useRef(true);

  const load = useCallback(async () => {
    try {
      const r = await settingsApi.notifications({ limit: 20 });
      if (!live.current) return;
      setItems(r.items);
      setUnread(r.unread);
      setError(null);
    } catch (e) {
      if (live.current) setError(errorText(e));
    }
  }, []);

  useEffect(() => {
    live.current = true;
    void load();
    const timer = setInterval(() => { if (document.visibilityState === 'visible') void load(); }, POLL_MS);
    const onVisible = () => { if (document.visibilityState === 'visible') void load(); };
    document.addEventListener('visibilitychange', onVisible);
    return () => { live.current = false; clearInterval(timer); document.removeEventListener('visibilitychange', onVisible); };
  }, [load]);

  const openOne = async (n: Notification) => {
    setOpen(false);
    if (!n.readAt) {
      setItems((l) => l?.map((x) => (x.id === n.id ? { ...x, readAt: new Date().toISOString() } : x)) ?? null);
      setUnread((u) => Math.max(0, u - 1));
      settingsApi.readNotification(n.id).catch(() => void load());
    }
    if (n.caseId) navigate(`/cases/${n.caseId}`);
    else if (n.kind.startsWith('bulletin')) navigate('/bulletin');
  };

  const readAll = async () => {
    setBusy(true);
    try {
      await settingsApi.readAll();
      await load();
    } catch (e) { setError(errorText(e)); } finally { setBusy(false); }
  };

  const content = (
    <div style={{ width: 'min(360px, calc(100vw - 32px))' }} data-testid="notification-list">
      <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', paddingBottom: 6, borderBottom: '1px solid #f0f0f0' }}>
        <Typography.Text strong>{t('ntfTitle')}{unread > 0 ? ` · ${t('ntfUnread', { n: unread })}` : ''}</Typography.Text>
        <Button size="small" type="link" disabled={unread === 0} loading={busy} onClick={() => void readAll()} data-testid="notification-read-all">{t('ntfReadAll')}</Button>
      </div>
      {error && <Typography.Text type="danger" style={{ fontSize: 12 }}>{error}</Typography.Text>}
      {items === null && !error && <div style={{ padding: 16, textAlign: 'center' }}><Spin /></div>}
      {items && items.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ntfNone')} />}
      <div style={{ maxHeight: 'min(420px, 60vh)', overflowY: 'auto' }}>
        {items?.map((n) => (
          <div
            key={n.id}
            role="button"
            tabIndex={0}
            onClick={() => void openOne(n)}
            onKeyDown={(e) => { if (e.key === 'Enter') void openOne(n); }}
            data-testid={`notification-${n.id}`}
            style={{ padding: '8px 4px', borderBottom: '1px solid #f5f5f5', cursor: 'pointer', background: n.readAt ? undefined : '#f0f7ff', borderRadius: 4 }}
          >
            <div style={{ display: 'flex', gap: 6, alignItems: 'baseline' }}>
              {!n.readAt && <span style={{ width: 6, height: 6, borderRadius: 3, background: '#1677ff', flexShrink: 0, display: 'inline-block', transform: 'translateY(-2px)' }} />}
              <Typography.Text strong={!n.readAt} style={{ flex: 1, minWidth: 0 }} ellipsis>{n.title}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 11, whiteSpace: 'nowrap' }}>{dayjs(n.createdAt).format('MM-DD HH:mm')}</Typography.Text>
            </div>
            {n.body && <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: 0 }} ellipsis={{ rows: 2 }}>{n.body}</Typography.Paragraph>}
          </div>
        ))}
      </div>
    </div>
  );

  return (
    <Popover
      content={content}
      trigger="click"
      open={open}
      onOpenChange={(o) => { setOpen(o); if (o) void load(); }}
      placement="bottomRight"
      arrow={false}
    >
      <Button type="text" aria-label={t('ntfTitle')} data-testid="notification-bell" style={{ paddingInline: 6 }}>
        <Badge count={unread} size="small" overflowCount={99} data-testid="notification-count">
          <BellOutlined style={{ fontSize: 18 }} />
        </Badge>
      </Button>
    </Popover>
  );
}
