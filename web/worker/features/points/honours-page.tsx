import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { Button, Ellipsis, InfiniteScroll, List, PullToRefresh, Segmented, Tabs, Tag } from 'antd-mobile';
import { AddOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import type { HonourStory, StoryStatus } from '@contracts/points';
import { SubPage } from '../../shared/sub-page';
import { EmptyState, ErrorState, PageSkeleton } from '../../shared/states';
import { useHonours, useLeaderboard, useMyNominations, usePointsMe } from './api';
import { ListEnd, PartnerBadge } from './bits';
import { formatDate, formatMonth, previousMonth } from './format';

type Tab = 'stories' | 'leaderboard';

/** 微光榜: approved good-deed stories, my district's monthly leaderboard, and a way to nominate. */
export function HonoursPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const tab: Tab = params.get('tab') === 'leaderboard' ? 'leaderboard' : 'stories';
  return (
    <SubPage
      title={t('points.honours.title')}
      back="/points"
      right={
        <Button size="mini" fill="none" color="primary" onClick={() => navigate('/points/honours/nominate')} data-testid="nominate">
          <AddOutline /> {t('points.honours.nominate')}
        </Button>
      }
    >
      <div className="ya-points-sticky">
        <Tabs activeKey={tab} onChange={(k) => setParams(k === 'stories' ? {} : { tab: k }, { replace: true })}>
          <Tabs.Tab key="stories" title={t('points.honours.tabs.stories')} />
          <Tabs.Tab key="leaderboard" title={t('points.honours.tabs.leaderboard')} />
        </Tabs>
      </div>
      {tab === 'stories' ? <Stories /> : <Board />}
    </SubPage>
  );
}

function Stories() {
  const { t } = useTranslation();
  const honours = useHonours();
  const items = honours.data?.pages.flatMap((p) => p.items) ?? [];
  if (honours.isPending) return <PageSkeleton rows={2} />;
  if (honours.isError) return <ErrorState error={honours.error} onRetry={() => void honours.refetch()} />;
  return (
    <PullToRefresh onRefresh={() => honours.refetch().then(() => undefined)}>
      <MyNominations />
      {items.length === 0 ? (
        <EmptyState title={t('points.honours.storiesEmpty')} description={t('points.honours.storiesEmptyHint')} />
      ) : (
        <>
          <div data-testid="honour-stories">
            {items.map((s) => (
              <StoryCard key={s.id} story={s} />
            ))}
          </div>
          <InfiniteScroll loadMore={() => honours.fetchNextPage().then(() => undefined)} hasMore={!!honours.hasNextPage}>
            {honours.hasNextPage ? undefined : <ListEnd text={t('points.honours.noMore')} />}
          </InfiniteScroll>
        </>
      )}
    </PullToRefresh>
  );
}

function StoryCard({ story: s }: { story: HonourStory }) {
  const { t } = useTranslation();
  return (
    <article className="ya-card ya-story" data-testid="honour-story" aria-label={s.title}>
      <div className="ya-order-head">
        <h2 className="ya-reward-title">{s.title}</h2>
        {s.points > 0 && <span className="ya-points-amount in">{t('points.honours.earned', { points: s.points })}</span>}
      </div>
      <p className="ya-story-who">
        <strong>{s.workerNameMasked}</strong>
        {s.cityPartner && <PartnerBadge small />}
        <span className="ya-muted">
          {s.areaName ? ` ${s.areaName} ·` : ''} {formatDate(s.approvedAt)}
        </span>
      </p>
      <Ellipsis className="ya-story-text" direction="end" rows={3} content={s.story} expandText={t('points.honours.more')} collapseText={t('points.honours.less')} />
    </article>
  );
}

const nominationColor: Record<StoryStatus, 'warning' | 'success' | 'danger'> = { pending: 'warning', approved: 'success', rejected: 'danger' };

/** The worker's own nominations and where each stands (hidden until there is one). */
function MyNominations() {
  const { t } = useTranslation();
  const mine = useMyNominations();
  if (!mine.data || mine.data.length === 0) return null;
  return (
    <List className="ya-section" header={t('points.honours.myNominations')} data-testid="my-nominations">
      {mine.data.map((n) => (
        <List.Item
          key={n.id}
          description={`${n.workerNameMasked} · ${formatDate(n.createdAt)}`}
          extra={
            <Tag color={nominationColor[n.status]} fill="outline">
              {t(`points.honours.nominationStatus.${n.status}`)}
            </Tag>
          }
        >
          {n.title}
        </List.Item>
      ))}
    </List>
  );
}

function Board() {
  const { t } = useTranslation();
  const me = usePointsMe();
  const [which, setWhich] = useState<'this' | 'last'>('this');
  const month = which === 'last' && me.data ? previousMonth(me.data.month) : undefined;
  const board = useLeaderboard(month);
  if (board.isPending) return <PageSkeleton rows={2} />;
  if (board.isError) return <ErrorState error={board.error} onRetry={() => void board.refetch()} />;
  const b = board.data;
  return (
    <div data-testid="leaderboard">
      <div className="ya-points-board-switch">
        <Segmented
          value={which}
          onChange={(v) => setWhich(v as 'this' | 'last')}
          options={[
            { value: 'this', label: t('points.honours.board.thisMonth') },
            { value: 'last', label: t('points.honours.board.lastMonth'), disabled: !me.data },
          ]}
        />
      </div>
      {!b.district ? (
        <EmptyState title={t('points.honours.board.noDistrict')} />
      ) : (
        <>
          <section className="ya-card ya-board-head">
            <h2 className="ya-card-title">{t('points.honours.board.title', { district: b.district.name, month: formatMonth(b.month) })}</h2>
            <p data-testid="my-rank">{b.me.rank ? t('points.honours.board.myRank', { rank: b.me.rank, points: b.me.points }) : t('points.honours.board.myRankNone')}</p>
            <p className="ya-muted ya-points-small">
              {t('points.honours.board.participants', { count: b.participants })} · {t('points.honours.board.masked')}
            </p>
          </section>
          {b.items.length === 0 ? (
            <EmptyState title={t('points.honours.board.empty')} />
          ) : (
            <List className="ya-section" data-testid="leaderboard-list">
              {b.items.map((e, i) => (
                <List.Item
                  key={`${e.rank}-${i}`}
                  className={e.me ? 'ya-board-me' : undefined}
                  data-testid="leaderboard-entry"
                  data-me={e.me ? 'true' : 'false'}
                  prefix={<span className={`ya-board-rank r${e.rank}`}>{e.rank}</span>}
                  extra={<span className="ya-points-amount in">{t('points.honours.board.points', { points: e.points })}</span>}
                >
                  {e.nameMasked}
                  {e.me && <span className="ya-muted">{t('points.honours.board.me')}</span>}
                  {e.cityPartner && <PartnerBadge small />}
                </List.Item>
              ))}
            </List>
          )}
        </>
      )}
    </div>
  );
}
