import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PageOf } from '@contracts/common';
import type { AdminPlace } from '@contracts/places';
import type { MerchantApplication, MerchantApplicationDetail, MerchantApplicationInput, MerchantListQuery } from '@contracts/merchants';
import { api, newIdempotencyKey } from '@ui/api';
import { toSearch } from '../../shared/query-string';

export type MerchantFilter = MerchantListQuery;

/** A step on a certification: the route's path and its body. */
export type MerchantStep =
  | { kind: 'approve'; note?: string }
  | { kind: 'reject'; note: string }
  | { kind: 'certify'; note?: string }
  | { kind: 'complaint'; note: string }
  | { kind: 'warning'; note: string }
  | { kind: 'suspend'; note: string }
  | { kind: 'reinstate'; note: string }
  | { kind: 'exit'; note: string };
export type StepKind = MerchantStep['kind'];

function stepRequest(step: MerchantStep): { path: string; body: object } {
  switch (step.kind) {
    case 'approve':
      return { path: 'review', body: { approve: true, ...(step.note ? { note: step.note } : {}) } };
    case 'reject':
      return { path: 'review', body: { approve: false, note: step.note } };
    case 'certify':
      return { path: 'certify', body: step.note ? { note: step.note } : {} };
    case 'complaint':
      return { path: 'complaints', body: { note: step.note } };
    case 'warning':
      return { path: 'warnings', body: { note: step.note } };
    case 'suspend':
      return { path: 'suspend', body: { reason: step.note } };
    case 'reinstate':
      return { path: 'reinstate', body: { note: step.note } };
    case 'exit':
      return { path: 'exit', body: { reason: step.note } };
  }
}

export function useMerchantApplications(filter: MerchantFilter) {
  return useQuery({
    queryKey: ['merchants', 'list', filter],
    queryFn: ({ signal }) => api.get<PageOf<MerchantApplication>>(`/api/admin/merchants/applications?${toSearch(filter)}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useMerchantApplication(id: string | undefined) {
  return useQuery({
    queryKey: ['merchants', 'one', id],
    queryFn: ({ signal }) => api.get<MerchantApplicationDetail>(`/api/admin/merchants/applications/${id}`, { signal }),
    enabled: !!id,
  });
}

/** Merchant places matching a name, for the application form (the caller's scope). */
export function useMerchantPlaces(q: string, enabled: boolean) {
  return useQuery({
    queryKey: ['merchants', 'places', q],
    queryFn: ({ signal }) => api.get<PageOf<AdminPlace>>(`/api/admin/places?${toSearch({ type: 'merchant', q: q || undefined, pageSize: 20 })}`, { signal }),
    enabled,
    placeholderData: keepPreviousData,
  });
}

export function useMerchantMutations() {
  const queryClient = useQueryClient();
  const settle = () => void queryClient.invalidateQueries({ queryKey: ['merchants'] });
  const apply = useMutation({
    mutationFn: ({ body, key }: { body: MerchantApplicationInput; key: string }) =>
      api.post<MerchantApplicationDetail>('/api/admin/merchants/applications', body, { idempotencyKey: key }),
    onSettled: settle,
  });
  const step = useMutation({
    mutationFn: ({ id, step }: { id: string; step: MerchantStep }) => {
      const { path, body } = stepRequest(step);
      return api.post<MerchantApplicationDetail>(`/api/admin/merchants/applications/${id}/${path}`, body, { idempotencyKey: newIdempotencyKey() });
    },
    onSuccess: (detail) => queryClient.setQueryData(['merchants', 'one', detail.id], detail),
    onSettled: settle,
  });
  return { apply, step };
}
