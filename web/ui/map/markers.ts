import L from 'leaflet';
import type { PlaceType } from '@contracts/places';
import { placeTypeColors } from './colors';

/**
 * Marker icons drawn with CSS (no image downloads: the content security policy allows only our own
 * images): a coloured pin per place type with a one-character glyph the caller translates.
 */
export { placeTypeColors };

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface PlaceIconOptions {
  /** One or two characters shown in the pin (e.g. 驿 / S). */
  glyph: string;
  selected?: boolean;
  /** A muted pin (e.g. closed now). */
  muted?: boolean;
}

/** A place's pin; its tip is the point. */
export function placeMarkerIcon(type: PlaceType, { glyph, selected, muted }: PlaceIconOptions): L.DivIcon {
  const color = placeTypeColors[type] ?? '#555';
  const cls = ['ya-pin', `ya-pin-${type}`, selected ? 'ya-pin-selected' : '', muted ? 'ya-pin-muted' : ''].filter(Boolean).join(' ');
  const size = selected ? 38 : 30;
  return L.divIcon({
    className: 'ya-pin-wrap',
    html: `<span class="${cls}" style="--pin:${color}"><b>${escapeHtml(glyph.slice(0, 2))}</b></span>`,
    iconSize: [size, size],
    iconAnchor: [size / 2, size],
    popupAnchor: [0, -size],
  });
}

/** Where the person is (a pulsing blue dot), or a point they picked (a dark pin). */
export function positionIcon(kind: 'located' | 'picked'): L.DivIcon {
  return kind === 'located'
    ? L.divIcon({ className: 'ya-me-wrap', html: '<span class="ya-me"></span>', iconSize: [18, 18], iconAnchor: [9, 9] })
    : L.divIcon({ className: 'ya-pin-wrap', html: '<span class="ya-pin ya-pin-picked"><b></b></span>', iconSize: [26, 26], iconAnchor: [13, 26] });
}
