import { InfiniteScroll, List, PullToRefresh } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { HistoryItem } from '@contracts/points';
import { formatDateTime } from '@ui/format';
import { i18n } from '@ui/i18n';
import { SubPage } from '../../shared/sub-page';
import { EmptyState, ErrorState, PageSkeleton } from '../../shared/states';
import { useHistory } from './api';
import { ListEnd } from './bits';
import { signed } from './format';

/** What the movement is about, in words: 随手拍 · 微光榜 …; unknown source types are left out. */
function sourceLabel(source: HistoryItem['source']): string | undefined {
  if (!source) return undefined;
  const key = `worker:points.history.sources.${source.type}`;
  return i18n.exists(key) ? i18n.t(key) : undefined;
}

/** 积分明细: every movement with its reason, newest first, loaded page by page. */
export function HistoryPage() {
  const { t } = useTranslation();
  const history = useHistory();
  const items = history.data?.pages.flatMap((p) => p.items) ?? [];
  const balance = history.data?.pages[0]?.balance;
  return (
    <SubPage title={t('points.history.title')} back="/points">
      {history.isPending ? (
        <PageSkeleton rows={3} />
      ) : history.isError ? (
        <ErrorState error={history.error} onRetry={() => void history.refetch()} />
      ) : (
        <PullToRefresh onRefresh={() => history.refetch().then(() => undefined)}>
          {balance !== undefined && (
            <p className="ya-points-caption" data-testid="history-balance">
              {t('points.history.balance', { points: balance })}
            </p>
          )}
          {items.length === 0 ? (
            <EmptyState title={t('points.history.empty')} description={t('points.history.emptyHint')} />
          ) : (
            <>
              <List className="ya-section" data-testid="points-history">
                {items.map((h) => {
                  const source = sourceLabel(h.source);
                  return (
                    <List.Item
                      key={h.id}
                      data-testid="history-item"
                      data-kind={h.kind}
                      description={
                        <span className="ya-points-meta">
                          {formatDateTime(h.at)} · {t(`points.history.kinds.${h.kind}`, { defaultValue: h.kind })}
                          {source ? ` · ${source}` : ''}
                        </span>
                      }
                      extra={<span className={`ya-points-amount ${h.amount > 0 ? 'in' : 'out'}`}>{signed(h.amount)}</span>}
                    >
                      <span className="ya-points-reason">{h.reason}</span>
                    </List.Item>
                  );
                })}
              </List>
              <InfiniteScroll loadMore={() => history.fetchNextPage().then(() => undefined)} hasMore={!!history.hasNextPage}>
                {history.hasNextPage ? undefined : <ListEnd text={t('points.history.noMore')} />}
              </InfiniteScroll>
            </>
          )}
        </PullToRefresh>
      )}
    </SubPage>
  );
}
