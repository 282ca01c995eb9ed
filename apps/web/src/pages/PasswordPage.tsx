import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input } from 'antd';
import { api, errorText } from '../api';
import { useI18n } from '../i18n';
import { RecoveryCodesCard } from './SecondFactorPage';

export function PasswordPage({ forced, onDone }: { forced?: boolean; onDone: () => void | Promise<void> }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (v: { oldPassword: string; newPassword: string }) => {
    setBusy(true);
    setError(null);
    try {
      await api.changePassword(v.oldPassword, v.newPassword);
      message.success(t('passwordChanged'));
      await onDone();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const card = (
    <Card title={t('changePassword')} style={{ maxWidth: 440, margin: '24px auto' }} data-testid="password-page">
      {forced && <Alert type="warning" showIcon title={t('mustChangeTitle')} style={{ marginBottom: 16 }} />}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="password-error" />}
      <Form layout="vertical" onFinish={submit} disabled={busy}>
        <Form.Item name="oldPassword" label={t('oldPassword')} rules={[{ required: true, message: t('required') }]}>
          <Input.Password autoComplete="current-password" data-testid="old-password" />
        </Form.Item>
        <Form.Item name="newPassword" label={t('newPassword')} extra={t('passwordRule')}
          rules={[{ required: true, message: t('required') }, { min: 8, message: t('passwordRule') }]}>
          <Input.Password autoComplete="new-password" data-testid="new-password" />
        </Form.Item>
        <Form.Item name="confirm" label={t('confirmPassword')} dependencies={['newPassword']}
          rules={[{ required: true, message: t('required') }, ({ getFieldValue }) => ({
            validator: (_, v) => (!v || v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('passwordMismatch')))),
          })]}>
          <Input.Password autoComplete="new-password" data-testid="confirm-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="password-submit">{t('save')}</Button>
      </Form>
    </Card>
  );
  // the second factor's recovery codes live next to the password
  if (!forced) return <>{card}<RecoveryCodesCard /></>;
  return card;
}
