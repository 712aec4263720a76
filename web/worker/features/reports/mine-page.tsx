import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { Button, InfiniteScroll, PullToRefresh, Tabs } from 'antd-mobile';
import { CameraOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import type { WorkerReportSummary } from '@contracts/reports';
import { formatDateTime } from '@ui/format';
import { SubPage } from '../../shared/sub-page';
import { EmptyState, ErrorState, PageSkeleton } from '../../shared/states';
import { useCategories, useMyReports } from './api';
import { DeadlineClock, ListEnd, OutboxCard, ReportThumb, StatusTag } from './bits';
import { clockRuns, nameOfCategory } from './format';
import { useOutbox } from './outbox';

type Tab = 'open' | 'closed';

/** 我的随手拍: what is still on the phone, then mine and the ones I joined — in progress or closed. */
export function MinePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const tab: Tab = params.get('tab') === 'closed' ? 'closed' : 'open';
  const outbox = useOutbox();

  return (
    <SubPage
      title={t('reports.mine.title')}
      right={
        <Button size="mini" color="primary" shape="rounded" onClick={() => navigate('/reports/new')} data-testid="mine-new-report">
          <CameraOutline /> {t('reports.mine.new')}
        </Button>
      }
    >
      <OutboxCard items={outbox} />
      <div className="ya-report-sticky">
        <Tabs activeKey={tab} onChange={(k) => setParams(k === 'closed' ? { tab: 'closed' } : {}, { replace: true })}>
          <Tabs.Tab key="open" title={t('reports.mine.tabs.open')} />
          <Tabs.Tab key="closed" title={t('reports.mine.tabs.closed')} />
        </Tabs>
      </div>
      <ReportList key={tab} status={tab} />
    </SubPage>
  );
}

function ReportList({ status }: { status: Tab }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const reports = useMyReports(status);
  const categories = useCategories();
  const items = reports.data?.pages.flatMap((p) => p.items) ?? [];
  if (reports.isPending) return <PageSkeleton rows={2} />;
  if (reports.isError) return <ErrorState error={reports.error} onRetry={() => void reports.refetch()} />;
  return (
    <PullToRefresh onRefresh={() => reports.refetch().then(() => undefined)}>
      {items.length === 0 ? (
        <EmptyState title={t(`reports.mine.empty.${status}`)} description={t('reports.mine.emptyHint')}>
          {status === 'open' && (
            <Button color="primary" size="small" onClick={() => navigate('/reports/new')}>
              {t('reports.mine.new')}
            </Button>
          )}
        </EmptyState>
      ) : (
        <>
          <div data-testid="reports-list" data-tab={status}>
            {items.map((r) => (
              <ReportRow key={r.id} report={r} categoryName={nameOfCategory(categories.data, r.category)} />
            ))}
          </div>
          <InfiniteScroll loadMore={() => reports.fetchNextPage().then(() => undefined)} hasMore={!!reports.hasNextPage}>
            {reports.hasNextPage ? undefined : <ListEnd text={t('reports.mine.noMore')} />}
          </InfiniteScroll>
        </>
      )}
    </PullToRefresh>
  );
}

function ReportRow({ report: r, categoryName }: { report: WorkerReportSummary; categoryName: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <button type="button" className="ya-card ya-report-row" onClick={() => navigate(`/reports/${r.id}`)} data-testid="report-row" data-code={r.code} aria-label={`${categoryName} ${r.code}`}>
      <ReportThumb url={r.photoUrl} />
      <div className="ya-report-row-body">
        <div className="ya-report-row-head">
          <strong>{categoryName}</strong>
          <StatusTag status={r.status} outcome={r.outcome} />
        </div>
        <p className="ya-report-row-text">{r.description || r.address || t('reports.noDescription')}</p>
        <p className="ya-muted ya-report-small">
          {r.code} · {formatDateTime(r.submittedAt)}
          {!r.mine && <span className="ya-report-joined"> · {t('reports.mine.joined')}</span>}
        </p>
        {clockRuns(r.status) && r.deadlineAt && <DeadlineClock deadlineAt={r.deadlineAt} compact />}
        {r.pointsGranted > 0 && <p className="ya-report-points-line">{t('reports.points.earned', { points: r.pointsGranted })}</p>}
      </div>
    </button>
  );
}
