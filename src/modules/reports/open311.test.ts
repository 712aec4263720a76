import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { sql } from 'kysely';
import { XMLParser } from 'fast-xml-parser';
import { createTestApp, type TestApp, type Client } from '../../../test/helpers/app.js';
import { auditActions, staffClient } from '../charging/charging.test-support.js';
import { eventText, langOf, normaliseText, w3 } from './open311.service.js';
import { listXml, objectXml, xmlSafe } from './open311.xml.js';

const V2 = '/open311/v2';
// Inside Ningbo (鄞州区)
const LAT = 29.8186;
const LON = 121.5572;

// Lists the spec wraps (Spark convention): always arrays when parsed, even with one item.
const parser = new XMLParser({ parseTagValue: false, isArray: (name) => ['service', 'request', 'error', 'attribute', 'value', 'endpoint', 'format', 'note'].includes(name) });

let t: TestApp;
let admin: Client;
let apiKey: string;

const form = (fields: Record<string, string | string[]>) =>
  Object.entries(fields)
    .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(x)}`))
    .join('&');

function multipartBody(fields: Record<string, string | string[]>, file?: { name: string; filename: string; type: string; body: Buffer }) {
  const boundary = '----open311test' + Math.random().toString(16).slice(2);
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    for (const x of Array.isArray(v) ? v : [v]) chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${x}\r\n`));
  }
  if (file) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`));
    chunks.push(file.body, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

const postForm = (format: 'xml' | 'json', fields: Record<string, string | string[]>, query = '') =>
  t.app.inject({ method: 'POST', url: `${V2}/requests.${format}${query}`, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, payload: form(fields) });

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url: `${V2}${url}`, headers });

async function jpeg(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 120, b: 40 } } }).jpeg().toBuffer();
}

beforeAll(async () => {
  t = await createTestApp({ PUBLIC_URL: 'https://yongai.example' });
  t.clock.set(new Date('2026-05-12T02:00:00Z'));
  admin = (await staffClient(t, 'operator', '3302', '市委社会工作部')).client;
  const created = await admin.post('/api/admin/reports/open311-clients', { name: '宁波12345热线' });
  expect(created.statusCode).toBe(201);
  apiKey = created.json().apiKey;
});
afterAll(() => t.close());

describe('pure pieces', () => {
  it('normalises CRLF and control characters, formats W3C datetimes in UTC with Z', () => {
    expect(normaliseText('a\r\nb\rc\u0007d\n')).toBe('a\nb\ncd');
    expect(w3(new Date('2026-05-12T02:00:00.123Z'))).toBe('2026-05-12T02:00:00Z');
    expect(xmlSafe('ok\u0000\u0001 then')).toBe('ok then');
    expect(langOf('en-GB,en;q=0.8')).toBe('en');
    expect(langOf('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh');
    expect(langOf(undefined)).toBe('zh');
    expect(eventText('routed', { departmentName: '鄞州区住建局' }, 'zh', () => null)).toBe('已交办至鄞州区住建局');
    expect(eventText('closed', { outcome: 'fixed' }, 'en', () => null)).toBe('Closed: fixed');
  });

  it('builds the spec XML: a declaration, the list root and one element per item, nested lists wrapped', () => {
    const xml = listXml('requests', [{ service_request_id: 'SP1', account_id: null, notes: [{ type: 'submitted' }, { type: 'routed' }] }]);
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<service_requests>')).toBe(true);
    expect(xml).toContain('<account_id/>');
    const parsed = parser.parse(xml);
    expect(parsed.service_requests.request[0].notes.note.map((n: { type: string }) => n.type)).toEqual(['submitted', 'routed']);
    expect(listXml('services', [])).toContain('<services></services>');
    expect(parser.parse(objectXml('discovery', { endpoints: [{ formats: ['text/xml', 'application/json'] }] })).discovery.endpoints.endpoint[0].formats.format).toEqual(['text/xml', 'application/json']);
  });
});

describe('admin: client systems and keys', () => {
  it('only operators of the whole city manage them; the key is shown once and stored hashed', async () => {
    const district = (await staffClient(t, 'operator', '330212')).client;
    expect((await district.get('/api/admin/reports/open311-clients')).statusCode).toBe(403);
    const handler = (await staffClient(t, 'handler', '3302')).client;
    expect((await handler.post('/api/admin/reports/open311-clients', { name: 'x' })).statusCode).toBe(403);
    expect((await admin.post('/api/admin/reports/open311-clients', { name: '' })).statusCode).toBe(400);

    expect(apiKey).toMatch(/^ya311_[A-Za-z0-9_-]{32}$/);
    const listed = (await admin.get('/api/admin/reports/open311-clients')).json();
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ name: '宁波12345热线', keyPrefix: apiKey.slice(0, 10), active: true, lastUsedAt: null });
    expect(listed[0].apiKey).toBeUndefined();
    const stored = await sql<{ api_key_hash: string }>`select api_key_hash from open311_clients`.execute(t.services.db);
    expect(stored.rows[0]!.api_key_hash).not.toContain(apiKey);
    expect((await auditActions(t, 'reports.open311_client')).map((a) => a.action)).toEqual(['reports.open311_client_created']);
  });
});

describe('discovery, services and definitions', () => {
  it('discovery in XML and JSON, with the v2 endpoint and both formats (also without jurisdiction)', async () => {
    const xml = await get('/discovery.xml');
    expect(xml.statusCode).toBe(200);
    expect(xml.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(xml.body.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    const d = parser.parse(xml.body).discovery;
    expect(d.endpoints.endpoint[0]).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', url: 'https://yongai.example/open311/v2', type: 'production' });
    expect(d.endpoints.endpoint[0].formats.format).toEqual(['text/xml', 'application/json']);
    expect(typeof d.changeset).toBe('string');
    const json = await get('/discovery.json');
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(json.json()).toMatchObject({ contact: expect.any(String), key_service: expect.any(String), endpoints: [{ formats: ['text/xml', 'application/json'] }] });
  });

  it('the service list: categories with string codes, metadata when they have quick tags, realtime', async () => {
    const json = (await get('/services.json?jurisdiction_id=3302')).json();
    const flooding = json.find((s: { service_code: string }) => s.service_code === 'flooding');
    expect(flooding).toMatchObject({ service_name: '积水内涝', metadata: true, type: 'realtime', group: expect.any(String) });
    expect(flooding.keywords).toContain('积水过膝');
    for (const s of json) expect(Object.keys(s).sort()).toEqual(['description', 'group', 'keywords', 'metadata', 'service_code', 'service_name', 'type']);

    const xml = parser.parse((await get('/services.xml?jurisdiction_id=ningbo.yongai')).body);
    expect(xml.services.service.length).toBe(json.length);
    expect(xml.services.service.find((s: { service_code: string }) => s.service_code === 'flooding')).toMatchObject({ service_name: '积水内涝', metadata: 'true', type: 'realtime' });

    const english = (await get('/services.json', { 'accept-language': 'en-US,en;q=0.9' })).json();
    expect(english.find((s: { service_code: string }) => s.service_code === 'flooding').service_name).toMatch(/flood/i);
  });

  it('a definition maps quick tags to a multivaluelist attribute', async () => {
    const json = (await get('/services/flooding.json')).json();
    expect(json.service_code).toBe('flooding');
    expect(json.attributes).toHaveLength(1);
    expect(json.attributes[0]).toMatchObject({ variable: true, code: 'tags', datatype: 'multivaluelist', required: false, order: 1 });
    expect(json.attributes[0].values).toContainEqual({ key: '积水过膝', name: '积水过膝' });
    const xml = parser.parse((await get('/services/flooding.xml')).body);
    expect(xml.service_definition.attributes.attribute[0].values.value.map((v: { key: string }) => v.key)).toContain('积水过膝');
  });

  it('unknown service codes and jurisdictions are 404 in the spec error format; formats other than xml/json too', async () => {
    const missing = await get('/services/nope.xml');
    expect(missing.statusCode).toBe(404);
    const err = parser.parse(missing.body).errors.error[0];
    expect(err.code).toBe('404');
    expect(err.description).toContain('nope');
    const juris = await get('/services.json?jurisdiction_id=sfgov.org');
    expect(juris.statusCode).toBe(404);
    expect(juris.json()).toEqual([{ code: 404, description: expect.stringContaining('sfgov.org') }]);
    expect((await get('/services.html')).statusCode).toBe(404);
    expect((await get('/services/flooding.html')).statusCode).toBe(404);
    expect((await get('/nothing-here.json')).json()[0].code).toBe(404);
    expect((await get('/services.json?jurisdiction_id=3302&jurisdiction_id=x')).statusCode).toBe(200);
  });

  it('the routes are in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/open311/v2/requests.xml', '/open311/v2/services/{file}', '/api/admin/reports/open311-clients']));
  });
});

describe('POST requests', () => {
  it('needs a valid api_key (403 in the spec format)', async () => {
    const none = await postForm('xml', { service_code: 'flooding', lat: String(LAT), long: String(LON) });
    expect(none.statusCode).toBe(403);
    expect(parser.parse(none.body).errors.error[0]).toMatchObject({ code: '403', description: expect.stringContaining('api_key') });
    const wrong = await postForm('json', { api_key: 'ya311_wrong', service_code: 'flooding', lat: String(LAT), long: String(LON) });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()[0].code).toBe(403);
  });

  let code: string;
  it('urlencoded: creates the report; jurisdiction_id in the body, tags as attribute[tags][], CRLF normalised, contact kept encrypted', async () => {
    const res = await postForm('xml', {
      api_key: apiKey,
      jurisdiction_id: 'ningbo.yongai',
      service_code: 'flooding',
      lat: String(LAT),
      long: String(LON),
      address_string: '鄞州区天童南路 地下通道',
      description: '地下通道积水\r\n电动车熄火',
      first_name: '三',
      last_name: '张',
      email: 'zhang@example.com',
      phone: '13900000000',
      account_id: 'acct-9',
      'attribute[tags][]': ['积水过膝', '车辆熄火'],
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    const r = parser.parse(res.body).service_requests.request[0];
    expect(r.service_request_id).toMatch(/^SP\d{11}$/);
    expect(r.token).toBeUndefined();
    expect(r.account_id).toBe('acct-9');
    expect(r.service_notice).toContain('工作日');
    code = r.service_request_id;

    const row = await sql<{ source: string; description: string; contact_enc: string | null; address: string; tags: string[] }>`
      select source, description, contact_enc, address, tags from reports where code = ${code}`.execute(t.services.db);
    expect(row.rows[0]).toMatchObject({ source: 'open311', description: '地下通道积水\n电动车熄火', address: '鄞州区天童南路 地下通道', tags: ['积水过膝', '车辆熄火'] });
    expect(row.rows[0]!.contact_enc).not.toContain('zhang@example.com');
    expect(JSON.parse(t.services.pii.decrypt(row.rows[0]!.contact_enc!))).toMatchObject({ email: 'zhang@example.com', firstName: '三', lastName: '张', phone: '13900000000', accountId: 'acct-9' });
    const listed = (await admin.get('/api/admin/reports/open311-clients')).json();
    expect(listed[0].lastUsedAt).not.toBeNull();
  });

  it('GET requests/:id shows it, in both formats, with strings for ids and UTC datetimes with Z', async () => {
    const json = await get(`/requests/${code}.json`);
    expect(json.statusCode).toBe(200);
    const [r] = json.json();
    expect(r).toMatchObject({
      service_request_id: code,
      status: 'open',
      service_code: 'flooding',
      service_name: '积水内涝',
      description: '地下通道积水\n电动车熄火',
      address: '鄞州区天童南路 地下通道',
      lat: LAT,
      long: LON,
      requested_datetime: '2026-05-12T02:00:00Z',
      media_url: null,
    });
    expect(r.status_notes).toEqual(expect.any(String));
    expect(r.updated_datetime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(r).not.toHaveProperty('email');
    const xml = parser.parse((await get(`/requests/${code}.xml`)).body).service_requests.request[0];
    expect(xml).toMatchObject({ service_request_id: code, status: 'open', lat: String(LAT), long: String(LON) });
    expect((await get('/requests/SP000.json')).statusCode).toBe(404);
  });

  let mediaCode: string;
  it('multipart with a media file (api_key in the query string); media_url opens the public copy without a session', async () => {
    const { payload, contentType } = multipartBody(
      { service_code: 'road_damage', lat: '29.8201', long: '121.5601', description: 'pothole\r\nbig' },
      { name: 'media', filename: 'p.jpg', type: 'image/jpeg', body: await jpeg() },
    );
    const res = await t.app.inject({ method: 'POST', url: `${V2}/requests.json?api_key=${apiKey}&jurisdiction_id=3302`, headers: { 'content-type': contentType }, payload });
    expect(res.statusCode).toBe(200);
    mediaCode = res.json()[0].service_request_id;
    expect(res.json()[0]).toEqual({ service_request_id: mediaCode, service_notice: expect.any(String), account_id: null });
    const [r] = (await get(`/requests/${mediaCode}.json`)).json();
    expect(r.description).toBe('pothole\nbig');
    expect(r.media_url).toMatch(/^https:\/\/yongai\.example\/api\/reports\/photos\/[0-9a-f-]{36}\?sig=/);
    // Anyone may open it: no session.
    const url = new URL(r.media_url);
    const media = await t.app.inject({ method: 'GET', url: url.pathname + url.search });
    expect(media.statusCode).toBe(200);
    expect(media.headers['content-type']).toMatch(/^image\//);
    expect((await t.app.inject({ method: 'GET', url: url.pathname + '?sig=forged' })).statusCode).not.toBe(200);
  });

  it('a JSON body works too (attribute as an object)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `${V2}/requests.json`,
      payload: { api_key: apiKey, service_code: 'flooding', lat: LAT, long: LON, description: 'json body', attribute: { tags: ['地下通道'] } },
    });
    expect(res.statusCode).toBe(200);
    const c = res.json()[0].service_request_id;
    const row = await sql<{ tags: string[] }>`select tags from reports where code = ${c}`.execute(t.services.db);
    expect(row.rows[0]!.tags).toEqual(['地下通道']);
  });

  it('refuses what it cannot take, with 400/404 and a description', async () => {
    const base = { api_key: apiKey, service_code: 'flooding', lat: String(LAT), long: String(LON) };
    const cases: [Record<string, string | string[]>, number, string][] = [
      [{ ...base, service_code: '' }, 400, 'service_code'],
      [{ ...base, service_code: 'no_such' }, 404, 'no_such'],
      [{ api_key: apiKey, service_code: 'flooding', address_string: '天童南路1号' }, 400, 'lat and long'],
      [{ ...base, lat: 'north' }, 400, 'lat'],
      [{ ...base, lat: '39.9', long: '116.4' }, 400, ''],
      [{ ...base, 'attribute[colour]': 'red' }, 400, 'colour'],
      [{ ...base, 'attribute[tags][]': '不存在的标签' }, 400, '不存在的标签'],
      [{ ...base, description: 'x'.repeat(4001) }, 400, '4000'],
      [{ ...base, media_url: 'javascript:alert(1)' }, 400, 'media_url'],
      [{ ...base, jurisdiction_id: 'sfgov.org' }, 404, 'sfgov.org'],
    ];
    for (const [fields, status, text] of cases) {
      const res = await postForm('json', fields);
      expect({ status: res.statusCode, fields }).toEqual({ status, fields });
      expect(res.json()[0]).toMatchObject({ code: status, description: expect.stringContaining(text) });
    }
  });

  it('a disabled key stops working', async () => {
    const other = (await admin.post('/api/admin/reports/open311-clients', { name: 'FixMyStreet' })).json();
    const ok = await postForm('json', { api_key: other.apiKey, service_code: 'garbage', lat: String(LAT), long: String(LON), description: 'to disable' });
    expect(ok.statusCode).toBe(200);
    expect((await admin.post(`/api/admin/reports/open311-clients/${other.id}/disable`)).json()).toMatchObject({ active: false });
    const refused = await postForm('json', { api_key: other.apiKey, service_code: 'garbage', lat: String(LAT), long: String(LON) });
    expect(refused.statusCode).toBe(403);
    expect((await admin.post('/api/admin/reports/open311-clients/00000000-0000-4000-8000-000000000000/disable')).statusCode).toBe(404);
  });
});

describe('GET requests: filters, paging, status, extensions, tokens', () => {
  let codes: string[];
  beforeAll(async () => {
    // Three more requests a day apart, then one of them closed as fixed by a department (as the workflow would).
    for (const [i, category] of ['street_light', 'street_light', 'garbage'].entries()) {
      t.clock.set(new Date(Date.UTC(2026, 4, 13 + i, 3, 0, 0)));
      expect((await postForm('json', { api_key: apiKey, service_code: category, lat: String(LAT + i * 0.001), long: String(LON), description: `req ${i}` })).statusCode).toBe(200);
    }
    t.clock.set(new Date('2026-05-20T02:00:00Z'));
    codes = (await sql<{ code: string }>`select code from reports order by submitted_at, code`.execute(t.services.db)).rows.map((r) => r.code);
    await t.services.staff.ensureDefaultDepartments('3302');
    const dept = (await t.services.staff.departmentsOf('3302'))[0]!;
    const closedCode = codes[codes.length - 2]!;
    const id = (await sql<{ id: string }>`select id::text as id from reports where code = ${closedCode}`.execute(t.services.db)).rows[0]!.id;
    const at = new Date('2026-05-19T08:00:00Z');
    await sql`update reports set status = 'closed', outcome = 'fixed', department_id = ${dept.id}::uuid, deadline_at = ${new Date('2026-05-22T10:00:00Z')},
      closed_at = ${at}, updated_at = ${new Date('2026-05-19T09:00:00Z')} where id = ${id}::uuid`.execute(t.services.db);
    for (const [type, data, pub] of [
      ['routed', { departmentId: dept.id, departmentName: dept.nameZh, ruleId: null, by: 'staff' }, true],
      ['note', { note: 'internal' }, false],
      ['handled', { result: '已修复路灯', photoIds: [] }, true],
      ['closed', { outcome: 'fixed', onTime: true }, true],
      ['points_awarded', { points: 5 }, true],
    ] as const) {
      await sql`insert into report_events (report_id, at, type, actor_kind, actor_id, public, data)
        values (${id}::uuid, ${at}, ${type}, 'staff', null, ${pub}, ${JSON.stringify(data)}::jsonb)`.execute(t.services.db);
    }
  });

  const ids = (body: { service_request_id: string }[]) => body.map((r) => r.service_request_id);

  it('defaults to the last 90 days, newest first', async () => {
    const all = (await get('/requests.json')).json();
    expect(ids(all)).toEqual([...codes].reverse());
  });

  it('status open/closed; closed shows the department, the deadline, closing time and the last public event', async () => {
    const closed = (await get('/requests.json?status=closed')).json();
    expect(closed).toHaveLength(1);
    const dept = (await t.services.staff.departmentsOf('3302'))[0]!;
    expect(closed[0]).toMatchObject({
      status: 'closed',
      status_notes: '已办结：已解决',
      agency_responsible: dept.nameZh,
      expected_datetime: '2026-05-22T10:00:00Z',
      updated_datetime: '2026-05-19T08:00:00Z',
    });
    expect(ids((await get('/requests.json?status=open')).json())).not.toContain(closed[0].service_request_id);
    expect((await get('/requests.json?status=open,closed')).json()).toHaveLength(codes.length);
    expect((await get('/requests.json?status=pending')).statusCode).toBe(400);
    const en = (await get('/requests.json?status=closed', { 'accept-language': 'en' })).json()[0];
    expect(en.status_notes).toBe('Closed: fixed');
  });

  it('extensions=true adds the public history as notes (private and reporter-only events left out)', async () => {
    const [r] = (await get('/requests.json?status=closed&extensions=true')).json();
    const types = r.notes.map((n: { type: string }) => n.type);
    expect(types).toEqual(expect.arrayContaining(['submitted', 'routed', 'handled', 'closed']));
    expect(types).not.toContain('note');
    expect(types).not.toContain('points_awarded');
    expect(r.notes.find((n: { type: string }) => n.type === 'handled')).toEqual({ datetime: '2026-05-19T08:00:00Z', description: '已处置: 已修复路灯', type: 'handled' });
    const xml = parser.parse((await get(`/requests/${r.service_request_id}.xml?extensions=true`)).body).service_requests.request[0];
    expect(xml.notes.note.map((n: { type: string }) => n.type)).toEqual(types);
    expect((await get('/requests.json')).json()[0]).not.toHaveProperty('notes');
  });

  it('service_code (comma list), dates (W3C, at most 90 days), and service_request_id overriding the rest', async () => {
    const lights = (await get('/requests.json?service_code=street_light')).json();
    expect(lights).toHaveLength(2);
    expect((await get('/requests.json?service_code=street_light,garbage')).json()).toHaveLength(4);
    const window = (await get('/requests.json?start_date=2026-05-13T00:00:00Z&end_date=2026-05-14T12:00:00%2B08:00')).json();
    expect(window.map((r: { requested_datetime: string }) => r.requested_datetime)).toEqual(['2026-05-14T03:00:00Z', '2026-05-13T03:00:00Z']);
    expect((await get('/requests.json?start_date=2026-05-13')).json().length).toBe(3);
    expect((await get('/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-05-01T00:00:00Z')).statusCode).toBe(400);
    expect((await get('/requests.json?start_date=2026-05-13T00:00:00')).statusCode).toBe(400);
    expect((await get('/requests.json?start_date=yesterday')).json()[0].code).toBe(400);
    expect((await get('/requests.json?end_date=2026-05-01T00:00:00Z&start_date=2026-05-10T00:00:00Z')).statusCode).toBe(400);
    const picked = (await get(`/requests.json?service_request_id=${codes[0]},${codes[2]}&status=closed&service_code=nothing`)).json();
    expect(ids(picked).sort()).toEqual([codes[0], codes[2]].sort());
  });

  it('page and page_size', async () => {
    const seen: string[] = [];
    for (let page = 1; page <= 10; page++) {
      const items = (await get(`/requests.json?page_size=2&page=${page}`)).json();
      expect(items.length).toBe(Math.max(0, Math.min(2, codes.length - (page - 1) * 2)));
      if (items.length === 0) break;
      seen.push(...ids(items));
    }
    expect(seen).toEqual([...codes].reverse());
    expect((await get('/requests.json?page=0')).statusCode).toBe(400);
    expect((await get('/requests.xml?page_size=abc')).statusCode).toBe(400);
  });

  it('an empty result is an empty list in both formats', async () => {
    expect((await get('/requests.json?service_code=nothing')).json()).toEqual([]);
    expect((await get('/requests.xml?service_code=nothing')).body).toContain('<service_requests></service_requests>');
  });

  it('tokens resolve to the service_request_id', async () => {
    const row = (await sql<{ id: string; code: string }>`select id::text as id, code from reports where code = ${codes[0]}`.execute(t.services.db)).rows[0]!;
    expect((await get(`/tokens/${row.id}.json`)).json()).toEqual([{ service_request_id: row.code, token: row.id }]);
    expect(parser.parse((await get(`/tokens/${row.id}.xml`)).body).service_requests.request[0]).toEqual({ service_request_id: row.code, token: row.id });
    expect((await get('/tokens/00000000-0000-4000-8000-000000000000.json')).statusCode).toBe(404);
    expect((await get('/tokens/not-a-token.xml')).statusCode).toBe(404);
  });

  it('a city we do not serve is an unknown jurisdiction', async () => {
    expect((await get('/requests.json?jurisdiction_id=3301')).statusCode).toBe(404);
    expect((await get(`/requests/${codes[0]}.xml?jurisdiction_id=3301`)).statusCode).toBe(404);
    expect((await get(`/requests/${codes[0]}.json?jurisdiction_id=3302`)).statusCode).toBe(200);
  });
});
