import { useNavigate } from 'react-router';
import { Button, InfiniteScroll, PullToRefresh } from 'antd-mobile';
import { AddOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import type { AppealSummary } from '@contracts/appeals';
import { formatDateTime } from '@ui/format';
import { SubPage } from '../../shared/sub-page';
import { EmptyState, ErrorState, PageSkeleton } from '../../shared/states';
import { useMyAppeals } from './api';
import { AppealClock, AppealStatusTag, formatFen } from './bits';

/** 我的诉求: newest first, with the status and the clock of the step under way. */
export function MinePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const appeals = useMyAppeals();
  const items = appeals.data?.pages.flatMap((p) => p.items) ?? [];
  const newButton = (
    <Button size="mini" color="primary" shape="rounded" onClick={() => navigate('/appeals/new')} data-testid="appeals-new">
      <AddOutline /> {t('appeals.mine.new')}
    </Button>
  );
  return (
    <SubPage title={t('appeals.mine.title')} right={newButton}>
      {appeals.isPending ? (
        <PageSkeleton rows={2} />
      ) : appeals.isError ? (
        <ErrorState error={appeals.error} onRetry={() => void appeals.refetch()} />
      ) : (
        <PullToRefresh onRefresh={() => appeals.refetch().then(() => undefined)}>
          {items.length === 0 ? (
            <EmptyState title={t('appeals.mine.empty')} description={t('appeals.mine.emptyHint')}>
              <Button color="primary" size="small" onClick={() => navigate('/appeals/new')} data-testid="appeals-empty-new">
                {t('appeals.mine.new')}
              </Button>
            </EmptyState>
          ) : (
            <>
              <div data-testid="appeals-list">
                {items.map((a) => (
                  <AppealRow key={a.id} appeal={a} />
                ))}
              </div>
              <InfiniteScroll loadMore={() => appeals.fetchNextPage().then(() => undefined)} hasMore={!!appeals.hasNextPage}>
                {appeals.hasNextPage ? undefined : <span className="ya-appeal-end">{t('appeals.mine.noMore')}</span>}
              </InfiniteScroll>
            </>
          )}
        </PullToRefresh>
      )}
    </SubPage>
  );
}

function AppealRow({ appeal: a }: { appeal: AppealSummary }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const typeName = t(`appeals.types.${a.type}.name`, { defaultValue: a.type });
  return (
    <button type="button" className="ya-card ya-appeal-row" onClick={() => navigate(`/appeals/${a.id}`)} data-testid="appeal-row" data-code={a.code} data-status={a.status} aria-label={`${typeName} ${a.code}`}>
      <div className="ya-appeal-row-head">
        <strong>{typeName}</strong>
        <AppealStatusTag status={a.status} />
      </div>
      <p className="ya-appeal-row-text">{a.respondentName}</p>
      <p className="ya-muted ya-appeal-small">
        {a.code} · {formatDateTime(a.submittedAt)}
        {a.amountClaimedFen > 0 && <> · {t('appeals.mine.claimed', { amount: formatFen(a.amountClaimedFen) })}</>}
        {a.recoveredFen > 0 && <span className="ya-appeal-ok"> · {t('appeals.mine.recovered', { amount: formatFen(a.recoveredFen) })}</span>}
      </p>
      <AppealClock status={a.status} deadlines={a.deadlines} compact />
    </button>
  );
}
