import type { Config } from '../../server/config.js';
import type { ServiceCircleReport } from '../../contracts/places.js';
import { AREA_LEVEL, type Area, type AreasService } from '../areas/areas.service.js';
import type { NearbyService } from './places.nearby.js';
import type { PlacesRepository } from './places.repository.js';

/**
 * The 15-minute service circle (15分钟服务圈): which compounds of an area have a station within a
 * rider's 15 minutes. Reach is a straight-line distance: speed × time, shortened by the detour factor
 * of real roads over straight lines.
 */

export const MAX_GAPS = 2000;

export function circleReachM(c: Pick<Config['places'], 'circleSpeedKmh' | 'circleMinutes' | 'circleDetour'>): number {
  return Math.round((c.circleSpeedKmh * 1000 * c.circleMinutes) / 60 / c.circleDetour);
}

const share = (covered: number, total: number) => (total === 0 ? 0 : Math.round((covered / total) * 10000) / 10000);

export function createServiceCircle(deps: {
  repo: Pick<PlacesRepository, 'activeCompounds'>;
  areas: Pick<AreasService, 'get' | 'children'>;
  nearby: Pick<NearbyService, 'nearest'>;
  config: Pick<Config, 'places'>;
}) {
  const { repo, areas, nearby } = deps;

  /** The rows of the report: a district's streets, a street's communities, a community itself (a city: its districts). */
  async function rowAreas(area: Area): Promise<Area[]> {
    if (area.level >= AREA_LEVEL.community) return [area];
    return areas.children(area.code);
  }

  return {
    async report(cityCode: string, areaCode: string): Promise<ServiceCircleReport> {
      const area = await areas.get(areaCode);
      const reachM = circleReachM(deps.config.places);
      const children = await rowAreas(area);
      const compounds = await repo.activeCompounds(cityCode, area.code);

      const rows = new Map(children.map((c) => [c.code, { areaCode: c.code, areaName: c.name, compounds: 0, covered: 0, share: 0 }]));
      const gaps: ServiceCircleReport['gaps'] = [];
      let covered = 0;
      for (const c of compounds) {
        const within = await nearby.nearest(cityCode, c.lon, c.lat, { types: ['station'], k: 1, maxDistanceM: reachM });
        const isCovered = within.length > 0;
        const row = children.length ? rows.get(children.find((ch) => c.area_code.startsWith(ch.code))?.code ?? '') : undefined;
        if (row) {
          row.compounds += 1;
          if (isCovered) row.covered += 1;
        }
        if (isCovered) {
          covered += 1;
          continue;
        }
        const nearest = await nearby.nearest(cityCode, c.lon, c.lat, { types: ['station'], k: 1 });
        gaps.push({ id: String(c.id), name: c.name, lon: c.lon, lat: c.lat, nearestStationM: nearest[0] ? Math.round(nearest[0].distanceM) : null });
      }
      for (const row of rows.values()) row.share = share(row.covered, row.compounds);
      // Farthest first; no station at all counts as the farthest.
      gaps.sort((a, b) => (b.nearestStationM ?? Infinity) - (a.nearestStationM ?? Infinity) || Number(a.id) - Number(b.id));
      return {
        areaCode: area.code,
        areaName: area.name,
        reachM,
        compounds: compounds.length,
        covered,
        share: share(covered, compounds.length),
        rows: [...rows.values()],
        gaps: gaps.slice(0, MAX_GAPS),
      };
    },
  };
}
