import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PageOf } from '@contracts/common';
import type { AdminPlace } from '@contracts/places';
import type { AdminCabinet, CabinetListQuery, ChargingOperator, OperatorWithKey } from '@contracts/charging';
import { api } from '@ui/api';
import { toSearch } from '../../shared/query-string';

export type CabinetFilter = CabinetListQuery;

export function useOperators() {
  return useQuery({
    queryKey: ['charging', 'operators'],
    queryFn: ({ signal }) => api.get<ChargingOperator[]>('/api/admin/charging/operators', { signal }),
  });
}

/** Cabinet states change with every heartbeat (and with time): the list refreshes itself. */
export function useCabinets(filter: CabinetFilter) {
  return useQuery({
    queryKey: ['charging', 'cabinets', filter],
    queryFn: ({ signal }) => api.get<PageOf<AdminCabinet>>(`/api/admin/charging/cabinets?${toSearch(filter)}`, { signal }),
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
}

export function useChargingPlaces(q: string, enabled: boolean) {
  return useQuery({
    queryKey: ['charging', 'places', q],
    queryFn: ({ signal }) => api.get<PageOf<AdminPlace>>(`/api/admin/places?${toSearch({ type: 'charging', q: q || undefined, pageSize: 20 })}`, { signal }),
    enabled,
    placeholderData: keepPreviousData,
  });
}

/**
 * Operator changes. Create and rotate answer with a new key that must be shown once and never kept:
 * no idempotency key (the server would store the response), no cache of the answer.
 */
export function useOperatorMutations() {
  const queryClient = useQueryClient();
  const settle = () => void queryClient.invalidateQueries({ queryKey: ['charging'] });
  const create = useMutation({
    mutationFn: (name: string) => api.post<OperatorWithKey>('/api/admin/charging/operators', { name }),
    onSettled: settle,
  });
  const rotate = useMutation({
    mutationFn: (id: string) => api.post<OperatorWithKey>(`/api/admin/charging/operators/${id}/rotate-key`, {}),
    onSettled: settle,
  });
  const disable = useMutation({
    mutationFn: (id: string) => api.post<ChargingOperator>(`/api/admin/charging/operators/${id}/disable`, {}),
    onSettled: settle,
  });
  return { create, rotate, disable };
}
