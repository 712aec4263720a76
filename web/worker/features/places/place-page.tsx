import { useMemo } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Button, ErrorBlock, Image, Swiper, Tag } from 'antd-mobile';
import { PhoneFill } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import type { CabinetStatus, PlaceDetail } from '@contracts/places';
import { ApiError } from '@ui/api';
import { distanceM } from '@ui/map/coords';
import { navigationLinks } from '@ui/map/navigation';
import { formatDateTime } from '@ui/format';
import { SubPage } from '../../shared/sub-page';
import { ErrorState, PageSkeleton } from '../../shared/states';
import { usePlace } from './api';
import { formatDistance, readableHours } from './format';
import { savedOrigin } from './origin';
import { BatteryBadge, OpenLine, ScoreBadge, TypeBadge } from './place-bits';
import { NavigateButtons } from './navigate-buttons';
import { RateCard } from './rate-card';
import './places.css';

/** A place: what it offers, when it is open, how to get in, and directions there. Public. */
export function PlacePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const place = usePlace(id);
  return (
    <SubPage title={place.data?.name ?? t('places.place.title')} back="/map">
      {place.isPending ? (
        <PageSkeleton rows={3} />
      ) : place.isError ? (
        place.error instanceof ApiError && place.error.status === 404 ? (
          <NotListed />
        ) : (
          <ErrorState error={place.error} onRetry={() => void place.refetch()} />
        )
      ) : (
        <PlaceDetails place={place.data} />
      )}
    </SubPage>
  );
}

function NotListed() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <div className="ya-state" data-testid="place-not-found">
      <ErrorBlock status="empty" title={t('places.place.notFound')} description="">
        <Button color="primary" onClick={() => navigate('/map', { replace: true })}>
          {t('places.place.backToMap')}
        </Button>
      </ErrorBlock>
    </div>
  );
}

function PlaceDetails({ place }: { place: PlaceDetail }) {
  const { t } = useTranslation();
  const origin = useMemo(() => savedOrigin(), []);
  const away = origin && origin.source !== 'default' ? distanceM(origin, place) : undefined;
  const rated = place.type === 'compound' || place.type === 'building';
  const d = place.details ?? {};

  return (
    <div className="ya-place" data-testid="place-page" data-id={place.id}>
      {place.photos.length > 0 && (
        <Swiper className="ya-place-photos" indicatorProps={{ color: 'white' }} loop={place.photos.length > 1}>
          {place.photos.map((p, i) => (
            <Swiper.Item key={p.id}>
              <Image src={p.url} alt={t('places.place.photoAlt', { name: place.name, n: i + 1 })} fit="cover" lazy className="ya-place-photo" />
            </Swiper.Item>
          ))}
        </Swiper>
      )}

      <section className="ya-card ya-place-head">
        <div className="ya-place-head-top">
          <TypeBadge type={place.type} size={40} />
          <div className="ya-place-head-main">
            <div className="ya-place-tags">
              <Tag color="default" fill="outline">
                {t(`common:placeTypes.${place.type}`)}
              </Tag>
              {place.type === 'merchant' && place.certified && (
                <Tag color="success" fill="solid" data-testid="certified">
                  {t('places.place.certified')}
                </Tag>
              )}
            </div>
            <h2 className="ya-place-title" data-testid="place-title">
              {place.name}
            </h2>
          </div>
        </div>
        <div className="ya-place-status">
          <OpenLine state={place.openState} testId="place-open-state" />
          {away !== undefined && (
            <span className="ya-distance" data-testid="place-distance">
              {t(origin!.source === 'located' ? 'places.distance.fromMe' : 'places.distance.fromPicked', { distance: formatDistance(t, away) })}
            </span>
          )}
          {rated && place.friendliness && <ScoreBadge score={place.friendliness.score} />}
        </div>
        <p className="ya-place-address">{place.address}</p>
        {place.areaName && <p className="ya-muted">{place.areaName}</p>}
      </section>

      <section className="ya-card">
        <h2 className="ya-card-title">{t('places.place.navigate')}</h2>
        <p className="ya-muted ya-card-hint">{t('places.place.navigateHint')}</p>
        <NavigateButtons lon={place.lon} lat={place.lat} name={place.name} origin={origin} />
      </section>

      {place.services.length > 0 && (
        <section className="ya-card">
          <h2 className="ya-card-title">{t('places.place.services')}</h2>
          <div className="ya-service-tags" data-testid="place-services">
            {place.services.map((s) => (
              <span key={s} className="ya-service-tag">
                {t(`common:placeServices.${s}`, { defaultValue: s })}
              </span>
            ))}
          </div>
        </section>
      )}

      <section className="ya-card">
        <dl className="ya-kv ya-place-kv">
          <dt>{t('places.place.hours')}</dt>
          <dd data-testid="place-hours">
            {place.hours ? readableHours(t, place.hours).map((line, i) => <div key={i}>{line}</div>) : t('places.place.hoursUnknown')}
            {place.hours && !place.openState.alwaysOpen && (
              <div>
                <OpenLine state={place.openState} />
              </div>
            )}
          </dd>
          <dt>{t('places.place.address')}</dt>
          <dd>{place.address}</dd>
          {place.phone && (
            <>
              <dt>{t('places.place.phone')}</dt>
              <dd>
                <a className="ya-phone" href={`tel:${place.phone.replace(/[^\d+]/g, '')}`} data-testid="place-phone">
                  <PhoneFill /> {place.phone}
                </a>
              </dd>
            </>
          )}
          {d.capacity !== undefined && (place.type === 'station' || place.type === 'canteen') && (
            <>
              <dt>{t('places.place.capacity')}</dt>
              <dd>{t('places.place.capacityValue', { count: d.capacity })}</dd>
            </>
          )}
        </dl>
      </section>

      {place.access && (
        <section className="ya-card" data-testid="place-access">
          <h2 className="ya-card-title">{t('places.place.access')}</h2>
          <dl className="ya-kv ya-place-kv">
            <dt>{t('places.place.accessMode')}</dt>
            <dd>
              <Tag color="primary" fill="outline">
                {t(`common:accessModes.${place.access.mode}`)}
              </Tag>
            </dd>
            {place.access.policy && (
              <>
                <dt>{t('places.place.accessPolicy')}</dt>
                <dd className="ya-text-left">{place.access.policy}</dd>
              </>
            )}
          </dl>
        </section>
      )}

      {place.gates.length > 0 && (
        <section className="ya-card" data-testid="place-gates">
          <h2 className="ya-card-title">{t('places.place.gates')}</h2>
          <ul className="ya-gates">
            {place.gates.map((g, i) => (
              <li key={i} className="ya-gate">
                <div>
                  <strong>{g.name}</strong>
                  <div className="ya-muted">
                    {t('places.place.gateHours')}: {g.hours ? readableHours(t, g.hours).join('; ') : t('places.place.hoursUnknown')}
                  </div>
                </div>
                <a className="ya-link ya-gate-nav" href={navigationLinks({ lon: g.lon, lat: g.lat, name: `${place.name} ${g.name}` }).amap} rel="noopener noreferrer">
                  {t('places.place.gateNavigate')}
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}

      {place.type === 'building' && d.elevator && (
        <section className="ya-card">
          <h2 className="ya-card-title">{t('places.place.building')}</h2>
          <dl className="ya-kv ya-place-kv">
            <dt>{t('places.place.elevator')}</dt>
            <dd className="ya-text-left">{d.elevator}</dd>
          </dl>
        </section>
      )}

      {place.type === 'charging' && <ChargingSection place={place} />}

      {d.offers && d.offers.length > 0 && (
        <section className="ya-card" data-testid="place-offers">
          <h2 className="ya-card-title">{t('places.place.offers')}</h2>
          <ul className="ya-offers">
            {d.offers.map((o, i) => (
              <li key={i} className="ya-offer">
                <span>{o.title}</span>
                {o.priceYuan != null && <strong className="ya-offer-price">{t('places.place.price_yuan', { price: o.priceYuan })}</strong>}
              </li>
            ))}
          </ul>
        </section>
      )}

      {place.description && (
        <section className="ya-card">
          <h2 className="ya-card-title">{t('places.place.description')}</h2>
          <p className="ya-place-description">{place.description}</p>
        </section>
      )}

      {rated && (
        <>
          <section className="ya-card" data-testid="friendliness">
            <h2 className="ya-card-title">{t('places.place.friendliness')}</h2>
            {place.friendliness && place.friendliness.ratings > 0 ? (
              <div className="ya-friendliness">
                <div className="ya-friendliness-score" data-testid="friendliness-score">
                  {place.friendliness.score}
                  <small>/100</small>
                </div>
                <dl className="ya-kv ya-place-kv">
                  <dt>{t('places.place.letInRate')}</dt>
                  <dd>{Math.round(place.friendliness.letInRate * 100)}%</dd>
                  <dt>{t('places.place.typicalEntry')}</dt>
                  <dd>{t(`common:entryBuckets.${place.friendliness.typicalEntry}`, { defaultValue: place.friendliness.typicalEntry })}</dd>
                  <dt>{t('places.place.ratingsCount')}</dt>
                  <dd data-testid="friendliness-count">{place.friendliness.ratings}</dd>
                </dl>
              </div>
            ) : (
              <p className="ya-muted">{t('places.place.friendlinessNone')}</p>
            )}
          </section>
          <RateCard place={place} />
        </>
      )}
    </div>
  );
}

function ChargingSection({ place }: { place: PlaceDetail }) {
  const { t } = useTranslation();
  const d = place.details ?? {};
  const known = place.cabinets.filter((c) => c.state === 'available' || c.state === 'empty');
  const ready = place.cabinets.length === 0 ? undefined : known.length === 0 ? null : known.reduce((n, c) => n + (c.readyBatteries ?? 0), 0);
  return (
    <section className="ya-card" data-testid="place-charging">
      <h2 className="ya-card-title">
        {t('places.place.charging')}
        <BatteryBadge ready={ready} />
      </h2>
      <dl className="ya-kv ya-place-kv">
        {d.sockets !== undefined && (
          <>
            <dt>{t('places.place.sockets')}</dt>
            <dd>{t('places.place.socketsValue', { count: d.sockets })}</dd>
          </>
        )}
        {d.price && (
          <>
            <dt>{t('places.place.price')}</dt>
            <dd>{d.price}</dd>
          </>
        )}
        {d.operatorName && (
          <>
            <dt>{t('places.place.operator')}</dt>
            <dd>{d.operatorName}</dd>
          </>
        )}
      </dl>
      {place.cabinets.length > 0 && (
        <>
          <h3 className="ya-subtitle">{t('places.place.cabinets')}</h3>
          <ul className="ya-cabinets">
            {place.cabinets.map((c) => (
              <Cabinet key={c.id} cabinet={c} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** A swap cabinet's live state; an unknown state never shows batteries as available. */
function Cabinet({ cabinet: c }: { cabinet: CabinetStatus }) {
  const { t } = useTranslation();
  const color = c.state === 'available' ? 'success' : c.state === 'empty' ? 'warning' : 'default';
  const counted = (c.state === 'available' || c.state === 'empty') && c.readyBatteries !== null;
  return (
    <li className="ya-cabinet" data-testid="cabinet" data-state={c.state}>
      <div className="ya-cabinet-main">
        <strong>{c.name}</strong>
        <span className="ya-muted">{c.operatorName}</span>
      </div>
      <div className="ya-cabinet-state">
        <Tag color={color} fill="outline">
          {t(`common:cabinetStates.${c.state}`)}
        </Tag>
        {counted && <span>{t('places.place.cabinetBatteries', { ready: c.readyBatteries, slots: c.slots })}</span>}
      </div>
      <div className="ya-muted ya-cabinet-time">
        {c.lastHeartbeatAt ? t('places.place.cabinetHeartbeat', { time: formatDateTime(c.lastHeartbeatAt) }) : t('places.place.cabinetNoHeartbeat')}
        {c.state === 'unknown' && <div>{t('places.place.cabinetUnknownHint')}</div>}
      </div>
    </li>
  );
}
