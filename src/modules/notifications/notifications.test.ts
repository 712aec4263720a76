import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Client, createTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { Principal } from '../../contracts/auth.js';
import { createWeChatChannel, type WeChatTemplateMessage } from './notifications.channels.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

async function signedIn(principal: Principal): Promise<Client> {
  const created = await t.services.sessions.create(principal, { lifetimeSeconds: 3600, idleTimeoutSeconds: null });
  const client = new Client(t.app);
  client.cookie = `ya_sid=${created.token}`;
  client.csrf = created.csrfToken;
  return client;
}
const worker = (): Principal => ({ kind: 'worker', id: randomUUID(), cityCode: '3302' });
const staff = (): Principal => ({
  kind: 'staff',
  id: randomUUID(),
  cityCode: '3302',
  username: `op${Math.random().toString(36).slice(2, 8)}`,
  displayName: '值班员',
  role: 'operator',
  areaCode: '3302',
  departmentIds: [],
});
const notifyMany = async (p: Principal, n: number, kind = 'test.hello') => {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(await t.services.notifications.notify({ cityCode: '3302', recipientKind: p.kind, recipientId: p.id, kind, params: { i, name: `n${i}` }, link: `/worker/items/${i}` }));
    t.clock.advance(1000);
  }
  return ids;
};

describe('notifications inbox', () => {
  it('lists my messages newest first, paginated, with total and unread counts', async () => {
    const me = worker();
    const ids = await notifyMany(me, 5);
    const c = await signedIn(me);
    const p1 = await c.get('/api/me/notifications?pageSize=2');
    expect(p1.statusCode).toBe(200);
    expect(p1.json()).toMatchObject({ total: 5, unread: 5, page: 1, pageSize: 2 });
    expect(p1.json().items.map((i: { id: string }) => i.id)).toEqual([ids[4], ids[3]]);
    expect(p1.json().items[0]).toEqual({
      id: ids[4],
      kind: 'test.hello',
      params: { i: 4, name: 'n4' },
      link: '/worker/items/4',
      createdAt: new Date(t.clock.now().getTime() - 1000).toISOString(),
      readAt: null,
    });
    const p3 = (await c.get('/api/me/notifications?pageSize=2&page=3')).json();
    expect(p3.items.map((i: { id: string }) => i.id)).toEqual([ids[0]]);
    expect((await c.get('/api/me/notifications?page=9')).json()).toMatchObject({ items: [], total: 5 });
  });

  it('marks one read, then all read, and filters unread', async () => {
    const me = worker();
    const ids = await notifyMany(me, 3);
    const c = await signedIn(me);
    const read = await c.post(`/api/me/notifications/${ids[1]}/read`);
    expect(read.statusCode).toBe(204);
    const after = (await c.get('/api/me/notifications')).json();
    expect(after).toMatchObject({ total: 3, unread: 2 });
    expect(after.items.find((i: { id: string }) => i.id === ids[1]).readAt).toBe(t.clock.now().toISOString());
    const unread = (await c.get('/api/me/notifications?unreadOnly=true')).json();
    expect(unread.items.map((i: { id: string }) => i.id)).toEqual([ids[2], ids[0]]);
    expect(unread).toMatchObject({ total: 2, unread: 2 });

    // Marking again keeps the first read time.
    t.clock.advance(60_000);
    expect((await c.post(`/api/me/notifications/${ids[1]}/read`)).statusCode).toBe(204);
    const again = (await c.get('/api/me/notifications')).json();
    expect(again.items.find((i: { id: string }) => i.id === ids[1]).readAt).toBe(after.items.find((i: { id: string }) => i.id === ids[1]).readAt);

    expect((await c.post('/api/me/notifications/read-all')).statusCode).toBe(204);
    expect((await c.get('/api/me/notifications')).json()).toMatchObject({ total: 3, unread: 0 });
    expect((await c.get('/api/me/notifications?unreadOnly=true')).json()).toMatchObject({ items: [], total: 0 });
  });

  it('keeps each recipient to their own messages', async () => {
    const alice = worker();
    const bob = worker();
    const [aliceMsg] = await notifyMany(alice, 1);
    await notifyMany(bob, 2);
    // A staff account and a worker never share an inbox, even with the same id.
    const sameIdStaff = { ...staff(), id: alice.id };
    await notifyMany(sameIdStaff, 1, 'test.staff_only');

    const a = await signedIn(alice);
    const b = await signedIn(bob);
    const s = await signedIn(sameIdStaff);
    expect((await a.get('/api/me/notifications')).json()).toMatchObject({ total: 1, unread: 1 });
    expect((await b.get('/api/me/notifications')).json()).toMatchObject({ total: 2, unread: 2 });
    const staffPage = (await s.get('/api/me/notifications')).json();
    expect(staffPage.items.map((i: { kind: string }) => i.kind)).toEqual(['test.staff_only']);

    const stolen = await b.post(`/api/me/notifications/${aliceMsg}/read`);
    expect(stolen.statusCode).toBe(404);
    expect(stolen.headers['content-type']).toContain('application/problem+json');
    expect(stolen.json()).toMatchObject({ code: 'notifications.not_found' });
    expect((await s.post(`/api/me/notifications/${aliceMsg}/read`)).statusCode).toBe(404);
    expect((await b.post('/api/me/notifications/read-all')).statusCode).toBe(204);
    expect((await s.post('/api/me/notifications/read-all')).statusCode).toBe(204);
    expect((await a.get('/api/me/notifications')).json()).toMatchObject({ total: 1, unread: 1 });
    expect((await b.get('/api/me/notifications')).json()).toMatchObject({ unread: 0 });
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    const c = await signedIn(worker());
    expect((await c.post(`/api/me/notifications/${randomUUID()}/read`)).json()).toMatchObject({ status: 404, code: 'notifications.not_found' });
    expect((await c.post('/api/me/notifications/not-a-uuid/read')).json()).toMatchObject({ status: 400, code: 'request.invalid' });
    expect((await c.get('/api/me/notifications?pageSize=101')).json()).toMatchObject({ status: 400, code: 'request.invalid' });
  });

  it('needs a session, and the CSRF token to change anything', async () => {
    const anon = await t.app.inject('/api/me/notifications');
    expect(anon.statusCode).toBe(401);
    expect(anon.json()).toMatchObject({ code: 'auth.unauthenticated' });
    expect((await t.app.inject({ method: 'POST', url: '/api/me/notifications/read-all' })).statusCode).toBe(401);
    const c = await signedIn(worker());
    c.csrf = undefined;
    expect((await c.post('/api/me/notifications/read-all')).json()).toMatchObject({ code: 'request.csrf_failed' });
  });

  it('refuses a malformed kind or a link off our site', async () => {
    const me = worker();
    const base = { cityCode: '3302', recipientKind: 'worker' as const, recipientId: me.id };
    await expect(t.services.notifications.notify({ ...base, kind: 'Bad Kind' })).rejects.toMatchObject({ code: 'request.invalid' });
    await expect(t.services.notifications.notify({ ...base, kind: 'ok.kind', link: 'https://evil.example/' })).rejects.toMatchObject({ code: 'request.invalid' });
    await expect(t.services.notifications.notify({ ...base, kind: 'ok.kind', link: '//evil.example/' })).rejects.toMatchObject({ code: 'request.invalid' });
  });

  it('documents the routes in OpenAPI', async () => {
    const paths = Object.keys((await t.app.inject('/openapi.json')).json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/me/notifications', '/api/me/notifications/{id}/read', '/api/me/notifications/read-all']));
  });
});

describe('notification channels', () => {
  it('sends an SMS through a durable job only when asked and when a phone resolver is set', async () => {
    const me = worker();
    const phones = new Map([[me.id, '13800000009']]);
    t.services.notifications.setPhoneResolver(async (r) => (r.kind === 'worker' ? phones.get(r.id) : undefined));
    const sentBefore = t.sms.sent.length;

    await t.services.notifications.notify({ cityCode: '3302', recipientKind: 'worker', recipientId: me.id, kind: 'test.inbox_only' });
    const id = await t.services.notifications.notify({ cityCode: '3302', recipientKind: 'worker', recipientId: me.id, kind: 'verification.approved', channels: ['sms', 'unknown-channel'] });
    await t.services.notifications.notify({ cityCode: '3302', recipientKind: 'worker', recipientId: randomUUID(), kind: 'test.no_phone', channels: ['sms'] });

    const jobs = await sql<{ payload: unknown; status: string }>`select payload, status from jobs where kind = 'notifications.sms' order by id`.execute(t.services.db);
    expect(jobs.rows).toHaveLength(2);
    // The job carries the notification id, not the phone number.
    expect(JSON.stringify(jobs.rows)).not.toContain('13800000009');
    expect(jobs.rows[0].payload).toEqual({ notificationId: id });

    await t.services.jobs.runDue();
    expect(t.sms.sent.slice(sentBefore)).toEqual([{ phone: '13800000009', template: 'notification', params: { kind: 'verification.approved' } }]);
  });

  it('retries an SMS the gateway refused', async () => {
    const me = worker();
    t.services.notifications.setPhoneResolver(async () => '13800000010');
    const original = t.sms.send.bind(t.sms);
    let fail = true;
    t.sms.send = async (m) => {
      if (fail) throw new Error('gateway 503');
      return original(m);
    };
    try {
      await t.services.notifications.notify({ cityCode: '3302', recipientKind: 'worker', recipientId: me.id, kind: 'test.retry_sms', channels: ['sms'] });
      await t.services.jobs.runDue();
      expect(t.sms.sent.some((m) => m.phone === '13800000010')).toBe(false);
      fail = false;
      t.clock.advance(20_000);
      await t.services.jobs.runDue();
      expect(t.sms.sent.filter((m) => m.phone === '13800000010')).toHaveLength(1);
    } finally {
      t.sms.send = original;
    }
  });

  it('hands messages with a template to the WeChat seam', async () => {
    const sent: WeChatTemplateMessage[] = [];
    const me = worker();
    t.services.notifications.useChannel(
      createWeChatChannel({
        jobs: t.services.jobs,
        sender: { sendTemplate: async (m) => void sent.push(m) },
        resolveOpenId: async (r) => (r.id === me.id ? 'oOPENID123' : undefined),
        templateFor: (n) => (n.kind === 'verification.approved' ? { templateId: 'TPL-1', data: { thing1: { value: String(n.params.name ?? '') } } } : undefined),
        load: t.services.notifications.record,
        publicUrl: 'https://yongai.example.cn',
      }),
    );
    await t.services.notifications.notify({ cityCode: '3302', recipientKind: 'worker', recipientId: me.id, kind: 'verification.approved', params: { name: '张三' }, link: '/worker/me', channels: ['wechat'] });
    await t.services.notifications.notify({ cityCode: '3302', recipientKind: 'worker', recipientId: me.id, kind: 'test.no_template', channels: ['wechat'] });
    await t.services.jobs.runDue();
    expect(sent).toEqual([{ openId: 'oOPENID123', templateId: 'TPL-1', data: { thing1: { value: '张三' } }, url: 'https://yongai.example.cn/worker/me' }]);
  });
});
