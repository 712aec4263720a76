import { useEffect, useRef, useState } from 'react';
import L from 'leaflet';
import { Button } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { BaseMap } from '@ui/map/base-map';
import { positionIcon } from '@ui/map/markers';
import type { Projector } from '@ui/map/projector';
import type { LonLat } from '@ui/map/coords';

/**
 * Pick where the problem is on a map (no fix, or the fix is off): a tap puts the pin there, the pin can
 * be dragged. The point comes back in WGS-84 whatever the tiles are drawn in.
 */
export function MapPicker({ start, onDone, onCancel }: { start?: LonLat; onDone: (p: LonLat) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [ready, setReady] = useState<{ map: L.Map; projector: Projector }>();
  const [point, setPoint] = useState<LonLat | undefined>(start);
  const marker = useRef<L.Marker>();

  useEffect(() => {
    if (!ready) return;
    const click = (e: L.LeafletMouseEvent) => setPoint(ready.projector.fromMap(e.latlng));
    ready.map.on('click', click);
    return () => {
      ready.map.off('click', click);
    };
  }, [ready]);

  useEffect(() => {
    if (!ready || !point) return;
    const at = ready.projector.toMap(point.lon, point.lat);
    if (!marker.current) {
      const m = L.marker(at, { icon: positionIcon('picked'), draggable: true, keyboard: false, title: t('reports.capture.mapPin'), alt: t('reports.capture.mapPin') });
      m.on('dragend', () => setPoint(ready.projector.fromMap(m.getLatLng())));
      m.addTo(ready.map);
      marker.current = m;
    } else marker.current.setLatLng(at);
  }, [ready, point, t]);

  return (
    <div className="ya-report-picker" data-testid="map-picker">
      <BaseMap
        center={start}
        zoom={start ? 17 : undefined}
        label={t('reports.capture.mapLabel')}
        style={{ height: 'calc(80vh - 64px)' }}
        notices={{ none: t('reports.capture.mapNoTiles'), failed: t('reports.capture.mapNoTiles') }}
        onReady={(map, projector) => {
          setReady({ map, projector });
          return () => {
            marker.current = undefined;
            setReady(undefined);
          };
        }}
      >
        <div className="ya-map-overlay ya-report-picker-hint">{t('reports.capture.mapHint')}</div>
      </BaseMap>
      <div className="ya-report-picker-actions">
        <Button onClick={onCancel}>{t('reports.capture.cancel')}</Button>
        <Button color="primary" disabled={!point} onClick={() => point && onDone(point)} data-testid="map-pick-done">
          {t('reports.capture.mapDone')}
        </Button>
      </div>
    </div>
  );
}
