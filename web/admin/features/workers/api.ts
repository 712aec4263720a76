import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import type { PageOf } from '@contracts/common';
import type { AdminWorker, UnmaskRequest, WorkerListQuery } from '@contracts/workers';
import { api } from '@ui/api';
import { toSearch } from '../../shared/query-string';

export type WorkerFilter = WorkerListQuery;

export function useWorkers(filter: WorkerFilter) {
  return useQuery({
    queryKey: ['workers', filter],
    queryFn: ({ signal }) => api.get<PageOf<AdminWorker>>(`/api/admin/workers?${toSearch(filter)}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useWorker(id: string | undefined) {
  return useQuery({
    queryKey: ['worker', id],
    queryFn: ({ signal }) => api.get<AdminWorker>(`/api/admin/workers/${id}`, { signal }),
    enabled: !!id,
  });
}

/** Plaintext is never cached: the answer lives only in the dialog that asked for it. */
export function useUnmask(workerId: string | undefined) {
  return useMutation({
    mutationFn: (body: UnmaskRequest) => api.post<{ field: string; value: string }>(`/api/admin/workers/${workerId}/unmask`, body),
    gcTime: 0,
  });
}
