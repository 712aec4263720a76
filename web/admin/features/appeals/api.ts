import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PageOf } from '@contracts/common';
import type { StaffAccount } from '@contracts/staff';
import type {
  AgreementInput,
  AppealIntake,
  AppealRule,
  AppealRuleInput,
  AppealSettings,
  AssigneeAdd,
  AppealSummary,
  CaseCreate,
  CaseListItem,
  CaseListQuery,
  CaseMemberAdd,
  CollectiveCase,
  Evidence,
  EvidenceKind,
  MetricsQuery,
  MetricsRow,
  Note,
  PaymentInput,
  Referral,
  Reopen,
  Resolve,
  ReturnVisit,
  SessionInput,
  StaffAppealView,
  StaffListQuery,
} from '@contracts/appeals';
import { api, newIdempotencyKey } from '@ui/api';
import { toSearch } from '../../shared/query-string';
import { rawRequest } from '../../shared/raw-request';

const base = '/api/admin/appeals';
export const appealsKey = ['appeals'] as const;

export type ListFilter = Partial<Omit<StaffListQuery, 'page' | 'pageSize'>> & { page: number; pageSize: number };

function useSettle() {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: appealsKey });
}

export function useAppeals(filter: ListFilter) {
  return useQuery({
    queryKey: [...appealsKey, 'list', filter],
    queryFn: ({ signal }) => api.get<PageOf<AppealSummary>>(`${base}?${toSearch(filter)}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useAppeal(id: string | undefined) {
  return useQuery({
    queryKey: [...appealsKey, 'detail', id],
    queryFn: ({ signal }) => api.get<StaffAppealView>(`${base}/${encodeURIComponent(id!)}`, { signal }),
    enabled: !!id,
  });
}

/** The intake (hotline, walk-in): one Idempotency-Key per form opening, so a double click records one appeal. */
export function useIntake() {
  const settle = useSettle();
  return useMutation({
    mutationFn: ({ body, key }: { body: AppealIntake; key: string }) => api.post<StaffAppealView>(base, body, { idempotencyKey: key }),
    onSettled: settle,
  });
}

export type AppealAction =
  | { kind: 'acknowledge' }
  | { kind: 'start' }
  | { kind: 'mediation/start' }
  | { kind: 'mediation/end'; body: Note }
  | { kind: 'mediation/sessions'; body: SessionInput }
  | { kind: 'mediation/agreement'; body: AgreementInput }
  | { kind: 'payments'; body: PaymentInput }
  | { kind: 'resolve'; body: Resolve }
  | { kind: 'refer'; body: Referral }
  | { kind: 'return-visit'; body: ReturnVisit }
  | { kind: 'reopen'; body: Reopen }
  | { kind: 'notes'; body: Note }
  | { kind: 'assignees'; body: AssigneeAdd };

/** Every state change of one appeal; the answer is the fresh detail, put straight into the cache. */
export function useAppealAction(id: string) {
  const queryClient = useQueryClient();
  const settle = useSettle();
  return useMutation({
    mutationFn: (a: AppealAction) => api.post<StaffAppealView>(`${base}/${encodeURIComponent(id)}/${a.kind}`, 'body' in a ? a.body : {}, { idempotencyKey: newIdempotencyKey() }),
    onSuccess: (appeal) => queryClient.setQueryData([...appealsKey, 'detail', id], appeal),
    onSettled: settle,
  });
}

export function useRemoveAssignee(id: string) {
  const queryClient = useQueryClient();
  const settle = useSettle();
  return useMutation({
    mutationFn: ({ staffId, role }: { staffId: string; role: string }) =>
      api.delete<StaffAppealView>(`${base}/${encodeURIComponent(id)}/assignees/${encodeURIComponent(staffId)}/${encodeURIComponent(role)}`),
    onSuccess: (appeal) => queryClient.setQueryData([...appealsKey, 'detail', id], appeal),
    onSettled: settle,
  });
}

/** The printable applications (PDF; the worker's ID number masked on staff copies). */
export const DOCUMENT_KINDS = ['legal_aid_application', 'arbitration_application', 'mediation_application', 'mediation_agreement'] as const;
export const documentUrl = (appealId: string, kind: (typeof DOCUMENT_KINDS)[number]) => `${base}/${encodeURIComponent(appealId)}/documents/${kind}`;
export const evidenceUrl = (appealId: string, evidenceId: string) => `${base}/${encodeURIComponent(appealId)}/evidence/${encodeURIComponent(evidenceId)}`;

export function useCase(id: string | undefined) {
  return useQuery({
    queryKey: [...appealsKey, 'case', id],
    queryFn: ({ signal }) => api.get<CollectiveCase>(`${base}/cases/${encodeURIComponent(id!)}`, { signal }),
    enabled: !!id,
  });
}

export function useCreateCase() {
  const settle = useSettle();
  return useMutation({
    mutationFn: ({ body, key }: { body: CaseCreate; key: string }) => api.post<CollectiveCase>(`${base}/cases`, body, { idempotencyKey: key }),
    onSettled: settle,
  });
}

export function useMetrics(query: MetricsQuery, enabled = true) {
  return useQuery({
    queryKey: [...appealsKey, 'metrics', query],
    queryFn: ({ signal }) => api.get<MetricsRow[]>(`${base}/metrics?${toSearch(query)}`, { signal }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useRules(enabled = true) {
  return useQuery({ queryKey: [...appealsKey, 'rules'], queryFn: ({ signal }) => api.get<AppealRule[]>(`${base}/rules`, { signal }), enabled });
}

/** Staff accounts by name (operators may list accounts): to add a person to an appeal. */
export function useStaffSearch(q: string, enabled: boolean) {
  return useQuery({
    queryKey: [...appealsKey, 'staff', q],
    queryFn: ({ signal }) => api.get<PageOf<StaffAccount>>(`/api/admin/staff?${toSearch({ q: q || undefined, pageSize: 20, page: 1 })}`, { signal }),
    enabled,
    placeholderData: keepPreviousData,
  });
}

/** The queue with the same filters as XLSX (the server refuses more than its cap with a clear message). */
export const exportUrl = (f: Partial<ListFilter>) => `${base}/export.xlsx?${toSearch({ ...f, page: undefined, pageSize: undefined })}`;

export type CaseFilter = Partial<Omit<CaseListQuery, 'page' | 'pageSize'>> & { page: number; pageSize: number };

export function useCases(filter: CaseFilter) {
  return useQuery({
    queryKey: [...appealsKey, 'cases', filter],
    queryFn: ({ signal }) => api.get<PageOf<CaseListItem>>(`${base}/cases?${toSearch(filter)}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export type CaseChange =
  | { kind: 'add'; appealIds: string[] }
  | { kind: 'remove'; appealId: string }
  | { kind: 'member'; body: CaseMemberAdd }
  | { kind: 'unmember'; staffId: string }
  | { kind: 'close'; summary: string };

/** Every change to a collective case; the answer is the fresh case, put straight into the cache. */
export function useCaseChange(id: string) {
  const queryClient = useQueryClient();
  const settle = useSettle();
  const at = `${base}/cases/${encodeURIComponent(id)}`;
  return useMutation({
    mutationFn: (c: CaseChange) => {
      switch (c.kind) {
        case 'add':
          return api.post<CollectiveCase>(`${at}/appeals`, { appealIds: c.appealIds }, { idempotencyKey: newIdempotencyKey() });
        case 'remove':
          return api.delete<CollectiveCase>(`${at}/appeals/${encodeURIComponent(c.appealId)}`);
        case 'member':
          return api.post<CollectiveCase>(`${at}/members`, c.body, { idempotencyKey: newIdempotencyKey() });
        case 'unmember':
          return api.delete<CollectiveCase>(`${at}/members/${encodeURIComponent(c.staffId)}`);
        case 'close':
          return api.post<CollectiveCase>(`${at}/close`, { summary: c.summary }, { idempotencyKey: newIdempotencyKey() });
      }
    },
    onSuccess: (c) => queryClient.setQueryData([...appealsKey, 'case', id], c),
    onSettled: settle,
  });
}

export function useSaveRule() {
  const settle = useSettle();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: AppealRuleInput }) => (id ? api.put<AppealRule>(`${base}/rules/${encodeURIComponent(id)}`, body) : api.post<AppealRule>(`${base}/rules`, body, { idempotencyKey: newIdempotencyKey() })),
    onSettled: settle,
  });
}

export function useSettings(enabled = true) {
  return useQuery({ queryKey: [...appealsKey, 'settings'], queryFn: ({ signal }) => api.get<AppealSettings>(`${base}/settings`, { signal }), enabled });
}

export function useSaveSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AppealSettings) => api.put<AppealSettings>(`${base}/settings`, body),
    onSuccess: (s) => queryClient.setQueryData([...appealsKey, 'settings'], s),
  });
}

/** Staff add a file to the evidence locker (raw body; the server checks the content and keeps its SHA-256). */
export function useUploadEvidence(id: string) {
  const settle = useSettle();
  return useMutation({
    mutationFn: ({ file, kind, note }: { file: File; kind: EvidenceKind; note?: string }) =>
      rawRequest<Evidence>('POST', `${base}/${encodeURIComponent(id)}/evidence?${toSearch({ kind, note: note?.trim() || undefined })}`, file, file.type),
    onSettled: settle,
  });
}
