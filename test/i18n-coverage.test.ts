import { describe, expect, it } from 'vitest';
import { errorStatus } from '../src/contracts/errors.js';
import { industries } from '../src/contracts/workers.js';
import { staffRoles } from '../src/contracts/auth.js';
import { accessModes, coordinateSystems, entryBuckets, parkingOptions, placeServices, placeStatuses, placeTypes } from '../src/contracts/places.js';
import { common as zh } from '../web/ui/i18n/zh-CN.js';
import { common as en } from '../web/ui/i18n/en.js';

/** Every code the API can send and every enum the apps show has a zh-CN and an English string. */
describe('i18n coverage of the shared contracts', () => {
  it.each([
    ['zh-CN', zh],
    ['en', en],
  ])('%s translates every error code, industry and role', (_lang, strings) => {
    const errors = strings.errors as Record<string, string>;
    expect(Object.keys(errorStatus).filter((code) => !errors[code])).toEqual([]);
    expect(industries.filter((i) => !(strings.industries as Record<string, string>)[i])).toEqual([]);
    expect(staffRoles.filter((r) => !(strings.roles as Record<string, string>)[r])).toEqual([]);
  });

  it.each([
    ['zh-CN', zh],
    ['en', en],
  ])('%s translates every place type, service, status, access mode and rating option', (_lang, strings) => {
    const missing = (values: readonly string[], table: Record<string, string>) => values.filter((v) => !table[v]);
    expect(missing(placeTypes, strings.placeTypes)).toEqual([]);
    expect(missing(placeServices, strings.placeServices)).toEqual([]);
    expect(missing(placeStatuses, strings.placeStatuses)).toEqual([]);
    expect(missing(accessModes, strings.accessModes)).toEqual([]);
    expect(missing(entryBuckets, strings.entryBuckets)).toEqual([]);
    expect(missing(parkingOptions, strings.parkingOptions)).toEqual([]);
    expect(missing(coordinateSystems, strings.coordinateSystems)).toEqual([]);
  });
});
