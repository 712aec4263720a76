import { useEffect, useState } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Dialog, DotLoading, List, NoticeBar, Tag, Toast } from 'antd-mobile';
import { CheckCircleFill, CloseShieldOutline, ExclamationShieldOutline, LockOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import type { MyPass } from '@contracts/pass';
import { ApiError } from '@ui/api';
import { errorMessage } from '@ui/i18n';
import { useMe } from '../../shared/me';
import { useSession } from '../../shared/session';
import { ErrorState, PageSkeleton } from '../../shared/states';
import { SubPage } from '../../shared/sub-page';
import { fetchMyPass, freezeMyPass, myPassKey, unfreezeMyPass } from './api';
import { clearPassCache, currentSlot, earliestSlot, readPassCache, REFILL_BELOW, writePassCache, type CachedPass, type Slot } from './pass-cache';
import { PassClock, PassQr } from './pass-qr';
import { useNow, useOnline, useWakeLock } from './hooks';
import './pass.css';

/** Failed fetches are tried again at most this often while tokens run low. */
const RETRY_MS = 10_000;

type ViewState = 'loading' | 'active' | 'refilling' | 'offline-none' | 'frozen' | 'revoked' | 'not-verified' | 'error';

/**
 * 甬爱码: the QR code a guard, station keeper or merchant scans. Works without network for three
 * minutes from the tokens kept on the phone (also after a reload); redraws every 30 s.
 */
export function PassPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const session = useSession();
  const owner = session.data?.id ?? null;
  const online = useOnline();
  const now = useNow(1000);
  const [cache, setCache] = useState<CachedPass | undefined>(readPassCache);

  // Tokens kept for another account (a shared phone) are never shown; offline, the session is unknown.
  const usable = cache && (!session.data || cache.owner === session.data.id) ? cache : undefined;

  const query = useQuery({
    queryKey: myPassKey,
    queryFn: async ({ signal }) => ({ pass: await fetchMyPass(signal), receivedAt: Date.now() }),
    enabled: !!session.data || session.isError,
    staleTime: Infinity,
    retry: false,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    // Opening the page again asks again: the pass may have been revoked meanwhile.
    refetchOnMount: 'always',
  });

  useEffect(() => {
    if (query.data) setCache(writePassCache(owner, query.data.pass, query.data.receivedAt));
  }, [query.dataUpdatedAt]);

  const error = query.error;
  const refused = error instanceof ApiError && (error.status === 401 || error.status === 403);
  useEffect(() => {
    if (refused || session.data === null) {
      clearPassCache();
      setCache(undefined);
    }
  }, [refused, session.data]);

  const pass = usable?.pass;
  const serverNow = now + (usable?.offsetMs ?? 0);
  const slot: Slot | undefined =
    pass?.status === 'active'
      ? currentSlot(pass, serverNow) ?? (pass.tokens.length && serverNow < Math.min(...pass.tokens.map((k) => Date.parse(k.showFrom))) ? earliestSlot(pass) : undefined)
      : undefined;

  // Refill before the pre-signed tokens run out; when offline, wait for the network to come back.
  const lastAttempt = Math.max(query.dataUpdatedAt, query.errorUpdatedAt);
  const low = pass?.status === 'active' && (!slot || slot.upcoming < REFILL_BELOW);
  useEffect(() => {
    if (!query.isEnabled || query.isFetching || !online || refused) return;
    if (low && Date.now() - lastAttempt > RETRY_MS) void query.refetch();
  }, [now, online, low, lastAttempt, query.isFetching, query.isEnabled, refused]);

  useWakeLock(!!slot);

  const applyPass = (p: MyPass) => {
    const receivedAt = Date.now();
    queryClient.setQueryData(myPassKey, { pass: p, receivedAt });
    setCache(writePassCache(owner, p, receivedAt));
  };
  const freeze = useMutation({
    mutationFn: freezeMyPass,
    onSuccess: (p) => {
      applyPass(p);
      Toast.show({ icon: 'success', content: t('pass.freeze.done') });
    },
    onError: (e) => Toast.show({ icon: 'fail', content: errorMessage(e) }),
  });
  const unfreeze = useMutation({
    mutationFn: unfreezeMyPass,
    onSuccess: (p) => {
      applyPass(p);
      Toast.show({ icon: 'success', content: t('pass.frozen.done') });
    },
    onError: (e) => Toast.show({ icon: 'fail', content: errorMessage(e) }),
  });
  const confirmFreeze = () =>
    Dialog.confirm({
      title: t('pass.freeze.title'),
      content: t('pass.freeze.body'),
      confirmText: <span data-testid="confirm-freeze">{t('pass.freeze.confirm')}</span>,
      cancelText: t('common:actions.cancel'),
      onConfirm: () => freeze.mutateAsync().then(() => undefined, () => undefined),
    });

  if (session.data === null) return <Navigate to="/signin?next=%2Fpass" replace />;

  const offline = !online || (error instanceof ApiError && error.status === 0);
  const state: ViewState = pass
    ? pass.status === 'frozen'
      ? 'frozen'
      : pass.status === 'revoked'
        ? 'revoked'
        : slot
          ? 'active'
          : offline
            ? 'offline-none'
            : 'refilling'
    : error instanceof ApiError && error.status === 403
      ? 'not-verified'
      : error && offline
        ? 'offline-none'
        : error
          ? 'error'
          : 'loading';

  let body;
  switch (state) {
    case 'loading':
      body = <PageSkeleton rows={1} />;
      break;
    case 'error':
      body = <ErrorState error={error} onRetry={() => void query.refetch()} />;
      break;
    case 'not-verified':
      body = <NotVerified />;
      break;
    case 'frozen':
      body = (
        <section className="ya-card ya-pass-state" data-testid="pass-frozen">
          <LockOutline className="ya-pass-state-icon" />
          <h2>{t('pass.frozen.title')}</h2>
          <p>{t('pass.frozen.body')}</p>
          <Button color="primary" shape="rounded" loading={unfreeze.isPending} onClick={() => unfreeze.mutate()} data-testid="unfreeze">
            {t('pass.frozen.action')}
          </Button>
        </section>
      );
      break;
    case 'revoked':
      body = (
        <section className="ya-card ya-pass-state ya-pass-state-revoked" data-testid="pass-revoked">
          <CloseShieldOutline className="ya-pass-state-icon" />
          <h2>{t('pass.revoked.title')}</h2>
          {pass?.reason && <p data-testid="pass-revoked-reason">{t('pass.revoked.reason', { reason: t(`pass.revocations.${pass.reason}`) })}</p>}
          {pass?.note && <p>{t('pass.revoked.note', { note: pass.note })}</p>}
          <p className="ya-muted">{t('pass.revoked.contact')}</p>
        </section>
      );
      break;
    case 'offline-none':
      body = (
        <section className="ya-card ya-pass-state" data-testid="pass-offline-none">
          <ExclamationShieldOutline className="ya-pass-state-icon" />
          <h2>{t('pass.offline.noneTitle')}</h2>
          <p>{t('pass.offline.noneBody')}</p>
          <Button color="primary" fill="outline" shape="rounded" loading={query.isFetching} onClick={() => void query.refetch()}>
            {t('pass.offline.retry')}
          </Button>
        </section>
      );
      break;
    case 'refilling':
      body = (
        <section className="ya-card ya-pass-state" data-testid="pass-refilling">
          <DotLoading color="primary" />
          <h2>{t('pass.offline.noneOnlineTitle')}</h2>
          <Button color="primary" fill="outline" shape="rounded" loading={query.isFetching} onClick={() => void query.refetch()}>
            {t('pass.offline.retry')}
          </Button>
        </section>
      );
      break;
    case 'active':
      body = pass && slot && <ActivePass pass={pass} slot={slot} serverNow={serverNow} offline={offline} />;
      break;
  }

  return (
    <SubPage title={t('pass.page.title')} back="/">
      <div className="ya-pass" data-testid="pass-page" data-state={state}>
        {body}
        {state === 'active' && (
          <Button block fill="none" className="ya-pass-freeze" onClick={() => void confirmFreeze()} loading={freeze.isPending} data-testid="freeze">
            <LockOutline /> {t('pass.freeze.action')}
          </Button>
        )}
        {state !== 'not-verified' && (
          <List className="ya-section">
            <List.Item arrow onClick={() => navigate('/pass/scans')} description={t('pass.page.scansHint')} data-testid="pass-scans-link">
              {t('pass.page.scansLink')}
            </List.Item>
          </List>
        )}
      </div>
    </SubPage>
  );
}

function ActivePass({ pass, slot, serverNow, offline }: { pass: MyPass; slot: Slot; serverNow: number; offline: boolean }) {
  const { t } = useTranslation();
  const leftSeconds = Math.max(0, Math.floor((slot.coveredUntil - serverNow) / 1000));
  return (
    <>
      {offline && (
        <NoticeBar
          className="ya-pass-offline"
          color="alert"
          wrap
          data-testid="pass-offline"
          content={`${t('pass.offline.left', { time: t('pass.offline.duration', { m: Math.floor(leftSeconds / 60), s: leftSeconds % 60 }) })} · ${t('pass.offline.leftHint')}`}
        />
      )}
      <section className="ya-pass-card" data-testid="pass-active" data-token-index={slot.index}>
        <div className="ya-pass-sweep" aria-hidden />
        <div className="ya-pass-holder">
          <div className="ya-pass-name">
            <span data-testid="pass-name">{pass.nameMasked ?? '—'}</span>
            <span className="ya-verified-badge">
              <CheckCircleFill /> {t('pass.holder.verified')}
            </span>
            {pass.level >= 2 && (
              <Tag color="warning" fill="solid">
                {t('pass.levels.2')}
              </Tag>
            )}
          </div>
          <div className="ya-pass-meta" data-testid="pass-meta">
            {pass.industry ? t(`common:industries.${pass.industry}`) : '—'} · {t(`pass.platforms.${pass.platform}`)}
          </div>
        </div>
        <PassQr token={slot.token} />
        <PassClock serverNow={serverNow} slotFrom={slot.from} slotUntil={slot.until} />
        <p className="ya-pass-hint">{t('pass.qr.antiScreenshot')}</p>
      </section>
    </>
  );
}

function NotVerified() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useMe();
  const pending = me.data?.verificationStatus === 'pending';
  return (
    <section className="ya-card ya-pass-state" data-testid="pass-not-verified">
      <ExclamationShieldOutline className="ya-pass-state-icon" />
      <h2>{t('pass.notVerified.title')}</h2>
      <p>{pending ? t('pass.notVerified.pending') : t('pass.notVerified.body')}</p>
      {!pending && (
        <Button color="primary" shape="rounded" onClick={() => navigate('/verify')} data-testid="pass-verify-cta">
          {t('pass.notVerified.action')}
        </Button>
      )}
    </section>
  );
}
