import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PageOf } from '@contracts/common';
import type { Problem } from '@contracts/errors';
import type { AppealSubmit, AppealSummary, AppealView, Evidence, EvidenceKind, Rating } from '@contracts/appeals';
import { api, ApiError, loadSession } from '@ui/api';

export const appealsKey = ['appeals'] as const;
const PAGE_SIZE = 20;
const nextPage = (last: { page: number; pageSize: number; total: number }) => (last.page * last.pageSize < last.total ? last.page + 1 : undefined);

export function useMyAppeals() {
  return useInfiniteQuery({
    queryKey: [...appealsKey, 'mine'],
    queryFn: ({ pageParam, signal }) => api.get<PageOf<AppealSummary>>(`/api/appeals/mine?page=${pageParam}&pageSize=${PAGE_SIZE}`, { signal }),
    initialPageParam: 1,
    getNextPageParam: nextPage,
  });
}

export function useAppeal(id: string) {
  return useQuery({
    queryKey: [...appealsKey, 'one', id],
    queryFn: ({ signal }) => api.get<AppealView>(`/api/appeals/${encodeURIComponent(id)}`, { signal }),
    // While people work on it, look now and then so the timeline and the clock move without a reload.
    refetchInterval: (q) => (q.state.data && q.state.data.status !== 'closed' ? 60_000 : false),
  });
}

/** Files the appeal; the draft's clientId is also the Idempotency-Key, so a double tap or a retry files once. */
export function useFileAppeal() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AppealSubmit) => api.post<AppealView>('/api/appeals', body, { idempotencyKey: body.clientId }),
    onSuccess: (appeal) => queryClient.setQueryData([...appealsKey, 'one', appeal.id], appeal),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: [...appealsKey, 'mine'] }),
  });
}

export function useRate(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, key }: { body: Rating; key: string }) => api.post<AppealView>(`/api/appeals/${encodeURIComponent(id)}/rating`, body, { idempotencyKey: key }),
    onSuccess: (appeal) => queryClient.setQueryData([...appealsKey, 'one', appeal.id], appeal),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: appealsKey }),
  });
}

export function useReopen(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ reason, key }: { reason: string; key: string }) => api.post<AppealView>(`/api/appeals/${encodeURIComponent(id)}/reopen`, { reason }, { idempotencyKey: key }),
    onSuccess: (appeal) => queryClient.setQueryData([...appealsKey, 'one', appeal.id], appeal),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: appealsKey }),
  });
}

export const EVIDENCE_MAX_BYTES = 10 * 1024 * 1024;
const EVIDENCE_TYPES = /^(image\/(jpeg|png|webp)|application\/pdf)$/i;

/** Why a picked file cannot be sent (before trying), or undefined. */
export function evidenceProblem(file: File): 'tooLarge' | 'badType' | undefined {
  if (file.size > EVIDENCE_MAX_BYTES) return 'tooLarge';
  if (!EVIDENCE_TYPES.test(file.type)) return 'badType';
  return undefined;
}

/** A PDF is a document; a picture is a photo unless it looks like a screenshot. */
export function evidenceKindOf(file: File): EvidenceKind {
  if (/pdf$/i.test(file.type)) return 'document';
  return /screenshot|截图|截屏/i.test(file.name) ? 'screenshot' : 'photo';
}

/**
 * Sends one evidence file as the raw body, reporting progress (XMLHttpRequest: fetch has no upload
 * progress). `key` is the Idempotency-Key: the same key for a retry never stores the file twice.
 */
export async function uploadEvidence(appealId: string, file: File, key: string, onProgress: (fraction: number) => void, kind?: EvidenceKind): Promise<Evidence> {
  const session = await loadSession();
  const params = new URLSearchParams({ kind: kind ?? evidenceKindOf(file) });
  if (file.lastModified) params.set('takenAt', new Date(file.lastModified).toISOString());
  return new Promise<Evidence>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/appeals/${encodeURIComponent(appealId)}/evidence?${params}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
    xhr.setRequestHeader('idempotency-key', key);
    if (session?.csrfToken) xhr.setRequestHeader('x-csrf-token', session.csrfToken);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => reject(new ApiError(0, { type: 'about:blank', title: 'Network error', status: 0, code: 'internal.error' as Problem['code'], detail: 'network' }));
    xhr.onload = () => {
      let data: unknown;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        data = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(data as Evidence);
      const problem = data && typeof data === 'object' && 'code' in data ? (data as Problem) : ({ type: 'about:blank', title: xhr.statusText, status: xhr.status, code: 'internal.error' } as Problem);
      reject(new ApiError(xhr.status, problem));
    };
    xhr.send(file);
  });
}
