import { Type, type Static } from 'typebox';
import { staffRoles } from './auth.js';

const Nullable = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Role = Type.Unsafe<(typeof staffRoles)[number]>({ type: 'string', enum: [...staffRoles] });

/** Default departments of a city (code → names); operators add more. */
export const defaultDepartments = [
  { code: 'hrss', nameZh: '人力社保局', nameEn: 'Human Resources and Social Security' },
  { code: 'justice', nameZh: '司法局', nameEn: 'Justice Bureau' },
  { code: 'health', nameZh: '卫生健康局', nameEn: 'Health Commission' },
  { code: 'market', nameZh: '市场监管局', nameEn: 'Market Regulation' },
  { code: 'police', nameZh: '公安局', nameEn: 'Public Security' },
  { code: 'housing', nameZh: '住房和城乡建设局', nameEn: 'Housing and Urban-Rural Development' },
  { code: 'urban', nameZh: '综合行政执法局（城管）', nameEn: 'Urban Management' },
  { code: 'traffic', nameZh: '交通警察支队', nameEn: 'Traffic Police' },
  { code: 'union', nameZh: '总工会', nameEn: 'Federation of Trade Unions' },
  { code: 'social_work', nameZh: '社会工作部', nameEn: 'Social Work Department' },
] as const;

export const StaffLoginRequest = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 60 }),
  password: Type.String({ minLength: 1, maxLength: 200 }),
});
export type StaffLoginRequest = Static<typeof StaffLoginRequest>;

export const Department = Type.Object({
  id: Type.String(),
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  active: Type.Boolean(),
  staffCount: Type.Integer(),
});
export type Department = Static<typeof Department>;

export const DepartmentCreate = Type.Object({
  code: Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' }),
  nameZh: Type.String({ minLength: 2, maxLength: 60 }),
  nameEn: Type.String({ minLength: 2, maxLength: 100 }),
});
export type DepartmentCreate = Static<typeof DepartmentCreate>;

export const DepartmentUpdate = Type.Object({
  nameZh: Type.Optional(Type.String({ minLength: 2, maxLength: 60 })),
  nameEn: Type.Optional(Type.String({ minLength: 2, maxLength: 100 })),
  active: Type.Optional(Type.Boolean()),
});
export type DepartmentUpdate = Static<typeof DepartmentUpdate>;

export const StaffAccount = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  role: Type.String(),
  areaCode: Type.String(),
  areaName: Type.String(),
  departmentIds: Type.Array(Type.String()),
  active: Type.Boolean(),
  lockedUntil: Nullable(Type.String({ format: 'date-time' })),
  lastLoginAt: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
});
export type StaffAccount = Static<typeof StaffAccount>;

export const StaffCreate = Type.Object({
  username: Type.String({ pattern: '^[a-zA-Z][a-zA-Z0-9_.-]{2,39}$' }),
  displayName: Type.String({ minLength: 1, maxLength: 40 }),
  password: Type.String({ minLength: 10, maxLength: 200, description: 'at least 10 characters with letters and digits' }),
  role: Role,
  areaCode: Type.String({ pattern: '^3302(\\d{2})?(\\d{3})?(\\d{3})?$' }),
  departmentIds: Type.Array(Type.String({ format: 'uuid' }), { default: [] }),
});
export type StaffCreate = Static<typeof StaffCreate>;

export const StaffUpdate = Type.Object({
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  role: Type.Optional(Role),
  areaCode: Type.Optional(Type.String({ pattern: '^3302(\\d{2})?(\\d{3})?(\\d{3})?$' })),
  departmentIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }))),
  active: Type.Optional(Type.Boolean()),
});
export type StaffUpdate = Static<typeof StaffUpdate>;

export const StaffListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 40, description: 'username or display name contains' })),
  role: Type.Optional(Role),
  areaCode: Type.Optional(Type.String({ pattern: '^\\d{4,12}$' })),
  page: Type.Integer({ minimum: 1, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});
export type StaffListQuery = Static<typeof StaffListQuery>;

export const PasswordReset = Type.Object({ password: Type.String({ minLength: 10, maxLength: 200 }) });
export const PasswordChange = Type.Object({
  currentPassword: Type.String({ minLength: 1, maxLength: 200 }),
  newPassword: Type.String({ minLength: 10, maxLength: 200 }),
});
