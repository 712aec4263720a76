import { api } from '@ui/api';

export const markNotificationRead = (id: string) => api.post<void>(`/api/me/notifications/${id}/read`);
export const markAllNotificationsRead = () => api.post<void>('/api/me/notifications/read-all');
