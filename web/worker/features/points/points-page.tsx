import { useNavigate } from 'react-router';
import { GiftOutline, HistogramOutline, StarOutline, UnorderedListOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import type { PointsMe } from '@contracts/points';
import { SubPage } from '../../shared/sub-page';
import { ErrorState, PageSkeleton } from '../../shared/states';
import { usePointsMe } from './api';
import { formatDate } from './format';
import { PartnerBadge } from './bits';

/** 我的积分: balance, this month, the 城市合伙人 title, my district rank, and the way to everything else. */
export function PointsPage() {
  const { t } = useTranslation();
  const me = usePointsMe();
  return (
    <SubPage title={t('points.home.title')}>
      {me.isPending ? (
        <PageSkeleton rows={2} />
      ) : me.isError ? (
        <ErrorState error={me.error} onRetry={() => void me.refetch()} />
      ) : (
        <div data-testid="points-home">
          <Summary me={me.data} />
          <Entries me={me.data} />
          <section className="ya-card">
            <h2 className="ya-card-title">{t('points.home.howToEarn')}</h2>
            <p className="ya-muted ya-points-text">{t('points.home.howToEarnBody')}</p>
          </section>
        </div>
      )}
    </SubPage>
  );
}

function Summary({ me }: { me: PointsMe }) {
  const { t } = useTranslation();
  return (
    <section className="ya-points-summary" data-testid="points-summary">
      <div className="ya-points-summary-top">
        <div>
          <div className="ya-points-label">{t('points.home.balance')}</div>
          <div className="ya-points-balance" data-testid="points-balance">
            {me.balance}
          </div>
        </div>
        {me.title && (
          <div className="ya-points-title-badge">
            <PartnerBadge />
            <span>{t('points.home.partnerSince', { date: formatDate(me.title.grantedAt) })}</span>
          </div>
        )}
      </div>
      <dl className="ya-points-stats">
        <div>
          <dt>{t('points.home.earnedThisMonth')}</dt>
          <dd data-testid="points-earned-month">{me.earnedThisMonth}</dd>
        </div>
        <div>
          <dt>{t('points.home.lifetime')}</dt>
          <dd>{me.lifetimeEarned}</dd>
        </div>
        <div data-testid="points-rank">
          {me.rank ? (
            <>
              <dt>{t('points.home.rank', { district: me.rank.districtName })}</dt>
              <dd>
                {me.rank.rank ? t('points.home.rankValue', { rank: me.rank.rank }) : t('points.home.noRank')}
                {me.rank.rank ? <small> {t('points.home.rankOf', { of: me.rank.of })}</small> : null}
              </dd>
            </>
          ) : (
            <>
              <dt>{t('points.home.rank', { district: '' })}</dt>
              <dd className="ya-points-small">{t('points.home.noDistrict')}</dd>
            </>
          )}
        </div>
      </dl>
      {me.expiring && me.expiring.points > 0 && <p className="ya-points-expiring">{t('points.home.expiring', { points: me.expiring.points, date: formatDate(me.expiring.at) })}</p>}
    </section>
  );
}

function Entries({ me }: { me: PointsMe }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const items = [
    { key: 'rewards', to: '/points/rewards', icon: <GiftOutline />, hint: t('points.home.entries.rewardsHint') },
    {
      key: 'orders',
      to: '/points/orders',
      icon: <UnorderedListOutline />,
      hint: me.pendingOrders > 0 ? t('points.home.entries.ordersHint', { count: me.pendingOrders }) : t('points.home.entries.ordersNone'),
    },
    { key: 'history', to: '/points/history', icon: <HistogramOutline />, hint: t('points.home.entries.historyHint') },
    { key: 'honours', to: '/points/honours', icon: <StarOutline />, hint: t('points.home.entries.honoursHint') },
  ] as const;
  return (
    <section className="ya-card">
      <div className="ya-points-entries">
        {items.map((i) => (
          <button key={i.key} type="button" className="ya-points-entry" onClick={() => navigate(i.to)} data-testid={`points-entry-${i.key}`}>
            <span className="ya-points-entry-icon" aria-hidden="true">
              {i.icon}
            </span>
            <strong>{t(`points.home.entries.${i.key}`)}</strong>
            <span className="ya-muted">{i.hint}</span>
            {i.key === 'orders' && me.pendingOrders > 0 && <span className="ya-points-dot" aria-hidden="true" />}
          </button>
        ))}
      </div>
    </section>
  );
}
