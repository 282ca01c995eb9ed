import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Input, Space, Table, Typography } from 'antd';
import { ReloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { api, errorText, type AuditEntry, type AuditVerify } from '../api';
import { useI18n } from '../i18n';

const PAGE = 50;

export function AuditPage() {
  const { t } = useI18n();
  const [entity, setEntity] = useState('');
  const [entityId, setEntityId] = useState('');
  const [rows, setRows] = useState<AuditEntry[]>([]);
  const [more, setMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [verify, setVerify] = useState<AuditVerify | null>(null);
  const [verifying, setVerifying] = useState(false);

  const load = useCallback(async (beforeId?: number) => {
    setLoading(true);
    setError(null);
    try {
      const list = await api.audit({ entity: entity.trim() || undefined, entityId: entityId.trim() || undefined, beforeId, limit: PAGE });
      setRows((r) => (beforeId ? [...r, ...list] : list));
      setMore(list.length === PAGE);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setLoading(false);
    }
  }, [entity, entityId]);
  useEffect(() => { void load(); }, [load]);

  const runVerify = async () => {
    setVerifying(true);
    try { setVerify(await api.verifyAudit()); } catch (e) { setError(errorText(e)); } finally { setVerifying(false); }
  };

  const json = (v: unknown) => (v === null || v === undefined ? '—' : <pre style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 12 }}>{JSON.stringify(v, null, 2)}</pre>);

  return (
    <Card size="small" title={t('audit')} data-testid="audit-page"
      extra={<Button icon={<SafetyCertificateOutlined />} onClick={runVerify} loading={verifying} data-testid="audit-verify">{t('verify')}</Button>}>
      {verify && (
        <Alert style={{ marginBottom: 12 }} showIcon type={verify.ok ? 'success' : 'error'} data-testid="audit-verify-result" closable onClose={() => setVerify(null)}
          title={verify.ok ? t('verifyOk', { n: verify.checked }) : t('verifyBroken', { id: verify.brokenId ?? '?', reason: verify.reason ?? '' })} />
      )}
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search placeholder={t('entity')} allowClear onSearch={setEntity} style={{ width: 160 }} />
        <Input.Search placeholder={t('entityId')} allowClear onSearch={setEntityId} style={{ width: 140 }} />
        <Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('refresh')} />
      </Space>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Table<AuditEntry>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 720 }}
        data-testid="audit-table"
        expandable={{
          expandedRowRender: (r) => (
            <Space align="start" wrap style={{ width: '100%' }}>
              <div style={{ minWidth: 240 }}><Typography.Text strong>{t('before')}</Typography.Text>{json(r.before)}</div>
              <div style={{ minWidth: 240 }}><Typography.Text strong>{t('after')}</Typography.Text>{json(r.after)}</div>
              <div><Typography.Text type="secondary" style={{ fontSize: 11 }}>hash {r.hash}<br />prev {r.prevHash}</Typography.Text></div>
            </Space>
          ),
        }}
        columns={[
          { title: '#', dataIndex: 'id', width: 70 },
          { title: t('time'), dataIndex: 'at', width: 160, render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm:ss') },
          { title: t('actor'), dataIndex: 'actorName', width: 120 },
          { title: t('action'), dataIndex: 'action' },
          { title: t('entity'), key: 'e', render: (_: unknown, r) => `${r.entity}${r.entityId ? ` #${r.entityId}` : ''}` },
        ]}
      />
      {more && <Button style={{ marginTop: 12 }} loading={loading} onClick={() => void load(rows.at(-1)?.id)}>{t('loadMore')}</Button>}
    </Card>
  );
}
