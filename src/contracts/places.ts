import { Type, type Static, type TSchema } from 'typebox';

/**
 * Places (甬爱场景): the registry of every place that serves workers, shared by the API and the apps.
 * Coordinates are WGS-84 everywhere in the API and the database; the apps convert at the edge
 * (GCJ-02 / BD-09 for Chinese map apps). Labels live in i18n: `placeTypes.<type>`, `placeServices.<s>`,
 * `placeStatuses.<s>`, `accessModes.<m>` (namespace common).
 */

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
/**
 * A nullable primitive as a JSON Schema type list (`["integer", "null"]`), not `anyOf`: the response
 * serializer then writes it directly instead of validating each branch (the nearby endpoint's hot path).
 */
const orNull = <T>(type: 'string' | 'integer' | 'boolean' | 'number', extra: Record<string, unknown> = {}) =>
  Type.Unsafe<T | null>({ type: [type, 'null'], ...extra });
const enumOf = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });

export const placeTypes = [
  'station', // 驿站 (the "10+X" services)
  'merchant', // 商家 (only certified merchants are shown to workers)
  'compound', // 小区 (delivery access policy, gates)
  'building', // 楼宇 (green channel, delivery elevator)
  'charging', // 充换电站 (sockets, swap cabinets)
  'canteen', // 食堂
  'clinic', // 诊所/卫生服务站
  'school', // 学校 (骑手子女, 夜校)
  'market', // 市场
  'farm', // 农场/基地
  'service_centre', // 服务中心 (新就业群体服务中心)
  'parcel_locker', // 外卖柜/快递柜
  'relay_point', // 接力点
] as const;
export type PlaceType = (typeof placeTypes)[number];

/**
 * Services a place may offer; one vocabulary for all types (a bit each in the nearby index: ≤ 32).
 * The first ten are the stations' "10+X" basics.
 */
export const placeServices = [
  'rest', // 休息
  'water', // 饮水
  'phone_charging', // 手机充电
  'microwave', // 微波炉热饭
  'fridge', // 冰箱
  'air_conditioning', // 空调
  'first_aid', // 急救药箱
  'lockers', // 储物柜
  'restroom', // 卫生间
  'wifi', // 无线网络
  'umbrella', // 雨具
  'repair_kit', // 维修工具
  'reading', // 阅读
  'shower', // 淋浴
  'hot_meal', // 热餐
  'love_meal', // 10元爱心餐
  'discount', // 折扣优惠
  'legal_aid', // 法律援助
  'union_help', // 工会帮扶
  'ebike_charging', // 电动车充电
  'battery_swap', // 换电
  'parking', // 临时停车
  'delivery_elevator', // 外卖专用电梯
  'green_channel', // 配送绿色通道
  'parcel_storage', // 寄存/暂存
  'medical', // 医疗服务
  'laundry', // 洗衣
  'counselling', // 心理疏导
] as const;
export type PlaceService = (typeof placeServices)[number];

/** Lifecycle: draft → active → suspended → active | closed; closed is final. */
export const placeStatuses = ['draft', 'active', 'suspended', 'closed'] as const;
export type PlaceStatus = (typeof placeStatuses)[number];
export const placeTransitions: Record<PlaceStatus, PlaceStatus[]> = {
  draft: ['active', 'closed'],
  active: ['suspended', 'closed'],
  suspended: ['active', 'closed'],
  closed: [],
};

/** Compound delivery access (一区一策): open entry, pass entry, relay point 接力送, locker 外卖柜, free text. */
export const accessModes = ['open', 'pass', 'relay', 'locker', 'custom'] as const;
export type AccessMode = (typeof accessModes)[number];

/** Coordinate systems accepted on input (import, map picker); stored as WGS-84. */
export const coordinateSystems = ['WGS84', 'GCJ02', 'BD09'] as const;
export type CoordinateSystem = (typeof coordinateSystems)[number];

/** The tenant's region, [minLon, minLat, maxLon, maxLat] in WGS-84: coordinates outside it are refused. */
export const cityBounds: Record<string, [number, number, number, number]> = {
  '3302': [120.8, 28.8, 122.6, 30.7], // 宁波 incl. 象山 islands
};

/** Where a city's map opens (宁波: 天一广场). */
export const cityCentres: Record<string, { lon: number; lat: number }> = {
  '3302': { lon: 121.5547, lat: 29.8714 },
};

export const Longitude = Type.Number({ minimum: -180, maximum: 180, description: 'WGS-84 longitude' });
export const Latitude = Type.Number({ minimum: -90, maximum: 90, description: 'WGS-84 latitude' });

export const Gate = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 40 }),
  lon: Longitude,
  lat: Latitude,
  hours: Nullable(Type.String({ maxLength: 200, description: 'OpenStreetMap opening_hours syntax' })),
});
export type Gate = Static<typeof Gate>;

export const Access = Type.Object({
  mode: enumOf(accessModes),
  policy: Type.String({ maxLength: 500, description: 'what a rider must do, in the compound’s words (一区一策)' }),
});
export type Access = Static<typeof Access>;

export const Offer = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 60 }),
  priceYuan: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 100000 }))),
});

/** Type-specific details; every field optional, validated by the type's needs in the service. */
export const PlaceDetails = Type.Object(
  {
    sockets: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000, description: 'charging: number of charging sockets' })),
    price: Type.Optional(Type.String({ maxLength: 100, description: 'charging: price in words, e.g. 0.8元/度' })),
    operatorName: Type.Optional(Type.String({ maxLength: 60, description: 'charging: operator brand' })),
    offers: Type.Optional(Type.Array(Offer, { maxItems: 20, description: 'merchant: offers such as 10元爱心餐' })),
    elevator: Type.Optional(Type.String({ maxLength: 200, description: 'building: which elevator riders use' })),
    capacity: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000, description: 'station/canteen: seats' })),
  },
  { additionalProperties: false },
);
export type PlaceDetails = Static<typeof PlaceDetails>;

/** Editable fields of a place (admin create / update / import). */
export const PlaceInput = Type.Object({
  type: enumOf(placeTypes),
  name: Type.String({ minLength: 1, maxLength: 80 }),
  areaCode: Type.String({ pattern: '^\\d{6,12}$', description: 'GB/T 2260 street (9 digits) or community (12) code within the city' }),
  address: Type.String({ minLength: 1, maxLength: 200 }),
  lon: Longitude,
  lat: Latitude,
  crs: Type.Optional(enumOf(coordinateSystems, 'coordinate system of lon/lat; default WGS84')),
  phone: Type.Optional(Nullable(Type.String({ maxLength: 30, description: 'public contact number of the place' }))),
  hours: Type.Optional(Nullable(Type.String({ maxLength: 300, description: 'OpenStreetMap opening_hours, e.g. "Mo-Fr 08:00-22:00; Sa,Su 10:00-20:00" or "24/7"' }))),
  services: Type.Array(enumOf(placeServices), { maxItems: 32, uniqueItems: true }),
  description: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  access: Type.Optional(Nullable(Access)),
  gates: Type.Optional(Type.Array(Gate, { maxItems: 20 })),
  details: Type.Optional(PlaceDetails),
});
export type PlaceInput = Static<typeof PlaceInput>;

// One object, not an intersection: with removeAdditional each allOf branch would strip the other's fields.
export const PlaceUpdate = Type.Object({
  ...Type.Partial(PlaceInput).properties,
  version: Type.Integer({ minimum: 1, description: 'the version read; a stale version → 409 places.version_conflict' }),
});
export type PlaceUpdate = Static<typeof PlaceUpdate>;

export const PlaceIdParams = Type.Object({ id: Type.String({ pattern: '^\\d{1,18}$' }) });

/** Friendliness of a compound or building, from riders' two-tap ratings (last 180 days). */
export const Friendliness = Type.Object({
  score: Type.Integer({ minimum: 0, maximum: 100, description: '0–100: let in (50 %), entry time (30 %), parking (20 %)' }),
  ratings: Type.Integer(),
  letInRate: Type.Number({ description: '0–1' }),
  typicalEntry: Type.String({ description: 'the most frequent entry-time bucket' }),
});
export type Friendliness = Static<typeof Friendliness>;

/** Open-now state computed in Asia/Shanghai. `open` is null when the hours are unknown. */
export const OpenState = Type.Object({
  open: orNull<boolean>('boolean'),
  /** ISO time of the next change (closes at / opens at), null if none within 7 days or unknown. */
  nextChange: orNull<string>('string', { format: 'date-time' }),
  alwaysOpen: Type.Boolean(),
});
export type OpenState = Static<typeof OpenState>;

/** Live swap-cabinet availability (charging module). `state` is unknown when the heartbeat is over 10 minutes old. */
export const CabinetStatus = Type.Object({
  id: Type.String(),
  name: Type.String(),
  operatorName: Type.String(),
  slots: Type.Integer(),
  readyBatteries: Nullable(Type.Integer({ description: 'null when the state is unknown: never shown as available' })),
  state: enumOf(['available', 'empty', 'offline', 'unknown'] as const),
  lastHeartbeatAt: Nullable(Type.String({ format: 'date-time' })),
});
export type CabinetStatus = Static<typeof CabinetStatus>;

/** What a worker (or the public) sees in a list or on a marker. */
export const PlaceSummary = Type.Object({
  id: Type.String(),
  type: enumOf(placeTypes),
  name: Type.String(),
  address: Type.String(),
  lon: Type.Number(),
  lat: Type.Number(),
  services: Type.Array(Type.String()),
  distanceM: Type.Optional(Type.Integer({ description: 'metres from the query point (great circle)' })),
  openState: OpenState,
  score: orNull<number>('integer', { description: 'friendliness 0–100 for compounds and buildings with ratings' }),
  readyBatteries: Type.Optional(orNull<number>('integer', { description: 'charging sites: ready batteries across fresh cabinets' })),
});
export type PlaceSummary = Static<typeof PlaceSummary>;

/** The place page. */
export const PlaceDetail = Type.Object({
  id: Type.String(),
  type: enumOf(placeTypes),
  name: Type.String(),
  areaCode: Type.String(),
  areaName: Type.String({ description: 'e.g. 鄞州区 白鹤街道' }),
  address: Type.String(),
  lon: Type.Number(),
  lat: Type.Number(),
  phone: Nullable(Type.String()),
  hours: Nullable(Type.String()),
  openState: OpenState,
  services: Type.Array(Type.String()),
  description: Nullable(Type.String()),
  access: Nullable(Access),
  gates: Type.Array(Gate),
  details: PlaceDetails,
  photos: Type.Array(Type.Object({ id: Type.String(), url: Type.String() })),
  friendliness: Nullable(Friendliness),
  cabinets: Type.Array(CabinetStatus),
  certified: Type.Boolean({ description: 'merchants: certified (进管出); other types: false' }),
});
export type PlaceDetail = Static<typeof PlaceDetail>;

export const NearbyQuery = Type.Object({
  lon: Longitude,
  lat: Latitude,
  types: Type.Optional(Type.String({ maxLength: 300, description: 'comma-separated place types' })),
  services: Type.Optional(Type.String({ maxLength: 600, description: 'comma-separated services; a place must offer all' })),
  openNow: Type.Optional(Type.Boolean()),
  readyBattery: Type.Optional(Type.Boolean({ description: 'charging sites with a ready swap battery and a fresh heartbeat' })),
  radiusM: Type.Optional(Type.Integer({ minimum: 1, maximum: 200000 })),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 20 }),
});
export type NearbyQuery = Static<typeof NearbyQuery>;

export const NearbyResponse = Type.Object({
  items: Type.Array(PlaceSummary),
  source: enumOf(['index', 'sql'] as const, 'the in-memory index, or SQL when the index is not ready'),
});
export type NearbyResponse = Static<typeof NearbyResponse>;

// ---- ratings (worker) ----

export const entryBuckets = ['lt2', '2to5', '5to10', 'gt10'] as const; // minutes
export const parkingOptions = ['easy', 'hard', 'none'] as const;

export const RatingInput = Type.Object({
  entryMinutes: enumOf(entryBuckets, 'how long entry took, in minutes'),
  letIn: Type.Boolean({ description: 'was the rider let in' }),
  parking: enumOf(parkingOptions, 'where to leave the e-bike'),
});
export type RatingInput = Static<typeof RatingInput>;

// ---- admin ----

export const AdminPlaceListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 80, description: 'name or address contains' })),
  type: Type.Optional(enumOf(placeTypes)),
  status: Type.Optional(enumOf(placeStatuses)),
  areaCode: Type.Optional(Type.String({ pattern: '^\\d{4,12}$' })),
  page: Type.Integer({ minimum: 1, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
});
export type AdminPlaceListQuery = Static<typeof AdminPlaceListQuery>;

export const AdminPlace = Type.Object({
  id: Type.String(),
  type: enumOf(placeTypes),
  name: Type.String(),
  areaCode: Type.String(),
  areaName: Type.String(),
  address: Type.String(),
  lon: Type.Number(),
  lat: Type.Number(),
  phone: Nullable(Type.String()),
  hours: Nullable(Type.String()),
  services: Type.Array(Type.String()),
  description: Nullable(Type.String()),
  access: Nullable(Access),
  gates: Type.Array(Gate),
  details: PlaceDetails,
  photos: Type.Array(Type.Object({ id: Type.String(), url: Type.String() })),
  status: enumOf(placeStatuses),
  certified: Type.Boolean(),
  version: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type AdminPlace = Static<typeof AdminPlace>;

export const StatusChange = Type.Object({
  to: enumOf(placeStatuses),
  reason: Type.String({ minLength: 2, maxLength: 500 }),
});
export type StatusChange = Static<typeof StatusChange>;

export const PlaceHistoryItem = Type.Object({
  at: Type.String({ format: 'date-time' }),
  fromStatus: Nullable(Type.String()),
  toStatus: Type.String(),
  reason: Nullable(Type.String()),
  actorName: Type.String(),
});

/** Import: one row per place; columns by these header names (Chinese headers are accepted too). */
export const importColumns = [
  ['name', '名称'],
  ['type', '类型'],
  ['area_code', '区划代码'],
  ['address', '地址'],
  ['longitude', '经度'],
  ['latitude', '纬度'],
  ['crs', '坐标系'],
  ['hours', '营业时间'],
  ['services', '服务'],
  ['phone', '电话'],
  ['description', '简介'],
] as const;

/** One problem in an import file: 1-based row as the spreadsheet shows it (the header is row 1). */
export const ImportRowError = Type.Object({
  row: Type.Integer(),
  column: Type.String(),
  code: Type.String({ description: 'an error code, e.g. places.out_of_region, places.invalid_hours, places.duplicate_row' }),
  message: Type.String(),
});
export type ImportRowError = Static<typeof ImportRowError>;

export const ImportResult = Type.Object({
  imported: Type.Integer(),
  dryRun: Type.Boolean(),
});

export const WorstRated = Type.Object({
  id: Type.String(),
  type: Type.String(),
  name: Type.String(),
  areaName: Type.String(),
  friendliness: Friendliness,
});

/** 15-minute service circle: share of compounds with a station within reach, per child area. */
export const ServiceCircleRow = Type.Object({
  areaCode: Type.String(),
  areaName: Type.String(),
  compounds: Type.Integer(),
  covered: Type.Integer(),
  share: Type.Number({ description: '0–1; 0 when the area has no compounds' }),
});
export const ServiceCircleReport = Type.Object({
  areaCode: Type.String(),
  areaName: Type.String(),
  reachM: Type.Integer({ description: 'straight-line reach: speed × minutes ÷ detour factor' }),
  compounds: Type.Integer(),
  covered: Type.Integer(),
  share: Type.Number(),
  rows: Type.Array(ServiceCircleRow),
  gaps: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), lon: Type.Number(), lat: Type.Number(), nearestStationM: Nullable(Type.Integer()) }), {
    description: 'compounds out of reach (at most 2,000, farthest first): the map layer of gaps',
  }),
});
export type ServiceCircleReport = Static<typeof ServiceCircleReport>;

// ---- map tiles (public config) ----

export const MapConfig = Type.Object({
  tiles: Nullable(
    Type.Object({
      url: Type.String({ description: 'Leaflet URL template' }),
      subdomains: Type.Array(Type.String()),
      attribution: Type.String(),
      crs: enumOf(coordinateSystems, 'what the tiles are drawn in: markers are converted to it'),
      maxZoom: Type.Integer(),
    }),
  ),
  center: Type.Object({ lon: Type.Number(), lat: Type.Number() }),
  zoom: Type.Integer(),
});
export type MapConfig = Static<typeof MapConfig>;

// ---- PLACES-API routes: parameters and queries of the registry, photos, import/export, reports ----

export const PlacePhoto = Type.Object({ id: Type.String(), url: Type.String({ description: '/api/places/photos/:photoId — the re-encoded public copy' }) });
export const PlacePhotoParams = Type.Object({ id: Type.String({ pattern: '^\\d{1,18}$' }), photoId: Type.String({ format: 'uuid' }) });
export const PublicPhotoParams = Type.Object({ photoId: Type.String({ format: 'uuid' }) });

export const placeFileFormats = ['csv', 'xlsx'] as const;
export type PlaceFileFormat = (typeof placeFileFormats)[number];
const fileFormat = (description: string, dflt?: PlaceFileFormat) =>
  Type.Unsafe<PlaceFileFormat>({ type: 'string', enum: [...placeFileFormats], description, ...(dflt ? { default: dflt } : {}) });

/** The list filters, without paging: every matching row is exported. */
export const PlaceExportQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 80, description: 'name or address contains' })),
  type: Type.Optional(enumOf(placeTypes)),
  status: Type.Optional(enumOf(placeStatuses)),
  areaCode: Type.Optional(Type.String({ pattern: '^\\d{4,12}$' })),
  format: fileFormat('CSV (UTF-8 with BOM, opens in Excel) or XLSX', 'xlsx'),
});
export type PlaceExportQuery = Static<typeof PlaceExportQuery>;

export const PlaceImportQuery = Type.Object({
  format: Type.Optional(fileFormat('csv or xlsx; by default recognised from the file itself')),
  dryRun: Type.Boolean({ default: false, description: 'validate only, import nothing' }),
  activate: Type.Boolean({ default: false, description: 'operators only: import straight to active (default: draft)' }),
});
export type PlaceImportQuery = Static<typeof PlaceImportQuery>;

export const PlaceTemplateQuery = Type.Object({ format: fileFormat('csv or xlsx (xlsx has a second sheet explaining the codes)', 'xlsx') });

export const WorstRatedQuery = Type.Object({
  areaCode: Type.Optional(Type.String({ pattern: '^\\d{4,12}$', description: 'default: my whole scope' })),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});
export type WorstRatedQuery = Static<typeof WorstRatedQuery>;

export const ServiceCircleQuery = Type.Object({
  areaCode: Type.Optional(Type.String({ pattern: '^\\d{4,12}$', description: 'city, district, street or community; default: my scope' })),
});
export type ServiceCircleQuery = Static<typeof ServiceCircleQuery>;
export type WorstRated = Static<typeof WorstRated>;
export type PlaceHistoryItem = Static<typeof PlaceHistoryItem>;
export type ImportResult = Static<typeof ImportResult>;
