import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PageOf } from '@contracts/common';
import type { AdminPlace } from '@contracts/places';
import type {
  AdminHonoursQuery,
  AdminOrder,
  AdminOrdersQuery,
  AdminReward,
  AdminRewardsQuery,
  AdminPartnersQuery,
  AdminStory,
  ClawbackResult,
  DriftReport,
  EarningRule,
  EarningRuleInput,
  FundInput,
  LedgerSummary,
  LedgerTransaction,
  Partner,
  PointsPermissions,
  PointsSettings,
  RewardInput,
  RewardStatus,
  RewardUpdate,
  Sponsor,
  SponsorInput,
  StaffNominationInput,
  TransactionsQuery,
} from '@contracts/points';
import { api, newIdempotencyKey } from '@ui/api';
import { toSearch } from '../../shared/query-string';

const base = '/api/admin/points';
export const pointsKey = ['points'] as const;

/** Every points list and total may change after any points write: refresh the section. */
function useSettle() {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: pointsKey });
}

export function usePermissions() {
  return useQuery({ queryKey: [...pointsKey, 'permissions'], queryFn: ({ signal }) => api.get<PointsPermissions>(`${base}/permissions`, { signal }), staleTime: 5 * 60_000 });
}

// ------------------------------------------------------------ rules and settings

export function useRules() {
  return useQuery({ queryKey: [...pointsKey, 'rules'], queryFn: ({ signal }) => api.get<EarningRule[]>(`${base}/rules`, { signal }) });
}

export function useSaveRule() {
  const settle = useSettle();
  return useMutation({
    mutationFn: ({ code, body }: { code: string; body: EarningRuleInput }) => api.put<EarningRule>(`${base}/rules/${encodeURIComponent(code)}`, body, { idempotencyKey: newIdempotencyKey() }),
    onSettled: settle,
  });
}

export function useSettings() {
  return useQuery({ queryKey: [...pointsKey, 'settings'], queryFn: ({ signal }) => api.get<PointsSettings>(`${base}/settings`, { signal }) });
}

export function useSaveSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PointsSettings) => api.put<PointsSettings>(`${base}/settings`, body, { idempotencyKey: newIdempotencyKey() }),
    onSuccess: (saved) => queryClient.setQueryData([...pointsKey, 'settings'], saved),
  });
}

// ------------------------------------------------------------ rewards and orders

export function useRewards(filter: AdminRewardsQuery) {
  return useQuery({
    queryKey: [...pointsKey, 'rewards', filter],
    queryFn: ({ signal }) => api.get<PageOf<AdminReward>>(`${base}/rewards?${toSearch(filter)}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useRewardMutations() {
  const settle = useSettle();
  const create = useMutation({
    mutationFn: ({ body, key }: { body: RewardInput; key: string }) => api.post<AdminReward>(`${base}/rewards`, body, { idempotencyKey: key }),
    onSettled: settle,
  });
  const update = useMutation({
    mutationFn: ({ id, body }: { id: string; body: RewardUpdate }) => api.patch<AdminReward>(`${base}/rewards/${id}`, body, { idempotencyKey: newIdempotencyKey() }),
    onSettled: settle,
  });
  const setStatus = useMutation({
    mutationFn: ({ id, status }: { id: string; status: RewardStatus }) => api.post<AdminReward>(`${base}/rewards/${id}/status`, { status }, { idempotencyKey: newIdempotencyKey() }),
    onSettled: settle,
  });
  const restock = useMutation({
    mutationFn: ({ id, quantity, key }: { id: string; quantity: number; key: string }) => api.post<AdminReward>(`${base}/rewards/${id}/restock`, { quantity }, { idempotencyKey: key }),
    onSettled: settle,
  });
  return { create, update, setStatus, restock };
}

export function useOrders(filter: AdminOrdersQuery, enabled = true) {
  return useQuery({
    queryKey: [...pointsKey, 'orders', filter],
    queryFn: ({ signal }) => api.get<PageOf<AdminOrder>>(`${base}/orders?${toSearch(filter)}`, { signal }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useCancelOrder() {
  const settle = useSettle();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) => api.post<AdminOrder>(`${base}/orders/${id}/cancel`, { reason }, { idempotencyKey: newIdempotencyKey() }),
    onSettled: settle,
  });
}

/** Merchant (and station) places by name, for a reward's pick-up place and a sponsor's own place. */
export function usePickupPlaces(q: string, enabled: boolean) {
  return useQuery({
    queryKey: [...pointsKey, 'places', q],
    queryFn: ({ signal }) => api.get<PageOf<AdminPlace>>(`/api/admin/places?${toSearch({ type: 'merchant', q: q || undefined, pageSize: 20 })}`, { signal }),
    enabled,
    placeholderData: keepPreviousData,
  });
}

// ------------------------------------------------------------ sponsors

export function useSponsors(enabled = true) {
  return useQuery({ queryKey: [...pointsKey, 'sponsors'], queryFn: ({ signal }) => api.get<Sponsor[]>(`${base}/sponsors`, { signal }), enabled });
}

export function useSponsorMutations() {
  const settle = useSettle();
  const create = useMutation({
    mutationFn: ({ body, key }: { body: SponsorInput; key: string }) => api.post<Sponsor>(`${base}/sponsors`, body, { idempotencyKey: key }),
    onSettled: settle,
  });
  const fund = useMutation({
    mutationFn: ({ id, body, key }: { id: string; body: FundInput; key: string }) => api.post<Sponsor>(`${base}/sponsors/${id}/fund`, body, { idempotencyKey: key }),
    onSettled: settle,
  });
  return { create, fund };
}

// ------------------------------------------------------------ honours and partners

export function useStories(filter: AdminHonoursQuery) {
  return useQuery({
    queryKey: [...pointsKey, 'honours', filter],
    queryFn: ({ signal }) => api.get<PageOf<AdminStory>>(`${base}/honours?${toSearch(filter)}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useStoryMutations() {
  const settle = useSettle();
  const approve = useMutation({
    mutationFn: ({ id, note }: { id: string; note?: string }) => api.post<AdminStory>(`${base}/honours/${id}/approve`, note ? { note } : {}, { idempotencyKey: newIdempotencyKey() }),
    onSettled: settle,
  });
  const reject = useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) => api.post<AdminStory>(`${base}/honours/${id}/reject`, { reason }, { idempotencyKey: newIdempotencyKey() }),
    onSettled: settle,
  });
  const nominate = useMutation({
    mutationFn: ({ body, key }: { body: StaffNominationInput; key: string }) => api.post<AdminStory>(`${base}/honours`, body, { idempotencyKey: key }),
    onSettled: settle,
  });
  return { approve, reject, nominate };
}

export function usePartners(filter: AdminPartnersQuery) {
  return useQuery({
    queryKey: [...pointsKey, 'partners', filter],
    queryFn: ({ signal }) => api.get<PageOf<Partner>>(`${base}/partners?${toSearch(filter)}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useRevokePartner() {
  const settle = useSettle();
  return useMutation({
    mutationFn: ({ workerId, reason }: { workerId: string; reason: string }) => api.post<Partner>(`${base}/partners/${workerId}/revoke`, { reason }, { idempotencyKey: newIdempotencyKey() }),
    onSettled: settle,
  });
}

// ------------------------------------------------------------ ledger

export function useTransactions(filter: TransactionsQuery) {
  return useQuery({
    queryKey: [...pointsKey, 'transactions', filter],
    queryFn: ({ signal }) => api.get<PageOf<LedgerTransaction>>(`${base}/transactions?${toSearch(filter)}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useSummary(month: string | undefined) {
  return useQuery({
    queryKey: [...pointsKey, 'summary', month ?? 'now'],
    queryFn: ({ signal }) => api.get<LedgerSummary>(`${base}/summary${month ? `?month=${month}` : ''}`, { signal }),
  });
}

export function useDrift() {
  return useQuery({ queryKey: [...pointsKey, 'drift'], queryFn: ({ signal }) => api.get<DriftReport>(`${base}/drift`, { signal }), staleTime: 60_000 });
}

export function useClawback() {
  const settle = useSettle();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) => api.post<ClawbackResult>(`${base}/transactions/${id}/clawback`, { reason }, { idempotencyKey: newIdempotencyKey() }),
    onSettled: settle,
  });
}

export const ledgerXlsxUrl = (month: string) => `${base}/ledger.xlsx?month=${encodeURIComponent(month)}`;
