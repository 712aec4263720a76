import { useQuery } from '@tanstack/react-query';
import type { MapConfig } from '@contracts/places';
import { api } from '../api';

export const mapConfigKey = ['places', 'map-config'] as const;

/** Ningbo's centre (鄞州) and no tiles: what the map uses when the configuration can't be read. */
export const fallbackMapConfig: MapConfig = { tiles: null, center: { lon: 121.55, lat: 29.87 }, zoom: 13 };

/** The tile provider and the city's default view (GET /api/places/map-config, public). */
export function useMapConfig() {
  return useQuery({
    queryKey: mapConfigKey,
    queryFn: () => api.get<MapConfig>('/api/places/map-config'),
    staleTime: Infinity,
    retry: 1,
  });
}
