import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PageOf } from '@contracts/common';
import type { Lawyer, LawyerInput, LegalMetricsQuery, LegalMetricsRow, LegalSettings, QuestionSummary, StaffQuestionView, StaffQuestionsQuery } from '@contracts/legal';
import { api } from '@ui/api';
import { toSearch } from '../../shared/query-string';

const base = '/api/admin/legal';
export const legalKey = ['legal'] as const;

export type QueueFilter = Partial<Omit<StaffQuestionsQuery, 'page' | 'pageSize'>> & { page: number; pageSize: number };

function useSettle() {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: legalKey });
}

export function useQuestions(filter: QueueFilter) {
  return useQuery({
    queryKey: [...legalKey, 'list', filter],
    queryFn: ({ signal }) => api.get<PageOf<QuestionSummary>>(`${base}/questions?${toSearch(filter)}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useQuestion(id: string | undefined) {
  return useQuery({
    queryKey: [...legalKey, 'detail', id],
    queryFn: ({ signal }) => api.get<StaffQuestionView>(`${base}/questions/${encodeURIComponent(id!)}`, { signal }),
    enabled: !!id,
  });
}

export function useLawyers(enabled: boolean) {
  return useQuery({ queryKey: [...legalKey, 'lawyers'], queryFn: ({ signal }) => api.get<Lawyer[]>(`${base}/lawyers`, { signal }), enabled });
}

export function useMetrics(q: LegalMetricsQuery) {
  return useQuery({ queryKey: [...legalKey, 'metrics', q], queryFn: ({ signal }) => api.get<LegalMetricsRow[]>(`${base}/metrics?${toSearch(q)}`, { signal }) });
}

export function useSettings(enabled: boolean) {
  return useQuery({ queryKey: [...legalKey, 'settings'], queryFn: ({ signal }) => api.get<LegalSettings>(`${base}/settings`, { signal }), enabled });
}

export type QuestionAction = { kind: 'answer' | 'request-info'; text: string } | { kind: 'decline'; reason: string } | { kind: 'assign'; lawyerId: string };

export function useQuestionAction(id: string) {
  const settle = useSettle();
  return useMutation({
    mutationFn: (a: QuestionAction) => {
      const url = `${base}/questions/${encodeURIComponent(id)}/${a.kind}`;
      if (a.kind === 'decline') return api.post(url, { reason: a.reason });
      if (a.kind === 'assign') return api.post(url, { lawyerId: a.lawyerId });
      return api.post(url, { text: a.text });
    },
    onSettled: settle,
  });
}

export function usePutLawyer() {
  const settle = useSettle();
  return useMutation({ mutationFn: ({ staffId, input }: { staffId: string; input: LawyerInput }) => api.put<Lawyer>(`${base}/lawyers/${encodeURIComponent(staffId)}`, input), onSettled: settle });
}

export function usePutSettings() {
  const settle = useSettle();
  return useMutation({ mutationFn: (input: LegalSettings) => api.put<LegalSettings>(`${base}/settings`, input), onSettled: settle });
}
