import type { placeLabels as zh } from './places.zh-CN';

/** English labels of the places contracts. */
export const placeLabels: typeof zh = {
  placeTypes: {
    station: 'Station', merchant: 'Friendly merchant', compound: 'Compound', building: 'Building', charging: 'Charging site', canteen: 'Canteen',
    clinic: 'Clinic', school: 'School', market: 'Market', farm: 'Farm', service_centre: 'Service centre', parcel_locker: 'Parcel locker', relay_point: 'Relay point',
  },
  placeServices: {
    rest: 'Rest', water: 'Drinking water', phone_charging: 'Phone charging', microwave: 'Microwave', fridge: 'Fridge', air_conditioning: 'Air-conditioning',
    first_aid: 'First aid', lockers: 'Lockers', restroom: 'Restroom', wifi: 'Wi-Fi', umbrella: 'Umbrellas', repair_kit: 'Repair kit',
    reading: 'Reading', shower: 'Shower', hot_meal: 'Hot meals', love_meal: '¥10 caring meal', discount: 'Discount', legal_aid: 'Legal aid',
    union_help: 'Union help', ebike_charging: 'E-bike charging', battery_swap: 'Battery swap', parking: 'Parking', delivery_elevator: 'Delivery elevator',
    green_channel: 'Delivery green channel', parcel_storage: 'Storage', medical: 'Medical care', laundry: 'Laundry', counselling: 'Counselling',
  },
  placeStatuses: { draft: 'Draft', active: 'Active', suspended: 'Suspended', closed: 'Closed' },
  accessModes: { open: 'Open entry', pass: 'Pass entry', relay: 'Relay delivery', locker: 'Parcel locker', custom: 'Own policy' },
  entryBuckets: { lt2: 'Under 2 min', '2to5': '2–5 min', '5to10': '5–10 min', gt10: 'Over 10 min' },
  parkingOptions: { easy: 'Easy parking', hard: 'Hard to park', none: 'No parking' },
  cabinetStates: { available: 'Batteries ready', empty: 'No battery ready', offline: 'Offline', unknown: 'Status unknown' },
  merchantStates: { applied: 'Applied', reviewed: 'Reviewed', certified: 'Certified', rejected: 'Rejected', suspended: 'Suspended', exited: 'Exited' },
  coordinateSystems: { WGS84: 'WGS-84 (GPS)', GCJ02: 'GCJ-02 (Amap/Tencent)', BD09: 'BD-09 (Baidu)' },
};
