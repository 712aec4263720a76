import { List } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { OpenState, PlaceSummary, PlaceType } from '@contracts/places';
import { placeTypeColors } from '@ui/map/colors';
import { formatDistance, openLine } from './format';

/** The place type's colour and glyph, as on its map pin. */
export function TypeBadge({ type, size = 36 }: { type: PlaceType; size?: number }) {
  const { t } = useTranslation();
  return (
    <span className="ya-type-badge" style={{ background: placeTypeColors[type], width: size, height: size, fontSize: size * 0.42 }} aria-hidden="true">
      {t(`places.glyph.${type}`)}
    </span>
  );
}

/** "营业中 · 22:00 关门" in green, "已打烊 · …" in grey, unknown hours muted. */
export function OpenLine({ state, testId }: { state: OpenState; testId?: string }) {
  const { t } = useTranslation();
  const line = openLine(t, state);
  return (
    <span className={`ya-open ya-open-${line.tone}`} data-testid={testId} data-open={line.tone}>
      {line.text}
    </span>
  );
}

/** Friendliness 0–100, coloured by how kind the gate is to riders. */
export function ScoreBadge({ score }: { score: number }) {
  const { t } = useTranslation();
  const tone = score >= 80 ? 'good' : score >= 60 ? 'fair' : 'poor';
  return (
    <span className={`ya-score ya-score-${tone}`} data-testid="score-badge" data-score={score}>
      {t('places.score.label', { score })}
    </span>
  );
}

/** Ready swap batteries; null means the cabinets' state is unknown — never shown as available. */
export function BatteryBadge({ ready }: { ready: number | null | undefined }) {
  const { t } = useTranslation();
  if (ready === undefined) return null;
  if (ready === null) return <span className="ya-battery ya-battery-unknown">{t('places.battery.unknown')}</span>;
  return ready > 0 ? <span className="ya-battery ya-battery-ready">{t('places.battery.ready', { count: ready })}</span> : <span className="ya-battery ya-battery-none">{t('places.battery.none')}</span>;
}

/** One place in the nearby list. */
export function PlaceRow({ place, onOpen }: { place: PlaceSummary; onOpen: () => void }) {
  const { t } = useTranslation();
  const rated = place.type === 'compound' || place.type === 'building';
  // Battery readiness means something only where batteries are swapped (not at socket-only sites).
  const swaps = place.type === 'charging' && place.services.includes('battery_swap');
  return (
    <List.Item
      className="ya-place-row"
      prefix={<TypeBadge type={place.type} />}
      extra={place.distanceM !== undefined ? <span className="ya-distance">{formatDistance(t, place.distanceM)}</span> : undefined}
      onClick={onOpen}
      arrow={false}
      data-testid="place-row"
      data-id={place.id}
      data-type={place.type}
    >
      <div className="ya-place-name" data-testid="place-name">
        {place.name}
      </div>
      <div className="ya-place-meta">
        <span className="ya-place-type">{t(`common:placeTypes.${place.type}`)}</span>
        <OpenLine state={place.openState} testId="place-open" />
      </div>
      <div className="ya-place-address">{place.address}</div>
      {(rated || swaps) && (
        <div className="ya-place-badges">
          {rated && (place.score !== null ? <ScoreBadge score={place.score} /> : <span className="ya-score ya-score-none">{t('places.score.none')}</span>)}
          {swaps && <BatteryBadge ready={place.readyBatteries} />}
        </div>
      )}
    </List.Item>
  );
}
