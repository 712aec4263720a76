import type { Principal, StaffPrincipal } from '../../contracts/auth.js';
import { forbidden } from '../../shared/errors.js';
import type { AuditRepository } from './audit.repository.js';

export interface AuditContext {
  principal?: Principal;
  ip?: string;
  requestId?: string;
}

export interface AuditEntry {
  cityCode: string;
  action: string;
  targetKind?: string;
  targetId?: string;
  outcome?: 'success' | 'denied' | 'failure';
  detail?: Record<string, unknown>;
}

/**
 * The append-only audit trail (MLPS level 3): who did what to which record, when, from where, and
 * whether it worked. The table refuses UPDATE and DELETE at the database level.
 */
export function createAuditService(deps: { repo: AuditRepository }) {
  const { repo } = deps;
  return {
    async record(ctx: AuditContext, entry: AuditEntry): Promise<void> {
      const p = ctx.principal;
      await repo.insert({
        city_code: entry.cityCode,
        actor_kind: p ? p.kind : 'anonymous',
        actor_id: p?.id ?? null,
        actor_label: p?.kind === 'staff' ? p.username : null,
        action: entry.action,
        target_kind: entry.targetKind ?? null,
        target_id: entry.targetId ?? null,
        outcome: entry.outcome ?? 'success',
        ip: ctx.ip ?? null,
        request_id: ctx.requestId ?? null,
        detail: entry.detail ?? {},
      });
    },

    async list(
      principal: StaffPrincipal,
      q: { actorId?: string; action?: string; targetKind?: string; targetId?: string; from?: Date; to?: Date; limit: number; offset: number },
    ) {
      if (principal.role !== 'operator') throw forbidden('Only operators read the audit log');
      return repo.list({ ...q, cityCode: principal.cityCode });
    },
  };
}
export type AuditService = ReturnType<typeof createAuditService>;
