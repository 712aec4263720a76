import { Type, type Static } from 'typebox';

/** The twelve new-employment industries (新就业形态行业). Labels live in the apps' i18n (industries.<code>). */
export const industries = [
  'food_delivery', // 外卖配送
  'express_courier', // 快递
  'ride_hailing', // 网约车
  'truck_driver', // 货车司机
  'designated_driver', // 代驾
  'instant_delivery', // 同城即时配送/跑腿
  'live_streamer', // 网络主播
  'online_marketer', // 互联网营销师
  'housekeeping', // 家政服务
  'home_repair', // 上门维修安装
  'shared_mobility_ops', // 共享出行运维
  'community_group_buying', // 社区团购
] as const;
export type Industry = (typeof industries)[number];

/** Version of the privacy notice a worker must accept; bump it when the text changes (i18n privacy.*). */
export const PRIVACY_NOTICE_VERSION = '2026-11-01';
export const consentKinds = ['privacy'] as const;

export const verificationStatuses = ['unverified', 'pending', 'approved', 'rejected'] as const;
export type VerificationStatus = (typeof verificationStatuses)[number];

// ---- worker app ----

export const SmsCodeRequest = Type.Object({
  phone: Type.String({ minLength: 11, maxLength: 20, description: 'Mainland mobile; +86, 0086, spaces and dashes are accepted' }),
});
export type SmsCodeRequest = Static<typeof SmsCodeRequest>;

export const SmsCodeResponse = Type.Object({
  sentTo: Type.String({ description: 'masked phone, e.g. 138****8000' }),
  expiresInSeconds: Type.Integer(),
  resendAfterSeconds: Type.Integer(),
});
export type SmsCodeResponse = Static<typeof SmsCodeResponse>;

export const WorkerLoginRequest = Type.Object({
  phone: Type.String({ minLength: 11, maxLength: 20 }),
  code: Type.String({ pattern: '^\\d{6}$' }),
});
export type WorkerLoginRequest = Static<typeof WorkerLoginRequest>;

const Nullable = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const VerificationSummary = Type.Object({
  id: Type.String(),
  status: Type.String(),
  reason: Nullable(Type.String()),
  submittedAt: Type.String({ format: 'date-time' }),
  reviewedAt: Nullable(Type.String({ format: 'date-time' })),
});

export const WorkerMe = Type.Object({
  id: Type.String(),
  phoneMasked: Type.String(),
  nameMasked: Nullable(Type.String()),
  idNumberMasked: Nullable(Type.String()),
  industry: Nullable(Type.String()),
  platform: Nullable(Type.String()),
  station: Nullable(Type.String()),
  areaCode: Nullable(Type.String()),
  areaName: Nullable(Type.String({ description: 'full name, e.g. 鄞州区 · 白鹤街道' })),
  verificationStatus: Type.String({ description: 'unverified | pending | approved | rejected' }),
  verifiedAt: Nullable(Type.String({ format: 'date-time' })),
  latestVerification: Nullable(VerificationSummary),
  consent: Type.Object({
    currentVersion: Type.String(),
    acceptedVersion: Nullable(Type.String()),
    acceptedAt: Nullable(Type.String({ format: 'date-time' })),
    needsConsent: Type.Boolean(),
  }),
});
export type WorkerMe = Static<typeof WorkerMe>;

export const ConsentRequest = Type.Object({
  kind: Type.Literal('privacy'),
  version: Type.String({ maxLength: 20 }),
});
export type ConsentRequest = Static<typeof ConsentRequest>;

export const VerificationRequest = Type.Object({
  name: Type.String({ minLength: 2, maxLength: 30 }),
  idNumber: Type.String({ minLength: 18, maxLength: 18 }),
  industry: Type.Unsafe<Industry>({ type: 'string', enum: [...industries] }),
  platform: Type.String({ minLength: 1, maxLength: 60, description: 'platform or company, e.g. 美团, 饿了么, 顺丰' }),
  station: Type.String({ minLength: 1, maxLength: 60, description: 'station or site the worker belongs to' }),
  areaCode: Type.String({ pattern: '^3302\\d{5}(\\d{3})?$', description: 'street (9 digits) or community (12 digits) where the worker mainly works' }),
});
export type VerificationRequest = Static<typeof VerificationRequest>;

// ---- admin console ----

export const VerificationListQuery = Type.Object({
  status: Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected'), Type.Literal('all')], { default: 'pending' }),
  areaCode: Type.Optional(Type.String({ pattern: '^\\d{4,12}$' })),
  page: Type.Integer({ minimum: 1, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});
export type VerificationListQuery = Static<typeof VerificationListQuery>;

export const VerificationItem = Type.Object({
  id: Type.String(),
  workerId: Type.String(),
  nameMasked: Type.String(),
  idNumberMasked: Type.String(),
  phoneMasked: Type.String(),
  industry: Type.String(),
  platform: Type.String(),
  station: Type.String(),
  areaCode: Type.String(),
  areaName: Type.String(),
  status: Type.String(),
  reason: Nullable(Type.String()),
  submittedAt: Type.String({ format: 'date-time' }),
  reviewedAt: Nullable(Type.String({ format: 'date-time' })),
  reviewedBy: Nullable(Type.String({ description: 'reviewer username' })),
});
export type VerificationItem = Static<typeof VerificationItem>;

export const RejectRequest = Type.Object({ reason: Type.String({ minLength: 2, maxLength: 200 }) });
export type RejectRequest = Static<typeof RejectRequest>;

export const WorkerListQuery = Type.Object({
  phone: Type.Optional(Type.String({ maxLength: 20, description: 'exact phone match (blind index)' })),
  status: Type.Optional(Type.Unsafe<VerificationStatus>({ type: 'string', enum: [...verificationStatuses] })),
  industry: Type.Optional(Type.String()),
  areaCode: Type.Optional(Type.String({ pattern: '^\\d{4,12}$' })),
  page: Type.Integer({ minimum: 1, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});
export type WorkerListQuery = Static<typeof WorkerListQuery>;

export const AdminWorker = Type.Object({
  id: Type.String(),
  nameMasked: Nullable(Type.String()),
  phoneMasked: Type.String(),
  idNumberMasked: Nullable(Type.String()),
  industry: Nullable(Type.String()),
  platform: Nullable(Type.String()),
  station: Nullable(Type.String()),
  areaCode: Nullable(Type.String()),
  areaName: Nullable(Type.String()),
  verificationStatus: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});
export type AdminWorker = Static<typeof AdminWorker>;

export const UnmaskRequest = Type.Object({
  field: Type.Union([Type.Literal('phone'), Type.Literal('idNumber'), Type.Literal('name')]),
  reason: Type.String({ minLength: 4, maxLength: 200, description: 'why the plaintext is needed; kept in the audit log' }),
});
export type UnmaskRequest = Static<typeof UnmaskRequest>;
export const UnmaskResponse = Type.Object({ field: Type.String(), value: Type.String() });
