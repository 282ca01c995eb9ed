// 我的待办: what waits for me, by the step I take next (待立案, 待派遣, 待处置, 待核查, 待审批).
import { useCallback, useEffect, useState } from 'react';
import { Alert, Badge, Button, Card, Col, Empty, Row, Space, Spin, Typography } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { errorText } from '../../api';
import { useI18n, type TKey } from '../../i18n';
import { navigate } from '../../router';
import { casesApi, type Inbox, type InboxGroup } from './api';
import { CaseCards, isFieldUser } from './common';
import { useSession } from '../../session';

const GROUPS: { key: InboxGroup; title: TKey; hint: TKey }[] = [
  { key: 'register', title: 'caseInboxRegister', hint: 'caseInboxRegisterHint' },
  { key: 'dispatch', title: 'caseInboxDispatch', hint: 'caseInboxDispatchHint' },
  { key: 'fix', title: 'caseInboxFix', hint: 'caseInboxFixHint' },
  { key: 'check', title: 'caseInboxCheck', hint: 'caseInboxCheckHint' },
  { key: 'requests', title: 'caseInboxRequests', hint: 'caseInboxRequestsHint' },
];
/** The list's filters that show (roughly) a group's cases. */
const GROUP_QUERY: Record<InboxGroup, string> = {
  register: 'state=reported', dispatch: 'state=registered', fix: 'state=dispatched,fixing&mine=true', check: 'state=fixed', requests: 'state=dispatched,fixing',
};
/** How many cases a group lists here; the rest are one click away in the list. */
const SHOWN = 8;

export function InboxPage() {
  const { t } = useI18n();
  const field = isFieldUser(useSession().me);
  const [inbox, setInbox] = useState<Inbox | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    try { setInbox(await casesApi.inbox()); setError(null); } catch (e) { setError(errorText(e)); } finally { setLoading(false); }
  }, []);
  useEffect(() => { void load(); }, [load]);

  const total = inbox ? GROUPS.reduce((n, g) => n + (inbox.counts?.[g.key] ?? inbox[g.key]?.length ?? 0), 0) : 0;

  return (
    <div style={{ maxWidth: 1280, margin: '0 auto' }} data-testid="inbox-page">
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 12, flexWrap: 'wrap' }}>
        <Typography.Title level={5} style={{ margin: 0 }}>{t('menuInbox')}</Typography.Title>
        {inbox && <Badge count={total} showZero color={total ? '#1677ff' : '#bfbfbf'} data-testid="inbox-total" />}
        <div style={{ flex: 1 }} />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/report')} data-testid="inbox-report">{t('menuReport')}</Button>
        <Button icon={<ReloadOutlined />} loading={loading} onClick={() => void load()} aria-label={t('refresh')} />
      </div>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {!inbox && !error && <div style={{ textAlign: 'center', padding: 24 }}><Spin /></div>}
      {inbox && (
        <Row gutter={[12, 12]}>
          {GROUPS.map((g) => {
            const items = inbox[g.key] ?? [];
            const count = inbox.counts?.[g.key] ?? items.length;
            // Field workers see 待处置 and whatever else has something in it; desk staff see every group.
            if (field && count === 0 && g.key !== 'fix') return null;
            return (
              <Col key={g.key} xs={24} md={12} xl={8}>
                <Card
                  size="small"
                  data-testid={`inbox-${g.key}`}
                  data-count={count}
                  title={<Space>{t(g.title)}<Badge count={count} showZero color={count ? (g.key === 'fix' ? '#fa541c' : '#1677ff') : '#bfbfbf'} /></Space>}
                  extra={<Typography.Text type="secondary" style={{ fontSize: 12 }}>{t(g.hint)}</Typography.Text>}
                  styles={{ body: { padding: items.length ? '0 12px' : 12 } }}
                >
                  {items.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('caseInboxEmpty')} style={{ margin: 0 }} /> : (
                    <>
                      <CaseCards items={items.slice(0, SHOWN)} />
                      {count > SHOWN && <div style={{ padding: '6px 0 10px' }}><a href={`#/cases?${GROUP_QUERY[g.key]}`}>{t('caseInboxMore', { n: count - SHOWN })}</a></div>}
                    </>
                  )}
                </Card>
              </Col>
            );
          })}
        </Row>
      )}
    </div>
  );
}
