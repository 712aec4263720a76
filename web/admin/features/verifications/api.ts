import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PageOf } from '@contracts/common';
import type { VerificationItem, VerificationListQuery } from '@contracts/workers';
import { api, newIdempotencyKey } from '@ui/api';
import { toSearch } from '../../shared/query-string';

export type VerificationFilter = Pick<VerificationListQuery, 'status' | 'areaCode' | 'page' | 'pageSize'>;


export function useVerifications(filter: VerificationFilter) {
  return useQuery({
    queryKey: ['verifications', filter],
    queryFn: ({ signal }) => api.get<PageOf<VerificationItem>>(`/api/admin/verifications?${toSearch(filter)}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useVerification(id: string | undefined) {
  return useQuery({
    queryKey: ['verification', id],
    queryFn: ({ signal }) => api.get<VerificationItem>(`/api/admin/verifications/${id}`, { signal }),
    enabled: !!id,
  });
}

/** Approve or reject; either way the queue and the worker lists are stale afterwards. */
export function useReview() {
  const queryClient = useQueryClient();
  const settle = () => {
    void queryClient.invalidateQueries({ queryKey: ['verifications'] });
    void queryClient.invalidateQueries({ queryKey: ['verification'] });
    void queryClient.invalidateQueries({ queryKey: ['workers'] });
  };
  const approve = useMutation({
    mutationFn: (id: string) => api.post<unknown>(`/api/admin/verifications/${id}/approve`, {}, { idempotencyKey: newIdempotencyKey() }),
    onSettled: settle,
  });
  const reject = useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      api.post<unknown>(`/api/admin/verifications/${id}/reject`, { reason }, { idempotencyKey: newIdempotencyKey() }),
    onSettled: settle,
  });
  return { approve, reject };
}
