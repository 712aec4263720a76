import { useCallback, useEffect, useState } from 'react';
import { Button, ConfigProvider, DotLoading, ErrorBlock, Form, Input, NavBar, NoticeBar, Result, Segmented } from 'antd-mobile';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import enUS from 'antd-mobile/es/locales/en-US';
import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '@contracts/auth';
import { api, loadSession, logout, onUnauthenticated } from '@ui/api';
import { errorMessage, languages, setLanguage, type Language } from '@ui/i18n';
import { ScanPage } from './pass/scan-page';

/** Roles that may scan passes (the scanner API's roles): scanners, and staff who check passes in their scope. */
const SCANNER_ROLES = ['scanner', 'operator', 'handler', 'grid_worker'];

type Staff = NonNullable<SessionInfo['staff']>;
type State = { status: 'loading' } | { status: 'error' } | { status: 'signedOut'; expired?: boolean } | { status: 'signedIn'; staff: Staff };

export function ScannerApp() {
  const { i18n } = useTranslation();
  const [state, setState] = useState<State>({ status: 'loading' });

  const accept = useCallback((s: SessionInfo | undefined) => {
    setState(s?.kind === 'staff' && s.staff ? { status: 'signedIn', staff: s.staff } : { status: 'signedOut' });
  }, []);
  const load = useCallback(() => {
    setState({ status: 'loading' });
    loadSession().then(accept, () => setState({ status: 'error' }));
  }, [accept]);

  useEffect(load, [load]);
  useEffect(() => onUnauthenticated(() => setState({ status: 'signedOut', expired: true })), []);

  async function signOut() {
    await logout().catch(() => undefined);
    setState({ status: 'signedOut' });
  }

  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN}>
      <div style={{ minHeight: '100vh', display: 'flex', flexDirection: 'column', maxWidth: 560, margin: '0 auto', background: '#f5f5f5' }}>
        {state.status === 'loading' && (
          <div style={{ flex: 1, display: 'grid', placeItems: 'center', fontSize: 24 }}>
            <DotLoading color="primary" />
          </div>
        )}
        {state.status === 'error' && <LoadError onRetry={load} />}
        {state.status === 'signedOut' && <SignIn expired={state.expired} onSignedIn={accept} />}
        {state.status === 'signedIn' &&
          (SCANNER_ROLES.includes(state.staff.role) ? (
            <Home staff={state.staff} onSignOut={signOut} onSignInAgain={() => setState({ status: 'signedOut', expired: true })} />
          ) : <Refused staff={state.staff} onSignOut={signOut} />)}
      </div>
    </ConfigProvider>
  );
}

function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <Segmented
      aria-label={t('common:language.label')}
      value={i18n.language === 'en' ? 'en' : 'zh-CN'}
      onChange={(v) => setLanguage(v as Language)}
      options={languages.map((l) => ({ value: l, label: t(`common:language.${l}`) }))}
    />
  );
}

function Header({ right }: { right?: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <NavBar backIcon={false} back={null} right={right} style={{ background: '#d4380d', color: '#fff', '--height': '52px' } as React.CSSProperties}>
      {t('title')}
    </NavBar>
  );
}

function LoadError({ onRetry }: { onRetry(): void }) {
  const { t } = useTranslation();
  return (
    <div style={{ padding: 24 }}>
      <ErrorBlock status="default" title={t('common:states.error')} description={t('common:states.offline')} />
      <Button block color="primary" onClick={onRetry} style={{ marginTop: 16 }}>
        {t('common:actions.retry')}
      </Button>
    </div>
  );
}

function SignIn({ expired, onSignedIn }: { expired?: boolean; onSignedIn(s: SessionInfo | undefined): void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ username: string; password: string }>();

  async function submit(v: { username: string; password: string }) {
    setBusy(true);
    setError(undefined);
    try {
      await api.post('/api/staff/auth/login', { username: v.username.trim(), password: v.password }, { quiet401: true });
      onSignedIn(await loadSession());
    } catch (e) {
      setError(errorMessage(e));
      form.setFieldValue('password', '');
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Header />
      <div style={{ padding: '24px 16px 8px' }}>
        <h2 style={{ margin: '0 0 4px', fontSize: 22 }}>{t('signIn.title')}</h2>
        <div style={{ color: '#888', fontSize: 14 }}>{t('signIn.subtitle')}</div>
      </div>
      {expired && !error && <NoticeBar content={t('signIn.expired')} color="alert" />}
      {error && (
        <div role="alert" data-testid="sign-in-error">
          <NoticeBar content={error} color="error" wrap />
        </div>
      )}
      <Form
        form={form}
        layout="horizontal"
        onFinish={submit}
        footer={
          <Button block type="submit" color="primary" size="large" loading={busy}>
            {t('signIn.submit')}
          </Button>
        }
      >
        <Form.Item name="username" label={t('signIn.username')} rules={[{ required: true, whitespace: true, message: t('signIn.usernameRequired') }]}>
          <Input autoComplete="username" clearable />
        </Form.Item>
        <Form.Item name="password" label={t('signIn.password')} rules={[{ required: true, message: t('signIn.passwordRequired') }]}>
          <Input type="password" autoComplete="current-password" clearable />
        </Form.Item>
      </Form>
      <div style={{ display: 'flex', justifyContent: 'center', padding: 16 }}>
        <LanguageSwitch />
      </div>
    </>
  );
}

function Refused({ staff, onSignOut }: { staff: Staff; onSignOut(): void }) {
  const { t } = useTranslation();
  return (
    <>
      <Header />
      <Result
        status="warning"
        title={t('refused.title')}
        description={t('refused.body', { role: t(`common:roles.${staff.role}`, { defaultValue: staff.role }) })}
        data-testid="scanner-refused"
      />
      <div style={{ padding: 16, display: 'grid', gap: 12 }}>
        <Button block color="primary" onClick={() => window.location.assign('/admin/')}>
          {t('refused.toAdmin')}
        </Button>
        <Button block onClick={onSignOut}>
          {t('common:actions.signOut')}
        </Button>
      </div>
    </>
  );
}

function Home({ staff, onSignOut, onSignInAgain }: { staff: Staff; onSignOut(): void; onSignInAgain(): void }) {
  const { t } = useTranslation();
  return (
    <>
      <Header />
      <ScanPage
        staff={staff}
        onSignInAgain={onSignInAgain}
        footer={
          <>
            <LanguageSwitch />
            <Button block onClick={onSignOut}>
              {t('common:actions.signOut')}
            </Button>
          </>
        }
      />
    </>
  );
}
