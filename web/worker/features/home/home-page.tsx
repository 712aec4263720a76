import { useNavigate } from 'react-router';
import { Button, List } from 'antd-mobile';
import { CheckCircleFill, ClockCircleFill, CloseCircleFill, ExclamationCircleFill, FileOutline, RightOutline } from 'antd-mobile-icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { WorkerMe } from '@contracts/workers';
import { useMe } from '../../shared/me';
import { fetchNotifications, notificationsKey, notificationText } from '../../shared/notifications';
import { ErrorState, PageSkeleton } from '../../shared/states';
import { formatDateTime, shanghaiHour } from '@ui/format';
import icon from '../../icon.svg';
import { PlacesShortcut } from '../places/places-shortcut';
import { PointsShortcut } from '../points/points-shortcut';
import { PassShortcut } from '../pass/pass-shortcut';
import { ReportsShortcut } from '../reports/reports-shortcut';
import { AppealsShortcut } from '../appeals/appeals-shortcut';
import { LegalShortcut } from '../legal/legal-shortcut';
import { LibraryShortcut } from '../library/library-shortcut';

export function HomePage() {
  const { t } = useTranslation();
  const me = useMe();
  const hour = shanghaiHour();
  const greeting = t(hour < 11 ? 'home.morning' : hour < 18 ? 'home.afternoon' : 'home.evening');
  const name = me.data?.nameMasked;

  return (
    <div data-testid="home">
      <header className="ya-hero">
        <div className="ya-hero-brand">
          <img src={icon} alt="" />
          <span>{t('common:app.name')}</span>
        </div>
        <h1 className="ya-hero-title">{name ? t('home.greetingNamed', { greeting, name }) : t('home.greetingAnon', { greeting })}</h1>
        <p className="ya-hero-subtitle">{t('home.subtitle')}</p>
      </header>
      <div className="ya-overlap">
        {me.isPending ? (
          <PageSkeleton rows={2} />
        ) : me.isError ? (
          <div className="ya-card">
            <ErrorState error={me.error} onRetry={() => void me.refetch()} />
          </div>
        ) : (
          <>
            <StatusBanner me={me.data} />
            <PassShortcut />
            <ReportsShortcut />
            <AppealsShortcut />
            <LegalShortcut />
            <LibraryShortcut />
            <PlacesShortcut />
            <PointsShortcut />
            {me.data.verificationStatus !== 'unverified' && <MyInfo me={me.data} />}
            <LatestMessages />
          </>
        )}
      </div>
    </div>
  );
}

/** Where the worker stands and the one thing to do next. */
function StatusBanner({ me }: { me: WorkerMe }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const status = me.verificationStatus;

  if (me.consent.needsConsent && status !== 'approved' && status !== 'pending')
    return (
      <section className="ya-status ya-status-consent" data-testid="status-banner" data-status="consent">
        <div className="ya-status-icon">
          <FileOutline />
        </div>
        <div className="ya-status-body">
          <h2 className="ya-status-title">{t('home.banner.consent.title')}</h2>
          <p className="ya-status-text">{t('home.banner.consent.body')}</p>
          <Button size="small" color="primary" shape="rounded" onClick={() => navigate('/privacy?next=%2Fverify')}>
            {t('home.banner.consent.action')}
          </Button>
        </div>
      </section>
    );

  const icons = { unverified: <ExclamationCircleFill />, pending: <ClockCircleFill />, rejected: <CloseCircleFill />, approved: <CheckCircleFill /> };
  const kind = (status in icons ? status : 'unverified') as keyof typeof icons;
  return (
    <section className={`ya-status ya-status-${kind}`} data-testid="status-banner" data-status={kind}>
      <div className="ya-status-icon">{icons[kind]}</div>
      <div className="ya-status-body">
        <h2 className="ya-status-title">
          {kind === 'approved' ? (
            <span className="ya-verified-badge">
              <CheckCircleFill /> {t('common:verification.approved')}
            </span>
          ) : (
            t(`home.banner.${kind}.title`)
          )}
        </h2>
        {kind === 'unverified' && <p className="ya-status-text">{t('home.banner.unverified.body')}</p>}
        {kind === 'pending' && <p className="ya-status-text">{t('home.banner.pending.body', { time: formatDateTime(me.latestVerification?.submittedAt) })}</p>}
        {kind === 'approved' && <p className="ya-status-text">{t('home.banner.approved.body', { time: formatDateTime(me.verifiedAt) })}</p>}
        {kind === 'rejected' && (
          <p className="ya-status-text" data-testid="reject-reason">
            {t('home.banner.rejected.reason', { reason: me.latestVerification?.reason ?? '—' })}
          </p>
        )}
        {(kind === 'unverified' || kind === 'rejected') && (
          <Button size="small" color="primary" shape="rounded" onClick={() => navigate('/verify')} data-testid="verify-cta">
            {t(`home.banner.${kind}.action`)}
          </Button>
        )}
      </div>
    </section>
  );
}

function MyInfo({ me }: { me: WorkerMe }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <section className="ya-card">
      <h2 className="ya-card-title">
        {t('home.myInfo')}
        <button type="button" className="ya-link" onClick={() => navigate('/profile')}>
          <RightOutline />
        </button>
      </h2>
      <dl className="ya-kv">
        <dt>{t('profile.industry')}</dt>
        <dd>{me.industry ? t(`common:industries.${me.industry}`) : '—'}</dd>
        <dt>{t('profile.platform')}</dt>
        <dd>{me.platform ?? '—'}</dd>
        <dt>{t('profile.station')}</dt>
        <dd>{me.station ?? '—'}</dd>
        <dt>{t('profile.area')}</dt>
        <dd>{me.areaName ?? '—'}</dd>
      </dl>
    </section>
  );
}

/** The three newest messages; hidden until there is one (or when the inbox can't be reached). */
function LatestMessages() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const latest = useQuery({ queryKey: [...notificationsKey, 'latest'], queryFn: () => fetchNotifications(1, 3) });
  if (!latest.data || latest.data.items.length === 0) return null;
  return (
    <section className="ya-section">
      <List header={t('home.latestMessages')}>
        {latest.data.items.map((n) => (
          <List.Item key={n.id} onClick={() => navigate('/inbox')} description={formatDateTime(n.createdAt)} extra={n.readAt ? undefined : <span className="ya-unread-dot" aria-label={t('inbox.unread')} />}>
            {notificationText(n)}
          </List.Item>
        ))}
        <List.Item onClick={() => navigate('/inbox')} arrow>
          <span className="ya-link">{t('home.allMessages')}</span>
        </List.Item>
      </List>
    </section>
  );
}
