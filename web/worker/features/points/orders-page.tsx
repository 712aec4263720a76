import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { Button, Dialog, InfiniteScroll, PullToRefresh, Tabs, Tag, Toast } from 'antd-mobile';
import { EnvironmentOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { orderStatuses, type OrderStatus, type WorkerOrder } from '@contracts/points';
import { ApiError, newIdempotencyKey } from '@ui/api';
import { formatDateTime } from '@ui/format';
import { errorMessage } from '@ui/i18n';
import { SubPage } from '../../shared/sub-page';
import { EmptyState, ErrorState, PageSkeleton } from '../../shared/states';
import { useCancelOrder, useOrders } from './api';
import { ListEnd } from './bits';

const statusColor: Record<OrderStatus, 'warning' | 'success' | 'default'> = {
  awaiting_pickup: 'warning',
  completed: 'success',
  cancelled: 'default',
  expired: 'default',
};

/** 我的兑换: orders with their pickup state; one awaiting pickup says where and how to collect it. */
export function OrdersPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [status, setStatus] = useState<OrderStatus | 'all'>('all');
  const orders = useOrders(status === 'all' ? undefined : status);
  const items = orders.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <SubPage title={t('points.orders.title')} back="/points">
      <div className="ya-points-sticky">
        <Tabs activeKey={status} onChange={(k) => setStatus(k as OrderStatus | 'all')}>
          {(['all', ...orderStatuses] as const).map((s) => (
            <Tabs.Tab key={s} title={t(`points.orders.tabs.${s}`)} />
          ))}
        </Tabs>
      </div>
      {orders.isPending ? (
        <PageSkeleton rows={2} />
      ) : orders.isError ? (
        <ErrorState error={orders.error} onRetry={() => void orders.refetch()} />
      ) : (
        <PullToRefresh onRefresh={() => orders.refetch().then(() => undefined)}>
          {items.length === 0 ? (
            <EmptyState title={t('points.orders.empty')} description={t('points.orders.emptyHint')}>
              <Button color="primary" size="small" onClick={() => navigate('/points/rewards')}>
                {t('points.orders.goRewards')}
              </Button>
            </EmptyState>
          ) : (
            <>
              <div data-testid="orders-list">
                {items.map((o) => (
                  <OrderCard key={o.id} order={o} />
                ))}
              </div>
              <InfiniteScroll loadMore={() => orders.fetchNextPage().then(() => undefined)} hasMore={!!orders.hasNextPage}>
                {orders.hasNextPage ? undefined : <ListEnd text={t('points.orders.noMore')} />}
              </InfiniteScroll>
            </>
          )}
        </PullToRefresh>
      )}
    </SubPage>
  );
}

function OrderCard({ order: o }: { order: WorkerOrder }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const cancel = useCancelOrder();
  // kept while a cancel's outcome is unknown, so a second tap is the same request
  const key = useRef<string>();
  const [asking, setAsking] = useState(false);

  async function doCancel() {
    key.current ??= newIdempotencyKey();
    try {
      await cancel.mutateAsync({ orderId: o.id, key: key.current });
      key.current = undefined;
      setAsking(false);
      Toast.show({ icon: 'success', content: t('points.orders.cancelled') });
    } catch (e) {
      if (e instanceof ApiError && e.status >= 400 && e.status < 500) key.current = undefined;
      Toast.show({ icon: 'fail', content: errorMessage(e) });
    }
  }

  return (
    <article className={`ya-card ya-order ya-order-${o.status}`} data-testid="order-card" data-status={o.status} aria-label={o.reward.title}>
      <div className="ya-order-head">
        <h2 className="ya-reward-title">{o.reward.title}</h2>
        <Tag color={statusColor[o.status]} fill="outline" data-testid="order-status">
          {t(`points.orders.status.${o.status}`)}
        </Tag>
      </div>
      <p className="ya-muted ya-points-small">
        {t('points.orders.cost', { cost: o.cost })} · {t('points.orders.redeemedAt', { date: formatDateTime(o.createdAt) })}
      </p>
      {o.status === 'awaiting_pickup' && o.pickup && (
        <div className="ya-order-pickup" data-testid="order-pickup">
          <div className="ya-order-pass-row">
            <p className="ya-order-pass">{t('points.orders.showPass')}</p>
            <Button size="mini" color="primary" shape="rounded" onClick={() => navigate('/pass')} data-testid="open-pass">
              {t('points.orders.openPass')}
            </Button>
          </div>
          {o.pickup.place && (
            <p className="ya-reward-place">
              <EnvironmentOutline aria-hidden="true" />
              <span>
                {t('points.orders.place')}：<strong>{o.pickup.place.name}</strong>
                {o.pickup.place.address && <span className="ya-muted"> · {o.pickup.place.address}</span>}
              </span>
            </p>
          )}
          <p>
            {t('points.orders.code')}：<strong className="ya-order-code" data-testid="pickup-code">{o.pickup.code}</strong>
          </p>
          <p className="ya-muted ya-points-small">{t('points.orders.deadline', { date: formatDateTime(o.pickup.deadline) })}</p>
        </div>
      )}
      {o.status === 'completed' && o.completedAt && <p className="ya-muted ya-points-small">{t('points.orders.completedAt', { date: formatDateTime(o.completedAt) })}</p>}
      {(o.status === 'cancelled' || o.status === 'expired') && (
        <p className="ya-muted ya-points-small">
          {t('points.orders.refunded')}
          {o.closedReason ? ` · ${t('points.orders.closedReason', { reason: o.closedReason })}` : ''}
        </p>
      )}
      {o.canCancel && (
        <div className="ya-reward-foot">
          <span />
          <Button size="small" shape="rounded" onClick={() => setAsking(true)}>
            {t('points.orders.cancel')}
          </Button>
        </div>
      )}
      <Dialog
        visible={asking}
        title={t('points.orders.cancelTitle')}
        content={t('points.orders.cancelBody', { cost: o.cost })}
        onClose={() => setAsking(false)}
        actions={[
          [
            { key: 'keep', text: t('points.orders.keep'), disabled: cancel.isPending, onClick: () => setAsking(false) },
            { key: 'cancel', text: t('points.orders.cancelConfirm'), danger: true, bold: true, disabled: cancel.isPending, onClick: () => void doCancel() },
          ],
        ]}
      />
    </article>
  );
}
