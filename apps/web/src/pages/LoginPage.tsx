import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Segmented, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { api, errorText } from '../api';
import { useI18n, type Lang } from '../i18n';
import { CodeStep } from './SecondFactorPage';

export function LoginPage({ onLoggedIn }: { onLoggedIn: () => void | Promise<void> }) {
  const { t, lang, setLang } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // after the password, for a user with a second factor: the 6-digit code
  const [codeStep, setCodeStep] = useState(false);

  const submit = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.login(v.username.trim(), v.password) as { secondFactor?: string };
      if (r.secondFactor === 'verify') setCodeStep(true);
      else await onLoggedIn(); // 'setup' goes on to the setup screen there
    } catch (e) {
      setError(errorText(e)); // too many attempts: the answer says how long to wait
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: 'linear-gradient(135deg,#e6f4ff 0%,#f5f5f5 100%)', padding: 16 }}>
      <Card style={{ width: '100%', maxWidth: 380 }} data-testid="login-card">
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 16 }}>
          <Typography.Title level={3} style={{ margin: 0 }}>{t('appName')}</Typography.Title>
          <Segmented size="small" value={lang} onChange={(v) => setLang(v as Lang)} options={[{ label: '中文', value: 'zh' }, { label: 'English', value: 'en' }]} />
        </div>
        {codeStep ? <CodeStep onDone={onLoggedIn} /> : (<>
        <Typography.Paragraph type="secondary">{t('loginTitle')}</Typography.Paragraph>
        {error && <Alert type="error" showIcon title={t('loginFailed')} description={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
        <Form layout="vertical" onFinish={submit} requiredMark={false} disabled={busy}>
          <Form.Item name="username" label={t('username')} rules={[{ required: true, message: t('required') }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-username" />
          </Form.Item>
          <Form.Item name="password" label={t('password')} rules={[{ required: true, message: t('required') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">{t('login')}</Button>
        </Form>
        </>)}
      </Card>
    </div>
  );
}
