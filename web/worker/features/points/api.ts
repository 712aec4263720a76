import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PageOf } from '@contracts/common';
import type {
  CataloguePage,
  HistoryPage,
  HonourStory,
  Leaderboard,
  MyNomination,
  NominationInput,
  OrderStatus,
  PointsMe,
  RewardCategory,
  WorkerOrder,
} from '@contracts/points';
import { api } from '@ui/api';

export const pointsKey = ['points'] as const;
const PAGE_SIZE = 20;

/** A paged list read page after page (infinite scroll); the next page exists while items remain. */
const nextPage = (last: { page: number; pageSize: number; total: number }) => (last.page * last.pageSize < last.total ? last.page + 1 : undefined);

/** Balance, this month's earnings, the 城市合伙人 title and my rank in the district. */
export function usePointsMe() {
  return useQuery({ queryKey: [...pointsKey, 'me'], queryFn: ({ signal }) => api.get<PointsMe>('/api/points/me', { signal }) });
}

export function useHistory() {
  return useInfiniteQuery({
    queryKey: [...pointsKey, 'history'],
    queryFn: ({ pageParam, signal }) => api.get<HistoryPage>(`/api/points/me/history?page=${pageParam}&pageSize=${PAGE_SIZE}`, { signal }),
    initialPageParam: 1,
    getNextPageParam: nextPage,
  });
}

export function useCatalogue(category: RewardCategory | undefined) {
  return useInfiniteQuery({
    queryKey: [...pointsKey, 'rewards', category ?? 'all'],
    queryFn: ({ pageParam, signal }) =>
      api.get<CataloguePage>(`/api/points/rewards?page=${pageParam}&pageSize=${PAGE_SIZE}${category ? `&category=${category}` : ''}`, { signal }),
    initialPageParam: 1,
    getNextPageParam: nextPage,
  });
}

export function useOrders(status: OrderStatus | undefined) {
  return useInfiniteQuery({
    queryKey: [...pointsKey, 'orders', status ?? 'all'],
    queryFn: ({ pageParam, signal }) =>
      api.get<PageOf<WorkerOrder>>(`/api/points/me/orders?page=${pageParam}&pageSize=${PAGE_SIZE}${status ? `&status=${status}` : ''}`, { signal }),
    initialPageParam: 1,
    getNextPageParam: nextPage,
    // While the rider stands at the counter, the merchant's scan flips the order to picked up.
    refetchInterval: (query) =>
      query.state.data?.pages.some((p) => p.items.some((o) => o.status === 'awaiting_pickup')) ? 5000 : false,
  });
}

export function useHonours() {
  return useInfiniteQuery({
    queryKey: [...pointsKey, 'honours'],
    queryFn: ({ pageParam, signal }) => api.get<PageOf<HonourStory>>(`/api/points/honours?page=${pageParam}&pageSize=${PAGE_SIZE}`, { signal }),
    initialPageParam: 1,
    getNextPageParam: nextPage,
  });
}

export function useLeaderboard(month: string | undefined) {
  return useQuery({
    queryKey: [...pointsKey, 'leaderboard', month ?? 'now'],
    queryFn: ({ signal }) => api.get<Leaderboard>(`/api/points/leaderboard${month ? `?month=${month}` : ''}`, { signal }),
  });
}

export function useMyNominations() {
  return useQuery({ queryKey: [...pointsKey, 'nominations'], queryFn: ({ signal }) => api.get<MyNomination[]>('/api/points/me/nominations', { signal }) });
}

/**
 * Redeeming: the caller keeps one Idempotency-Key per attempt and sends it again on a retry (flaky
 * networks), so a retried tap never makes a second order.
 */
export function useRedeem() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ rewardId, key }: { rewardId: string; key: string }) =>
      api.post<WorkerOrder>(`/api/points/rewards/${encodeURIComponent(rewardId)}/redeem`, {}, { idempotencyKey: key }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: pointsKey }),
  });
}

export function useCancelOrder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ orderId, key }: { orderId: string; key: string }) =>
      api.post<WorkerOrder>(`/api/points/me/orders/${encodeURIComponent(orderId)}/cancel`, {}, { idempotencyKey: key }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: pointsKey }),
  });
}

export function useNominate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, key }: { body: NominationInput; key: string }) => api.post<MyNomination>('/api/points/honours', body, { idempotencyKey: key }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: [...pointsKey, 'nominations'] }),
  });
}
