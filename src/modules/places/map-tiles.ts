import type { Config } from '../../server/config.js';
import type { MapConfig } from '../../contracts/places.js';

type Tiles = NonNullable<MapConfig['tiles']>;

/**
 * Tile presets. Tiles are drawn in the provider's coordinate system: Amap in GCJ-02 (the apps convert
 * our WGS-84 markers to it), OpenStreetMap and Tianditu (CGCS2000 ≈ WGS-84) in WGS-84.
 */
export function tilesFor(config: Config): Tiles | null {
  const { tiles, tilesKey } = config.places;
  switch (tiles) {
    case 'none':
      return null;
    case 'osm':
      return { url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png', subdomains: [], attribution: '© OpenStreetMap contributors', crs: 'WGS84', maxZoom: 19 };
    case 'tianditu':
      return {
        url: `https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${encodeURIComponent(tilesKey ?? '')}`,
        subdomains: ['0', '1', '2', '3', '4', '5', '6', '7'],
        attribution: '© 天地图',
        crs: 'WGS84',
        maxZoom: 18,
      };
    case 'amap':
      return {
        url: 'https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}',
        subdomains: ['1', '2', '3', '4'],
        attribution: '© 高德地图',
        crs: 'GCJ02',
        maxZoom: 18,
      };
    default:
      return { url: tiles, subdomains: ['a', 'b', 'c'], attribution: '', crs: 'WGS84', maxZoom: 19 };
  }
}

/** Origins the Content-Security-Policy must allow images from, for the configured tiles. */
export function tileOrigins(config: Config): string[] {
  const t = tilesFor(config);
  if (!t) return [];
  const sample = t.url.replace('{s}', t.subdomains[0] ?? 'a').replace(/\{[xyz]\}/g, '0');
  const host = new URL(sample).host;
  const wildcard = t.subdomains.length ? host.replace(t.subdomains[0]!, '*').replace(/^[^.]*\*[^.]*\./, '*.') : host;
  return [`${new URL(sample).protocol}//${wildcard}`];
}
