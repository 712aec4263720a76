import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { PageOf } from '@contracts/common';
import { api } from '@ui/api';
import { toSearch } from '../../shared/query-string';

/** One line of the audit trail, as GET /api/admin/audit returns it (src/modules/audit/audit.routes.ts). */
export interface AuditEntry {
  id: number;
  at: string;
  actorKind: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetKind: string | null;
  targetId: string | null;
  outcome: string;
  ip: string | null;
  requestId: string | null;
  detail: Record<string, unknown>;
}

export interface AuditFilter {
  page: number;
  pageSize: number;
  action?: string;
  actorId?: string;
  from?: string;
  to?: string;
}

export function useAudit(filter: AuditFilter) {
  return useQuery({
    queryKey: ['audit', filter],
    queryFn: ({ signal }) => api.get<PageOf<AuditEntry>>(`/api/admin/audit?${toSearch(filter)}`, { signal }),
    placeholderData: keepPreviousData,
  });
}
