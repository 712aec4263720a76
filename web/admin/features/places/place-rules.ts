import { placeServices, type PlaceService, type PlaceStatus, type PlaceType } from '@contracts/places';

const stationBasics: PlaceService[] = ['rest', 'water', 'phone_charging', 'microwave', 'fridge', 'air_conditioning', 'first_aid', 'lockers', 'restroom', 'wifi'];

/**
 * The services that make sense for each type, offered first in the form (the "10+X" basics for a
 * station, offers for a merchant, delivery access for compounds and buildings …). The server accepts any
 * service; the form can show them all on request.
 */
export const servicesByType: Record<PlaceType, PlaceService[]> = {
  station: [...stationBasics, 'umbrella', 'repair_kit', 'reading', 'shower', 'hot_meal', 'love_meal', 'legal_aid', 'union_help', 'ebike_charging', 'parking', 'parcel_storage', 'medical', 'laundry', 'counselling'],
  service_centre: [...placeServices],
  merchant: ['love_meal', 'discount', 'hot_meal', 'water', 'phone_charging', 'microwave', 'rest', 'restroom', 'air_conditioning', 'wifi', 'parking', 'ebike_charging', 'repair_kit'],
  canteen: ['hot_meal', 'love_meal', 'discount', 'water', 'microwave', 'rest', 'restroom', 'air_conditioning', 'wifi', 'phone_charging'],
  compound: ['green_channel', 'delivery_elevator', 'parcel_storage', 'parking', 'ebike_charging', 'restroom'],
  building: ['green_channel', 'delivery_elevator', 'parcel_storage', 'parking', 'restroom', 'water'],
  charging: ['ebike_charging', 'battery_swap', 'parking', 'rest', 'water', 'phone_charging', 'restroom'],
  clinic: ['medical', 'first_aid', 'counselling', 'water', 'rest', 'restroom'],
  school: ['reading', 'legal_aid', 'counselling', 'union_help', 'wifi', 'water'],
  market: ['discount', 'parking', 'restroom', 'water', 'hot_meal'],
  farm: ['discount', 'parking', 'restroom', 'water', 'rest'],
  parcel_locker: ['parcel_storage', 'lockers'],
  relay_point: ['parcel_storage', 'lockers', 'parking', 'rest', 'water'],
};

/** Which type-specific parts of the form a type has (the service refuses details that do not apply). */
export const typeSections = {
  access: (t: PlaceType | undefined) => t === 'compound' || t === 'building',
  gates: (t: PlaceType | undefined) => t === 'compound',
  elevator: (t: PlaceType | undefined) => t === 'building',
  charging: (t: PlaceType | undefined) => t === 'charging',
  offers: (t: PlaceType | undefined) => t === 'merchant' || t === 'canteen',
  capacity: (t: PlaceType | undefined) => t === 'station' || t === 'canteen' || t === 'service_centre' || t === 'school' || t === 'clinic',
};

/** Operators and handlers (streets, departments) edit places in their scope; grid workers read. */
export function mayEditPlaces(role: string): boolean {
  return role === 'operator' || role === 'handler';
}

/** Only operators may import straight to active (everyone else's imports start as drafts). */
export function mayImportActive(role: string): boolean {
  return role === 'operator';
}

/** The action label key of a transition: draft→active is 上线, suspended→active is 恢复. */
export function transitionKey(from: PlaceStatus, to: PlaceStatus): string {
  if (to === 'active') return from === 'suspended' ? 'resume' : 'activate';
  if (to === 'suspended') return 'suspend';
  return 'close';
}

export const statusColors: Record<PlaceStatus, string> = { draft: 'default', active: 'green', suspended: 'orange', closed: 'red' };

export const typeColors: Partial<Record<PlaceType, string>> = {
  station: 'volcano',
  merchant: 'gold',
  compound: 'blue',
  building: 'geekblue',
  charging: 'green',
  canteen: 'orange',
  clinic: 'red',
  service_centre: 'purple',
};

/** A street or community code (the registry's places belong to one). */
export const placeAreaLength = (code: string | undefined) => !!code && (code.length === 9 || code.length === 12);

export const hoursExamples = ['Mo-Fr 08:00-22:00; Sa,Su 10:00-20:00', '24/7', 'Mo-Su 07:00-21:00', 'Mo-Sa 09:00-12:00,14:00-18:00; PH off'];
