import { useQuery } from '@tanstack/react-query';
import type { AreaDto } from '@contracts/common';
import type { Industry, VerificationRequest, WorkerMe } from '@contracts/workers';
import { api } from '@ui/api';

// The contract's `industry` union is built with .map(), which typebox's Static can't see through.
export type VerificationBody = Omit<VerificationRequest, 'industry'> & { industry: Industry };

/** Submits real-name details; the same idempotency key on a retry can't create a second application. */
export const submitVerification = (body: VerificationBody, idempotencyKey: string) =>
  api.post<WorkerMe>('/api/worker/me/verification', body, { idempotencyKey });

/** The areas directly inside an area (city → districts → streets → communities). They rarely change. */
export function useAreaChildren(code: string | undefined) {
  return useQuery({
    queryKey: ['areas', code, 'children'],
    queryFn: () => api.get<AreaDto[]>(`/api/areas/${code}/children`),
    enabled: !!code,
    staleTime: Infinity,
    gcTime: 60 * 60_000,
  });
}
