import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Client, createTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { WorkerPrincipal } from '../../contracts/auth.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const worker = (): WorkerPrincipal => ({ kind: 'worker', id: crypto.randomUUID(), cityCode: '3302' });

async function clientFor(lifetimeSeconds: number, idleTimeoutSeconds: number | null) {
  const principal = worker();
  const s = await t.services.sessions.create(principal, { lifetimeSeconds, idleTimeoutSeconds });
  const c = new Client(t.app);
  c.cookie = `ya_sid=${s.token}`;
  c.csrf = s.csrfToken;
  return { c, s, principal };
}

describe('sessions', () => {
  it('stores only a hash of the token and answers the session with its CSRF token', async () => {
    const { c, s } = await clientFor(3600, null);
    const rows = await sql<{ token_hash: string }>`select token_hash from sessions where id = ${s.id}`.execute(t.services.db);
    expect(rows.rows[0].token_hash).not.toContain(s.token);
    const info = (await c.get('/api/auth/session')).json();
    expect(info).toMatchObject({ kind: 'worker', csrfToken: s.csrfToken, idleTimeoutSeconds: null });
  });

  it('says the session expired after its lifetime, and unknown tokens are simply signed out', async () => {
    const { c } = await clientFor(60, null);
    t.clock.advance(61_000);
    const res = await c.get('/api/auth/session');
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('auth.session_expired');
    const stranger = new Client(t.app);
    stranger.cookie = 'ya_sid=not-a-real-token';
    expect((await stranger.get('/api/auth/session')).json().code).toBe('auth.unauthenticated');
  });

  it('ends on log-out and when all of a subject’s sessions are revoked', async () => {
    const { c } = await clientFor(3600, null);
    const out = await c.post('/api/auth/logout');
    expect(out.statusCode).toBe(204);
    expect(out.headers['set-cookie']).toContain('ya_sid=;');

    const other = await clientFor(3600, null);
    expect(await t.services.sessions.revokeAllFor('worker', other.principal.id)).toBe(1);
    expect((await other.c.get('/api/auth/session')).json().code).toBe('auth.session_expired');
  });

  it('refuses a state-changing request without the CSRF header, before doing anything', async () => {
    const { c } = await clientFor(3600, null);
    c.csrf = undefined;
    const res = await c.post('/api/me/notifications/read-all');
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('request.csrf_failed');
  });
});
