import { useState } from 'react';
import { Button, Descriptions, Divider, Drawer, Empty, Space, Spin, Tag, Timeline, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { placeTransitions, type AdminPlace, type PlaceStatus } from '@contracts/places';
import { ErrorResult } from '../../shared/query-state';
import { formatTime, labelOf } from '../../shared/format';
import { usePlace, usePlaceHistory } from './api';
import { PlaceStatusTag, PlaceTypeTag } from './place-tags';
import { transitionKey } from './place-rules';
import { StatusModal, type StatusChanging } from './status-modal';
import { PlacePhotos } from './place-photos';
import { LocationPicker } from './location-picker';

/** One place: what it is, where, its photos, its lifecycle buttons and its status history. */
export function PlaceDrawer({ id, fallback, editable, onClose, onEdit }: { id?: string; fallback?: AdminPlace; editable: boolean; onClose(): void; onEdit(place: AdminPlace): void }) {
  const { t } = useTranslation();
  const detail = usePlace(id);
  const place = detail.data ?? (fallback?.id === id ? fallback : undefined);
  const [changing, setChanging] = useState<StatusChanging>();

  const transitions: PlaceStatus[] = place ? placeTransitions[place.status] : [];

  return (
    <Drawer
      open={!!id}
      onClose={onClose}
      size="min(720px, 100vw)"
      destroyOnHidden
      loading={detail.isLoading && !place}
      title={
        place ? (
          <Space wrap>
            <span>{place.name}</span>
            <PlaceStatusTag status={place.status} />
          </Space>
        ) : (
          t('places.drawer.title')
        )
      }
      extra={
        place && editable ? (
          <Space wrap>
            {place.status !== 'closed' && (
              <Button icon={<EditOutlined />} onClick={() => onEdit(place)}>
                {t('common:actions.edit')}
              </Button>
            )}
            {transitions.map((to) => {
              const action = transitionKey(place.status, to);
              return (
                <Button key={to} type={to === 'active' ? 'primary' : 'default'} danger={to === 'closed'} onClick={() => setChanging({ place, to })}>
                  {t(`places.status.actions.${action}`)}
                </Button>
              );
            })}
          </Space>
        ) : undefined
      }
    >
      {detail.isError && !place ? (
        <ErrorResult error={detail.error} onRetry={() => void detail.refetch()} />
      ) : place ? (
        <>
          <PlaceDescriptions place={place} />
          <div style={{ marginTop: 16 }}>
            <LocationPicker value={{ lon: place.lon, lat: place.lat }} extraPoints={place.gates.map((g) => ({ lon: g.lon, lat: g.lat, label: g.name }))} height={220} readOnly label={t('places.drawer.mapLabel', { name: place.name })} />
          </div>
          <Divider titlePlacement="start">{t('places.drawer.photos')}</Divider>
          <PlacePhotos place={place} editable={editable && place.status !== 'closed'} />
          <Divider titlePlacement="start">{t('places.drawer.history')}</Divider>
          <PlaceHistory id={place.id} />
          <StatusModal changing={changing} onClose={() => setChanging(undefined)} />
        </>
      ) : null}
    </Drawer>
  );
}

function PlaceDescriptions({ place }: { place: AdminPlace }) {
  const { t } = useTranslation();
  const d = place.details;
  const items = [
    { key: 'type', label: t('places.fields.type'), children: <PlaceTypeTag type={place.type} /> },
    { key: 'area', label: t('places.fields.area'), children: place.areaName },
    { key: 'address', label: t('places.fields.address'), children: place.address },
    { key: 'point', label: t('places.fields.point'), children: <span style={{ fontFamily: 'monospace' }}>{`${place.lon.toFixed(6)}, ${place.lat.toFixed(6)}`} (WGS-84)</span> },
    { key: 'phone', label: t('places.fields.phone'), children: place.phone ?? '—' },
    { key: 'hours', label: t('places.fields.hours'), children: place.hours ? <code>{place.hours}</code> : t('places.drawer.hoursUnknown') },
    {
      key: 'services',
      label: t('places.fields.services'),
      children: place.services.length ? (
        <Space size={[4, 4]} wrap>
          {place.services.map((s) => (
            <Tag key={s}>{labelOf('placeServices', s)}</Tag>
          ))}
        </Space>
      ) : (
        '—'
      ),
    },
  ];
  if (place.access) {
    items.push({ key: 'access', label: t('places.fields.accessMode'), children: <>{labelOf('accessModes', place.access.mode)}</> });
    if (place.access.policy) items.push({ key: 'policy', label: t('places.fields.accessPolicy'), children: <>{place.access.policy}</> });
  }
  if (place.gates.length) {
    items.push({
      key: 'gates',
      label: t('places.fields.gates'),
      children: (
        <ul style={{ margin: 0, paddingInlineStart: 18 }}>
          {place.gates.map((g, i) => (
            <li key={i}>
              {g.name} · <span style={{ fontFamily: 'monospace' }}>{`${g.lon.toFixed(5)}, ${g.lat.toFixed(5)}`}</span>
              {g.hours ? <> · <code>{g.hours}</code></> : null}
            </li>
          ))}
        </ul>
      ),
    });
  }
  if (d.elevator) items.push({ key: 'elevator', label: t('places.fields.elevator'), children: <>{d.elevator}</> });
  if (d.sockets !== undefined) items.push({ key: 'sockets', label: t('places.fields.sockets'), children: <>{d.sockets}</> });
  if (d.price) items.push({ key: 'price', label: t('places.fields.price'), children: <>{d.price}</> });
  if (d.operatorName) items.push({ key: 'operatorName', label: t('places.fields.operatorName'), children: <>{d.operatorName}</> });
  if (d.capacity !== undefined) items.push({ key: 'capacity', label: t('places.fields.capacity'), children: <>{d.capacity}</> });
  if (d.offers?.length) {
    items.push({
      key: 'offers',
      label: t('places.fields.offers'),
      children: (
        <Space size={[4, 4]} wrap>
          {d.offers.map((o, i) => (
            <Tag key={i} color="gold">
              {o.title}
              {o.priceYuan !== undefined && o.priceYuan !== null ? ` · ${t('places.drawer.yuan', { price: o.priceYuan })}` : ''}
            </Tag>
          ))}
        </Space>
      ),
    });
  }
  if (place.type === 'merchant') items.push({ key: 'certified', label: t('places.fields.certified'), children: place.certified ? <Tag color="green">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag> });
  items.push(
    { key: 'description', label: t('places.fields.description'), children: <>{place.description ?? '—'}</> },
    { key: 'updatedAt', label: t('places.fields.updatedAt'), children: <>{formatTime(place.updatedAt)}</> },
    { key: 'createdAt', label: t('places.fields.createdAt'), children: <>{formatTime(place.createdAt)}</> },
  );
  return <Descriptions column={1} bordered size="small" items={items} data-testid="place-descriptions" />;
}

const statusDot: Record<string, string> = { draft: 'gray', active: 'green', suspended: 'orange', closed: 'red' };

function PlaceHistory({ id }: { id: string }) {
  const { t } = useTranslation();
  const history = usePlaceHistory(id);
  if (history.isLoading) return <Spin />;
  if (history.isError) return <ErrorResult error={history.error} onRetry={() => void history.refetch()} />;
  const items = history.data ?? [];
  if (!items.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('places.drawer.noHistory')} />;
  return (
    <Timeline
      data-testid="place-history"
      items={items.map((h, i) => ({
        key: i,
        color: statusDot[h.toStatus] ?? 'blue',
        title: formatTime(h.at),
        content: (
          <div>
            <Typography.Text strong>
              {h.fromStatus
                ? t('places.drawer.historyMove', { from: labelOf('placeStatuses', h.fromStatus), to: labelOf('placeStatuses', h.toStatus) })
                : t('places.drawer.historyCreated', { to: labelOf('placeStatuses', h.toStatus) })}
            </Typography.Text>
            <Typography.Text type="secondary"> · {h.actorName}</Typography.Text>
            {h.reason && <div>{t('places.drawer.historyReason', { reason: h.reason })}</div>}
          </div>
        ),
      }))}
    />
  );
}
