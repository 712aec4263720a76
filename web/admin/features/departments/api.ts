import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Department, DepartmentCreate, DepartmentUpdate } from '@contracts/staff';
import { api } from '@ui/api';

export { useDepartments } from '../../shared/departments-query';

export function useSaveDepartment() {
  const queryClient = useQueryClient();
  const settle = () => void queryClient.invalidateQueries({ queryKey: ['departments'] });
  const create = useMutation({
    mutationFn: ({ body, key }: { body: DepartmentCreate; key: string }) => api.post<Department>('/api/admin/departments', body, { idempotencyKey: key }),
    onSettled: settle,
  });
  const update = useMutation({
    mutationFn: ({ id, body }: { id: string; body: DepartmentUpdate }) => api.patch<Department>(`/api/admin/departments/${id}`, body),
    onSettled: settle,
  });
  return { create, update };
}
