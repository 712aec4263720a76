import { useEffect, useRef, useState } from 'react';
import L from 'leaflet';
import { useTranslation } from 'react-i18next';
import { BaseMap, positionIcon, type Projector } from '@ui/map';
import type { LonLat } from './coordinates';
import './places.css';

export interface LabelledPoint extends LonLat {
  label: string;
}

interface Ready {
  map: L.Map;
  projector: Projector;
}

const secondaryIcon = () => L.divIcon({ className: 'ya-admin-dot-wrap', html: '<span class="ya-admin-dot"></span>', iconSize: [14, 14], iconAnchor: [7, 7] });

/**
 * A map to set a point: a click puts the marker there, the marker can be dragged; both report the point
 * in WGS-84 (projector.fromMap), whatever the tiles are drawn in. Read-only, it only shows the point.
 * Extra points (a compound's gates, the place itself) are drawn small for orientation.
 */
export function LocationPicker({
  value,
  onPick,
  extraPoints = [],
  height = 320,
  label,
  readOnly = false,
}: {
  value?: LonLat;
  onPick?: (p: LonLat) => void;
  extraPoints?: LabelledPoint[];
  height?: number;
  label: string;
  readOnly?: boolean;
}) {
  const { t } = useTranslation();
  const [ready, setReady] = useState<Ready>();
  const marker = useRef<L.Marker>();
  const onPickRef = useRef(onPick);
  onPickRef.current = onPick;
  const first = useRef(value);
  const latest = useRef(value);
  latest.current = value;

  // Until the person moves the map, keep the point in the middle when the map's size settles (a drawer
  // or a dialog opening): Leaflet measures its container once and would leave the point off-centre.
  useEffect(() => {
    if (!ready) return;
    const { map, projector } = ready;
    let touched = false;
    const touch = () => {
      touched = true;
    };
    const recentre = () => {
      const v = latest.current;
      if (!touched && v) map.setView(projector.toMap(v.lon, v.lat), map.getZoom(), { animate: false });
    };
    map.on('mousedown touchstart wheel', touch);
    map.on('resize', recentre);
    return () => {
      map.off('mousedown touchstart wheel', touch);
      map.off('resize', recentre);
    };
  }, [ready]);

  // A click on the map sets the point.
  useEffect(() => {
    if (!ready || readOnly) return;
    const click = (e: L.LeafletMouseEvent) => onPickRef.current?.(ready.projector.fromMap(e.latlng));
    ready.map.on('click', click);
    ready.map.getContainer().style.cursor = 'crosshair';
    return () => {
      ready.map.off('click', click);
    };
  }, [ready, readOnly]);

  // The marker follows the value (typed coordinates, a pick, a reload).
  const lon = value?.lon;
  const lat = value?.lat;
  useEffect(() => {
    if (!ready) return;
    if (lon === undefined || lat === undefined) {
      marker.current?.remove();
      marker.current = undefined;
      return;
    }
    const at = ready.projector.toMap(lon, lat);
    if (!marker.current) {
      const m = L.marker(at, { icon: positionIcon('picked'), draggable: !readOnly, keyboard: false, title: t('places.map.marker'), alt: t('places.map.marker'), autoPan: true });
      m.on('dragend', () => onPickRef.current?.(ready.projector.fromMap(m.getLatLng())));
      m.addTo(ready.map);
      marker.current = m;
    } else {
      marker.current.setLatLng(at);
    }
    if (!ready.map.getBounds().pad(-0.1).contains(at)) ready.map.panTo(at);
  }, [ready, lon, lat, readOnly, t]);

  // Orientation points.
  const extraKey = extraPoints.map((p) => `${p.lon},${p.lat},${p.label}`).join(';');
  useEffect(() => {
    if (!ready || !extraPoints.length) return;
    const layer = L.layerGroup(
      extraPoints.map((p) => L.marker(ready.projector.toMap(p.lon, p.lat), { icon: secondaryIcon(), interactive: true, keyboard: false }).bindTooltip(p.label, { direction: 'top', offset: [0, -6] })),
    ).addTo(ready.map);
    return () => {
      layer.remove();
    };
    // extraKey stands for the points' content.
  }, [ready, extraKey]);

  return (
    <BaseMap
      center={first.current}
      zoom={first.current ? 16 : undefined}
      label={label}
      style={{ height, borderRadius: 8 }}
      notices={readOnly ? { none: t('places.map.noTilesView'), failed: t('places.map.tilesFailedView') } : { none: t('places.map.noTiles'), failed: t('places.map.tilesFailed') }}
      onReady={(map, projector) => {
        setReady({ map, projector });
        return () => {
          marker.current = undefined;
          setReady(undefined);
        };
      }}
    >
      {!readOnly && !value && <div className="ya-map-overlay ya-admin-map-hint">{t('places.map.clickToSet')}</div>}
    </BaseMap>
  );
}
