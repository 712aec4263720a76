import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import gcoord from 'gcoord';
import sharp from 'sharp';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { Client } from '../../../test/helpers/app.js';
import type { PlaceInput } from '../../contracts/places.js';
import { auditRows, staffClient } from '../workers/workers.test-support.js';

let t: TestApp;
let operator: Client;
let baiheHandler: Client;
let xiayingHandler: Client;
let grid: Client;

const BAIHE = '330212011';
const DANDINGHE = '330212011001';
const XIAYING = '330212001';

beforeAll(async () => {
  t = await createTestApp();
  operator = (await staffClient(t, 'operator', '3302')).client;
  baiheHandler = (await staffClient(t, 'handler', BAIHE, 'baihe-handler')).client;
  xiayingHandler = (await staffClient(t, 'handler', XIAYING)).client;
  grid = (await staffClient(t, 'grid_worker', DANDINGHE)).client;
});
afterAll(async () => t?.close());

let seq = 0;
const station = (overrides: Partial<PlaceInput> = {}): PlaceInput => ({
  type: 'station',
  name: `测试驿站${++seq}`,
  areaCode: DANDINGHE,
  address: '宁波市鄞州区百丈东路1号',
  lon: 121.5712,
  lat: 29.8634,
  hours: 'Mo-Su 07:00-22:00',
  services: ['rest', 'water', 'microwave'],
  ...overrides,
});

async function countRows(table: string): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(t.services.db);
  return r.rows[0].n;
}

async function create(client: Client, input: PlaceInput) {
  const res = await client.post('/api/admin/places', input);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('registering and editing places', () => {
  it('creates a draft with WGS-84 rounded to 7 decimals, a history row and an audit entry', async () => {
    const place = await create(baiheHandler, station({ lon: 121.571234567891, lat: 29.863412345678 }));
    expect(place).toMatchObject({ type: 'station', status: 'draft', version: 1, areaCode: DANDINGHE, lon: 121.5712346, lat: 29.8634123, photos: [], certified: false });
    expect(place.areaName).toBe('鄞州区 白鹤街道 丹顶鹤社区');
    const history = (await baiheHandler.get(`/api/admin/places/${place.id}/history`)).json();
    expect(history).toEqual([expect.objectContaining({ fromStatus: null, toStatus: 'draft', actorName: 'baihe-handler' })]);
    const audit = await auditRows(t, 'places.create');
    expect(audit.at(-1)).toMatchObject({ target_kind: 'place', target_id: place.id });
  });

  it('converts GCJ-02 and BD-09 input to WGS-84 (gates too)', async () => {
    const wgs = [121.5712, 29.8634] as [number, number];
    const gcj = gcoord.transform(wgs, gcoord.WGS84, gcoord.GCJ02) as [number, number];
    const place = await create(
      baiheHandler,
      station({
        type: 'compound',
        lon: gcj[0],
        lat: gcj[1],
        crs: 'GCJ02',
        hours: null,
        services: [],
        access: { mode: 'relay', policy: '东门接力' },
        gates: [{ name: '东门', lon: gcj[0] + 0.001, lat: gcj[1], hours: '24/7' }],
      }),
    );
    expect(Math.abs(place.lon - wgs[0])).toBeLessThan(1e-5);
    expect(Math.abs(place.lat - wgs[1])).toBeLessThan(1e-5);
    expect(Math.abs(place.gates[0].lon - (wgs[0] + 0.001))).toBeLessThan(1e-5);

    const bd = gcoord.transform(wgs, gcoord.WGS84, gcoord.BD09) as [number, number];
    const fromBaidu = await create(baiheHandler, station({ lon: bd[0], lat: bd[1], crs: 'BD09' }));
    expect(Math.abs(fromBaidu.lon - wgs[0])).toBeLessThan(1e-5);
  });

  it('edits with the version read; a stale version is a 409 and changes nothing', async () => {
    const place = await create(baiheHandler, station());
    const first = await baiheHandler.patch(`/api/admin/places/${place.id}`, { version: 1, name: '白鹤新驿站', hours: '24/7' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ name: '白鹤新驿站', hours: '24/7', version: 2, services: ['rest', 'water', 'microwave'] });

    const stale = await baiheHandler.patch(`/api/admin/places/${place.id}`, { version: 1, name: '旧版本' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('places.version_conflict');
    expect((await baiheHandler.get(`/api/admin/places/${place.id}`)).json()).toMatchObject({ name: '白鹤新驿站', version: 2 });
  });

  it('keeps a street to its own places: another street’s handler gets 403 and nothing changes', async () => {
    const place = await create(baiheHandler, station());
    const edit = await xiayingHandler.patch(`/api/admin/places/${place.id}`, { version: 1, name: '越权修改' });
    expect(edit.statusCode).toBe(403);
    expect(edit.json().code).toBe('areas.out_of_scope');
    const status = await xiayingHandler.post(`/api/admin/places/${place.id}/status`, { to: 'active', reason: '越权上线' });
    expect(status.statusCode).toBe(403);
    expect((await operator.get(`/api/admin/places/${place.id}`)).json()).toMatchObject({ name: place.name, status: 'draft', version: 1 });

    // nor create in another street, nor list it
    const elsewhere = await xiayingHandler.post('/api/admin/places', station());
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.json()).toMatchObject({ code: 'areas.out_of_scope', errors: [{ field: 'areaCode' }] });
    const list = (await xiayingHandler.get('/api/admin/places?pageSize=200')).json();
    expect(list.items.map((p: { id: string }) => p.id)).not.toContain(place.id);
    const widened = await xiayingHandler.get(`/api/admin/places?areaCode=${BAIHE}`);
    expect(widened.statusCode).toBe(403);
  });

  it('lets a grid worker read in scope but not write', async () => {
    const place = await create(baiheHandler, station());
    expect((await grid.get(`/api/admin/places/${place.id}`)).statusCode).toBe(200);
    expect((await grid.post('/api/admin/places', station())).statusCode).toBe(403);
  });

  it('refuses bad input naming the field, and changes nothing', async () => {
    const before = await countRows('places');
    const cases: [Partial<PlaceInput> & Record<string, unknown>, number, string, string][] = [
      [{ lon: 116.4, lat: 39.9 }, 400, 'places.out_of_region', 'lon'], // Beijing
      [{ hours: 'every day 8 till late' }, 400, 'places.invalid_hours', 'hours'],
      [{ type: 'spaceport' as never }, 400, 'request.invalid', 'type'],
      [{ services: ['rest', 'teleport' as never] }, 400, 'request.invalid', 'services.1'],
      [{ areaCode: '330212' }, 400, 'places.invalid_area', 'areaCode'],
      [{ areaCode: '110101001' }, 400, 'places.invalid_area', 'areaCode'],
      [{ gates: [{ name: '东门', lon: 121.57, lat: 29.86, hours: null }] }, 400, 'places.invalid_value', 'gates'],
      [{ access: { mode: 'open', policy: '随便进' } }, 400, 'places.invalid_value', 'access'],
      [{ details: { sockets: 4 } }, 400, 'places.invalid_value', 'details.sockets'],
      [{ name: '   ' }, 400, 'places.invalid_value', 'name'],
      [{ lat: 95 }, 400, 'request.invalid', 'lat'],
    ];
    for (const [overrides, status, code, field] of cases) {
      const res = await baiheHandler.post('/api/admin/places', station(overrides));
      expect(res.statusCode, JSON.stringify(overrides)).toBe(status);
      expect(res.json().code, JSON.stringify(overrides)).toBe(code);
      expect(res.json().errors.map((e: { field: string }) => e.field), JSON.stringify(overrides)).toContain(field);
    }
    expect(await countRows('places')).toBe(before);

    // an edit to bad hours leaves the place as it was
    const place = await create(baiheHandler, station());
    const bad = await baiheHandler.patch(`/api/admin/places/${place.id}`, { version: 1, hours: 'Mo-Xx 25:00' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'places.invalid_hours', errors: [{ field: 'hours' }] });
    expect((await baiheHandler.get(`/api/admin/places/${place.id}`)).json()).toMatchObject({ version: 1, hours: 'Mo-Su 07:00-22:00' });
    expect((await baiheHandler.get('/api/admin/places/99999999')).statusCode).toBe(404);
  });

  it('searches by name or address, filters and pages', async () => {
    await create(baiheHandler, station({ name: '丹凤社区阳光驿站', address: '宁波市鄞州区中山东路9号' }));
    await create(baiheHandler, station({ name: '某某便利店', type: 'merchant', services: ['discount'], address: '宁波市鄞州区阳光路1号' }));
    const res = (await baiheHandler.get('/api/admin/places?q=阳光&pageSize=10')).json();
    expect(res.total).toBe(2);
    const merchants = (await baiheHandler.get('/api/admin/places?q=阳光&type=merchant')).json();
    expect(merchants.items.map((p: { name: string }) => p.name)).toEqual(['某某便利店']);
    const paged = (await operator.get('/api/admin/places?pageSize=2&page=2&status=draft')).json();
    expect(paged).toMatchObject({ page: 2, pageSize: 2 });
    expect(paged.items).toHaveLength(2);
    expect(paged.total).toBeGreaterThan(4);
  });
});

describe('lifecycle', () => {
  it('follows draft → active → suspended → active → closed with reasons and history', async () => {
    const place = await create(baiheHandler, station());
    const move = (to: string, reason = '核查通过') => baiheHandler.post(`/api/admin/places/${place.id}/status`, { to, reason });

    expect((await move('suspended')).json().code).toBe('places.invalid_transition');
    const active = await move('active');
    expect(active.statusCode, active.body).toBe(200);
    expect(active.json()).toMatchObject({ status: 'active', version: 2 });
    expect((await move('suspended', '装修暂停')).json().status).toBe('suspended');
    expect((await move('active', '装修完成')).json().status).toBe('active');
    expect((await move('closed', '场地收回')).json().status).toBe('closed');
    const again = await move('active', '重新开放');
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('places.invalid_transition');

    const noReason = await baiheHandler.post(`/api/admin/places/${place.id}/status`, { to: 'active' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors.map((e: { field: string }) => e.field)).toContain('reason');

    const history = (await baiheHandler.get(`/api/admin/places/${place.id}/history`)).json();
    expect(history.map((h: { fromStatus: string | null; toStatus: string; reason: string | null }) => [h.fromStatus, h.toStatus, h.reason])).toEqual([
      [null, 'draft', null],
      ['draft', 'active', '核查通过'],
      ['active', 'suspended', '装修暂停'],
      ['suspended', 'active', '装修完成'],
      ['active', 'closed', '场地收回'],
    ]);
    expect((await auditRows(t, 'places.status')).filter((a) => a.target_id === place.id)).toHaveLength(4);
  });

  it('shows a place publicly only while listed (active; merchants also certified)', async () => {
    const place = await create(baiheHandler, station());
    expect((await t.app.inject(`/api/places/${place.id}`)).statusCode).toBe(404);
    await baiheHandler.post(`/api/admin/places/${place.id}/status`, { to: 'active', reason: '上线' });
    const detail = await t.app.inject(`/api/places/${place.id}`);
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json()).toMatchObject({
      id: place.id,
      areaName: '鄞州区 白鹤街道 丹顶鹤社区',
      services: ['rest', 'water', 'microwave'],
      friendliness: null,
      cabinets: [],
      certified: false,
      openState: { alwaysOpen: false },
    });
    // 02:00Z is 10:00 in Shanghai: open, closing at 22:00 (14:00Z)
    expect(detail.json().openState).toEqual({ open: true, nextChange: '2026-11-23T14:00:00.000Z', alwaysOpen: false });

    const merchant = await create(baiheHandler, station({ type: 'merchant', services: ['love_meal'], details: { offers: [{ title: '10元爱心餐', priceYuan: 10 }] } }));
    await baiheHandler.post(`/api/admin/places/${merchant.id}/status`, { to: 'active', reason: '上线' });
    expect((await t.app.inject(`/api/places/${merchant.id}`)).statusCode).toBe(404);
    await t.services.places.setCertified(merchant.id, true, {});
    expect((await t.app.inject(`/api/places/${merchant.id}`)).json()).toMatchObject({ certified: true, details: { offers: [{ title: '10元爱心餐', priceYuan: 10 }] } });
    expect(await t.services.places.lookup(merchant.id)).toMatchObject({ id: merchant.id, type: 'merchant', cityCode: '3302', status: 'active', certified: true });
    expect(await t.services.places.lookup('123456789')).toBeUndefined();
    await expect(t.services.places.setCertified(place.id, true, {})).rejects.toMatchObject({ code: 'merchants.place_not_merchant' });
  });
});

describe('photos', () => {
  async function jpegWithGps(): Promise<Buffer> {
    return sharp({ create: { width: 2400, height: 1200, channels: 3, background: { r: 200, g: 120, b: 40 } } })
      .jpeg()
      .withExif({ IFD0: { Make: 'TestCam', Model: 'X1' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '29/1 51/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '121/1 34/1 0/1' } })
      .toBuffer();
  }

  it('stores a re-encoded public copy without EXIF/GPS, at most 1600 px, and keeps the original privately', async () => {
    const place = await create(baiheHandler, station());
    const original = await jpegWithGps();
    expect((await sharp(original).metadata()).exif).toBeDefined();

    const res = await baiheHandler.request({ method: 'POST', url: `/api/admin/places/${place.id}/photos`, payload: original, headers: { 'content-type': 'image/jpeg' } });
    expect(res.statusCode, res.body).toBe(201);
    const photo = res.json();
    expect(photo.url).toBe(`/api/places/photos/${photo.id}`);

    // Staff of the area see it while the place is a draft; the public does not.
    expect((await t.app.inject(photo.url)).statusCode).toBe(404);
    const staffView = await baiheHandler.get(photo.url);
    expect(staffView.statusCode).toBe(200);
    expect(staffView.headers['content-type']).toBe('image/webp');
    const meta = await sharp(staffView.rawPayload).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 1600, height: 800 });
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(staffView.rawPayload.includes(Buffer.from('TestCam'))).toBe(false);

    const row = await sql<{ original_key: string }>`select original_key from place_photos where id = ${photo.id}`.execute(t.services.db);
    const kept = await t.services.storage.get(row.rows[0].original_key);
    expect(kept?.body.equals(original)).toBe(true);

    await baiheHandler.post(`/api/admin/places/${place.id}/status`, { to: 'active', reason: '上线' });
    const publicView = await t.app.inject(photo.url);
    expect(publicView.statusCode).toBe(200);
    expect(publicView.headers['cache-control']).toContain('public');
    expect((await t.app.inject(`/api/places/${place.id}`)).json().photos).toEqual([{ id: photo.id, url: photo.url }]);

    const del = await baiheHandler.delete(`/api/admin/places/${place.id}/photos/${photo.id}`);
    expect(del.statusCode).toBe(204);
    expect((await t.app.inject(photo.url)).statusCode).toBe(404);
    expect(await t.services.storage.exists(row.rows[0].original_key)).toBe(false);
  });

  it('refuses a text file sent as a JPEG (415) and anything over 6 photos (409)', async () => {
    const place = await create(baiheHandler, station());
    const before = await countRows('place_photos');
    const fake = await baiheHandler.request({ method: 'POST', url: `/api/admin/places/${place.id}/photos`, payload: Buffer.from('just some text, named photo.jpg'), headers: { 'content-type': 'image/jpeg' } });
    expect(fake.statusCode).toBe(415);
    expect(fake.json().code).toBe('storage.unsupported_type');
    expect(await countRows('place_photos')).toBe(before);

    const png = await sharp({ create: { width: 20, height: 20, channels: 4, background: '#00ff00' } }).png().toBuffer();
    for (let i = 0; i < 6; i += 1) {
      const ok = await baiheHandler.request({ method: 'POST', url: `/api/admin/places/${place.id}/photos`, payload: png, headers: { 'content-type': 'image/png' } });
      expect(ok.statusCode).toBe(201);
    }
    const seventh = await baiheHandler.request({ method: 'POST', url: `/api/admin/places/${place.id}/photos`, payload: png, headers: { 'content-type': 'image/png' } });
    expect(seventh.statusCode).toBe(409);
    expect(seventh.json().code).toBe('places.photo_limit');
    const other = await xiayingHandler.request({ method: 'POST', url: `/api/admin/places/${place.id}/photos`, payload: png, headers: { 'content-type': 'image/png' } });
    expect(other.statusCode).toBe(403);
  });
});
