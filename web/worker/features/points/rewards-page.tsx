import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { Button, CapsuleTabs, Dialog, InfiniteScroll, PullToRefresh, Toast } from 'antd-mobile';
import { EnvironmentOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { rewardCategories, type CatalogueReward, type RewardCategory } from '@contracts/points';
import { ApiError, newIdempotencyKey } from '@ui/api';
import { errorMessage } from '@ui/i18n';
import { useMe } from '../../shared/me';
import { SubPage } from '../../shared/sub-page';
import { EmptyState, ErrorState, PageSkeleton } from '../../shared/states';
import { useCatalogue, useRedeem } from './api';
import { ListEnd } from './bits';
import { formatDate } from './format';

/** A retry may repeat a request the server already did; a refusal (4xx) is final for that attempt. */
const isFinal = (e: unknown) => e instanceof ApiError && e.status >= 400 && e.status < 500;

/** 积分兑换: the catalogue, by category, each card with cost, stock, place and my limit. */
export function RewardsPage() {
  const { t } = useTranslation();
  const [category, setCategory] = useState<RewardCategory | 'all'>('all');
  const catalogue = useCatalogue(category === 'all' ? undefined : category);
  const [confirming, setConfirming] = useState<CatalogueReward>();
  const items = catalogue.data?.pages.flatMap((p) => p.items) ?? [];
  const balance = catalogue.data?.pages[0]?.balance;

  return (
    <SubPage title={t('points.rewards.title')} back="/points">
      <div className="ya-points-sticky">
        <div data-testid="reward-categories">
          <CapsuleTabs activeKey={category} onChange={(k) => setCategory(k as RewardCategory | 'all')}>
            <CapsuleTabs.Tab key="all" title={t('points.rewards.all')} />
            {rewardCategories.map((c) => (
              <CapsuleTabs.Tab key={c} title={t(`points.rewards.categories.${c}`)} />
            ))}
          </CapsuleTabs>
        </div>
        {balance !== undefined && (
          <p className="ya-points-caption" data-testid="rewards-balance">
            {t('points.rewards.balance', { points: balance })}
          </p>
        )}
      </div>
      {catalogue.isPending ? (
        <PageSkeleton rows={3} />
      ) : catalogue.isError ? (
        <ErrorState error={catalogue.error} onRetry={() => void catalogue.refetch()} />
      ) : (
        <PullToRefresh onRefresh={() => catalogue.refetch().then(() => undefined)}>
          {items.length === 0 ? (
            <EmptyState title={t('points.rewards.empty')} description={t('points.rewards.emptyHint')} />
          ) : (
            <>
              <div data-testid="rewards-list">
                {items.map((r) => (
                  <RewardCard key={r.id} reward={r} onRedeem={() => setConfirming(r)} />
                ))}
              </div>
              <InfiniteScroll loadMore={() => catalogue.fetchNextPage().then(() => undefined)} hasMore={!!catalogue.hasNextPage}>
                {catalogue.hasNextPage ? undefined : <ListEnd text={t('points.rewards.noMore')} />}
              </InfiniteScroll>
            </>
          )}
        </PullToRefresh>
      )}
      <RedeemDialog reward={confirming} balance={balance ?? 0} onClose={() => setConfirming(undefined)} />
    </SubPage>
  );
}

function RewardCard({ reward: r, onRedeem }: { reward: CatalogueReward; onRedeem(): void }) {
  const { t } = useTranslation();
  const soldOut = r.stockLeft <= 0;
  const limitReached = r.myRemaining !== null && r.myRemaining <= 0;
  const blocked = soldOut ? t('points.rewards.soldOut') : limitReached ? t('points.rewards.limitReached') : !r.affordable ? t('points.rewards.short') : undefined;
  return (
    <article className="ya-card ya-reward" data-testid="reward-card" data-id={r.id} aria-label={r.title}>
      <div className="ya-reward-head">
        <span className={`ya-reward-cat ya-reward-cat-${r.category}`}>{t(`points.rewards.categories.${r.category}`)}</span>
        <h2 className="ya-reward-title">{r.title}</h2>
      </div>
      {r.description && <p className="ya-reward-desc">{r.description}</p>}
      <div className="ya-reward-place">
        <EnvironmentOutline aria-hidden="true" />
        {r.place ? (
          <span>
            {t('points.rewards.place')}：<strong>{r.place.name}</strong>
            <span className="ya-muted"> · {r.place.areaName}</span>
          </span>
        ) : (
          <span className="ya-muted">{t('points.rewards.noPlace')}</span>
        )}
      </div>
      <div className="ya-reward-meta ya-muted">
        <span>{soldOut ? t('points.rewards.soldOut') : t('points.rewards.stockLeft', { count: r.stockLeft })}</span>
        {r.perWorkerLimit !== null && <span>{t('points.rewards.limit', { limit: r.perWorkerLimit, remaining: Math.max(0, r.myRemaining ?? 0) })}</span>}
        {r.validUntil && <span>{t('points.rewards.validUntil', { date: formatDate(r.validUntil) })}</span>}
        {r.sponsorName && <span>{t('points.rewards.sponsor', { name: r.sponsorName })}</span>}
      </div>
      <div className="ya-reward-foot">
        <span className="ya-reward-cost">{t('points.rewards.cost', { cost: r.cost })}</span>
        <Button size="small" color="primary" shape="rounded" disabled={!!blocked} onClick={onRedeem} aria-label={`${t('points.rewards.redeem')} ${r.title}`}>
          {blocked ?? t('points.rewards.redeem')}
        </Button>
      </div>
    </article>
  );
}

/**
 * Confirm, then redeem. One Idempotency-Key per reward attempt, kept while the outcome is unknown (a
 * network error or a 5xx) so tapping again cannot make a second order; a new key once it is settled.
 */
function RedeemDialog({ reward, balance, onClose }: { reward?: CatalogueReward; balance: number; onClose(): void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useMe();
  const redeem = useRedeem();
  const keys = useRef(new Map<string, string>());
  const verified = me.data?.verificationStatus === 'approved';

  async function confirm() {
    if (!reward) return;
    let key = keys.current.get(reward.id);
    if (!key) {
      key = newIdempotencyKey();
      keys.current.set(reward.id, key);
    }
    try {
      await redeem.mutateAsync({ rewardId: reward.id, key });
      keys.current.delete(reward.id);
      onClose();
      Toast.show({ icon: 'success', content: t('points.rewards.done') });
      navigate('/points/orders');
    } catch (e) {
      if (isFinal(e)) keys.current.delete(reward.id);
      Toast.show({ icon: 'fail', content: errorMessage(e) });
    }
  }

  if (!reward) return null;
  return (
    <Dialog
      visible
      title={t('points.rewards.confirmTitle')}
      onClose={onClose}
      closeOnMaskClick={!redeem.isPending}
      content={
        <div className="ya-points-dialog" data-testid="redeem-dialog">
          <p>{t('points.rewards.confirmBody', { title: reward.title, cost: reward.cost, after: balance - reward.cost })}</p>
          {reward.place && <p className="ya-muted">{t('points.rewards.confirmPickup', { place: reward.place.name })}</p>}
          {me.data && !verified && <p className="ya-points-warn">{t('points.rewards.needVerify')}</p>}
        </div>
      }
      actions={[
        [
          { key: 'cancel', text: t('common:actions.cancel'), disabled: redeem.isPending, onClick: onClose },
          {
            key: 'confirm',
            text: redeem.isPending ? t('points.rewards.redeeming') : t('points.rewards.confirm'),
            bold: true,
            disabled: redeem.isPending || (!!me.data && !verified),
            onClick: () => void confirm(),
          },
        ],
      ]}
    />
  );
}
