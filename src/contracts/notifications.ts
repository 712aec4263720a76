import { Type, type Static } from 'typebox';

export const NotificationItem = Type.Object({
  id: Type.String(),
  kind: Type.String({ description: 'i18n key suffix: the apps render notifications.<kind> with params' }),
  params: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
  link: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  readAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type NotificationItem = Static<typeof NotificationItem>;

export const NotificationPage = Type.Object({
  items: Type.Array(NotificationItem),
  total: Type.Integer(),
  unread: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});
export type NotificationPage = Static<typeof NotificationPage>;
