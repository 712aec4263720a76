import { beforeAll, describe, expect, it } from 'vitest';
import gcoord from 'gcoord';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { haveChromium, staffSession, useJourney, signInWorker } from './harness.js';

const SHOTS = process.env.E2E_SCREENSHOTS; // e.g. /tmp: save the key screens for a look
async function shot(page: Page, name: string) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/worker-places-${name}.png`, fullPage: true });
}

/** A rider standing in 白鹤街道, 鄞州区 (WGS-84, as the phone's GPS reports it). */
const RIDER = { longitude: 121.57, latitude: 29.86 };
const BAIHE = '330212011';

/**
 * Places made for this journey right next to the rider (a few metres), so whatever the demo seed holds
 * nearby, the nearest open station with a microwave is known: the two stations nearer still are closed
 * or have no microwave.
 */
const STATION = { name: '白鹤街道甬爱驿站（测试）', lon: 121.5701, lat: 29.8601, hours: '24/7', services: ['rest', 'water', 'microwave', 'phone_charging'] };
const NO_MICROWAVE = { name: '白鹤无微波炉驿站（测试）', lon: 121.57003, lat: 29.86003, hours: '24/7', services: ['rest', 'water'] };
const CLOSED = { name: '白鹤打烊驿站（测试）', lon: 121.57006, lat: 29.86006, hours: 'Mo-Su off', services: ['rest', 'microwave'] };
const COMPOUND = { name: '丹顶鹤小区（测试）', lon: 121.5712, lat: 29.8612 };

/** A phone-sized page whose GPS says the rider is at RIDER, with location already allowed. */
async function phoneWithLocation(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    geolocation: { ...RIDER, accuracy: 20 },
    permissions: ['geolocation'],
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

/** Signs a worker in on the sign-in screen (already open), accepting the privacy notice if asked. */
const toGcj = (lon: number, lat: number) => gcoord.transform([lon, lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
const toBd = (lon: number, lat: number) => gcoord.transform([lon, lat], gcoord.WGS84, gcoord.BD09) as [number, number];

describe.skipIf(!haveChromium)('worker app: places near me, directions, and rating a compound', () => {
  const j = useJourney();
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    // Registered and published by 白鹤街道's handler through the admin API, as staff would.
    const admin = await staffSession(j.platform.url, 'admin');
    const create = async (key: string, body: Record<string, unknown>) => {
      const res = await admin.post('/api/admin/places', { areaCode: BAIHE, address: '宁波市鄞州区白鹤街道（测试）', ...body });
      expect(res.status, await res.clone().text()).toBe(201);
      const { id } = (await res.json()) as { id: string };
      const live = await admin.post(`/api/admin/places/${id}/status`, { to: 'active', reason: '浏览器测试上线' });
      expect(live.status, await live.clone().text()).toBe(200);
      ids[key] = id;
    };
    for (const [key, s] of Object.entries({ station: STATION, noMicrowave: NO_MICROWAVE, closed: CLOSED })) await create(key, { type: 'station', ...s });
    await create('compound', {
      type: 'compound',
      ...COMPOUND,
      hours: '24/7',
      services: ['parking'],
      access: { mode: 'pass', policy: '出示甬爱码，登记后放行' },
      gates: [{ name: '东门', lon: 121.5716, lat: 29.8612, hours: 'Mo-Su 06:00-23:00' }],
    });
  });

  it('finds the nearest open station with a microwave without signing in, and opens directions with converted coordinates', async () => {
    const { context, page } = await phoneWithLocation(j.browser);
    const cspErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && /Content Security Policy/i.test(m.text()) && cspErrors.push(m.text()));
    await page.goto(`${j.platform.url}/worker/map`);
    // Public: no sign-in wall.
    await page.getByTestId('map-page').waitFor();
    expect(new URL(page.url()).pathname).toBe('/worker/map');
    await expect.poll(() => page.locator('.ya-places-list-head h2').textContent()).toContain('离我最近');
    // No tiles in tests: the map says so and still draws the pins.
    await expect.poll(() => page.getByTestId('base-map').getAttribute('data-tiles')).toBe('none');

    // 驿站 + 微波炉 + 营业中.
    await page.getByTestId('type-chip-station').click();
    await page.getByTestId('more-filters').click();
    const sheet = page.getByTestId('filter-sheet');
    await sheet.waitFor();
    await sheet.getByText('微波炉', { exact: true }).click();
    await page.getByTestId('apply-filters').click();
    await page.getByTestId('open-now').click();
    await page.waitForURL((u) => u.searchParams.get('types') === 'station' && u.searchParams.get('services') === 'microwave' && u.searchParams.get('open') === '1');

    const rows = page.getByTestId('place-row');
    await expect.poll(() => rows.first().getAttribute('data-id')).toBe(ids.station);
    const first = rows.first();
    expect(await first.getByTestId('place-name').textContent()).toBe(STATION.name);
    expect(await first.getByTestId('place-open').textContent()).toBe('24小时');
    expect(await first.locator('.ya-distance').textContent()).toMatch(/^\d+ 米$/);
    // The station without a microwave and the closed one are nearer, and filtered out.
    const listed = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    expect(listed).not.toContain(ids.noMicrowave);
    expect(listed).not.toContain(ids.closed);
    for (const type of await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-type')))) expect(type).toBe('station');
    // The pin is on the map too (demo stations nearby may cluster with it: zoom in to where pins stand alone).
    await shot(page, 'map');
    const pin = page.locator(`.leaflet-marker-icon[title="${STATION.name}"]`);
    await expect
      .poll(async () => {
        const n = await pin.count();
        if (n === 0) await page.locator('.leaflet-control-zoom-in').click();
        return n;
      })
      .toBe(1);

    await first.click();
    await page.waitForURL(new RegExp(`/worker/places/${ids.station}$`));
    await expect.poll(() => page.getByTestId('place-title').textContent()).toBe(STATION.name);
    expect(await page.getByTestId('place-services').textContent()).toContain('微波炉');
    expect(await page.getByTestId('place-open-state').textContent()).toBe('24小时');
    await expect.poll(() => page.getByTestId('place-distance').textContent()).toMatch(/^距您 \d+ 米$/);
    await shot(page, 'station');

    // Amap and Tencent get GCJ-02, Baidu BD-09 — never the raw WGS-84 the database holds.
    const [gLon, gLat] = toGcj(STATION.lon, STATION.lat);
    const [bLon, bLat] = toBd(STATION.lon, STATION.lat);
    const amap = new URL((await page.getByTestId('nav-amap').getAttribute('href'))!);
    expect(amap.origin + amap.pathname).toBe('https://uri.amap.com/navigation');
    const [lon, lat, name] = amap.searchParams.get('to')!.split(',');
    expect(Number(lon)).toBeCloseTo(gLon, 6);
    expect(Number(lat)).toBeCloseTo(gLat, 6);
    expect(Number(lon) - STATION.lon).toBeGreaterThan(0.003); // GCJ-02 is ~+0.004° east here
    expect(STATION.lat - Number(lat)).toBeGreaterThan(0.002); // … and ~0.0026° south
    expect(name).toBe(STATION.name);
    expect(amap.searchParams.get('mode')).toBe('ride');
    expect(amap.searchParams.get('coordinate')).toBe('gaode');

    const baidu = (await page.getByTestId('nav-baidu').getAttribute('href'))!;
    expect(baidu.startsWith('baidumap://map/direction?')).toBe(true);
    const baiduDest = new URLSearchParams(baidu.split('?')[1]).get('destination')!;
    const [bdLat, bdLon] = baiduDest.replace(/^latlng:/, '').split('|')[0]!.split(',').map(Number);
    expect(bdLat).toBeCloseTo(bLat, 6);
    expect(bdLon).toBeCloseTo(bLon, 6);
    expect(baidu).toContain('coord_type=bd09ll');
    expect(await page.getByTestId('nav-baidu').getAttribute('data-web-href')).toMatch(/^https:\/\/api\.map\.baidu\.com\/direction\?/);

    const tencent = new URL((await page.getByTestId('nav-tencent').getAttribute('href'))!);
    const [tLat, tLon] = tencent.searchParams.get('tocoord')!.split(',').map(Number);
    expect(tLat).toBeCloseTo(gLat, 6);
    expect(tLon).toBeCloseTo(gLon, 6);
    expect(tencent.searchParams.get('type')).toBe('bike');

    // Back to the map: the filters are still there.
    await page.locator('.adm-nav-bar-back').click();
    await page.waitForURL(/\/worker\/map\?/);
    expect(new URL(page.url()).searchParams.get('services')).toBe('microwave');
    expect(cspErrors).toEqual([]);
    await context.close();
  });

  it('without location access, searches from the city centre and then from a point picked on the map', async () => {
    const context = await j.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${j.platform.url}/worker/map?types=station`);
    // Asked politely first, not by the browser's prompt straight away.
    await page.getByTestId('locate-ask').waitFor();
    const title = page.locator('.ya-places-list-head h2');
    await expect.poll(() => title.textContent()).toContain('离市中心最近');
    await expect.poll(() => page.getByTestId('place-row').count()).toBeGreaterThan(0);
    // The browser refuses (no permission here): the page says so and keeps working.
    await page.getByTestId('locate-allow').click();
    await page.getByTestId('locate-failed').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('locate-failed').getAttribute('data-status')).toMatch(/denied|timeout|unavailable/);
    await page.getByTestId('use-centre').click();
    await expect.poll(() => title.textContent()).toContain('离所选位置最近');
    await expect.poll(() => page.getByTestId('place-row').count()).toBeGreaterThan(0);
    await context.close();
  });

  it('a verified rider rates a compound after a delivery in two taps and sees its score', async () => {
    const { context, page } = await phoneWithLocation(j.browser);
    const ratings: { key: string | undefined }[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes(`/api/worker/places/${ids.compound}/ratings`)) ratings.push({ key: r.headers()['idempotency-key'] });
    });

    await page.goto(`${j.platform.url}/worker/places/${ids.compound}`);
    await expect.poll(() => page.getByTestId('place-title').textContent()).toBe(COMPOUND.name);
    // Access rules (一区一策) and the gate with its hours.
    expect(await page.getByTestId('place-access').textContent()).toContain('凭码进入');
    expect(await page.getByTestId('place-access').textContent()).toContain('出示甬爱码，登记后放行');
    expect(await page.getByTestId('place-gates').textContent()).toContain('东门');
    expect(await page.getByTestId('friendliness').textContent()).toContain('还没有骑手评价');

    // Rating needs a session: sign in and come straight back.
    await page.getByTestId('rate-sign-in').click();
    await page.waitForURL(/\/worker\/signin\?next=/);
    await signInWorker(page, j.platform.dataDir, '13800000001');
    await page.waitForURL(new RegExp(`/worker/places/${ids.compound}$`));

    const card = page.getByTestId('rate-card');
    await card.getByTestId('rate-entry').getByRole('radio', { name: '2分钟内' }).click();
    expect(ratings).toHaveLength(0); // one tap is not a rating yet
    await card.getByTestId('rate-let-in').getByRole('radio', { name: '放行了' }).click();

    await page.getByTestId('rate-done').waitFor();
    const score = Number(await page.getByTestId('rate-done').getByTestId('score-badge').getAttribute('data-score'));
    expect(score).toBeGreaterThanOrEqual(80); // let in, under 2 minutes, easy parking
    expect(score).toBeLessThanOrEqual(100);
    await expect.poll(() => page.getByTestId('friendliness-score').textContent()).toContain(String(score));
    await expect.poll(() => page.getByTestId('friendliness-count').textContent()).toBe('1');
    expect(ratings).toHaveLength(1);
    expect(ratings[0]!.key).toBeTruthy();
    await shot(page, 'rated');
    await context.close();
  });

  it('an unverified worker is told to verify first', async () => {
    const { context, page } = await phoneWithLocation(j.browser);
    await page.goto(`${j.platform.url}/worker/signin?next=${encodeURIComponent(`/places/${ids.compound}`)}`);
    await signInWorker(page, j.platform.dataDir, '13800000007');
    await page.waitForURL(new RegExp(`/worker/places/${ids.compound}$`));
    const card = page.getByTestId('rate-card');
    await card.getByTestId('rate-entry').getByRole('radio', { name: '5–10分钟' }).click();
    await card.getByTestId('rate-let-in').getByRole('radio', { name: '没放行' }).click();
    await expect.poll(() => page.getByTestId('rate-error').textContent()).toContain('请先完成实名认证');
    expect(await page.getByTestId('friendliness-count').textContent()).toBe('1');
    await context.close();
  });
});
