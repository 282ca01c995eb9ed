// The second factor (动态验证码, TOTP): entering a code after the password, and setting one up when the
// caller's duties need it (manage and money duties): the secret as a QR code, as text and as an
// otpauth:// link; a code from the app to confirm; then the ten recovery codes, shown once.
import { useContext, useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Space, Spin, Steps, Typography } from 'antd';
import { LogoutOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { encode } from 'uqr';
import { api, errorText, request, type Me } from '../api';
import { useI18n, type Lang } from '../i18n';
import { SessionContext } from '../session';

export type SecondFactorState = 'ok' | 'setup' | 'verify' | 'none';
/** What /me says about the second factor of this session. */
export const secondFactorOf = (me: Me | null | undefined): SecondFactorState => (me as (Me & { secondFactor?: SecondFactorState }) | null)?.secondFactor ?? 'none';
export const secondFactorPending = (me: Me | null | undefined) => ['setup', 'verify'].includes(secondFactorOf(me));

export const secondFactorApi = {
  verify: (body: { code?: string; recoveryCode?: string }) => request<{ ok: true; recoveryLeft?: number }>('POST', '/auth/second-factor', body, { quietAuth: true }),
  setup: () => request<{ secret: string; uri: string; digits: number; period: number }>('POST', '/auth/second-factor/setup', {}, { quietAuth: true }),
  confirm: (code: string) => request<{ recoveryCodes: string[] }>('POST', '/auth/second-factor/confirm', { code }, { quietAuth: true }),
  renewRecoveryCodes: () => request<{ recoveryCodes: string[] }>('POST', '/auth/second-factor/recovery-codes', {}),
  reset: (userId: number) => request<{ ok: true }>('POST', `/users/${userId}/reset-second-factor`, {}),
};

const STRINGS = {
  zh: {
    verifyTitle: '输入动态验证码', verifyHint: '打开手机上的身份验证器（如腾讯身份验证器、Google Authenticator、Microsoft Authenticator），输入“Wangge”的 6 位数字。',
    code: '6 位验证码', codeRule: '请输入 6 位数字', submit: '验证', useRecovery: '手机不在身边？使用恢复码', useCode: '使用动态验证码',
    recovery: '恢复码', recoveryHint: '设置时保存的 10 个恢复码之一，每个只能用一次。', recoveryLeft: '恢复码还剩 {n} 个：请在“修改密码”页重新生成恢复码。',
    setupTitle: '设置动态验证码（第二重验证）', setupWhy: '您的职责包含管理或资金事项，按等保 2.0 三级要求，登录需要密码加动态验证码。',
    step1: '安装验证器', step2: '添加账号', step3: '确认', step4: '保存恢复码',
    install: '在手机上安装一个身份验证器应用，例如腾讯身份验证器、Google Authenticator 或 Microsoft Authenticator。',
    scan: '用验证器扫描二维码；不能扫码时，在应用中选择“手动输入密钥”，输入下面的密钥（基于时间）。', secret: '密钥', openLink: '在本机的验证器中打开',
    confirmHint: '输入验证器显示的 6 位数字，完成设置。', confirm: '确认并启用',
    codesTitle: '请保存这 10 个恢复码', codesHint: '手机丢失或换机时，用恢复码登录（每个只能用一次）。恢复码只显示这一次：请抄写或打印后妥善保管，不要拍照发到群里。',
    saved: '我已保存', copy: '复制', copied: '已复制', print: '打印', logout: '退出', failed: '验证失败',
    reset: '重置动态验证码', resetConfirm: '清除“{name}”的动态验证码和恢复码？其登录随即失效，下次登录时重新设置（换手机或手机丢失时使用）。', resetDone: '已重置', cancel: '取消',
    renewTitle: '动态验证码', renewHint: '已启用。恢复码用完或遗失时，可以重新生成 10 个（旧的随即作废）。换手机请管理员重置动态验证码。', renew: '重新生成恢复码',
  },
  en: {
    verifyTitle: 'Enter your code', verifyHint: 'Open the authenticator app on your phone and enter the 6 digits shown for "Wangge".',
    code: '6-digit code', codeRule: 'Enter the 6 digits', submit: 'Verify', useRecovery: 'No phone? Use a recovery code', useCode: 'Use a code from the app',
    recovery: 'Recovery code', recoveryHint: 'One of the 10 recovery codes saved at setup; each works once.', recoveryLeft: '{n} recovery codes left: make new ones on the "Change password" page.',
    setupTitle: 'Set up your second factor', setupWhy: 'Your duties include managing or money: logging in takes your password and a code from an authenticator app.',
    step1: 'Install', step2: 'Add account', step3: 'Confirm', step4: 'Recovery codes',
    install: 'Install an authenticator app on your phone (e.g. Google Authenticator, Microsoft Authenticator, Tencent Authenticator).',
    scan: 'Scan the QR code with the app, or choose "enter a setup key" and type the key below (time based).', secret: 'Key', openLink: 'Open in an authenticator on this device',
    confirmHint: 'Enter the 6 digits the app shows to finish.', confirm: 'Confirm and turn on',
    codesTitle: 'Save these 10 recovery codes', codesHint: 'If your phone is lost, log in with a recovery code (each works once). They are shown only now: write them down or print them and keep them safe.',
    saved: 'I have saved them', copy: 'Copy', copied: 'Copied', print: 'Print', logout: 'Log out', failed: 'Verification failed',
    reset: 'Reset second factor', resetConfirm: 'Clear the second factor and recovery codes of "{name}"? Their sessions end; they set up a new one at next login (a lost or new phone).', resetDone: 'Reset', cancel: 'Cancel',
    renewTitle: 'Second factor', renewHint: 'On. When the recovery codes are used up or lost, make 10 new ones (the old ones stop working). For a new phone, ask an administrator to reset it.', renew: 'New recovery codes',
  },
} satisfies Record<Lang, Record<string, string>>;
type Key = keyof typeof STRINGS.zh;

function useStrings() {
  const { lang } = useI18n();
  return (k: Key, vars: Record<string, string | number> = {}) => STRINGS[lang][k].replace(/\{(\w+)\}/g, (_, v: string) => String(vars[v] ?? ''));
}

/** The code step after the password: a 6-digit code, or a recovery code. */
export function CodeStep({ onDone }: { onDone: () => void | Promise<void> }) {
  const s = useStrings();
  const { message } = App.useApp();
  const [recovery, setRecovery] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();
  const submit = async (v: { code?: string; recoveryCode?: string }) => {
    setBusy(true);
    setError(null);
    try {
      const r = await secondFactorApi.verify(recovery ? { recoveryCode: v.recoveryCode!.trim() } : { code: v.code!.replace(/\s/g, '') });
      if (r.recoveryLeft !== undefined && r.recoveryLeft <= 3) void message.warning(s('recoveryLeft', { n: r.recoveryLeft }), 10);
      await onDone();
    } catch (e) {
      setError(errorText(e));
      form.resetFields();
    } finally {
      setBusy(false);
    }
  };
  return (
    <div data-testid="second-factor-verify">
      <Typography.Title level={5} style={{ marginTop: 0 }}><SafetyCertificateOutlined /> {s('verifyTitle')}</Typography.Title>
      <Typography.Paragraph type="secondary">{recovery ? s('recoveryHint') : s('verifyHint')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={s('failed')} description={error} style={{ marginBottom: 16 }} data-testid="second-factor-error" />}
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} disabled={busy}>
        {recovery ? (
          <Form.Item name="recoveryCode" label={s('recovery')} rules={[{ required: true, message: s('recovery') }]}>
            <Input autoComplete="off" autoFocus placeholder="xxxxx-xxxxx" data-testid="second-factor-recovery-input" />
          </Form.Item>
        ) : (
          <Form.Item name="code" label={s('code')} rules={[{ required: true, pattern: /^\s*\d{3}\s?\d{3}\s*$/, message: s('codeRule') }]}>
            <Input inputMode="numeric" autoComplete="one-time-code" maxLength={7} autoFocus placeholder="123456"
              style={{ fontSize: 22, letterSpacing: 6, textAlign: 'center' }} data-testid="second-factor-code" />
          </Form.Item>
        )}
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="second-factor-submit">{s('submit')}</Button>
      </Form>
      <Button type="link" block style={{ marginTop: 8 }} onClick={() => { setRecovery((r) => !r); setError(null); }} data-testid="second-factor-use-recovery">
        {recovery ? s('useCode') : s('useRecovery')}
      </Button>
    </div>
  );
}

/** A QR code drawn as SVG squares from uqr's matrix (no markup from strings). */
function QrCode({ text, size = 180 }: { text: string; size?: number }) {
  const qr = useMemo(() => encode(text, { ecc: 'M', border: 2 }), [text]);
  const cells: React.ReactElement[] = [];
  qr.data.forEach((row, y) => row.forEach((on, x) => { if (on) cells.push(<rect key={`${x}-${y}`} x={x} y={y} width={1} height={1} />); }));
  return (
    <svg width={size} height={size} viewBox={`0 0 ${qr.size} ${qr.size}`} shapeRendering="crispEdges" role="img" aria-label="QR" data-testid="second-factor-qr"
      style={{ background: '#fff', border: '1px solid #f0f0f0' }}>
      <g fill="#000">{cells}</g>
    </svg>
  );
}

/** The recovery codes, shown once, and "我已保存". */
function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void | Promise<void> }) {
  const s = useStrings();
  const [copied, setCopied] = useState(false);
  return (
    <div data-testid="second-factor-recovery-codes">
      <Alert type="warning" showIcon title={s('codesTitle')} description={s('codesHint')} style={{ marginBottom: 16 }} />
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(2, 1fr)', gap: 8, fontFamily: 'monospace', fontSize: 16, marginBottom: 16 }}>
        {codes.map((c) => <code key={c} data-testid="second-factor-recovery-code" style={{ padding: '4px 8px', background: '#fafafa', border: '1px solid #f0f0f0', textAlign: 'center' }}>{c}</code>)}
      </div>
      <Space wrap style={{ marginBottom: 16 }}>
        <Button onClick={() => { void navigator.clipboard?.writeText(codes.join('\n')).then(() => setCopied(true)); }}>{copied ? s('copied') : s('copy')}</Button>
        <Button onClick={() => window.print()}>{s('print')}</Button>
      </Space>
      <Button type="primary" block onClick={() => void onDone()} data-testid="second-factor-saved">{s('saved')}</Button>
    </div>
  );
}

/** For an administrator (people.manage), on a person: clears their second factor (a lost phone). */
export function ResetSecondFactorButton({ userId, name, onDone }: { userId: number; name: string; onDone?: () => void }) {
  const s = useStrings();
  const { message, modal } = App.useApp();
  const ask = () => modal.confirm({
    title: s('reset'), content: s('resetConfirm', { name }), okText: s('reset'), cancelText: s('cancel'), okButtonProps: { danger: true },
    onOk: async () => {
      try { await secondFactorApi.reset(userId); message.success(s('resetDone')); onDone?.(); } catch (e) { message.error(errorText(e), 5); }
    },
  });
  return <Button icon={<SafetyCertificateOutlined />} onClick={ask} data-testid="user-reset-second-factor">{s('reset')}</Button>;
}

/** On the password page, for a user with a second factor: new recovery codes. */
export function RecoveryCodesCard() {
  const s = useStrings();
  const session = useContext(SessionContext);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (secondFactorOf(session?.me) !== 'ok') return null;
  const renew = async () => {
    setBusy(true);
    setError(null);
    try { setCodes((await secondFactorApi.renewRecoveryCodes()).recoveryCodes); } catch (e) { setError(errorText(e)); } finally { setBusy(false); }
  };
  return (
    <Card title={<span><SafetyCertificateOutlined /> {s('renewTitle')}</span>} style={{ maxWidth: 440, margin: '24px auto' }} data-testid="second-factor-renew">
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      {codes ? <RecoveryCodes codes={codes} onDone={() => setCodes(null)} /> : (
        <>
          <Typography.Paragraph type="secondary">{s('renewHint')}</Typography.Paragraph>
          <Button onClick={renew} loading={busy} data-testid="second-factor-renew-button">{s('renew')}</Button>
        </>
      )}
    </Card>
  );
}

/** Setting up: the secret, a code to confirm, then the recovery codes (shown once). */
export function SetupStep({ onDone }: { onDone: () => void | Promise<void> }) {
  const s = useStrings();
  const [secret, setSecret] = useState<{ secret: string; uri: string } | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();

  useEffect(() => {
    secondFactorApi.setup().then(setSecret).catch((e) => setError(errorText(e)));
  }, []);

  const confirm = async (v: { code: string }) => {
    setBusy(true);
    setError(null);
    try {
      setCodes((await secondFactorApi.confirm(v.code.replace(/\s/g, ''))).recoveryCodes);
    } catch (e) {
      setError(errorText(e));
      form.resetFields();
    } finally {
      setBusy(false);
    }
  };

  if (codes) {
    return (
      <div>
        <Steps size="small" current={3} style={{ marginBottom: 16 }} items={[{ title: s('step1') }, { title: s('step2') }, { title: s('step3') }, { title: s('step4') }]} />
        <RecoveryCodes codes={codes} onDone={onDone} />
      </div>
    );
  }
  return (
    <div data-testid="second-factor-setup">
      <Typography.Title level={5} style={{ marginTop: 0 }}><SafetyCertificateOutlined /> {s('setupTitle')}</Typography.Title>
      <Steps size="small" current={1} style={{ marginBottom: 16 }} items={[{ title: s('step1') }, { title: s('step2') }, { title: s('step3') }, { title: s('step4') }]} />
      <Alert type="info" showIcon title={s('setupWhy')} style={{ marginBottom: 16 }} />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="second-factor-error" />}
      {!secret ? (!error && <div style={{ textAlign: 'center', padding: 24 }}><Spin /></div>) : (
        <>
          <Typography.Paragraph><b>1.</b> {s('install')}</Typography.Paragraph>
          <Typography.Paragraph><b>2.</b> {s('scan')}</Typography.Paragraph>
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 16, alignItems: 'center', marginBottom: 16 }}>
            <QrCode text={secret.uri} />
            <div style={{ minWidth: 0 }}>
              <Typography.Text type="secondary">{s('secret')}</Typography.Text>
              <Typography.Paragraph copyable={{ text: secret.secret }} style={{ fontFamily: 'monospace', fontSize: 15, wordBreak: 'break-all', marginBottom: 8 }}>
                <span data-testid="second-factor-secret" data-secret={secret.secret}>{secret.secret.replace(/(.{4})/g, '$1 ').trim()}</span>
              </Typography.Paragraph>
              <a href={secret.uri} data-testid="second-factor-uri">{s('openLink')}</a>
            </div>
          </div>
          <Typography.Paragraph><b>3.</b> {s('confirmHint')}</Typography.Paragraph>
          <Form form={form} layout="inline" onFinish={confirm} requiredMark={false} disabled={busy} style={{ rowGap: 8 }}>
            <Form.Item name="code" rules={[{ required: true, pattern: /^\s*\d{3}\s?\d{3}\s*$/, message: s('codeRule') }]}>
              <Input inputMode="numeric" autoComplete="one-time-code" maxLength={7} placeholder="123456" style={{ width: 140, letterSpacing: 4 }} data-testid="second-factor-confirm-code" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="second-factor-confirm">{s('confirm')}</Button>
          </Form>
        </>
      )}
    </div>
  );
}

/** The whole screen for a session waiting for its second factor (after a reload, or to set one up). */
export function SecondFactorPage({ me, onDone }: { me: Me; onDone: () => void | Promise<void> }) {
  const { t } = useI18n();
  const s = useStrings();
  const mode = secondFactorOf(me);
  const logout = async () => {
    await api.logout().catch(() => {});
    window.location.hash = '';
    window.location.reload();
  };
  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: 'linear-gradient(135deg,#e6f4ff 0%,#f5f5f5 100%)', padding: 16 }}>
      <Card style={{ width: '100%', maxWidth: mode === 'setup' ? 560 : 380 }} data-testid="second-factor-card"
        title={<span>{t('appName')} · {me.displayName}</span>}
        extra={<Button size="small" icon={<LogoutOutlined />} onClick={logout} data-testid="logout">{s('logout')}</Button>}>
        {mode === 'setup' ? <SetupStep onDone={onDone} /> : <CodeStep onDone={onDone} />}
      </Card>
    </div>
  );
}
