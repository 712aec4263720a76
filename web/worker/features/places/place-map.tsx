import { useCallback, useEffect, useRef, useState } from 'react';
import L from 'leaflet';
import { useTranslation } from 'react-i18next';
import type { PlaceSummary } from '@contracts/places';
import { BaseMap } from '@ui/map/base-map';
import { createClusterGroup } from '@ui/map/cluster';
import { placeMarkerIcon, positionIcon } from '@ui/map/markers';
import type { Projector } from '@ui/map/projector';
import type { LonLat } from '@ui/map/coords';
import type { Origin } from './origin';

interface MapCtx {
  map: L.Map;
  projector: Projector;
  cluster: L.MarkerClusterGroup;
  me: L.Marker;
}

export interface PlaceMapProps {
  origin: Origin;
  /** Bumped to move the map to the origin (a new GPS fix). */
  recentre: number;
  items: PlaceSummary[];
  selectedId: string | undefined;
  onSelect: (id: string | undefined) => void;
  /** A tap on the map away from any marker (WGS-84). */
  onTap: (p: LonLat) => void;
  /** The map stopped moving: its centre (WGS-84) and zoom. */
  onMoved: (centre: LonLat, zoom: number) => void;
  /** Receives a function that reads the map's centre now. */
  centreRef?: React.MutableRefObject<(() => LonLat | undefined) | undefined>;
  className?: string;
  children?: React.ReactNode;
}

/** The places around the worker as coloured pins, clustered when zoomed out; the worker as a blue dot. */
export function PlaceMap({ origin, recentre, items, selectedId, onSelect, onTap, onMoved, centreRef, className, children }: PlaceMapProps) {
  const { t } = useTranslation();
  const [ctx, setCtx] = useState<MapCtx | null>(null);
  const handlers = useRef({ onSelect, onTap, onMoved });
  handlers.current = { onSelect, onTap, onMoved };
  const originRef = useRef(origin);
  originRef.current = origin;

  const onReady = useCallback((map: L.Map, projector: Projector) => {
    const cluster = createClusterGroup();
    map.addLayer(cluster);
    const o = originRef.current;
    const me = L.marker(projector.toMap(o.lon, o.lat), {
      icon: positionIcon(o.source === 'located' ? 'located' : 'picked'),
      interactive: false,
      keyboard: false,
      zIndexOffset: 1000,
    }).addTo(map);
    map.on('click', (e: L.LeafletMouseEvent) => handlers.current.onTap(projector.fromMap(e.latlng)));
    map.on('moveend', () => handlers.current.onMoved(projector.fromMap(map.getCenter()), map.getZoom()));
    setCtx({ map, projector, cluster, me });
    return () => setCtx(null);
  }, []);

  useEffect(() => {
    if (!centreRef) return;
    centreRef.current = ctx ? () => ctx.projector.fromMap(ctx.map.getCenter()) : undefined;
  }, [ctx, centreRef]);

  // The worker's dot (or the picked point's pin) follows the origin.
  useEffect(() => {
    if (!ctx) return;
    ctx.me.setLatLng(ctx.projector.toMap(origin.lon, origin.lat));
    ctx.me.setIcon(positionIcon(origin.source === 'located' ? 'located' : 'picked'));
  }, [ctx, origin]);

  useEffect(() => {
    if (!ctx || recentre === 0) return;
    const o = originRef.current;
    ctx.map.setView(ctx.projector.toMap(o.lon, o.lat), Math.max(ctx.map.getZoom(), 15));
  }, [ctx, recentre]);

  // Markers: rebuilt when the places or the selection change (a few hundred at most).
  useEffect(() => {
    if (!ctx) return;
    const markers = items.map((p) => {
      const m = L.marker(ctx.projector.toMap(p.lon, p.lat), {
        icon: placeMarkerIcon(p.type, { glyph: t(`places.glyph.${p.type}`), selected: p.id === selectedId, muted: p.openState.open === false }),
        title: p.name,
        alt: p.name,
        zIndexOffset: p.id === selectedId ? 500 : 0,
        riseOnHover: true,
      });
      m.on('click', () => handlers.current.onSelect(p.id));
      return m;
    });
    ctx.cluster.clearLayers();
    ctx.cluster.addLayers(markers);
  }, [ctx, items, selectedId, t]);

  return (
    <BaseMap
      center={origin}
      zoom={15}
      onReady={onReady}
      className={className}
      label={t('places.map.label')}
      notices={{ none: t('places.map.noTiles'), failed: t('places.map.tilesFailed') }}
    >
      {children}
    </BaseMap>
  );
}
