import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PageOf } from '@contracts/common';
import type { QuestionAsk, QuestionSummary, QuestionView, RateInput, ToAppeal, ToAppealResult } from '@contracts/legal';
import { api } from '@ui/api';

export const legalKey = ['legal'] as const;
const PAGE_SIZE = 20;

export function useMyQuestions() {
  return useInfiniteQuery({
    queryKey: [...legalKey, 'mine'],
    queryFn: ({ pageParam, signal }) => api.get<PageOf<QuestionSummary>>(`/api/legal/questions/mine?page=${pageParam}&pageSize=${PAGE_SIZE}`, { signal }),
    initialPageParam: 1,
    getNextPageParam: (last) => (last.page * last.pageSize < last.total ? last.page + 1 : undefined),
  });
}

export function useQuestion(id: string) {
  return useQuery({
    queryKey: [...legalKey, 'one', id],
    queryFn: ({ signal }) => api.get<QuestionView>(`/api/legal/questions/${encodeURIComponent(id)}`, { signal }),
    // While the lawyer works on it, look now and then so the answer shows without a reload.
    refetchInterval: (q) => (q.state.data && q.state.data.status !== 'answered' ? 30_000 : false),
  });
}

/** Asks; the draft's clientId is also the Idempotency-Key, so a double tap or a retry asks once. */
export function useAsk() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: QuestionAsk) => api.post<QuestionView>('/api/legal/questions', body, { idempotencyKey: body.clientId }),
    onSuccess: (q) => queryClient.setQueryData([...legalKey, 'one', q.id], q),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: [...legalKey, 'mine'] }),
  });
}

export type WorkerAction = { kind: 'reply' | 'follow-up'; text: string } | { kind: 'rating'; rating: RateInput['rating'] };

export function useQuestionAction(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ action, key }: { action: WorkerAction; key: string }) =>
      api.post<QuestionView>(`/api/legal/questions/${encodeURIComponent(id)}/${action.kind}`, action.kind === 'rating' ? { rating: action.rating } : { text: action.text }, { idempotencyKey: key }),
    onSuccess: (q) => queryClient.setQueryData([...legalKey, 'one', q.id], q),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: legalKey }),
  });
}

export function useToAppeal(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ToAppeal) => api.post<ToAppealResult>(`/api/legal/questions/${encodeURIComponent(id)}/appeal`, body),
    onSuccess: (r) => queryClient.setQueryData([...legalKey, 'one', r.question.id], r.question),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: legalKey });
      void queryClient.invalidateQueries({ queryKey: ['appeals'] });
    },
  });
}
