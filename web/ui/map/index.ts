/** Shared map pieces (Leaflet), used by the worker app and the admin console's map picker. */
export { BaseMap, type BaseMapProps, type TilesState } from './base-map';
export { createProjector, type Projector } from './projector';
export { useMapConfig, fallbackMapConfig, mapConfigKey } from './map-config';
export { navigationLinks, type NavigationLinks, type NavigationTarget } from './navigation';
export { fromWgs84, toWgs84, distanceM, round6, type LonLat } from './coords';
export { placeMarkerIcon, positionIcon, type PlaceIconOptions } from './markers';
export { placeTypeColors } from './colors';
export { createClusterGroup } from './cluster';
