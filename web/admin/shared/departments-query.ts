import { useQuery } from '@tanstack/react-query';
import type { Department } from '@contracts/staff';
import { api } from '@ui/api';

/** Departments of the city (any staff may list them): managed on 部门, named on 账号. */
export function useDepartments(enabled = true) {
  return useQuery({
    queryKey: ['departments'],
    queryFn: ({ signal }) => api.get<Department[]>('/api/admin/departments', { signal }),
    enabled,
  });
}
