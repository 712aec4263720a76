import { Type, type Static } from 'typebox';

/** Staff roles. Handlers also carry departments; every role carries an area scope. */
export const staffRoles = ['operator', 'reviewer', 'handler', 'hotline_agent', 'mediator', 'grid_worker', 'scanner', 'lawyer'] as const;
export type StaffRole = (typeof staffRoles)[number];

export interface StaffPrincipal {
  kind: 'staff';
  id: string;
  cityCode: string;
  username: string;
  displayName: string;
  role: StaffRole;
  /** GB/T 2260 code of the area the account may act in (city, district, street or community). */
  areaCode: string;
  departmentIds: string[];
}

export interface WorkerPrincipal {
  kind: 'worker';
  id: string;
  cityCode: string;
}

export type Principal = StaffPrincipal | WorkerPrincipal;

export const SessionInfo = Type.Object({
  kind: Type.Union([Type.Literal('staff'), Type.Literal('worker')]),
  id: Type.String(),
  csrfToken: Type.String({ description: 'Send as the x-csrf-token header on every state-changing request' }),
  expiresAt: Type.String({ format: 'date-time' }),
  idleTimeoutSeconds: Type.Union([Type.Integer(), Type.Null()]),
  staff: Type.Optional(
    Type.Object({
      username: Type.String(),
      displayName: Type.String(),
      role: Type.String(),
      areaCode: Type.String(),
      areaName: Type.String(),
      departmentIds: Type.Array(Type.String()),
    }),
  ),
});
export type SessionInfo = Static<typeof SessionInfo>;

export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_COOKIE = 'ya_sid';
export const IDEMPOTENCY_HEADER = 'idempotency-key';
