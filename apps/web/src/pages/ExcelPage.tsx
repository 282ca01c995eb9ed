import { useState } from 'react';
import { Alert, Button, Card, Checkbox, Col, Progress, Row, Space, Table, Typography, Upload } from 'antd';
import { DownloadOutlined, FileExcelOutlined, UploadOutlined } from '@ant-design/icons';
import { ApiError, errorText, qs, uploadXlsx, type ApiErrorDetail, type ImportResult } from '../api';
import { useI18n } from '../i18n';
import { AreaPicker } from '../components/Pickers';
import { useSession } from '../session';

type Kind = 'roster' | 'areas';
type Outcome = { ok: true; result: ImportResult; file: string } | { ok: false; error: ApiError | Error; file: string };

export function ExcelPage() {
  const { t } = useI18n();
  const [scope, setScope] = useState<number | undefined>();
  const { can } = useSession();
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="excel-page">
      <Row gutter={[12, 12]}>
        <Col xs={24} md={12}>
          <Card size="small" title={<Space><FileExcelOutlined />{t('templates')}</Space>} style={{ height: '100%' }}>
            <Space wrap>
              <Button icon={<DownloadOutlined />} href="/api/v1/excel/template/roster.xlsx" download data-testid="template-roster">{t('templateRoster')}</Button>
              <Button icon={<DownloadOutlined />} href="/api/v1/excel/template/areas.xlsx" download data-testid="template-areas">{t('templateAreas')}</Button>
            </Space>
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card size="small" title={<Space><DownloadOutlined />{t('export')}</Space>} style={{ height: '100%' }}>
            <Space orientation="vertical" style={{ width: '100%' }}>
              <AreaPicker value={scope} onChange={setScope} placeholder={t('exportScope')} style={{ width: '100%' }} testId="export-scope" />
              <Space wrap>
                {can('people.export') && <Button type="primary" icon={<DownloadOutlined />} href={`/api/v1/excel/export/roster.xlsx${qs({ areaId: scope })}`} download data-testid="export-roster">{t('exportRoster')}</Button>}
                <Button icon={<DownloadOutlined />} href={`/api/v1/excel/export/areas.xlsx${qs({ areaId: scope })}`} download data-testid="export-areas">{t('exportAreas')}</Button>
              </Space>
            </Space>
          </Card>
        </Col>
      </Row>
      <Row gutter={[12, 12]}>
        {can('people.manage') && <Col xs={24} xl={12}><ImportCard kind="roster" /></Col>}
        {can('network.manage') && <Col xs={24} xl={12}><ImportCard kind="areas" /></Col>}
      </Row>
    </Space>
  );
}

function ImportCard({ kind }: { kind: Kind }) {
  const { t } = useI18n();
  const [percent, setPercent] = useState<number | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  const [dryRun, setDryRun] = useState(false);
  const details: ApiErrorDetail[] = outcome && !outcome.ok && outcome.error instanceof ApiError ? outcome.error.details ?? [] : [];

  return (
    <Card size="small" title={<Space><UploadOutlined />{kind === 'roster' ? t('importRoster') : t('importAreas')}</Space>} data-testid={`import-${kind}`}>
      <Typography.Paragraph type="secondary">{t('importHint')}</Typography.Paragraph>
      <Upload
        accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        maxCount={1}
        showUploadList={false}
        disabled={busy}
        customRequest={async (opt) => {
          const file = opt.file as File;
          setBusy(true);
          setPercent(0);
          setOutcome(null);
          try {
            const result = await uploadXlsx(`/excel/import/${kind}${dryRun ? '?dryRun=true' : ''}`, file, (p) => { setPercent(p); opt.onProgress?.({ percent: p }); });
            setOutcome({ ok: true, result, file: file.name });
            opt.onSuccess?.(result);
          } catch (e) {
            setOutcome({ ok: false, error: e instanceof Error ? e : new Error(String(e)), file: file.name });
            opt.onError?.(e as Error);
          } finally {
            setPercent(100);
            setBusy(false);
          }
        }}
      >
        <Button icon={<UploadOutlined />} loading={busy} data-testid={`import-${kind}-button`}>{t('chooseFile')}</Button>
      </Upload>
      <Checkbox checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} style={{ marginInlineStart: 12 }} data-testid={`import-${kind}-dryrun`}>{t('dryRun')}</Checkbox>
      {percent !== null && <Progress percent={percent} size="small" style={{ marginTop: 8 }} status={outcome && !outcome.ok ? 'exception' : outcome ? 'success' : 'active'} data-testid={`import-${kind}-progress`} />}
      {outcome?.ok && (
        <Alert
          type="success" showIcon style={{ marginTop: 8 }} data-testid={`import-${kind}-ok`}
          title={`${outcome.file}：${t(outcome.result.dryRun ? 'dryRunOk' : 'importOk', { n: outcome.result.rows })}`}
          description={<ResultSummary result={outcome.result} />}
        />
      )}
      {outcome && !outcome.ok && (
        <div data-testid={`import-${kind}-error`}>
          <Alert type="error" showIcon style={{ marginTop: 8 }} title={`${outcome.file}：${details.length ? t('importFailed') : errorText(outcome.error)}`}
            description={details.length ? errorText(outcome.error) : undefined} />
          {details.length > 0 && (
            <Table<ApiErrorDetail & { i: number }>
              style={{ marginTop: 8 }}
              size="small"
              rowKey="i"
              data-testid={`import-${kind}-report`}
              dataSource={details.map((d, i) => ({ ...d, i }))}
              pagination={details.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
              columns={[
                { title: t('row'), dataIndex: 'row', width: 70 },
                { title: t('column'), dataIndex: 'column', width: 120, render: (v?: string, d?: ApiErrorDetail) => v ?? d?.field ?? '' },
                { title: t('problem'), dataIndex: 'message' },
              ]}
            />
          )}
        </div>
      )}
    </Card>
  );
}

function ResultSummary({ result }: { result: ImportResult }) {
  const { t } = useI18n();
  const words: Record<string, string> = { users: t('users'), roles: t('roles'), responsibilities: t('responsibilities'), areas: t('menuAreas'), moved: t('move') };
  const line = (label: string, o: unknown) => {
    if (!o || typeof o !== 'object') return null;
    const parts = Object.entries(o as Record<string, unknown>).map(([k, v]) => `${words[k] ?? k} ${String(v)}`);
    return parts.length ? <div>{label}：{parts.join('，')}</div> : null;
  };
  return (
    <div>
      {line(t('created'), result.created)}
      {line(t('updatedW'), result.updated)}
      {line(t('unchangedW'), result.unchanged)}
      {typeof result.notice === 'string' && <Typography.Text type="warning">{result.notice}</Typography.Text>}
    </div>
  );
}
