import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PageOf } from '@contracts/common';
import type { EarningRule } from '@contracts/points';
import type { StaffAccount } from '@contracts/staff';
import type {
  AdminListQuery,
  AdminReport,
  AdminReportSummary,
  BulkInput,
  BulkResult,
  CalendarYear,
  CalendarYearInput,
  Campaign,
  CampaignCandidate,
  CampaignDetail,
  CampaignInput,
  CampaignOption,
  CampaignStatus,
  CategoryInput,
  Cluster,
  CoHandlersInput,
  ExtensionDecision,
  ExtensionInput,
  HandleInput,
  MetricsQuery,
  Open311Client,
  Open311ClientCreated,
  ReasonInput,
  ReportCategory,
  ReportMetrics,
  RoutingRule,
  RoutingRuleInput,
  TriageInput,
  UploadedPhoto,
  VerifyInput,
} from '@contracts/reports';
import { api, newIdempotencyKey } from '@ui/api';
import { toSearch } from '../../shared/query-string';
import { rawRequest } from '../../shared/raw-request';

const base = '/api/admin/reports';
export const reportsKey = ['reports'] as const;

/** A report action may change the queue, the detail, campaigns and metrics: refresh the section. */
function useSettle() {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: reportsKey });
}

/** The list filter as the screens hold it (pagination included); sent as the query string. */
export type ListFilter = Partial<Omit<AdminListQuery, 'page' | 'pageSize'>> & { page: number; pageSize: number };

export const listSearch = (f: Partial<ListFilter>) => toSearch(f);
export const exportUrl = (f: Partial<ListFilter>) => `${base}/export.xlsx?${toSearch({ ...f, page: undefined, pageSize: undefined })}`;

// ------------------------------------------------------------ queue and detail

export function useReports(filter: ListFilter, enabled = true) {
  return useQuery({
    queryKey: [...reportsKey, 'list', filter],
    queryFn: ({ signal }) => api.get<PageOf<AdminReportSummary>>(`${base}?${listSearch(filter)}`, { signal }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useReport(id: string | undefined) {
  return useQuery({
    queryKey: [...reportsKey, 'detail', id],
    queryFn: ({ signal }) => api.get<AdminReport>(`${base}/${encodeURIComponent(id!)}`, { signal }),
    enabled: !!id,
  });
}

export type ReportAction =
  | { kind: 'triage'; body: TriageInput }
  | { kind: 'acknowledge' }
  | { kind: 'return'; body: ReasonInput }
  | { kind: 'extension'; body: ExtensionInput }
  | { kind: 'decide_extension'; body: ExtensionDecision }
  | { kind: 'co_handlers'; body: CoHandlersInput }
  | { kind: 'handle'; body: HandleInput }
  | { kind: 'verify'; body: VerifyInput }
  | { kind: 'clawback'; body: ReasonInput };

const actionPaths: Record<ReportAction['kind'], string> = {
  triage: 'triage',
  acknowledge: 'acknowledge',
  return: 'return',
  extension: 'extension',
  decide_extension: 'extension/decide',
  co_handlers: 'co-handlers',
  handle: 'handle',
  verify: 'verify',
  clawback: 'clawback',
};

/** Every state change of one report; the answer is the fresh detail, put straight into the cache. */
export function useReportAction(id: string) {
  const queryClient = useQueryClient();
  const settle = useSettle();
  return useMutation({
    mutationFn: (a: ReportAction) =>
      api.post<AdminReport>(`${base}/${encodeURIComponent(id)}/${actionPaths[a.kind]}`, 'body' in a ? a.body : {}, { idempotencyKey: newIdempotencyKey() }),
    onSuccess: (report) => queryClient.setQueryData([...reportsKey, 'detail', id], report),
    onSettled: settle,
  });
}

export function useBulk() {
  const settle = useSettle();
  return useMutation({
    mutationFn: (body: BulkInput) => api.post<BulkResult>(`${base}/bulk`, body, { idempotencyKey: newIdempotencyKey() }),
    onSettled: settle,
  });
}

export function uploadAfterPhoto(file: File): Promise<UploadedPhoto> {
  return rawRequest<UploadedPhoto>('POST', `${base}/photos`, file, file.type);
}

// ------------------------------------------------------------ configuration

export function useCategories() {
  return useQuery({ queryKey: [...reportsKey, 'categories'], queryFn: ({ signal }) => api.get<ReportCategory[]>(`${base}/categories`, { signal }), staleTime: 5 * 60_000 });
}

export function useSaveCategory() {
  const settle = useSettle();
  return useMutation({
    mutationFn: ({ code, body }: { code: string; body: CategoryInput }) => api.put<ReportCategory>(`${base}/categories/${encodeURIComponent(code)}`, body, { idempotencyKey: newIdempotencyKey() }),
    onSettled: settle,
  });
}

/** The points module's earning rules, to pick a category's rule from (operators may read them). */
export function useEarningRules(enabled: boolean) {
  return useQuery({ queryKey: [...reportsKey, 'earning-rules'], queryFn: ({ signal }) => api.get<EarningRule[]>('/api/admin/points/rules', { signal }), enabled, staleTime: 5 * 60_000 });
}

export function useRoutingRules(enabled = true) {
  return useQuery({ queryKey: [...reportsKey, 'routing-rules'], queryFn: ({ signal }) => api.get<RoutingRule[]>(`${base}/routing-rules`, { signal }), enabled });
}

export function useRoutingMutations() {
  const settle = useSettle();
  const create = useMutation({
    mutationFn: (body: RoutingRuleInput) => api.post<RoutingRule>(`${base}/routing-rules`, body, { idempotencyKey: newIdempotencyKey() }),
    onSettled: settle,
  });
  const update = useMutation({
    mutationFn: ({ id, body }: { id: string; body: RoutingRuleInput }) => api.put<RoutingRule>(`${base}/routing-rules/${encodeURIComponent(id)}`, body, { idempotencyKey: newIdempotencyKey() }),
    onSettled: settle,
  });
  const remove = useMutation({
    mutationFn: (id: string) => api.delete<void>(`${base}/routing-rules/${encodeURIComponent(id)}`),
    onSettled: settle,
  });
  return { create, update, remove };
}

export function useOpen311Clients() {
  // fresh on every opening of the tab: "last used" is how an operator sees a client system is live
  return useQuery({ queryKey: [...reportsKey, 'open311'], queryFn: ({ signal }) => api.get<Open311Client[]>(`${base}/open311-clients`, { signal }), staleTime: 0 });
}

export function useOpen311Mutations() {
  const settle = useSettle();
  const create = useMutation({
    mutationFn: ({ name, key }: { name: string; key: string }) => api.post<Open311ClientCreated>(`${base}/open311-clients`, { name }, { idempotencyKey: key }),
    onSettled: settle,
  });
  const disable = useMutation({
    mutationFn: (id: string) => api.post<Open311Client>(`${base}/open311-clients/${encodeURIComponent(id)}/disable`, {}, { idempotencyKey: newIdempotencyKey() }),
    onSettled: settle,
  });
  return { create, disable };
}

export function useCalendarYear(year: number) {
  return useQuery({ queryKey: [...reportsKey, 'calendar', year], queryFn: ({ signal }) => api.get<CalendarYear>(`/api/admin/calendar/${year}`, { signal }) });
}

export function useSaveCalendarYear() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ year, body }: { year: number; body: CalendarYearInput }) => api.put<CalendarYear>(`/api/admin/calendar/${year}`, body, { idempotencyKey: newIdempotencyKey() }),
    onSuccess: (saved) => queryClient.setQueryData([...reportsKey, 'calendar', saved.year], saved),
  });
}

// ------------------------------------------------------------ campaigns and metrics

export function useClusters(enabled = true) {
  return useQuery({ queryKey: [...reportsKey, 'clusters'], queryFn: ({ signal }) => api.get<Cluster[]>(`${base}/clusters`, { signal }), enabled });
}

export function useCampaigns(filter: { status?: CampaignStatus; page: number; pageSize: number }) {
  return useQuery({
    queryKey: [...reportsKey, 'campaigns', filter],
    queryFn: ({ signal }) => api.get<PageOf<Campaign>>(`${base}/campaigns?${toSearch(filter)}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useCampaign(id: string | undefined) {
  return useQuery({
    queryKey: [...reportsKey, 'campaign', id],
    queryFn: ({ signal }) => api.get<CampaignDetail>(`${base}/campaigns/${encodeURIComponent(id!)}`, { signal }),
    enabled: !!id,
  });
}

export function useCampaignMutations() {
  const queryClient = useQueryClient();
  const settle = useSettle();
  const put = (c: CampaignDetail) => queryClient.setQueryData([...reportsKey, 'campaign', c.id], c);
  const create = useMutation({
    mutationFn: ({ body, key }: { body: CampaignInput; key: string }) => api.post<Campaign>(`${base}/campaigns`, body, { idempotencyKey: key }),
    onSettled: settle,
  });
  const addNote = useMutation({
    mutationFn: ({ id, note }: { id: string; note: string }) => api.post<CampaignDetail>(`${base}/campaigns/${encodeURIComponent(id)}/notes`, { note }, { idempotencyKey: newIdempotencyKey() }),
    onSuccess: put,
    onSettled: settle,
  });
  const close = useMutation({
    mutationFn: ({ id, summary }: { id: string; summary: string }) => api.post<CampaignDetail>(`${base}/campaigns/${encodeURIComponent(id)}/close`, { summary }, { idempotencyKey: newIdempotencyKey() }),
    onSuccess: put,
    onSettled: settle,
  });
  const addReports = useMutation({
    mutationFn: ({ id, reportIds }: { id: string; reportIds: string[] }) =>
      api.post<CampaignDetail>(`${base}/campaigns/${encodeURIComponent(id)}/reports`, { reportIds }, { idempotencyKey: newIdempotencyKey() }),
    onSuccess: put,
    onSettled: settle,
  });
  return { create, addNote, close, addReports };
}

/** Reports that could join an open campaign (operators over its area), nearest first; q: code, description or address. */
export function useCampaignCandidates(id: string | undefined, q: string, enabled: boolean) {
  return useQuery({
    queryKey: [...reportsKey, 'campaign-candidates', id, q],
    queryFn: ({ signal }) => api.get<CampaignCandidate[]>(`${base}/campaigns/${encodeURIComponent(id!)}/candidates?${toSearch({ q: q || undefined })}`, { signal }),
    enabled: enabled && !!id,
    placeholderData: keepPreviousData,
  });
}

/** Open campaigns a report may join (operators), the ones covering it first; q: title or code. */
export function useCampaignOptions(reportId: string, q: string, enabled: boolean) {
  return useQuery({
    queryKey: [...reportsKey, 'campaign-options', reportId, q],
    queryFn: ({ signal }) => api.get<CampaignOption[]>(`${base}/campaigns/options?${toSearch({ reportId, q: q || undefined })}`, { signal }),
    enabled,
    placeholderData: keepPreviousData,
  });
}

/** Staff accounts by name, to name a campaign's owner (operators may list accounts). */
export function useStaffSearch(q: string, enabled: boolean) {
  return useQuery({
    queryKey: [...reportsKey, 'staff', q],
    queryFn: ({ signal }) => api.get<PageOf<StaffAccount>>(`/api/admin/staff?${toSearch({ q: q || undefined, pageSize: 20, page: 1 })}`, { signal }),
    enabled,
    placeholderData: keepPreviousData,
  });
}

export function useMetrics(query: MetricsQuery) {
  return useQuery({
    queryKey: [...reportsKey, 'metrics', query],
    queryFn: ({ signal }) => api.get<ReportMetrics>(`${base}/metrics?${toSearch(query)}`, { signal }),
    placeholderData: keepPreviousData,
  });
}
