import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { ConfigError, loadConfig } from '../../server/config.js';
import { staffClient } from '../charging/charging.test-support.js';

// Inside Ningbo (鄞州区)
const LAT = 29.8186;
const LON = 121.5572;

describe('OPEN311_JURISDICTIONS', () => {
  it('unset or empty: none configured (the module keeps its default alias)', () => {
    expect(loadConfig({}).open311.jurisdictions).toBeUndefined();
    expect(loadConfig({ OPEN311_JURISDICTIONS: '' }).open311.jurisdictions).toBeUndefined();
  });

  it('parses alias=city code pairs, lower-cases the aliases, and tolerates spaces and a trailing comma', () => {
    expect(loadConfig({ OPEN311_JURISDICTIONS: 'ningbo.gov.cn=3302, Yongai.Example = 3302 ,hz.gov.cn=3301,' }).open311.jurisdictions).toEqual({
      'ningbo.gov.cn': '3302',
      'yongai.example': '3302',
      'hz.gov.cn': '3301',
    });
  });

  it.each([
    ['ningbo.gov.cn', /alias=city code.*"ningbo\.gov\.cn" is not/],
    ['ningbo.gov.cn=330212', /"ningbo\.gov\.cn=330212" is not/],
    ['=3302', /"=3302" is not/],
    ['ningbo gov=3302', /"ningbo gov=3302" is not/],
    ['a=3302;b=3301', /"a=3302;b=3301" is not/],
    ['x=3302,X=3301', /names the alias "x" twice/],
    [' , ', /names no alias/],
  ])('refuses %j with a clear message', (value, message) => {
    expect(() => loadConfig({ OPEN311_JURISDICTIONS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ OPEN311_JURISDICTIONS: value })).toThrow(message);
    expect(() => loadConfig({ OPEN311_JURISDICTIONS: value })).toThrow(/^OPEN311_JURISDICTIONS /);
  });
});

describe('a configured jurisdiction alias', () => {
  let t: TestApp;
  let apiKey: string;
  beforeAll(async () => {
    t = await createTestApp({ OPEN311_JURISDICTIONS: 'ningbo.gov.cn=3302' });
    t.clock.set(new Date('2026-05-12T02:00:00Z'));
    const admin = (await staffClient(t, 'operator', '3302', '市委社会工作部')).client;
    const created = await admin.post('/api/admin/reports/open311-clients', { name: '宁波市民热线' });
    expect(created.statusCode).toBe(201);
    apiKey = created.json().apiKey;
  });
  afterAll(() => t.close());

  it('names the city in the service list and on POST, in any case; the default alias it replaced is unknown', async () => {
    const services = await t.app.inject({ method: 'GET', url: '/open311/v2/services.json?jurisdiction_id=Ningbo.Gov.CN' });
    expect(services.statusCode, services.body).toBe(200);
    expect(services.json().map((s: { service_code: string }) => s.service_code)).toContain('road_damage');

    const posted = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ api_key: apiKey, jurisdiction_id: 'ningbo.gov.cn', service_code: 'road_damage', lat: String(LAT), long: String(LON), description: '路面塌陷' }).toString(),
    });
    expect(posted.statusCode, posted.body).toBe(200);
    const [{ service_request_id: id }] = posted.json() as { service_request_id: string }[];
    const one = await t.app.inject({ method: 'GET', url: `/open311/v2/requests/${id}.json?jurisdiction_id=ningbo.gov.cn` });
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json()[0]).toMatchObject({ service_request_id: id, service_code: 'road_damage', description: '路面塌陷' });

    const replaced = await t.app.inject({ method: 'GET', url: '/open311/v2/services.json?jurisdiction_id=ningbo.yongai' });
    expect(replaced.statusCode).toBe(404);
    expect(replaced.json()).toEqual([{ code: 404, description: expect.stringContaining('ningbo.yongai') }]);
    // the bare city code always works
    expect((await t.app.inject({ method: 'GET', url: '/open311/v2/services.json?jurisdiction_id=3302' })).statusCode).toBe(200);
  });
});
