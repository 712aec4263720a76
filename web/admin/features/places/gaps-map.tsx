import { useEffect, useState } from 'react';
import L from 'leaflet';
import { useTranslation } from 'react-i18next';
import { BaseMap, type Projector } from '@ui/map';
import type { ServiceCircleReport } from '@contracts/places';
import './places.css';

type Gap = ServiceCircleReport['gaps'][number];

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The gaps of the 15-minute circle: compounds with no station in reach, as red circles (canvas-drawn: up to 2,000). */
export function GapsMap({ gaps, height, label }: { gaps: Gap[]; height: number; label: string }) {
  const { t } = useTranslation();
  const [ready, setReady] = useState<{ map: L.Map; projector: Projector }>();

  useEffect(() => {
    if (!ready) return;
    const { map, projector } = ready;
    const renderer = L.canvas({ padding: 0.3 });
    const layer = L.featureGroup(
      gaps.map((g) =>
        L.circleMarker(projector.toMap(g.lon, g.lat), { renderer, radius: 6, color: '#fff', weight: 1.5, fillColor: '#cf1322', fillOpacity: 0.85 }).bindPopup(
          `<strong>${escapeHtml(g.name)}</strong><br/>${escapeHtml(
            g.nearestStationM === null ? t('places.circle.noStation') : t('places.circle.nearestStation', { km: (g.nearestStationM / 1000).toFixed(1) }),
          )}`,
        ),
      ),
    ).addTo(map);
    let touched = false;
    const touch = () => {
      touched = true;
    };
    const fit = () => {
      if (!touched && gaps.length) map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 15, animate: false });
    };
    fit();
    // The container may still be settling (a tab being shown): fit again until the person moves the map.
    map.on('mousedown touchstart wheel', touch);
    map.on('resize', fit);
    return () => {
      map.off('mousedown touchstart wheel', touch);
      map.off('resize', fit);
      layer.remove();
    };
  }, [ready, gaps, t]);

  return (
    <BaseMap
      label={label}
      style={{ height, borderRadius: 8 }}
      notices={{ none: t('places.map.noTilesView'), failed: t('places.map.tilesFailedView') }}
      onReady={(map, projector) => {
        setReady({ map, projector });
        return () => setReady(undefined);
      }}
    >
      <div className="ya-map-overlay ya-admin-legend" data-testid="gaps-legend">
        <i aria-hidden />
        {gaps.length ? t('places.circle.legend', { count: gaps.length }) : t('places.circle.noGaps')}
      </div>
    </BaseMap>
  );
}
