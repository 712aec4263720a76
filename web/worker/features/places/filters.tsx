import { useEffect, useRef, useState } from 'react';
import { Button, Popup, Selector, Switch } from 'antd-mobile';
import { FilterOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { placeServices, placeTypes, type PlaceService, type PlaceType } from '@contracts/places';
import { placeTypeColors } from '@ui/map/colors';
import type { PlaceFilters } from './api';

/** The types offered as chips, in the order riders look for them. */
export const chipTypes: PlaceType[] = ['station', 'charging', 'merchant', 'canteen', 'compound', 'building', 'parcel_locker', 'relay_point', 'service_centre', 'clinic', 'market', 'school', 'farm'];

const isType = (v: string): v is PlaceType => (placeTypes as readonly string[]).includes(v);
const isService = (v: string): v is PlaceService => (placeServices as readonly string[]).includes(v);

/** Filters from the URL (?types=station&services=microwave&open=1&battery=1); unknown values are dropped. */
export function filtersFromParams(params: URLSearchParams): PlaceFilters {
  const list = (k: string) => (params.get(k) ?? '').split(',').filter(Boolean);
  const types = [...new Set(list('types').filter(isType))];
  return {
    types,
    services: [...new Set(list('services').filter(isService))],
    openNow: params.get('open') === '1',
    readyBattery: types.includes('charging') && params.get('battery') === '1',
  };
}

export function filtersToParams(f: PlaceFilters): Record<string, string> {
  const out: Record<string, string> = {};
  if (f.types.length) out.types = f.types.join(',');
  if (f.services.length) out.services = f.services.join(',');
  if (f.openNow) out.open = '1';
  if (f.readyBattery && f.types.includes('charging')) out.battery = '1';
  return out;
}

export const noFilters: PlaceFilters = { types: [], services: [], openNow: false, readyBattery: false };

export function hasFilters(f: PlaceFilters): boolean {
  return f.types.length > 0 || f.services.length > 0 || f.openNow || f.readyBattery;
}

/** Type chips (multi-select, 全部 clears), then the quick toggles and the services sheet. */
export function FilterBar({ value, onChange }: { value: PlaceFilters; onChange: (f: PlaceFilters) => void }) {
  const { t } = useTranslation();
  const [sheet, setSheet] = useState(false);
  const toggleType = (type: PlaceType) => {
    const types = value.types.includes(type) ? value.types.filter((x) => x !== type) : [...value.types, type];
    onChange({ ...value, types, readyBattery: value.readyBattery && types.includes('charging') });
  };
  const charging = value.types.includes('charging');
  const moreCount = value.services.length;
  return (
    <div className="ya-filters">
      <div className="ya-chips" role="group" aria-label={t('places.filters.title')} data-testid="type-chips">
        <button type="button" className={`ya-chip${value.types.length === 0 ? ' active' : ''}`} aria-pressed={value.types.length === 0} onClick={() => onChange({ ...value, types: [], readyBattery: false })}>
          {t('places.filters.all')}
        </button>
        {chipTypes.map((type) => {
          const active = value.types.includes(type);
          return (
            <button
              key={type}
              type="button"
              className={`ya-chip${active ? ' active' : ''}`}
              aria-pressed={active}
              data-testid={`type-chip-${type}`}
              style={{ ['--chip' as string]: placeTypeColors[type] }}
              onClick={() => toggleType(type)}
            >
              <span className="ya-chip-dot" aria-hidden="true" />
              {t(`common:placeTypes.${type}`)}
            </button>
          );
        })}
      </div>
      <div className="ya-chips ya-chips-options">
        <button type="button" className={`ya-chip ya-chip-toggle${value.openNow ? ' active' : ''}`} aria-pressed={value.openNow} data-testid="open-now" onClick={() => onChange({ ...value, openNow: !value.openNow })}>
          {t('places.filters.openNow')}
        </button>
        {charging && (
          <button
            type="button"
            className={`ya-chip ya-chip-toggle${value.readyBattery ? ' active' : ''}`}
            aria-pressed={value.readyBattery}
            data-testid="ready-battery"
            onClick={() => onChange({ ...value, readyBattery: !value.readyBattery })}
          >
            {t('places.filters.readyBattery')}
          </button>
        )}
        <button type="button" className={`ya-chip ya-chip-toggle${moreCount ? ' active' : ''}`} data-testid="more-filters" onClick={() => setSheet(true)}>
          <FilterOutline /> {moreCount ? t('places.filters.moreCount', { count: moreCount }) : t('places.filters.more')}
        </button>
      </div>
      <FilterSheet visible={sheet} value={value} onClose={() => setSheet(false)} onApply={(f) => (onChange(f), setSheet(false))} />
    </div>
  );
}

function FilterSheet({ visible, value, onClose, onApply }: { visible: boolean; value: PlaceFilters; onClose: () => void; onApply: (f: PlaceFilters) => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(value);
  const current = useRef(value);
  current.current = value;
  // A fresh draft each time it opens.
  useEffect(() => {
    if (visible) setDraft(current.current);
  }, [visible]);
  const charging = draft.types.includes('charging');
  return (
    <Popup
      visible={visible}
      onMaskClick={onClose}
      onClose={onClose}
      bodyClassName="ya-sheet"
    >
      <div data-testid="filter-sheet">
        <div className="ya-sheet-head">
          <h2>{t('places.filters.title')}</h2>
        </div>
        <div className="ya-sheet-body">
          <h3 className="ya-sheet-label">{t('places.filters.services')}</h3>
          <p className="ya-sheet-hint">{t('places.filters.servicesHint')}</p>
          <Selector
            className="ya-selector"
            multiple
            columns={3}
            value={draft.services}
            onChange={(v) => setDraft({ ...draft, services: v as PlaceService[] })}
            options={placeServices.map((s) => ({ value: s, label: t(`common:placeServices.${s}`) }))}
          />
          <h3 className="ya-sheet-label">{t('places.filters.options')}</h3>
          <label className="ya-sheet-switch">
            <span>{t('places.filters.openNow')}</span>
            <Switch checked={draft.openNow} onChange={(v) => setDraft({ ...draft, openNow: v })} />
          </label>
          {charging && (
            <label className="ya-sheet-switch">
              <span>{t('places.filters.readyBattery')}</span>
              <Switch checked={draft.readyBattery} onChange={(v) => setDraft({ ...draft, readyBattery: v })} />
            </label>
          )}
        </div>
        <div className="ya-sheet-actions">
          <Button onClick={() => setDraft({ ...draft, services: [], openNow: false, readyBattery: false })}>{t('places.filters.reset')}</Button>
          <Button color="primary" onClick={() => onApply(draft)} data-testid="apply-filters">
            {t('places.filters.apply')}
          </Button>
        </div>
      </div>
    </Popup>
  );
}
