import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Input, List, type InputRef } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { ApiError } from '@ui/api';
import { errorMessage } from '@ui/i18n';
import { normalisePhone } from '../../../../src/shared/phone';
import { fetchWorkerSession, sessionKey, useSession } from '../../shared/session';
import { meKey } from '../../shared/me';
import { safeNext } from '../../shared/guards';
import { PageSkeleton } from '../../shared/states';
import { LanguageSwitch } from '../../shared/language-switch';
import icon from '../../icon.svg';
import { requestSmsCode, signInWithCode } from './api';

/** Seconds left until `until` (epoch ms), ticking once a second while it is in the future. */
function useCountdown(until: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until <= Date.now()) return;
    setNow(Date.now());
    const timer = window.setInterval(() => {
      setNow(Date.now());
      if (Date.now() >= until) window.clearInterval(timer);
    }, 1000);
    return () => window.clearInterval(timer);
  }, [until]);
  return Math.max(0, Math.ceil((until - now) / 1000));
}

export function SignInPage() {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));

  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [phoneError, setPhoneError] = useState<string>();
  const [codeError, setCodeError] = useState<string>();
  const [sent, setSent] = useState<{ to: string; minutes: number }>();
  const [resendAt, setResendAt] = useState(0);
  const secondsLeft = useCountdown(resendAt);
  const codeRef = useRef<InputRef>(null);

  const sendCode = useMutation({
    mutationFn: requestSmsCode,
    onSuccess: (res) => {
      setSent({ to: res.sentTo, minutes: Math.max(1, Math.round(res.expiresInSeconds / 60)) });
      setResendAt(Date.now() + res.resendAfterSeconds * 1000);
      setCodeError(undefined);
      codeRef.current?.focus();
    },
    onError: (err) => {
      setPhoneError(errorMessage(err));
      // The server says how long to wait; don't let the button invite another refusal.
      if (err instanceof ApiError && err.code === 'sms.rate_limited') setResendAt(Date.now() + 60_000);
    },
  });

  const signIn = useMutation({
    mutationFn: ({ phone, code }: { phone: string; code: string }) => signInWithCode(phone, code),
    onSuccess: async (me) => {
      queryClient.setQueryData(meKey, me);
      queryClient.setQueryData(sessionKey, await fetchWorkerSession());
      if (me.consent.needsConsent) navigate(next === '/' ? '/privacy' : `/privacy?next=${encodeURIComponent(next)}`, { replace: true });
      else navigate(next, { replace: true });
    },
    onError: (err) => {
      if (err instanceof ApiError && err.code === 'workers.invalid_phone') setPhoneError(errorMessage(err));
      else setCodeError(errorMessage(err));
    },
  });

  if (session.isPending) return <PageSkeleton />;
  if (session.data && !signIn.isPending && !signIn.isSuccess) return <Navigate to={next} replace />;

  const validPhone = () => {
    const normalised = normalisePhone(phone);
    setPhoneError(normalised ? undefined : t('signIn.phoneInvalid'));
    return normalised;
  };

  const onGetCode = () => {
    const normalised = validPhone();
    if (normalised) sendCode.mutate(normalised);
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const normalised = validPhone();
    if (!normalised) return;
    if (!/^\d{6}$/.test(code)) {
      setCodeError(t('signIn.codeInvalid'));
      return;
    }
    setCodeError(undefined);
    signIn.mutate({ phone: normalised, code });
  };

  return (
    <div className="ya-signin">
      <header className="ya-signin-hero">
        <div className="ya-signin-top">
          <LanguageSwitch size="small" />
        </div>
        <img className="ya-signin-logo" src={icon} alt="" />
        <h1>{t('signIn.welcome')}</h1>
        <p>{t('signIn.subtitle')}</p>
      </header>
      <form className="ya-signin-card" onSubmit={onSubmit} noValidate aria-label={t('signIn.title')}>
        <List>
          <List.Item
            prefix={<label htmlFor="phone">{t('signIn.phone')}</label>}
            extra={
              <Button
                className="ya-code-button"
                size="small"
                color="primary"
                fill="none"
                loading={sendCode.isPending}
                disabled={secondsLeft > 0}
                onClick={onGetCode}
                data-testid="get-code"
              >
                {secondsLeft > 0 ? t('signIn.resendIn', { seconds: secondsLeft }) : sent ? t('signIn.resend') : t('signIn.getCode')}
              </Button>
            }
          >
            <Input
              id="phone"
              name="phone"
              type="tel"
              inputMode="numeric"
              autoComplete="tel-national"
              maxLength={20}
              clearable
              placeholder={t('signIn.phonePlaceholder')}
              value={phone}
              onChange={(v) => {
                setPhone(v);
                if (phoneError) setPhoneError(undefined);
              }}
              aria-invalid={!!phoneError}
            />
          </List.Item>
          {phoneError && (
            <div className="ya-field-error" role="alert" data-testid="phone-error">
              {phoneError}
            </div>
          )}
          <List.Item prefix={<label htmlFor="code">{t('signIn.code')}</label>}>
            <Input
              id="code"
              name="code"
              ref={codeRef}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              placeholder={t('signIn.codePlaceholder')}
              value={code}
              onChange={(v) => {
                setCode(v.replace(/\D/g, ''));
                if (codeError) setCodeError(undefined);
              }}
              aria-invalid={!!codeError}
            />
          </List.Item>
          {codeError && (
            <div className="ya-field-error" role="alert" data-testid="code-error">
              {codeError}
            </div>
          )}
        </List>
        {sent && !codeError && (
          <p className="ya-signin-hint" data-testid="code-sent">
            {t('signIn.sentTo', { phone: sent.to, minutes: sent.minutes })}
          </p>
        )}
        <div style={{ padding: '16px 16px 0' }}>
          <Button block type="submit" color="primary" size="large" shape="rounded" loading={signIn.isPending}>
            {t('signIn.submit')}
          </Button>
        </div>
        <p className="ya-signin-hint">{t('signIn.firstTime')}</p>
      </form>
    </div>
  );
}
