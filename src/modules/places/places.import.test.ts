import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import ExcelJS from 'exceljs';
import gcoord from 'gcoord';
import { createTestApp, type Client, type TestApp } from '../../../test/helpers/app.js';
import { staffClient } from '../workers/workers.test-support.js';

let t: TestApp;
let operator: Client;
let baiheHandler: Client;

const BAIHE = '330212011';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

beforeAll(async () => {
  t = await createTestApp();
  operator = (await staffClient(t, 'operator', '3302', 'city-operator')).client;
  baiheHandler = (await staffClient(t, 'handler', BAIHE)).client;
});
afterAll(async () => t?.close());

async function placeCount(): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from places`.execute(t.services.db);
  return r.rows[0].n;
}

const upload = (client: Client, body: Buffer | string, query: string, contentType = 'text/csv') =>
  client.request({ method: 'POST', url: `/api/admin/places/import?${query}`, payload: typeof body === 'string' ? Buffer.from(body, 'utf8') : body, headers: { 'content-type': contentType } });

const csv = (lines: string[]) => lines.join('\r\n') + '\r\n';
const HEADER_ZH = '名称,类型,区划代码,地址,经度,纬度,坐标系,营业时间,服务,电话,简介';

describe('import', () => {
  it('imports a good CSV (BOM, Chinese headers, services by 、, GCJ-02) as drafts with history, all in one go', async () => {
    const gcj = gcoord.transform([121.5801, 29.8702], gcoord.WGS84, gcoord.GCJ02) as [number, number];
    const body =
      '\ufeff' +
      csv([
        HEADER_ZH,
        '丹顶鹤社区导入驿站,station,330212011001,宁波市鄞州区百丈东路3号,121.5712,29.8634,WGS84,Mo-Su 07:00-22:00,休息、饮水、microwave,0574-87000001,导入测试',
        `白鹤导入小区,小区,330212011002,宁波市鄞州区百丈东路5号,${gcj[0]},${gcj[1]},GCJ-02,,,,`,
        '"白鹤导入食堂, 二楼",canteen,330212011,宁波市鄞州区百丈东路7号,121.566,29.859,,Mo-Fr 11:00-13:00,hot_meal|love_meal,,',
      ]);
    const before = await placeCount();
    const res = await upload(baiheHandler, body, 'format=csv');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ imported: 3, dryRun: false });
    expect(await placeCount()).toBe(before + 3);

    const list = (await baiheHandler.get('/api/admin/places?q=导入&pageSize=10')).json();
    const byName = Object.fromEntries(list.items.map((p: { name: string }) => [p.name, p]));
    expect(byName['丹顶鹤社区导入驿站']).toMatchObject({ type: 'station', status: 'draft', services: ['rest', 'water', 'microwave'], phone: '0574-87000001' });
    expect(byName['白鹤导入小区']).toMatchObject({ type: 'compound', hours: null, services: [] });
    expect(Math.abs(byName['白鹤导入小区'].lon - 121.5801)).toBeLessThan(1e-5);
    expect(byName['白鹤导入食堂, 二楼']).toMatchObject({ type: 'canteen', services: ['hot_meal', 'love_meal'] });
    const history = (await baiheHandler.get(`/api/admin/places/${byName['白鹤导入小区'].id}/history`)).json();
    expect(history).toEqual([expect.objectContaining({ fromStatus: null, toStatus: 'draft' })]);
  });

  it('reads services separated by semicolons in every row (the comma stays the column separator)', async () => {
    const body = csv([HEADER_ZH, '分号驿站甲,station,330212011001,宁波市鄞州区百丈东路11号,121.5713,29.8635,,24/7,rest;water;microwave,,', '分号驿站乙,station,330212011001,宁波市鄞州区百丈东路13号,121.5723,29.8645,,24/7,rest;wifi,,']);
    const res = await upload(baiheHandler, body, 'format=csv&dryRun=true');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ imported: 2, dryRun: true });
  });

  it('a file with one bad row → 400 with row-level errors, and nothing imported', async () => {
    const body = csv([
      'name,type,area_code,address,longitude,latitude,crs,hours,services,phone,description',
      '好行1,station,330212011001,地址1,121.571,29.861,,24/7,rest,,',
      '好行2,station,330212011001,地址2,121.572,29.862,,24/7,rest,,',
      '坏行,station,330212011001,地址3,116.40,39.90,,24/7,rest,,',
      '好行3,station,330212011001,地址4,121.573,29.863,,24/7,rest,,',
    ]);
    const before = await placeCount();
    const res = await upload(baiheHandler, body, 'format=csv');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({
      code: 'places.import_invalid',
      rowErrors: [
        { row: 4, column: 'longitude', code: 'places.out_of_region' },
        { row: 4, column: 'latitude', code: 'places.out_of_region' },
      ],
    });
    expect(res.json().rowErrors).toHaveLength(2);
    expect(await placeCount()).toBe(before);
  });

  it('collects every problem of every row, in the file’s own column names', async () => {
    await upload(baiheHandler, csv([HEADER_ZH, '已有驿站,station,330212011001,地址,121.5601,29.8501,,,,,']), 'format=csv');
    const body = csv([
      HEADER_ZH,
      '类型不对,spaceport,330212011001,地址,121.571,29.861,,,,,', // 2
      '服务不对,station,330212011001,地址,121.571,29.861,,,rest;teleport,,', // 3
      '时间不对,station,330212011001,地址,121.572,29.861,,Mo-Xx 25:00,,,', // 4
      '经度不对,station,330212011001,地址,东经121,29.861,,,,,', // 5
      '坐标系不对,station,330212011001,地址,121.573,29.861,UTM,,,,', // 6
      '越界,station,330212001005,地址,121.574,29.861,,,,,', // 7: 下应街道, outside a 白鹤 handler's scope
      '不存在的社区,station,330212011999,地址,121.575,29.861,,,,,', // 8
      '重复,station,330212011001,地址,121.58,29.87,,,,,', // 9
      '重复,station,330212011001,地址,121.5801,29.8701,,,,,', // 10: ~14 m from row 9
      '已有驿站,station,330212011001,地址,121.56011,29.85012,,,,,', // 11: ~16 m from the stored one
      '重复,merchant,330212011001,地址,121.58,29.87,,,,,', // 12: another type is another place
      ',station,330212011001,,121.576,29.861,,,,,', // 13: no name, no address
    ]);
    const before = await placeCount();
    const res = await upload(baiheHandler, body, 'format=csv&dryRun=true');
    expect(res.statusCode).toBe(400);
    const errors = res.json().rowErrors as { row: number; column: string; code: string }[];
    const summary = errors.map((e) => `${e.row}:${e.column}:${e.code}`);
    expect(summary).toEqual([
      '2:类型:places.invalid_value',
      '3:服务:places.invalid_value',
      '4:营业时间:places.invalid_hours',
      '5:经度:places.invalid_value',
      '6:坐标系:places.invalid_value',
      '7:区划代码:areas.out_of_scope',
      '8:区划代码:places.invalid_area',
      '10:名称:places.duplicate_row',
      '11:名称:places.duplicate_row',
      '13:名称:places.invalid_value',
      '13:地址:places.invalid_value',
    ]);
    expect(errors.find((e) => e.row === 10)).toMatchObject({ message: 'same place as row 9' });
    expect(await placeCount()).toBe(before);
  });

  it('reads a good XLSX (numbers as numbers) and English headers', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet1');
    ws.addRow(['name', 'type', 'area_code', 'address', 'longitude', 'latitude', 'hours', 'services', 'notes']);
    ws.addRow(['XLSX驿站', 'station', 330212011003, '地址A', 121.5681, 29.8577, 'Mo-Su 08:00-20:00', 'rest,wifi', 'ignored']);
    ws.addRow([]);
    ws.addRow(['XLSX外卖柜', '外卖柜', '330212011004', '地址B', 121.5682, 29.8578, '24/7', 'parcel_storage', '']);
    const before = await placeCount();
    const res = await upload(baiheHandler, Buffer.from(await wb.xlsx.writeBuffer()), '', XLSX);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ imported: 2, dryRun: false });
    expect(await placeCount()).toBe(before + 2);
    const locker = (await baiheHandler.get('/api/admin/places?q=XLSX外卖柜')).json().items[0];
    expect(locker).toMatchObject({ type: 'parcel_locker', areaCode: '330212011004', hours: '24/7', lon: 121.5682 });
  });

  it('reads GB18030 CSV from older Excel, validates only on dryRun, and refuses files without the columns', async () => {
    // "名称,类型,…" header and one row encoded in GB18030 (bytes from a GB18030 encoder of the same text).
    const text = csv([HEADER_ZH, '国标编码驿站,驿站,330212011005,地址,121.5691,29.8591,,,,,']);
    const encoded = encodeGb18030(text);
    const before = await placeCount();
    const res = await upload(baiheHandler, encoded, 'format=csv&dryRun=true');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ imported: 1, dryRun: true });
    expect(await placeCount()).toBe(before);

    const missing = await upload(baiheHandler, csv(['名称,类型', '缺列,station']), 'format=csv');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().rowErrors.map((e: { row: number; column: string }) => `${e.row}:${e.column}`)).toEqual(['1:area_code', '1:address', '1:longitude', '1:latitude']);
    const empty = await upload(baiheHandler, csv([HEADER_ZH]), 'format=csv');
    expect(empty.json().code).toBe('places.import_invalid');
    const notXlsx = await upload(baiheHandler, 'not a zip', 'format=xlsx', XLSX);
    expect(notXlsx.statusCode).toBe(400);
  });

  it('imports straight to active for operators only', async () => {
    const body = csv([HEADER_ZH, '直接上线驿站,station,330212002001,地址,121.551,29.851,,24/7,rest,,']);
    const refused = await upload(baiheHandler, body, 'activate=true');
    expect(refused.statusCode).toBe(403);
    const res = await upload(operator, body, 'activate=true');
    expect(res.statusCode, res.body).toBe(200);
    const place = (await operator.get('/api/admin/places?q=直接上线驿站')).json().items[0];
    expect(place.status).toBe('active');
    const history = (await operator.get(`/api/admin/places/${place.id}/history`)).json();
    expect(history).toEqual([expect.objectContaining({ fromStatus: null, toStatus: 'active', actorName: 'city-operator' })]);
    expect((await t.app.inject(`/api/places/${place.id}`)).statusCode).toBe(200);
  });
});

describe('export and template', () => {
  const AREA = '330212005'; // 中河街道: only this test's places

  async function closeAll(ids: string[]) {
    for (const id of ids) {
      const status = (await operator.get(`/api/admin/places/${id}`)).json().status;
      if (status === 'draft') await operator.post(`/api/admin/places/${id}/status`, { to: 'closed', reason: '测试重新导入' });
    }
  }
  const listArea = async () => (await operator.get(`/api/admin/places?areaCode=${AREA}&status=draft&pageSize=50`)).json().items as Record<string, unknown>[];
  const essentials = (p: Record<string, unknown>) => [p.name, p.type, p.areaCode, p.address, p.lon, p.lat, p.hours, p.services, p.phone, p.description];

  it('exports CSV (with BOM) and XLSX that import again unchanged', async () => {
    const source = csv([
      HEADER_ZH,
      '中河驿站,station,330212005001,"地址,带逗号",121.5501,29.8201,,Mo-Fr 08:00-20:00; Sa 09:00-12:00,rest,0574-1234,"简介 ""引号"""',
      '=HYPERLINK("x"),merchant,330212005002,地址2,121.5502,29.8202,,,discount,,',
    ]);
    expect((await upload(operator, source, '')).statusCode).toBe(200);
    const original = (await listArea()).map(essentials).sort();
    expect(original).toHaveLength(2);

    const exported = await operator.get(`/api/admin/places/export?format=csv&areaCode=${AREA}`);
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toContain('text/csv');
    expect(exported.headers['content-disposition']).toContain('places.csv');
    expect(exported.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    // a formula-looking name is written so a spreadsheet shows it as text
    expect(exported.rawPayload.toString('utf8')).toContain(`"'=HYPERLINK(""x"")"`);

    await closeAll((await listArea()).map((p) => p.id as string));
    const again = await upload(operator, exported.rawPayload, 'format=csv');
    expect(again.statusCode, again.body).toBe(200);
    expect((await listArea()).map(essentials).sort()).toEqual(original);

    const xlsx = await operator.get(`/api/admin/places/export?format=xlsx&areaCode=${AREA}&status=draft`);
    expect(xlsx.headers['content-type']).toBe(XLSX);
    await closeAll((await listArea()).map((p) => p.id as string));
    const fromXlsx = await upload(operator, xlsx.rawPayload, '', XLSX);
    expect(fromXlsx.statusCode, fromXlsx.body).toBe(200);
    expect(fromXlsx.json().imported).toBe(2);
    expect((await listArea()).map(essentials).sort()).toEqual(original);
  });

  it('offers a template with one example row; the XLSX explains the codes in Chinese', async () => {
    const csvTemplate = await baiheHandler.get('/api/admin/places/import-template?format=csv');
    expect(csvTemplate.statusCode).toBe(200);
    const lines = csvTemplate.rawPayload.toString('utf8').replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(HEADER_ZH);

    const xlsx = await baiheHandler.get('/api/admin/places/import-template');
    expect(xlsx.headers['content-type']).toBe(XLSX);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['场所', '填写说明']);
    const help: string[] = [];
    wb.worksheets[1].eachRow((r) => help.push((r.values as unknown[]).filter(Boolean).join(' ')));
    expect(help).toContain('station 驿站');
    expect(help).toContain('microwave 微波炉');

    // the template's own example passes validation
    const dry = await upload(baiheHandler, xlsx.rawPayload, 'dryRun=true', XLSX);
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toEqual({ imported: 1, dryRun: true });
  });
});

/** Minimal GB18030 encoder for the test: ASCII as is, Chinese through TextDecoder's inverse table. */
function encodeGb18030(text: string): Buffer {
  const decoder = new TextDecoder('gb18030');
  const table = new Map<string, number[]>();
  const wanted = new Set(Array.from(text).filter((ch) => ch.charCodeAt(0) > 0x7f));
  for (let hi = 0x81; hi <= 0xfe && table.size < wanted.size; hi += 1) {
    for (let lo = 0x40; lo <= 0xfe; lo += 1) {
      if (lo === 0x7f) continue;
      const ch = decoder.decode(new Uint8Array([hi, lo]));
      if (wanted.has(ch) && !table.has(ch)) table.set(ch, [hi, lo]);
    }
  }
  const bytes: number[] = [];
  for (const ch of Array.from(text)) bytes.push(...(ch.charCodeAt(0) <= 0x7f ? [ch.charCodeAt(0)] : table.get(ch)!));
  return Buffer.from(bytes);
}
