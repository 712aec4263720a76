import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PageOf } from '@contracts/common';
import type { NearbyReport, ReportCategory, ReportFeedback, WorkerReport, WorkerReportSummary } from '@contracts/reports';
import { api } from '@ui/api';

export const reportsKey = ['reports'] as const;
const PAGE_SIZE = 20;
const CATEGORIES_KEY = 'yongai.reports.categories';

const nextPage = (last: { page: number; pageSize: number; total: number }) => (last.page * last.pageSize < last.total ? last.page + 1 : undefined);

/** The last category list seen, so a report can be filed with no signal at all. */
function savedCategories(): ReportCategory[] | undefined {
  try {
    const raw = localStorage.getItem(CATEGORIES_KEY);
    const list = raw ? (JSON.parse(raw) as ReportCategory[]) : undefined;
    return Array.isArray(list) && list.length ? list : undefined;
  } catch {
    return undefined;
  }
}

export function useCategories() {
  return useQuery<ReportCategory[]>({
    queryKey: [...reportsKey, 'categories'],
    queryFn: async ({ signal }) => {
      const list = await api.get<ReportCategory[]>('/api/reports/categories', { signal });
      try {
        localStorage.setItem(CATEGORIES_KEY, JSON.stringify(list));
      } catch {
        // private mode: nothing kept for offline use
      }
      return list;
    },
    placeholderData: (previous) => previous ?? savedCategories(),
    staleTime: 10 * 60_000,
  });
}

/** Open reports of the category around the point (≤ its radius, ≤ its max), nearest first. */
export function useNearby(query: { lon: number; lat: number; category: string } | undefined) {
  return useQuery({
    queryKey: [...reportsKey, 'nearby', query?.category, query?.lon.toFixed(5), query?.lat.toFixed(5)],
    queryFn: ({ signal }) =>
      api.get<NearbyReport[]>(`/api/reports/nearby?lon=${query!.lon}&lat=${query!.lat}&category=${encodeURIComponent(query!.category)}`, { signal }),
    enabled: !!query,
    retry: false,
    staleTime: 15_000,
  });
}

export function useMyReports(status: 'open' | 'closed') {
  return useInfiniteQuery({
    queryKey: [...reportsKey, 'mine', status],
    queryFn: ({ pageParam, signal }) => api.get<PageOf<WorkerReportSummary>>(`/api/reports/mine?status=${status}&page=${pageParam}&pageSize=${PAGE_SIZE}`, { signal }),
    initialPageParam: 1,
    getNextPageParam: nextPage,
  });
}

export function useReport(id: string) {
  return useQuery({
    queryKey: [...reportsKey, 'one', id],
    queryFn: ({ signal }) => api.get<WorkerReport>(`/api/reports/${encodeURIComponent(id)}`, { signal }),
    // While the city works on it, check now and then so the timeline moves without a reload.
    refetchInterval: (q) => (q.state.data && q.state.data.status !== 'closed' ? 60_000 : false),
  });
}

/** "我也遇到了": follow someone else's report instead of filing the same thing again. */
export function useFollow() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, key }: { id: string; key: string }) => api.post<WorkerReport>(`/api/reports/${encodeURIComponent(id)}/follow`, {}, { idempotencyKey: key }),
    onSuccess: (report) => queryClient.setQueryData([...reportsKey, 'one', report.id], report),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: reportsKey }),
  });
}

export function useUnfollow() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id }: { id: string }) => api.delete<void>(`/api/reports/${encodeURIComponent(id)}/follow`),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: reportsKey }),
  });
}

export function useFeedback(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, key }: { body: ReportFeedback; key: string }) =>
      api.post<WorkerReport>(`/api/reports/${encodeURIComponent(id)}/feedback`, body, { idempotencyKey: key }),
    onSuccess: (report) => queryClient.setQueryData([...reportsKey, 'one', report.id], report),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: reportsKey }),
  });
}
