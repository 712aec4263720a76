import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PageOf } from '@contracts/common';
import type { AdminPlace } from '@contracts/places';
import type { AdminPass, PassAlert, PassKeyItem, PassPolicyView, PolicyInput, RevokeInput, ScannerAccount, VisitsReport } from '@contracts/pass';
import type { StaffRole } from '@contracts/auth';
import { api } from '@ui/api';
import { toSearch } from '../../shared/query-string';

const passKey = ['pass'] as const;

// ---------------------------------------------------------------- who may do what (mirrors the server)

export type PassTab = 'passes' | 'policies' | 'scanners' | 'alerts' | 'visits' | 'keys';
const tabsByRole: Partial<Record<StaffRole, PassTab[]>> = {
  operator: ['passes', 'policies', 'scanners', 'alerts', 'visits', 'keys'],
  handler: ['passes', 'policies', 'scanners', 'alerts', 'visits'],
  reviewer: ['passes'],
  grid_worker: ['passes', 'policies'],
};
export const passTabsFor = (role: string): PassTab[] => tabsByRole[role as StaffRole] ?? [];
export const mayRevoke = (role: string) => role === 'operator' || role === 'reviewer' || role === 'handler';
export const mayEditPolicy = (role: string) => role === 'operator' || role === 'handler';

// ---------------------------------------------------------------- passes

/** A worker's pass by exact phone number (every look-up is audited server-side). */
export function useAdminPass(phone: string | undefined) {
  return useQuery({
    queryKey: [...passKey, 'pass', phone],
    queryFn: ({ signal }) => api.get<AdminPass>(`/api/admin/passes?${toSearch({ phone })}`, { signal }),
    enabled: !!phone,
    retry: false,
    staleTime: 0,
  });
}

export function usePassMutations(phone: string | undefined) {
  const queryClient = useQueryClient();
  const put = (p: AdminPass) => queryClient.setQueryData([...passKey, 'pass', phone], p);
  const revoke = useMutation({
    mutationFn: ({ workerId, input }: { workerId: string; input: RevokeInput }) => api.post<AdminPass>(`/api/admin/passes/${workerId}/revoke`, input),
    onSuccess: put,
  });
  const reissue = useMutation({
    mutationFn: (workerId: string) => api.post<AdminPass>(`/api/admin/passes/${workerId}/reissue`, undefined),
    onSuccess: put,
  });
  return { revoke, reissue };
}

// ---------------------------------------------------------------- places and policies

/** Places in the caller's scope whose name or address contains q. */
export function usePlaceSearch(q: string, enabled = true) {
  return useQuery({
    queryKey: [...passKey, 'places', q],
    queryFn: ({ signal }) => api.get<PageOf<AdminPlace>>(`/api/admin/places?${toSearch({ q: q || undefined, pageSize: 20 })}`, { signal }),
    enabled,
    placeholderData: keepPreviousData,
  });
}

export function usePolicy(placeId: string | undefined) {
  return useQuery({
    queryKey: [...passKey, 'policy', placeId],
    queryFn: ({ signal }) => api.get<PassPolicyView>(`/api/admin/places/${placeId}/pass-policy`, { signal }),
    enabled: !!placeId,
  });
}

export function useSavePolicy(placeId: string | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: PolicyInput) => api.put<PassPolicyView>(`/api/admin/places/${placeId}/pass-policy`, input),
    onSuccess: (view) => queryClient.setQueryData([...passKey, 'policy', placeId], view),
  });
}

// ---------------------------------------------------------------- scanner accounts

export function useScanners() {
  return useQuery({ queryKey: [...passKey, 'scanners'], queryFn: ({ signal }) => api.get<ScannerAccount[]>('/api/admin/pass/scanners', { signal }) });
}

export function useBindScanner() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ staffId, placeIds }: { staffId: string; placeIds: string[] }) => api.put<ScannerAccount>(`/api/admin/pass/scanners/${staffId}`, { placeIds }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: [...passKey, 'scanners'] }),
  });
}

// ---------------------------------------------------------------- clone alerts

export interface AlertFilter {
  status: 'open' | 'closed';
  page: number;
  pageSize: number;
}

export function useAlerts(filter: AlertFilter) {
  return useQuery({
    queryKey: [...passKey, 'alerts', filter],
    queryFn: ({ signal }) => api.get<PageOf<PassAlert>>(`/api/admin/pass/alerts?${toSearch(filter)}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useCloseAlert() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<PassAlert>(`/api/admin/pass/alerts/${id}/close`),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: [...passKey, 'alerts'] }),
  });
}

// ---------------------------------------------------------------- station visits

export function useVisits(month: string, areaCode: string | undefined) {
  return useQuery({
    queryKey: [...passKey, 'visits', month, areaCode],
    queryFn: ({ signal }) => api.get<VisitsReport>(`/api/admin/pass/visits?${toSearch({ month, areaCode })}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

// ---------------------------------------------------------------- signing keys

export function useKeys(enabled: boolean) {
  return useQuery({ queryKey: [...passKey, 'keys'], queryFn: ({ signal }) => api.get<PassKeyItem[]>('/api/admin/pass/keys', { signal }), enabled });
}

export function useRotateKeys() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (force: boolean) => api.post<PassKeyItem[]>('/api/admin/pass/keys/rotate', force ? { force: true } : {}),
    onSuccess: (keys) => queryClient.setQueryData([...passKey, 'keys'], keys),
  });
}
