import { useEffect, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import './map.css';
import type { MapConfig } from '@contracts/places';
import type { LonLat } from './coords';
import { createProjector, type Projector } from './projector';
import { fallbackMapConfig, useMapConfig } from './map-config';

export type TilesState = 'loading' | 'none' | 'ok' | 'failed';

export interface BaseMapProps {
  /** Initial centre (WGS-84); the configured city centre when omitted. Later changes are the caller's (map.setView). */
  center?: LonLat;
  /** Initial zoom; the configured one when omitted. */
  zoom?: number;
  /**
   * Called once the Leaflet map exists, with the projector for the tiles' coordinate system. May return
   * a clean-up, run before the map is removed (unmount, or a new configuration).
   */
  onReady?: (map: L.Map, projector: Projector) => void | (() => void);
  style?: CSSProperties;
  className?: string;
  /** Accessible name of the map region. */
  label?: string;
  /** Short notes (already translated) shown when there are no tiles, or they can't be loaded. */
  notices?: Partial<Record<'none' | 'failed', ReactNode>>;
  /** Overlays drawn over the map (buttons, cards), positioned by the caller. */
  children?: ReactNode;
}

/**
 * A Leaflet map with the configured tiles (GET /api/places/map-config). Without tiles — none configured,
 * or none reachable — it keeps a plain background and everything drawn on it still works.
 */
export function BaseMap({ center, zoom, onReady, style, className, label, notices, children }: BaseMapProps) {
  const container = useRef<HTMLDivElement>(null);
  const config = useMapConfig();
  const [tiles, setTiles] = useState<TilesState>('loading');
  // The latest props, read when the map is (re)created: the map itself is made once per configuration.
  const latest = useRef({ center, zoom, onReady });
  latest.current = { center, zoom, onReady };

  const resolved: MapConfig | undefined = config.data ?? (config.isError ? fallbackMapConfig : undefined);

  useEffect(() => {
    const el = container.current;
    if (!el || !resolved) return;
    const projector = createProjector(resolved.tiles?.crs ?? 'WGS84');
    const start = latest.current.center ?? resolved.center;
    const map = L.map(el, {
      center: projector.toMap(start.lon, start.lat),
      zoom: latest.current.zoom ?? resolved.zoom,
      minZoom: 4,
      maxZoom: resolved.tiles?.maxZoom ?? 19,
      zoomControl: false,
      attributionControl: !!resolved.tiles,
      // Smooth on phones, and no 300 ms wait on taps in WeChat's browser.
      tapTolerance: 15,
    });
    L.control.zoom({ position: 'topright' }).addTo(map);
    if (resolved.tiles) {
      map.attributionControl.setPrefix(false);
      let loaded = 0;
      let failed = 0;
      setTiles('ok');
      L.tileLayer(resolved.tiles.url, {
        subdomains: resolved.tiles.subdomains.length ? resolved.tiles.subdomains : 'abc',
        attribution: resolved.tiles.attribution,
        maxZoom: resolved.tiles.maxZoom,
        crossOrigin: false,
      })
        .on('tileload', () => {
          loaded++;
          setTiles('ok');
        })
        .on('tileerror', () => {
          failed++;
          if (loaded === 0 && failed >= 3) setTiles('failed');
        })
        .addTo(map);
    } else {
      setTiles('none');
    }
    const cleanup = latest.current.onReady?.(map, projector);
    // Leaflet measures its container once: follow layout changes (split views, sheets, rotation).
    const resize = typeof ResizeObserver !== 'undefined' ? new ResizeObserver(() => map.invalidateSize()) : undefined;
    resize?.observe(el);
    return () => {
      resize?.disconnect();
      if (typeof cleanup === 'function') cleanup();
      map.remove();
    };
  }, [resolved]);

  const notice = tiles === 'none' || tiles === 'failed' ? notices?.[tiles] : undefined;
  return (
    <div className={`ya-map${className ? ` ${className}` : ''}`} style={style} role="region" aria-label={label} data-tiles={tiles} data-testid="base-map">
      <div ref={container} className="ya-map-canvas" />
      {notice && <div className="ya-map-notice">{notice}</div>}
      {children}
    </div>
  );
}
