import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, InfiniteScroll, List, PullToRefresh, SafeArea, Toast } from 'antd-mobile';
import { BellOutline, CheckCircleOutline, CloseCircleOutline } from 'antd-mobile-icons';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { NotificationItem } from '@contracts/notifications';
import { errorMessage } from '@ui/i18n';
import { fetchNotifications, notificationsKey, notificationText } from '../../shared/notifications';
import { EmptyState, ErrorState, PageSkeleton } from '../../shared/states';
import { formatDateTime } from '@ui/format';
import { markAllNotificationsRead, markNotificationRead } from './api';

const PAGE_SIZE = 20;

function KindIcon({ kind }: { kind: string }) {
  if (kind.endsWith('.approved'))
    return (
      <span className="ya-inbox-icon ok">
        <CheckCircleOutline />
      </span>
    );
  if (kind.endsWith('.rejected'))
    return (
      <span className="ya-inbox-icon bad">
        <CloseCircleOutline />
      </span>
    );
  return (
    <span className="ya-inbox-icon">
      <BellOutline />
    </span>
  );
}

/** In-app links are stored as app paths (/worker/...); anything else opens as a plain link. */
function appPath(link: string): string | undefined {
  if (link.startsWith('/worker/') || link === '/worker') return link.slice('/worker'.length) || '/';
  return undefined;
}

export function InboxPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const list = useInfiniteQuery({
    queryKey: [...notificationsKey, 'list'],
    queryFn: ({ pageParam }) => fetchNotifications(pageParam, PAGE_SIZE),
    initialPageParam: 1,
    getNextPageParam: (last) => (last.page * last.pageSize < last.total ? last.page + 1 : undefined),
  });

  const refreshAll = () => queryClient.invalidateQueries({ queryKey: notificationsKey });
  const markRead = useMutation({ mutationFn: markNotificationRead, onSettled: refreshAll });
  const markAll = useMutation({
    mutationFn: markAllNotificationsRead,
    onSuccess: () => Toast.show({ icon: 'success', content: t('inbox.readAllDone') }),
    onError: (err) => Toast.show({ icon: 'fail', content: errorMessage(err) }),
    onSettled: refreshAll,
  });

  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const unread = list.data?.pages[0]?.unread ?? 0;

  const open = (n: NotificationItem) => {
    if (!n.readAt) markRead.mutate(n.id);
    const path = n.link ? appPath(n.link) : undefined;
    if (path) navigate(path);
  };

  return (
    <div data-testid="inbox">
      <header className="ya-navbar ya-inbox-head">
        <SafeArea position="top" />
        <div className="ya-inbox-bar">
          <h1 className="ya-navbar-title">{t('inbox.title')}</h1>
          <Button size="mini" fill="none" color="primary" disabled={unread === 0 || markAll.isPending} onClick={() => markAll.mutate()} data-testid="read-all">
            {t('inbox.readAll')}
          </Button>
        </div>
      </header>
      {list.isPending ? (
        <PageSkeleton rows={3} />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <PullToRefresh onRefresh={() => list.refetch().then(() => undefined)}>
          {items.length === 0 ? (
            <EmptyState title={t('inbox.empty')} description={t('inbox.emptyHint')} />
          ) : (
            <>
              <List className="ya-section">
                {items.map((n) => (
                  <List.Item
                    key={n.id}
                    className={`ya-inbox-item${n.readAt ? '' : ' unread'}`}
                    prefix={<KindIcon kind={n.kind} />}
                    description={<span className="ya-inbox-time">{formatDateTime(n.createdAt)}</span>}
                    extra={n.readAt ? undefined : <span className="ya-unread-dot" aria-label={t('inbox.unread')} />}
                    onClick={() => open(n)}
                    arrow={false}
                    data-testid="notification"
                    data-unread={n.readAt ? 'false' : 'true'}
                  >
                    {notificationText(n)}
                  </List.Item>
                ))}
              </List>
              <InfiniteScroll loadMore={() => list.fetchNextPage().then(() => undefined)} hasMore={!!list.hasNextPage}>
                {list.hasNextPage ? undefined : <span className="ya-inbox-time">{t('inbox.noMore')}</span>}
              </InfiniteScroll>
            </>
          )}
        </PullToRefresh>
      )}
    </div>
  );
}
