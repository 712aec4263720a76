import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { PageOf } from '../../src/contracts/common.js';
import type { AdminPlace } from '../../src/contracts/places.js';
import type { AdminReward, AdminStory } from '../../src/contracts/points.js';
import type { MyPass } from '../../src/contracts/pass.js';
import { DEMO_PASSWORD } from '../../src/server/demo-seed.js';
import { buttonName, haveChromium, phonePage, staffSession, useJourney, signInWorker } from './harness.js';

const SHOTS = process.env.E2E_SCREENSHOTS; // e.g. /tmp: save the key screens for a look
async function shot(page: Page, name: string) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/points-redeem-${name}.png`, fullPage: true });
}

const RIDER = '13800000001';
const MEAL = '10元爱心餐（测试）';

async function balanceOn(page: Page): Promise<number> {
  return Number((await page.getByTestId('points-balance').innerText()).replace(/[^\d-]/g, ''));
}

describe.skipIf(!haveChromium)('points: a worker with points redeems a meal reward and sees it waiting for pickup', () => {
  const j = useJourney();
  const meal = {} as { id: string; cost: number; placeName: string; placeId: string };
  let admin: Awaited<ReturnType<typeof staffSession>>;

  beforeAll(async () => {
    // Staff give the rider points the way the city does (an approved 微光榜 story) and list a meal at a merchant.
    admin = await staffSession(j.platform.url, 'admin');
    const nominated = await admin.post('/api/admin/points/honours', { workerPhone: RIDER, title: '帮助摔倒的老人', story: '在白鹤街道路口扶起摔倒的老人并送到社区卫生站。' });
    expect(nominated.status, await nominated.clone().text()).toBe(201);
    const story = (await nominated.json()) as AdminStory;
    const approved = await admin.post(`/api/admin/points/honours/${story.id}/approve`, {});
    expect(approved.status, await approved.clone().text()).toBe(200);
    const awarded = ((await approved.json()) as AdminStory).points ?? 0;
    expect(awarded).toBeGreaterThan(0);

    const places = await admin.get('/api/admin/places?type=merchant&status=active&pageSize=5');
    expect(places.status, await places.clone().text()).toBe(200);
    const place = ((await places.json()) as PageOf<AdminPlace>).items[0];
    expect(place, 'a seeded merchant place').toBeDefined();
    const cost = Math.min(awarded, 10);
    const created = await admin.post('/api/admin/points/rewards', {
      title: MEAL,
      description: '荤素搭配一份，含汤',
      category: 'meal',
      cost,
      stock: 5,
      perWorkerLimit: 1,
      placeId: place.id,
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const reward = (await created.json()) as AdminReward;
    Object.assign(meal, { id: reward.id, cost, placeName: place.name, placeId: place.id });

    // The merchant's till runs the scanner app under the demo `merchant` account, bound to this place.
    const scanners = await admin.get('/api/admin/pass/scanners');
    const account = ((await scanners.json()) as { staffId: string; username: string }[]).find((s) => s.username === 'merchant');
    expect(account, 'the demo merchant scanner account').toBeDefined();
    const bound = await admin.put(`/api/admin/pass/scanners/${account!.staffId}`, { placeIds: [place.id] });
    expect(bound.status, await bound.clone().text()).toBe(200);
  });

  let rider: Page;

  it('redeems the meal from the catalogue, sees the order awaiting pickup at the merchant, and the balance went down', async () => {
    const page = await phonePage(j.browser);
    page.setDefaultTimeout(15_000);
    await page.goto(`${j.platform.url}/worker/signin`);
    await signInWorker(page, j.platform.dataDir, RIDER);

    // Home → 我的积分
    await page.getByTestId('points-shortcut').getByRole('button', { name: '我的积分' }).click();
    await page.getByTestId('points-home').waitFor();
    const before = await balanceOn(page);
    expect(before).toBeGreaterThanOrEqual(meal.cost);

    // 积分兑换 → 爱心餐 → the meal's card shows cost, stock, limit and the place
    await page.getByTestId('points-entry-rewards').click();
    await page.getByTestId('reward-categories').getByText('爱心餐', { exact: true }).click();
    const card = page.getByTestId('reward-card').filter({ hasText: MEAL });
    await card.waitFor();
    await card.getByText(`${meal.cost} 分`).waitFor();
    await card.getByText('剩 5 份').waitFor();
    await card.getByText(meal.placeName).waitFor();
    await card.getByText('每人限 1 份，还可兑 1 份').waitFor();
    await shot(page, 'catalogue');

    // Redeem, confirm
    await card.getByRole('button', { name: `兑换 ${MEAL}` }).click();
    const dialog = page.getByTestId('redeem-dialog');
    await dialog.getByText(`兑换「${MEAL}」将使用 ${meal.cost} 分，兑换后剩余 ${before - meal.cost} 分。`).waitFor();
    await shot(page, 'confirm');
    await page.getByRole('button', { name: '确认兑换' }).click();

    // My orders: awaiting pickup, show the pass to the merchant
    await page.waitForURL((u) => u.pathname === '/worker/points/orders');
    const order = page.getByTestId('order-card').filter({ hasText: MEAL });
    await order.waitFor();
    expect(await order.getAttribute('data-status')).toBe('awaiting_pickup');
    await order.getByTestId('order-status').getByText('待领取').waitFor();
    const pickup = order.getByTestId('order-pickup');
    await pickup.getByText('出示甬爱码给商家扫码领取').waitFor();
    await pickup.getByText(meal.placeName).waitFor();
    expect((await pickup.getByTestId('pickup-code').innerText()).trim()).not.toBe('');
    await shot(page, 'order');

    // The catalogue now says the limit is reached; the balance went down by the cost
    await page.goto(`${j.platform.url}/worker/points/rewards`);
    const after = page.getByTestId('reward-card').filter({ hasText: MEAL });
    await after.getByText('剩 4 份').waitFor();
    await after.getByRole('button', { name: `兑换 ${MEAL}` }).getByText('已达每人上限').waitFor();
    await page.goto(`${j.platform.url}/worker/points`);
    await expect.poll(() => balanceOn(page)).toBe(before - meal.cost);
    await page.getByTestId('points-entry-orders').getByText('待领取 1 个').waitFor();
    rider = page;
  });

  it('at the counter the merchant scans the pass and completes the pickup; the rider sees it picked up', async () => {
    // The rider's pass, as the pass page holds it (the typed-code fallback stands in for the camera).
    const pass = await rider.evaluate(async () => {
      const res = await fetch('/api/pass/me', { credentials: 'same-origin' });
      return { status: res.status, body: (await res.json()) as MyPass };
    });
    expect(pass.status).toBe(200);
    expect(pass.body.status).toBe('active');
    const token = pass.body.tokens[0].token;

    const till = await phonePage(j.browser);
    till.setDefaultTimeout(15_000);
    await till.goto(`${j.platform.url}/scanner/`);
    await till.getByLabel('用户名').fill('merchant');
    await till.getByLabel('密码').fill(DEMO_PASSWORD);
    await till.getByRole('button', { name: '登录' }).click();
    await till.getByTestId('scanner-home').waitFor();
    await expect.poll(() => till.getByTestId('place-current').getAttribute('data-place')).toBe(meal.placeId);
    expect(await till.getByTestId('place-grants').textContent()).toContain('积分兑换领取');

    await till.getByTestId('token-input').locator('textarea:not([aria-hidden])').fill(token);
    await till.getByTestId('verify-token').click();
    const verdict = till.getByTestId('verdict');
    await verdict.waitFor();
    expect(await verdict.getAttribute('data-verdict')).toBe('green');
    // Online, the server lists what this rider has waiting here.
    const pickup = till.getByTestId('pickup').filter({ hasText: MEAL });
    await pickup.waitFor();
    await pickup.getByText(`${meal.cost} 积分`).waitFor();
    await shot(till, 'till');
    await pickup.getByRole('button', { name: buttonName('完成领取') }).click();
    await pickup.getByText('已领取').waitFor();
    await shot(till, 'till-done');

    // A second handover of the same order is refused by the server.
    const again = await admin.get(`/api/admin/points/orders?rewardId=${meal.id}`);
    const orders = (await again.json()) as PageOf<{ id: string; status: string }>;
    expect(orders.items.map((o) => o.status)).toEqual(['completed']);

    // The rider's orders page (left open) flips to picked up by itself.
    await rider.goto(`${j.platform.url}/worker/points/orders`);
    const order = rider.getByTestId('order-card').filter({ hasText: MEAL });
    await expect.poll(() => order.getAttribute('data-status'), { timeout: 15_000 }).toBe('completed');
    await order.getByTestId('order-status').getByText('已领取').waitFor();
    await shot(rider, 'picked-up');
    await till.context().close();
    await rider.context().close();
  });
});
