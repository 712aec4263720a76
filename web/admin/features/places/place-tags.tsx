import { Tag } from 'antd';
import type { PlaceStatus, PlaceType } from '@contracts/places';
import { labelOf } from '../../shared/format';
import { statusColors, typeColors } from './place-rules';

export function PlaceTypeTag({ type }: { type: string }) {
  return <Tag color={typeColors[type as PlaceType] ?? 'default'}>{labelOf('placeTypes', type)}</Tag>;
}

export function PlaceStatusTag({ status }: { status: string }) {
  return (
    <Tag color={statusColors[status as PlaceStatus] ?? 'default'} data-status={status}>
      {labelOf('placeStatuses', status)}
    </Tag>
  );
}
