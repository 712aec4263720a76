import { describe, expect, it } from 'vitest';
import i18next from 'i18next';
import { distanceM, fromWgs84, round6, toWgs84 } from '../web/ui/map/coords.js';
import { navigationLinks } from '../web/ui/map/navigation.js';
import { formatDistance, openLine, readableHours } from '../web/worker/features/places/format.js';
import { worker as zh } from '../web/worker/i18n/zh-CN.js';
import { worker as en } from '../web/worker/i18n/en.js';

// The map's coordinate conversions and deep links (web/ui/map), and how the worker app words places.
// They live here because the unit-test projects include src/** and test/** only.

/** 白鹤街道, 鄞州区 (WGS-84), and the same point as Amap and Baidu draw it (gcoord, checked by hand). */
const BAIHE = { lon: 121.57, lat: 29.86 };
const BAIHE_GCJ = { lon: 121.5741159, lat: 29.8573834 };
const BAIHE_BD = { lon: 121.5805317, lat: 29.8636486 };

const query = (url: string) => new URL(url.replace(/^baidumap:\/\//, 'https://baidumap/')).searchParams;

describe('coordinate conversions', () => {
  it('shifts Ningbo into GCJ-02 by about +0.004° lon / −0.0026° lat, and into BD-09 further', () => {
    const gcj = fromWgs84('GCJ02', BAIHE.lon, BAIHE.lat);
    expect(gcj.lon).toBeCloseTo(BAIHE_GCJ.lon, 6);
    expect(gcj.lat).toBeCloseTo(BAIHE_GCJ.lat, 6);
    const bd = fromWgs84('BD09', BAIHE.lon, BAIHE.lat);
    expect(bd.lon).toBeCloseTo(BAIHE_BD.lon, 6);
    expect(bd.lat).toBeCloseTo(BAIHE_BD.lat, 6);
    // Not a no-op: several hundred metres off if a map app got WGS-84.
    expect(distanceM(BAIHE, gcj)).toBeGreaterThan(300);
    expect(fromWgs84('WGS84', BAIHE.lon, BAIHE.lat)).toEqual(BAIHE);
  });

  it('converts back to WGS-84 (a map tap on GCJ-02 tiles) to within half a metre', () => {
    for (const crs of ['GCJ02', 'BD09'] as const) {
      const there = fromWgs84(crs, BAIHE.lon, BAIHE.lat);
      const back = toWgs84(crs, there.lon, there.lat);
      expect(distanceM(BAIHE, back)).toBeLessThan(0.5);
    }
  });

  it('measures great-circle distances', () => {
    expect(distanceM({ lon: 121.55, lat: 29.87 }, { lon: 121.55, lat: 29.88 })).toBeCloseTo(1112, -1);
    expect(distanceM(BAIHE, BAIHE)).toBe(0);
    expect(round6(121.57411590778)).toBe(121.574116);
  });
});

describe('navigationLinks', () => {
  const links = navigationLinks({ ...BAIHE, name: '白鹤驿站' });

  it('gives Amap GCJ-02 as lng,lat,name with riding mode and the app hand-over', () => {
    const q = query(links.amap);
    expect(links.amap.startsWith('https://uri.amap.com/navigation?')).toBe(true);
    const [lng, lat, name] = q.get('to')!.split(',');
    expect(Number(lng)).toBe(round6(BAIHE_GCJ.lon));
    expect(Number(lat)).toBe(round6(BAIHE_GCJ.lat));
    expect(name).toBe('白鹤驿站');
    expect(q.get('mode')).toBe('ride');
    expect(q.get('coordinate')).toBe('gaode');
    expect(q.get('callnative')).toBe('1');
  });

  it('gives Baidu BD-09 as latlng:lat,lng with bd09ll, riding mode and a web page for browsers without the app', () => {
    const q = query(links.baidu);
    expect(links.baidu.startsWith('baidumap://map/direction?')).toBe(true);
    expect(q.get('destination')).toBe(`latlng:${round6(BAIHE_BD.lat)},${round6(BAIHE_BD.lon)}|name:白鹤驿站`);
    expect(q.get('coord_type')).toBe('bd09ll');
    expect(q.get('mode')).toBe('riding');
    expect(q.get('src')).toBe('yongai');
    // Without a starting point the web fallback shows the place; with one it plans the route.
    const marker = query(links.baiduWeb);
    expect(links.baiduWeb.startsWith('https://api.map.baidu.com/marker?')).toBe(true);
    expect(marker.get('location')).toBe(`${round6(BAIHE_BD.lat)},${round6(BAIHE_BD.lon)}`);
    expect(marker.get('output')).toBe('html');
    const routed = navigationLinks({ ...BAIHE, name: '白鹤驿站' }, { lon: 121.56, lat: 29.85 }).baiduWeb;
    expect(routed.startsWith('https://api.map.baidu.com/direction?')).toBe(true);
    const from = fromWgs84('BD09', 121.56, 29.85);
    expect(query(routed).get('origin')).toBe(`latlng:${round6(from.lat)},${round6(from.lon)}|name:我的位置`);
    expect(query(routed).get('mode')).toBe('riding');
  });

  it('gives Tencent GCJ-02 as lat,lng with the bike route type', () => {
    const q = query(links.tencent);
    expect(links.tencent.startsWith('https://apis.map.qq.com/uri/v1/routeplan?')).toBe(true);
    expect(q.get('tocoord')).toBe(`${round6(BAIHE_GCJ.lat)},${round6(BAIHE_GCJ.lon)}`);
    expect(q.get('type')).toBe('bike');
    expect(q.get('to')).toBe('白鹤驿站');
    expect(q.get('referer')).toBe('yongai');
  });

  it('keeps separators out of names and encodes the rest', () => {
    const l = navigationLinks({ ...BAIHE, name: 'A,B|C & D' });
    expect(query(l.amap).get('to')!.split(',')).toHaveLength(3);
    expect(query(l.amap).get('to')!.split(',')[2]).toBe('A B C & D');
    expect(query(l.baidu).get('destination')!.split('|')).toHaveLength(2);
    expect(query(l.tencent).get('to')).toBe('A B C & D');
  });
});

describe('how places read in the worker app', async () => {
  const i18n = i18next.createInstance();
  await i18n.init({ lng: 'zh-CN', resources: { 'zh-CN': { worker: zh }, en: { worker: en } }, defaultNS: 'worker', interpolation: { escapeValue: false } });
  const t = i18n.getFixedT('zh-CN');
  const te = i18n.getFixedT('en');
  // 2026-11-23 14:05 in Shanghai (a Monday).
  const now = Date.parse('2026-11-23T06:05:00Z');

  it('words distances in metres and kilometres', () => {
    expect(formatDistance(t, 42.4)).toBe('42 米');
    expect(formatDistance(t, 347)).toBe('350 米');
    expect(formatDistance(t, 1234)).toBe('1.2 公里');
    expect(formatDistance(t, 15_600)).toBe('16 公里');
    expect(formatDistance(te, 1234)).toBe('1.2 km');
  });

  it('says whether a place is open and when that changes, on the Shanghai clock', () => {
    expect(openLine(t, { open: true, nextChange: '2026-11-23T14:00:00Z', alwaysOpen: false }, now)).toEqual({ text: '营业中 · 22:00 关门', tone: 'open' });
    expect(openLine(t, { open: false, nextChange: '2026-11-24T00:00:00Z', alwaysOpen: false }, now)).toEqual({ text: '已打烊 · 明天 08:00 开门', tone: 'closed' });
    expect(openLine(t, { open: false, nextChange: '2026-11-26T00:30:00Z', alwaysOpen: false }, now).text).toBe('已打烊 · 周四 08:30 开门');
    expect(openLine(t, { open: true, nextChange: null, alwaysOpen: true }, now).text).toBe('24小时');
    expect(openLine(t, { open: null, nextChange: null, alwaysOpen: false }, now)).toEqual({ text: '营业时间未知', tone: 'unknown' });
    expect(openLine(te, { open: true, nextChange: '2026-11-23T14:00:00Z', alwaysOpen: false }, now).text).toBe('Open · closes 22:00');
  });

  it('makes opening_hours readable', () => {
    expect(readableHours(t, 'Mo-Fr 08:00-22:00; Sa,Su 10:00-20:00; PH off')).toEqual(['周一-周五 08:00-22:00', '周六,周日 10:00-20:00', '法定节假日 休息']);
    expect(readableHours(t, '24/7')).toEqual(['24小时']);
  });
});
