import { useQuery } from '@tanstack/react-query';
import type { WorkerMe } from '@contracts/workers';
import { api } from '@ui/api';

export const meKey = ['worker', 'me'] as const;

export const fetchMe = () => api.get<WorkerMe>('/api/worker/me');

/** The signed-in worker's own record (masked), verification state and consent. */
export function useMe() {
  return useQuery({ queryKey: meKey, queryFn: fetchMe });
}
