import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Friendliness, NearbyResponse, PlaceDetail, PlaceService, PlaceType, RatingInput } from '@contracts/places';
import { api } from '@ui/api';

/** What the worker filters by (the URL's search params carry it, so a shortcut can preset it). */
export interface PlaceFilters {
  types: PlaceType[];
  services: PlaceService[];
  openNow: boolean;
  readyBattery: boolean;
}

export interface NearbyParams extends PlaceFilters {
  lon: number;
  lat: number;
  limit: number;
}

/** ~1 m: positions that differ by less share a cache entry. */
const round5 = (n: number) => Math.round(n * 1e5) / 1e5;

export function nearbyUrl(p: NearbyParams): string {
  const q = new URLSearchParams({ lon: String(round5(p.lon)), lat: String(round5(p.lat)), limit: String(p.limit) });
  if (p.types.length) q.set('types', [...p.types].sort().join(','));
  if (p.services.length) q.set('services', [...p.services].sort().join(','));
  if (p.openNow) q.set('openNow', 'true');
  if (p.readyBattery) q.set('readyBattery', 'true');
  return `/api/places/nearby?${q}`;
}

export const placesKey = ['places'] as const;

/** Listed places near a point, nearest first (public). The previous answer stays while the next loads. */
export function useNearby(params: NearbyParams | undefined) {
  const url = params ? nearbyUrl(params) : '';
  return useQuery({
    queryKey: [...placesKey, 'nearby', url],
    queryFn: ({ signal }) => api.get<NearbyResponse>(url, { signal }),
    enabled: !!params,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

export const placeKey = (id: string) => [...placesKey, 'detail', id] as const;

/** The place page (public): 404 places.not_found unless listed. */
export function usePlace(id: string) {
  return useQuery({
    queryKey: placeKey(id),
    queryFn: ({ signal }) => api.get<PlaceDetail>(`/api/places/${encodeURIComponent(id)}`, { signal }),
    // Cabinets change: read again when the page is opened again after a while.
    staleTime: 15_000,
  });
}

/** A verified worker's two-tap rating of a compound or building; a retry with the same key is done once. */
export function ratePlace(id: string, input: RatingInput, idempotencyKey: string) {
  return api.post<Friendliness>(`/api/worker/places/${encodeURIComponent(id)}/ratings`, input, { idempotencyKey });
}
