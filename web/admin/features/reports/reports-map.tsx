import { useEffect, useRef, useState } from 'react';
import L from 'leaflet';
import { useTranslation } from 'react-i18next';
import { BaseMap, type Projector } from '@ui/map';
import type { AdminReportSummary } from '@contracts/reports';

const statusColors: Record<string, string> = { pending_triage: '#fa8c16', dispatched: '#1677ff', acknowledged: '#2f54eb', handled: '#13c2c2', closed: '#8c8c8c' };

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * The queue on a map: one circle per report (red ring when overdue); a click opens the report. Moving the
 * map reports the new bounds (WGS-84 bbox) so the list can be asked for what is in view.
 */
export function ReportsMap({
  reports,
  label,
  onOpen,
  onBbox,
}: {
  reports: AdminReportSummary[];
  label: string;
  onOpen(id: string): void;
  onBbox(bbox: string): void;
}) {
  const { t } = useTranslation();
  const [ready, setReady] = useState<{ map: L.Map; projector: Projector }>();
  const latest = useRef({ onOpen, onBbox });
  latest.current = { onOpen, onBbox };

  useEffect(() => {
    if (!ready) return;
    const { map, projector } = ready;
    const report = () => {
      const b = map.getBounds();
      const sw = projector.fromMap(b.getSouthWest());
      const ne = projector.fromMap(b.getNorthEast());
      latest.current.onBbox([sw.lon, sw.lat, ne.lon, ne.lat].map((n) => n.toFixed(5)).join(','));
    };
    map.on('moveend', report);
    return () => {
      map.off('moveend', report);
    };
  }, [ready]);

  useEffect(() => {
    if (!ready) return;
    const { map, projector } = ready;
    const renderer = L.canvas({ padding: 0.3 });
    const layer = L.featureGroup(
      reports.map((r) =>
        L.circleMarker(projector.toMap(r.lon, r.lat), {
          renderer,
          radius: 7,
          color: r.overdue ? '#cf1322' : '#fff',
          weight: r.overdue ? 3 : 1.5,
          fillColor: statusColors[r.status] ?? '#8c8c8c',
          fillOpacity: 0.9,
        })
          .bindTooltip(`<strong>${escapeHtml(r.code)}</strong> ${escapeHtml(t(`reports.statuses.${r.status}`))}<br/>${escapeHtml(r.address || r.areaName)}`)
          .on('click', () => latest.current.onOpen(r.id)),
      ),
    ).addTo(map);
    return () => {
      layer.remove();
    };
  }, [ready, reports, t]);

  return (
    <BaseMap
      label={label}
      style={{ height: 560, borderRadius: 8 }}
      notices={{ none: t('reports.mapNoTiles'), failed: t('reports.mapTilesFailed') }}
      onReady={(map, projector) => {
        setReady({ map, projector });
        return () => setReady(undefined);
      }}
    >
      <div className="ya-map-overlay" style={{ bottom: 8, right: 8, padding: '4px 10px', borderRadius: 6, background: 'rgba(255,255,255,0.92)', fontSize: 12, pointerEvents: 'none' }} data-testid="reports-map-legend">
        {t('reports.mapHint')}
      </div>
    </BaseMap>
  );
}
