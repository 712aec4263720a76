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
 * The queue on a map: one dot per report (red ring when overdue); a click, or Enter on a focused dot, opens the report. Moving the
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
  const fitted = useRef(false);
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
    // DOM markers (at most a page of 100): each is a focusable button named by its report, so the
    // map can be used from the keyboard (Enter opens the report) and read by a screen reader.
    const layer = L.featureGroup(
      reports.map((r) => {
        const status = t(`reports.statuses.${r.status}`);
        const fill = statusColors[r.status] ?? '#8c8c8c';
        const ring = r.overdue ? '3px solid #cf1322' : '2px solid #fff';
        const marker = L.marker(projector.toMap(r.lon, r.lat), {
          icon: L.divIcon({
            className: 'ya-report-marker',
            html: `<span style="display:block;width:100%;height:100%;box-sizing:border-box;border-radius:50%;background:${fill};border:${ring};box-shadow:0 0 2px rgba(0,0,0,.45)"></span>`,
            iconSize: [16, 16],
            iconAnchor: [8, 8],
          }),
          keyboard: true,
          riseOnHover: true,
        })
          .bindTooltip(`<strong>${escapeHtml(r.code)}</strong> ${escapeHtml(status)}<br/>${escapeHtml(r.address || r.areaName)}`, { direction: 'top', offset: [0, -8] })
          .on('click', () => latest.current.onOpen(r.id));
        marker.on('add', () => {
          const el = marker.getElement();
          if (!el) return;
          // a name without the browser's own title tooltip on top of Leaflet's
          el.setAttribute('aria-label', t('reports.mapMarker', { code: r.code, status }));
          // Leaflet makes the marker focusable (role button) but does nothing on Enter or Space
          el.addEventListener('keydown', (e) => {
            if (e.key !== 'Enter' && e.key !== ' ') return;
            e.preventDefault();
            latest.current.onOpen(r.id);
          });
        });
        return marker;
      }),
    ).addTo(map);
    // The first reports in: show them all (the city centre may be far from them). The move then narrows the
    // list to what is in view, which is all of them.
    if (!fitted.current && reports.length) {
      fitted.current = true;
      map.fitBounds(layer.getBounds().pad(0.2), { maxZoom: 16, animate: false });
    }
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
        fitted.current = false;
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
