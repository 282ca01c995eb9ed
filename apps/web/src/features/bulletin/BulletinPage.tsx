// 每日通报: pick a scope and a day, see the preview, issue it (a correction asks the reason), download
// it as .xlsx or print it on A4; the issued versions of the scope, each shown exactly as stored.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Col, DatePicker, Empty, Form, Input, Modal, Row, Space, Spin, Table, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, DownloadOutlined, PrinterOutlined, ReloadOutlined, SendOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { ApiError, errorText } from '../../api';
import { useI18n } from '../../i18n';
import { navigate, useRoute } from '../../router';
import { AreaPicker } from '../../components/Pickers';
import { useSession } from '../../session';
import { useDefaultScope } from '../map/scope';
import { bulletinApi, type Bulletin, type BulletinContent, type BulletinListItem } from './api';
import { BulletinSheet } from './BulletinSheet';

export function BulletinPage({ id }: { id?: number }) {
  return id ? <StoredBulletin id={id} /> : <BulletinPreview />;
}

function BulletinPreview() {
  const { t } = useI18n();
  const { message, modal } = App.useApp();
  const route = useRoute();
  const scope = useDefaultScope();
  const qArea = Number(route.query.get('areaId')) || undefined;
  const qDay = route.query.get('day');
  const [areaId, setAreaId] = useState<number | undefined>(qArea);
  const [areaLabel, setAreaLabel] = useState<string | undefined>();
  const mayIssue = useSession().can('bulletin.issue');
  const [day, setDay] = useState<Dayjs>(() => (qDay && dayjs(qDay).isValid() ? dayjs(qDay) : dayjs().subtract(1, 'day')));
  const [content, setContent] = useState<BulletinContent | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [versions, setVersions] = useState<BulletinListItem[] | null>(null);
  const [versionsError, setVersionsError] = useState<string | null>(null);
  const [dayVersions, setDayVersions] = useState<BulletinListItem[]>([]);
  const [issuing, setIssuing] = useState(false);
  const [asking, setAsking] = useState(false);

  useEffect(() => {
    if (scope && areaId === undefined) { setAreaId(scope.id); setAreaLabel(scope.name); }
  }, [scope, areaId]);

  const dayStr = day.format('YYYY-MM-DD');

  const loadPreview = useCallback(async () => {
    if (!areaId) return;
    setLoading(true);
    setError(null);
    try {
      setContent(await bulletinApi.preview(areaId, dayStr));
    } catch (e) {
      setContent(null);
      setError(errorText(e));
    } finally {
      setLoading(false);
    }
  }, [areaId, dayStr]);

  const loadVersions = useCallback(async () => {
    if (!areaId) return;
    setVersionsError(null);
    try {
      const [all, today] = await Promise.all([bulletinApi.list(areaId), bulletinApi.list(areaId, dayStr)]);
      setVersions(all);
      setDayVersions(today);
    } catch (e) {
      setVersions([]);
      setDayVersions([]);
      setVersionsError(errorText(e));
    }
  }, [areaId, dayStr]);

  useEffect(() => { void loadPreview(); }, [loadPreview]);
  useEffect(() => { void loadVersions(); }, [loadVersions]);
  useEffect(() => { if (content) setAreaLabel((l) => l ?? content.scope.name); }, [content]);

  const latest = useMemo(() => [...dayVersions].sort((a, b) => b.version - a.version)[0], [dayVersions]);

  const doIssue = async (note?: string) => {
    if (!areaId) return;
    setIssuing(true);
    try {
      const b = await bulletinApi.issue(areaId, dayStr, note);
      message.success(t('blIssuedOk', { n: b.version }));
      setAsking(false);
      await loadVersions();
    } catch (e) {
      // A version may have been issued meanwhile (by someone else): then a correction needs a reason.
      if (e instanceof ApiError && (e.status === 409 || e.code === 'NOTE_REQUIRED')) {
        await loadVersions();
        if (!note) setAsking(true);
      }
      message.error(errorText(e));
    } finally {
      setIssuing(false);
    }
  };

  const issue = () => {
    if (latest) { setAsking(true); return; }
    modal.confirm({
      title: t('blIssueConfirmTitle', { day: dayStr }),
      content: t('blIssueConfirm'),
      okText: t('blIssue'),
      cancelText: t('cancel'),
      okButtonProps: { 'data-testid': 'bulletin-issue-ok' } as Record<string, string>,
      onOk: () => doIssue(),
    });
  };

  return (
    <Row gutter={[12, 12]} className="bulletin-print-root" data-testid="bulletin-page">
      <Col xs={24} xl={18}>
        <Card size="small" title={<span className="no-print">{t('menuBulletin')}</span>} className="bulletin-card">
          <div className="no-print" style={{ marginBottom: 12 }}>
            <Space wrap>
              <AreaPicker
                value={areaId}
                initialLabel={areaLabel}
                levels={['town', 'district']}
                allowClear={false}
                onChange={(id, hit) => { if (id) { setAreaId(id); setAreaLabel(hit?.name); setVersions(null); } }}
                testId="bulletin-area"
                style={{ width: 200 }}
              />
              <DatePicker
                value={day}
                allowClear={false}
                onChange={(d) => d && setDay(d)}
                disabledDate={(d) => d.isAfter(dayjs(), 'day')}
                format="YYYY-MM-DD"
                data-testid="bulletin-day-picker"
              />
              <Button icon={<ReloadOutlined />} onClick={() => { void loadPreview(); void loadVersions(); }} aria-label={t('refresh')} />
              {mayIssue && <Button type="primary" icon={<SendOutlined />} onClick={issue} loading={issuing} disabled={!content} data-testid="bulletin-issue">
                {latest ? t('blIssueCorrection') : t('blIssue')}
              </Button>}
              <Button icon={<DownloadOutlined />} href={areaId ? bulletinApi.previewXlsx(areaId, dayStr) : undefined} disabled={!content} download data-testid="bulletin-xlsx">
                {t('blExcel')}
              </Button>
              <Button icon={<PrinterOutlined />} onClick={() => window.print()} disabled={!content} data-testid="bulletin-print">{t('blPrint')}</Button>
            </Space>
            {latest && (
              <Alert
                style={{ marginTop: 8 }}
                type="info"
                showIcon
                data-testid="bulletin-issued-notice"
                title={<span>{t('blAlreadyIssued', { n: latest.version, at: dayjs(latest.issuedAt).format('YYYY-MM-DD HH:mm') })} <a onClick={() => navigate(`/bulletin/${latest.id}`)}>{t('blView')}</a></span>}
              />
            )}
          </div>
          {error && <Alert type="error" showIcon title={error} className="no-print" />}
          {loading && !content && <div style={{ padding: 48, textAlign: 'center' }}><Spin /></div>}
          {content && <Spin spinning={loading}><BulletinSheet content={content} /></Spin>}
          {!content && !loading && !error && <Empty />}
        </Card>
      </Col>
      <Col xs={24} xl={6} className="no-print">
        <VersionsCard versions={versions} error={versionsError} currentDay={dayStr} />
      </Col>
      {asking && (
        <CorrectionModal
          day={dayStr}
          next={(latest?.version ?? 0) + 1}
          busy={issuing}
          onCancel={() => setAsking(false)}
          onOk={(note) => void doIssue(note)}
        />
      )}
    </Row>
  );
}

function CorrectionModal({ day, next, busy, onCancel, onOk }: { day: string; next: number; busy: boolean; onCancel: () => void; onOk: (note: string) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ note: string }>();
  return (
    <Modal
      open
      title={t('blCorrectionTitle', { day, n: next })}
      onCancel={onCancel}
      onOk={() => form.submit()}
      okText={t('blIssue')}
      cancelText={t('cancel')}
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'bulletin-correction-ok' } as Record<string, string>}
    >
      <Typography.Paragraph type="secondary">{t('blCorrectionHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(v) => onOk(v.note.trim())}>
        <Form.Item name="note" label={t('blCorrectionReason')} rules={[{ required: true, whitespace: true, message: t('blCorrectionReasonRequired') }]}>
          <Input.TextArea rows={3} maxLength={500} showCount data-testid="bulletin-correction-note" autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function VersionsCard({ versions, error, currentDay }: { versions: BulletinListItem[] | null; error: string | null; currentDay?: string }) {
  const { t } = useI18n();
  const rows = useMemo(() => [...(versions ?? [])].sort((a, b) => b.day.localeCompare(a.day) || b.version - a.version), [versions]);
  return (
    <Card size="small" title={t('blVersions')} data-testid="bulletin-versions">
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} />}
      <Table<BulletinListItem>
        rowKey="id"
        size="small"
        loading={versions === null}
        dataSource={rows}
        pagination={rows.length > 15 ? { pageSize: 15, size: 'small', simple: true } : false}
        locale={{ emptyText: t('blNoVersions') }}
        onRow={(r) => ({ onClick: () => navigate(`/bulletin/${r.id}`), style: { cursor: 'pointer' }, 'data-testid': `bulletin-version-${r.day}-${r.version}` } as React.HTMLAttributes<HTMLElement>)}
        columns={[
          { title: t('blDay'), dataIndex: 'day', render: (d: string) => (d === currentDay ? <b>{d}</b> : d) },
          { title: t('version'), dataIndex: 'version', width: 80, render: (n: number) => <Tag color={n > 1 ? 'orange' : 'blue'}>{t('blVersionN', { n })}</Tag> },
          { title: t('blIssuedAtCol'), dataIndex: 'issuedAt', responsive: ['md'], render: (s: string) => dayjs(s).format('MM-DD HH:mm') },
        ]}
        expandable={{
          rowExpandable: (r) => !!r.note,
          expandedRowRender: (r) => <Typography.Text type="secondary">{t('blCorrectionNote')}: {r.note}</Typography.Text>,
          showExpandColumn: false,
          expandedRowKeys: rows.filter((r) => r.note).map((r) => r.id),
        }}
      />
    </Card>
  );
}

function StoredBulletin({ id }: { id: number }) {
  const { t } = useI18n();
  const [b, setB] = useState<Bulletin | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [siblings, setSiblings] = useState<BulletinListItem[]>([]);

  useEffect(() => {
    let live = true;
    setB(null);
    setError(null);
    bulletinApi.get(id).then(async (x) => {
      if (!live) return;
      setB(x);
      const same = await bulletinApi.list(x.scopeAreaId, x.day).catch(() => []);
      if (live) setSiblings([...same].sort((p, q) => p.version - q.version));
    }).catch((e) => { if (live) setError(errorText(e)); });
    return () => { live = false; };
  }, [id]);

  const back = () => navigate(b ? `/bulletin?areaId=${b.scopeAreaId}&day=${b.day}` : '/bulletin');

  return (
    <div className="bulletin-print-root" data-testid="bulletin-stored">
      <Card size="small">
        <div className="no-print" style={{ marginBottom: 12 }}>
          <Space wrap>
            <Button icon={<ArrowLeftOutlined />} onClick={back} data-testid="bulletin-back">{t('blBack')}</Button>
            <Button icon={<DownloadOutlined />} href={bulletinApi.xlsx(id)} download disabled={!b} data-testid="bulletin-stored-xlsx">{t('blExcel')}</Button>
            <Button icon={<PrinterOutlined />} onClick={() => window.print()} disabled={!b} data-testid="bulletin-stored-print">{t('blPrint')}</Button>
            {siblings.length > 1 && (
              <Space size={4} wrap>
                <Typography.Text type="secondary">{t('blOtherVersions')}:</Typography.Text>
                {siblings.map((s) => (
                  <Tag.CheckableTag key={s.id} checked={s.id === id} onChange={() => navigate(`/bulletin/${s.id}`)}>{t('blVersionN', { n: s.version })}</Tag.CheckableTag>
                ))}
              </Space>
            )}
          </Space>
        </div>
        {error && <Alert type="error" showIcon title={error} />}
        {!b && !error && <div style={{ padding: 48, textAlign: 'center' }}><Spin /></div>}
        {b && <BulletinSheet content={b.content} meta={{ version: b.version, note: b.note, issuedAt: b.issuedAt, issuedByName: b.issuedByName }} />}
      </Card>
    </div>
  );
}
