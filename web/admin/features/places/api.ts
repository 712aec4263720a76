import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type { PageOf } from '@contracts/common';
import type {
  AdminPlace,
  AdminPlaceListQuery,
  ImportResult,
  ImportRowError,
  PlaceHistoryItem,
  PlaceInput,
  PlaceUpdate,
  ServiceCircleReport,
  StatusChange,
  WorstRated,
} from '@contracts/places';
import { api, ApiError } from '@ui/api';
import { toSearch } from '../../shared/query-string';
import { downloadFile, rawRequest } from '../../shared/raw-request';

export type PlaceFilter = AdminPlaceListQuery;
export type HistoryItem = Static<typeof PlaceHistoryItem>;
export type WorstRatedItem = Static<typeof WorstRated>;
export type ImportOutcome = Static<typeof ImportResult>;
export type SpreadsheetFormat = 'csv' | 'xlsx';

/** The list's filter without paging: what an export takes. */
export type PlaceExportFilter = Omit<PlaceFilter, 'page' | 'pageSize'>;

export function usePlaces(filter: PlaceFilter) {
  return useQuery({
    queryKey: ['places', 'list', filter],
    queryFn: ({ signal }) => api.get<PageOf<AdminPlace>>(`/api/admin/places?${toSearch(filter)}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function usePlace(id: string | undefined) {
  return useQuery({
    queryKey: ['places', 'one', id],
    queryFn: ({ signal }) => api.get<AdminPlace>(`/api/admin/places/${id}`, { signal }),
    enabled: !!id,
  });
}

export function usePlaceHistory(id: string | undefined) {
  return useQuery({
    queryKey: ['places', 'history', id],
    queryFn: ({ signal }) => api.get<HistoryItem[]>(`/api/admin/places/${id}/history`, { signal }),
    enabled: !!id,
  });
}

export function useWorstRated(areaCode: string | undefined, limit = 50) {
  return useQuery({
    queryKey: ['places', 'worst-rated', areaCode, limit],
    queryFn: ({ signal }) => api.get<WorstRatedItem[]>(`/api/admin/places/worst-rated?${toSearch({ areaCode, limit })}`, { signal }),
  });
}

export function useServiceCircle(areaCode: string | undefined) {
  return useQuery({
    queryKey: ['places', 'service-circle', areaCode],
    queryFn: ({ signal }) => api.get<ServiceCircleReport>(`/api/admin/service-circle?${toSearch({ areaCode })}`, { signal }),
    enabled: !!areaCode,
    placeholderData: keepPreviousData,
  });
}

export function usePlaceMutations() {
  const queryClient = useQueryClient();
  const settle = () => void queryClient.invalidateQueries({ queryKey: ['places'] });
  return {
    create: useMutation({
      mutationFn: ({ body, key }: { body: PlaceInput; key: string }) => api.post<AdminPlace>('/api/admin/places', body, { idempotencyKey: key }),
      onSettled: settle,
    }),
    update: useMutation({
      mutationFn: ({ id, body }: { id: string; body: PlaceUpdate }) => api.patch<AdminPlace>(`/api/admin/places/${id}`, body),
      onSettled: settle,
    }),
    changeStatus: useMutation({
      mutationFn: ({ id, body, key }: { id: string; body: StatusChange; key: string }) => api.post<AdminPlace>(`/api/admin/places/${id}/status`, body, { idempotencyKey: key }),
      onSettled: settle,
    }),
    uploadPhoto: useMutation({
      mutationFn: ({ id, file }: { id: string; file: File }) => rawRequest<unknown>('POST', `/api/admin/places/${id}/photos`, file, file.type),
      onSettled: settle,
    }),
    deletePhoto: useMutation({
      mutationFn: ({ id, photoId }: { id: string; photoId: string }) => api.delete<void>(`/api/admin/places/${id}/photos/${photoId}`),
      onSettled: settle,
    }),
  };
}

export const spreadsheetTypes: Record<SpreadsheetFormat, string> = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** csv or xlsx by the file's name (what staff see), else undefined. */
export function formatOf(file: File): SpreadsheetFormat | undefined {
  const name = file.name.toLowerCase();
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.xlsx')) return 'xlsx';
  return undefined;
}

export interface ImportOptions {
  file: File;
  format: SpreadsheetFormat;
  dryRun: boolean;
  /** Import straight to active instead of draft (operators only; the server checks). */
  activate?: boolean;
}

export function useImportPlaces() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, format, dryRun, activate }: ImportOptions) =>
      rawRequest<ImportOutcome>('POST', `/api/admin/places/import?${toSearch({ format, dryRun, activate: activate ? true : undefined })}`, file, spreadsheetTypes[format]),
    onSuccess: (r) => {
      if (!r.dryRun) void queryClient.invalidateQueries({ queryKey: ['places'] });
    },
  });
}

/** The row-by-row report of a refused import (400 places.import_invalid), if that is what the error is. */
export function importRowErrors(err: unknown): ImportRowError[] | undefined {
  if (!(err instanceof ApiError) || err.code !== 'places.import_invalid') return undefined;
  const rows = (err.problem as { rowErrors?: ImportRowError[] }).rowErrors;
  return Array.isArray(rows) ? rows : [];
}

export function exportPlaces(format: SpreadsheetFormat, filter: PlaceExportFilter) {
  return downloadFile(`/api/admin/places/export?${toSearch({ ...filter, format })}`, `places.${format}`);
}

export function downloadTemplate(format: SpreadsheetFormat) {
  return downloadFile(`/api/admin/places/import-template?format=${format}`, `places-template.${format}`);
}
