import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PageOf } from '@contracts/common';
import type { LibraryAdminQuery, LibraryAdminSummary, LibraryAdminView, LibraryContent, LibraryCreate, LibraryRevisionContent, LibraryRevisionSummary } from '@contracts/library';
import { api } from '@ui/api';
import { toSearch } from '../../shared/query-string';

export const libraryKey = ['admin', 'library'] as const;

export function useLibraryAdminList(q: Partial<LibraryAdminQuery>) {
  return useQuery({
    queryKey: [...libraryKey, 'list', q],
    queryFn: ({ signal }) => api.get<PageOf<LibraryAdminSummary>>(`/api/admin/library?${toSearch(q)}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useLibraryEntry(id: string | undefined) {
  return useQuery({
    queryKey: [...libraryKey, 'one', id],
    queryFn: ({ signal }) => api.get<LibraryAdminView>(`/api/admin/library/${encodeURIComponent(id!)}`, { signal }),
    enabled: !!id,
  });
}

export function useRevisions(id: string | undefined) {
  return useQuery({
    queryKey: [...libraryKey, 'one', id, 'revisions'],
    queryFn: ({ signal }) => api.get<LibraryRevisionSummary[]>(`/api/admin/library/${encodeURIComponent(id!)}/revisions`, { signal }),
    enabled: !!id,
  });
}

export function useRevision(id: string, number: number | undefined) {
  return useQuery({
    queryKey: [...libraryKey, 'one', id, 'revision', number],
    queryFn: ({ signal }) => api.get<LibraryRevisionContent>(`/api/admin/library/${encodeURIComponent(id)}/revisions/${number}`, { signal }),
    enabled: number !== undefined,
  });
}

function useEntryMutation<V>(fn: (v: V) => Promise<LibraryAdminView>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (view) => queryClient.setQueryData([...libraryKey, 'one', view.id], view),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: libraryKey }),
  });
}

/** Creates an entry; the key makes a retry after a lost answer return the same entry instead of a second one. */
export const useCreateEntry = () => useEntryMutation(({ body, key }: { body: LibraryCreate; key: string }) => api.post<LibraryAdminView>('/api/admin/library', body, { idempotencyKey: key }));
export const useSaveDraft = (id: string) => useEntryMutation((body: LibraryContent & { expectedVersion?: number }) => api.put<LibraryAdminView>(`/api/admin/library/${encodeURIComponent(id)}/draft`, body));
/** Publishes any entry (also one created a moment ago by the same screen). */
export const usePublish = () => useEntryMutation(({ id, expectedVersion }: { id: string; expectedVersion?: number }) => api.post<LibraryAdminView>(`/api/admin/library/${encodeURIComponent(id)}/publish`, { expectedVersion }));
/** Discards the draft of changes to a published entry (kept in the history). */
export const useDiscardDraft = (id: string) => useEntryMutation((expectedVersion: number | undefined) => api.post<LibraryAdminView>(`/api/admin/library/${encodeURIComponent(id)}/discard-draft`, { expectedVersion }));
export const useArchive = (id: string) => useEntryMutation((expectedVersion: number | undefined) => api.post<LibraryAdminView>(`/api/admin/library/${encodeURIComponent(id)}/archive`, { expectedVersion }));
