import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { PageOf } from '@contracts/common';
import type { AppealType } from '@contracts/appeals';
import type { LibraryKind, LibrarySummary, LibraryView } from '@contracts/library';
import { api } from '@ui/api';

export const libraryKey = ['library'] as const;
const PAGE_SIZE = 20;
const nextPage = (last: { page: number; pageSize: number; total: number }) => (last.page * last.pageSize < last.total ? last.page + 1 : undefined);

export interface LibraryFilter {
  q?: string;
  kind?: LibraryKind;
  appealType?: AppealType;
}

function listUrl(f: LibraryFilter, page: number, pageSize: number) {
  const params = new URLSearchParams({ page: String(page), pageSize: String(pageSize) });
  if (f.q?.trim()) params.set('q', f.q.trim());
  if (f.kind) params.set('kind', f.kind);
  if (f.appealType) params.set('appealType', f.appealType);
  return `/api/library?${params}`;
}

/** Published entries (public: works signed in or not). */
export function useLibraryList(f: LibraryFilter) {
  return useInfiniteQuery({
    queryKey: [...libraryKey, 'list', f],
    queryFn: ({ pageParam, signal }) => api.get<PageOf<LibrarySummary>>(listUrl(f, pageParam, PAGE_SIZE), { signal }),
    initialPageParam: 1,
    getNextPageParam: nextPage,
  });
}

/** A few typical cases of one appeal type (the appeal form's "related cases"). */
export function useRelatedCases(appealType: AppealType | undefined, limit = 3) {
  return useQuery({
    queryKey: [...libraryKey, 'related', appealType, limit],
    queryFn: ({ signal }) => api.get<PageOf<LibrarySummary>>(listUrl({ kind: 'typical_case', appealType }, 1, limit), { signal }),
    enabled: !!appealType,
  });
}

export function useLibraryEntry(id: string) {
  return useQuery({
    queryKey: [...libraryKey, 'one', id],
    queryFn: ({ signal }) => api.get<LibraryView>(`/api/library/${encodeURIComponent(id)}`, { signal }),
  });
}

export const contractPdfUrl = (id: string) => `/api/library/${encodeURIComponent(id)}/contract.pdf`;

/** '3,000,000' for 300_000_000 fen (whole yuan; cases report round sums). */
export const yuanOf = (fen: number) => (fen / 100).toLocaleString('zh-CN', { maximumFractionDigits: 2 });
