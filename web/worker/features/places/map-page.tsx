import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { Button, DotLoading, List, SafeArea } from 'antd-mobile';
import { CloseOutline, EnvironmentOutline, ExclamationCircleOutline, LocationFill, RightOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import type { PlaceSummary } from '@contracts/places';
import { distanceM as distanceBetween, type LonLat } from '@ui/map/coords';
import { EmptyState, ErrorState, PageSkeleton } from '../../shared/states';
import { useNearby, type PlaceFilters } from './api';
import { FilterBar, filtersFromParams, filtersToParams, hasFilters, noFilters } from './filters';
import { formatDistance } from './format';
import { useOnline, useOrigin, type LocateStatus, type Origin } from './origin';
import { OpenLine, PlaceRow, TypeBadge } from './place-bits';
import { PlaceMap } from './place-map';
import './places.css';

const LIST_LIMIT = 50;
const MAP_LIMIT = 200;
/** The map asks for the places around its centre once it has stopped moving for this long. */
const PAN_DEBOUNCE_MS = 500;

/** 附近: a map and a list of the listed places nearest to the worker, with filters. Public. */
export function MapPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const paramsKey = params.toString();
  const filters = useMemo(() => filtersFromParams(new URLSearchParams(paramsKey)), [paramsKey]);
  const setFilters = (f: PlaceFilters) => setParams(filtersToParams(f), { replace: true });

  const { origin, status, recentre, locate, pick, dismiss } = useOrigin();
  const online = useOnline();
  const [selectedId, setSelectedId] = useState<string>();
  const [expanded, setExpanded] = useState(false);
  const [view, setView] = useState<LonLat>();
  const centreRef = useRef<(() => LonLat | undefined) | undefined>(undefined);

  const list = useNearby({ ...filters, lon: origin.lon, lat: origin.lat, limit: LIST_LIMIT });
  const around = useNearby(view ? { ...filters, lon: view.lon, lat: view.lat, limit: MAP_LIMIT } : undefined);

  // Pins: the list's places plus whatever the map found around its centre.
  const pins = useMemo(() => {
    const byId = new Map<string, PlaceSummary>();
    // Distances of places found around the map's centre are re-measured from the origin.
    for (const p of around.data?.items ?? []) byId.set(p.id, { ...p, distanceM: Math.round(distanceBetween(origin, p)) });
    for (const p of list.data?.items ?? []) byId.set(p.id, p);
    return [...byId.values()];
  }, [around.data, list.data, origin]);
  const selected = selectedId ? pins.find((p) => p.id === selectedId) : undefined;

  // Panning: ask for the new area after the map settles.
  const panTimer = useRef<number>(undefined);
  const onMoved = useCallback((centre: LonLat) => {
    window.clearTimeout(panTimer.current);
    panTimer.current = window.setTimeout(() => setView(centre), PAN_DEBOUNCE_MS);
  }, []);
  useEffect(() => () => window.clearTimeout(panTimer.current), []);

  const onTap = useCallback(
    (p: LonLat) => {
      if (selectedId) setSelectedId(undefined);
      else if (status !== 'located') pick(p.lon, p.lat);
    },
    [selectedId, status, pick],
  );

  const searchFromCentre = () => {
    const c = centreRef.current?.();
    if (c) pick(c.lon, c.lat);
  };

  const open = (id: string) => navigate(`/places/${id}`);
  const items = list.data?.items ?? [];

  return (
    <div className="ya-places" data-testid="map-page">
      <header className="ya-places-head">
        <SafeArea position="top" />
        <h1 className="ya-places-title">{t('places.map.title')}</h1>
        <FilterBar value={filters} onChange={setFilters} />
      </header>

      {!online && (
        <div className="ya-places-notice ya-places-offline" role="status" data-testid="offline">
          <ExclamationCircleOutline /> {t('places.map.offline')}
        </div>
      )}
      <LocateNotice status={status} onAllow={locate} onDismiss={dismiss} />

      <div className={`ya-places-map${expanded ? ' expanded' : ''}`}>
        <PlaceMap
          origin={origin}
          recentre={recentre}
          items={pins}
          selectedId={selectedId}
          onSelect={setSelectedId}
          onTap={onTap}
          onMoved={onMoved}
          centreRef={centreRef}
          className="ya-places-map-inner"
        >
          <div className="ya-map-overlay ya-map-tools">
            {status !== 'unsupported' && (
              <button type="button" className="ya-map-tool" onClick={locate} aria-label={t('places.map.locateMe')} title={t('places.map.locateMe')} data-testid="locate-me">
                {status === 'locating' ? <DotLoading /> : <LocationFill />}
              </button>
            )}
            <button type="button" className="ya-map-tool" onClick={searchFromCentre} aria-label={t('places.map.useCentre')} title={t('places.map.useCentre')} data-testid="use-centre">
              <EnvironmentOutline />
            </button>
            <button type="button" className="ya-map-tool ya-map-tool-text" onClick={() => setExpanded((e) => !e)} data-testid="expand-map">
              {expanded ? t('places.map.shrinkMap') : t('places.map.expandMap')}
            </button>
          </div>
          {selected && <SelectedCard place={selected} onOpen={() => open(selected.id)} onClose={() => setSelectedId(undefined)} />}
        </PlaceMap>
      </div>

      <section className="ya-places-list" aria-busy={list.isFetching}>
        <div className="ya-places-list-head">
          <h2>
            {t('places.map.listTitle', { origin: originName(t, origin) })}
            {list.data && <span className="ya-places-count">{t('places.map.count', { count: items.length })}</span>}
          </h2>
          {list.isFetching && !list.isPending && (
            <span className="ya-places-updating" data-testid="list-updating">
              <DotLoading /> {t('places.map.loadingMore')}
            </span>
          )}
        </div>
        {status !== 'located' && <p className="ya-places-hint">{t('places.map.pickHint')}</p>}
        {list.isPending ? (
          <PageSkeleton rows={3} />
        ) : list.isError && !list.data ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState title={t('places.map.empty')} description={t('places.map.emptyHint')}>
            {hasFilters(filters) && (
              <Button size="small" color="primary" fill="outline" onClick={() => setFilters(noFilters)} data-testid="clear-filters">
                {t('places.map.clearFilters')}
              </Button>
            )}
          </EmptyState>
        ) : (
          <List className="ya-section ya-place-list" data-testid="place-list">
            {items.map((p) => (
              <PlaceRow key={p.id} place={p} onOpen={() => open(p.id)} />
            ))}
          </List>
        )}
      </section>
    </div>
  );
}

function originName(t: ReturnType<typeof useTranslation>['t'], origin: Origin): string {
  return t(origin.source === 'located' ? 'places.map.originMe' : origin.source === 'picked' ? 'places.map.originPicked' : 'places.map.originDefault');
}

/** Asks before the browser's own prompt, and says what happened when locating failed. */
function LocateNotice({ status, onAllow, onDismiss }: { status: LocateStatus; onAllow: () => void; onDismiss: () => void }) {
  const { t } = useTranslation();
  if (status === 'ask')
    return (
      <div className="ya-places-notice ya-locate-ask" data-testid="locate-ask">
        <LocationFill className="ya-locate-icon" />
        <div className="ya-locate-body">
          <strong>{t('places.locate.askTitle')}</strong>
          <p>{t('places.locate.askBody')}</p>
          <div className="ya-locate-actions">
            <Button size="small" color="primary" shape="rounded" onClick={onAllow} data-testid="locate-allow">
              {t('places.locate.allow')}
            </Button>
            <Button size="small" fill="none" onClick={onDismiss}>
              {t('places.locate.later')}
            </Button>
          </div>
        </div>
      </div>
    );
  if (status === 'locating')
    return (
      <div className="ya-places-notice" role="status" data-testid="locating">
        <DotLoading /> {t('places.locate.locating')}
      </div>
    );
  if (status === 'denied' || status === 'timeout' || status === 'unavailable' || status === 'unsupported')
    return (
      <div className="ya-places-notice ya-locate-failed" role="status" data-testid="locate-failed" data-status={status}>
        <span>{t(`places.locate.${status}`)}</span>
        {status !== 'unsupported' && status !== 'denied' && (
          <Button size="mini" fill="outline" color="primary" onClick={onAllow}>
            {t('places.locate.retry')}
          </Button>
        )}
      </div>
    );
  return null;
}

/** The tapped pin's place, over the bottom of the map. */
function SelectedCard({ place, onOpen, onClose }: { place: PlaceSummary; onOpen: () => void; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="ya-map-overlay ya-map-card" data-testid="selected-place">
      <button type="button" className="ya-map-card-main" onClick={onOpen}>
        <TypeBadge type={place.type} size={32} />
        <span className="ya-map-card-text">
          <span className="ya-place-name">{place.name}</span>
          <span className="ya-place-meta">
            <OpenLine state={place.openState} />
            {place.distanceM !== undefined && <span className="ya-distance">{formatDistance(t, place.distanceM)}</span>}
          </span>
        </span>
        <span className="ya-map-card-go">
          {t('places.map.details')} <RightOutline />
        </span>
      </button>
      <button type="button" className="ya-map-card-close" onClick={onClose} aria-label={t('common:actions.close')}>
        <CloseOutline />
      </button>
    </div>
  );
}
