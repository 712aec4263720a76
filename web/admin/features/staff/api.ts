import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PageOf } from '@contracts/common';
import type { StaffRole } from '@contracts/auth';
import type { StaffAccount, StaffCreate, StaffListQuery, StaffUpdate } from '@contracts/staff';
import { api } from '@ui/api';
import { toSearch } from '../../shared/query-string';

// The contract's role union (Type.Union over a mapped array) types as never; restate it with StaffRole.
export type StaffFilter = Omit<StaffListQuery, 'role'> & { role?: StaffRole };
export type StaffCreateBody = Omit<StaffCreate, 'role'> & { role: StaffRole };
export type StaffUpdateBody = Omit<StaffUpdate, 'role'> & { role?: StaffRole };

export function useStaffAccounts(filter: StaffFilter) {
  return useQuery({
    queryKey: ['staff', filter],
    queryFn: ({ signal }) => api.get<PageOf<StaffAccount>>(`/api/admin/staff?${toSearch(filter)}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useStaffMutations() {
  const queryClient = useQueryClient();
  const settle = () => {
    void queryClient.invalidateQueries({ queryKey: ['staff'] });
    // Department head counts follow account changes.
    void queryClient.invalidateQueries({ queryKey: ['departments'] });
  };
  return {
    create: useMutation({
      mutationFn: ({ body, key }: { body: StaffCreateBody; key: string }) => api.post<StaffAccount>('/api/admin/staff', body, { idempotencyKey: key }),
      onSettled: settle,
    }),
    update: useMutation({
      mutationFn: ({ id, body }: { id: string; body: StaffUpdateBody }) => api.patch<StaffAccount>(`/api/admin/staff/${id}`, body),
      onSettled: settle,
    }),
    resetPassword: useMutation({
      mutationFn: ({ id, password }: { id: string; password: string }) => api.post<void>(`/api/admin/staff/${id}/password`, { password }),
      onSettled: settle,
    }),
    unlock: useMutation({
      mutationFn: (id: string) => api.post<unknown>(`/api/admin/staff/${id}/unlock`, {}),
      onSettled: settle,
    }),
  };
}
