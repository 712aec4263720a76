import { useQuery } from '@tanstack/react-query';
import type { NotificationItem, NotificationPage } from '@contracts/notifications';
import { api } from '@ui/api';
import { i18n } from '@ui/i18n';

export const notificationsKey = ['notifications'] as const;

export const fetchNotifications = (page: number, pageSize = 20) =>
  api.get<NotificationPage>(`/api/me/notifications?page=${page}&pageSize=${pageSize}`);

/** Unread count for the tab-bar badge; polled gently so a review result shows up without a reload. */
export function useUnreadCount(enabled = true) {
  return useQuery({
    queryKey: [...notificationsKey, 'unread'],
    queryFn: async () => (await fetchNotifications(1, 1)).unread,
    enabled,
    refetchInterval: 60_000,
  });
}

/** A notification's text: `common:notifications.<kind>` rendered with its params. */
export function notificationText(n: Pick<NotificationItem, 'kind' | 'params'>): string {
  const key = `common:notifications.${n.kind}`;
  return i18n.exists(key) ? i18n.t(key, n.params) : i18n.t('worker:inbox.unknownKind');
}
