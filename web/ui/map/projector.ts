import L from 'leaflet';
import type { CoordinateSystem } from '@contracts/places';
import { fromWgs84, toWgs84, type LonLat } from './coords';

/**
 * Between our WGS-84 points and the map's own coordinates. Tiles drawn in GCJ-02 (the Amap preset)
 * put a WGS-84 point 300–600 m off unless it is shifted the same way, so every marker goes through here.
 */
export interface Projector {
  /** What the tiles are drawn in. */
  readonly crs: CoordinateSystem;
  /** A WGS-84 point where the map draws it. */
  toMap(lon: number, lat: number): L.LatLng;
  /** A map point (a tap, the map's centre) in WGS-84. */
  fromMap(latlng: L.LatLngExpression): LonLat;
}

export function createProjector(crs: CoordinateSystem = 'WGS84'): Projector {
  return {
    crs,
    toMap(lon, lat) {
      const p = fromWgs84(crs, lon, lat);
      return L.latLng(p.lat, p.lon);
    },
    fromMap(latlng) {
      const ll = L.latLng(latlng);
      return toWgs84(crs, ll.lng, ll.lat);
    },
  };
}
