import type { PlaceType } from '@contracts/places';

/** One colour per place type, shared by map pins, list badges and filter chips (no Leaflet here). */
export const placeTypeColors: Record<PlaceType, string> = {
  station: '#e5432d',
  merchant: '#f08a24',
  compound: '#1f9d55',
  building: '#2f6fde',
  charging: '#0f9f9a',
  canteen: '#c2410c',
  clinic: '#db2777',
  school: '#7c3aed',
  market: '#a16207',
  farm: '#65a30d',
  service_centre: '#b91c1c',
  parcel_locker: '#475569',
  relay_point: '#0891b2',
};
