import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from './helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('platform foundation', () => {
  it('answers health and readiness', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', checks: { database: true, migrations: true } });
  });

  it('has the extensions the design relies on', async () => {
    const r = await sql<{ extname: string }>`select extname from pg_extension order by extname`.execute(t.services.db);
    expect(r.rows.map((x) => x.extname)).toEqual(expect.arrayContaining(['btree_gist', 'cube', 'earthdistance', 'pg_trgm']));
    const d = await sql<{ m: number }>`select round(earth_distance(ll_to_earth(29.87, 121.55), ll_to_earth(29.88, 121.55)))::int as m`.execute(t.services.db);
    expect(d.rows[0].m).toBeGreaterThan(1100);
    expect(d.rows[0].m).toBeLessThan(1120);
  });

  it('serves an OpenAPI 3.1 document', async () => {
    const res = await t.app.inject('/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/api/areas/{code}');
  });

  it('answers unknown routes with a problem document', async () => {
    const res = await t.app.inject('/api/nope');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 404, code: 'request.not_found' });
  });

  it('names the invalid field in a 400 problem', async () => {
    const res = await t.app.inject('/api/areas/abc');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'request.invalid', errors: [{ field: 'params.code' }] });
  });

  it('exposes Prometheus metrics', async () => {
    const res = await t.app.inject('/metrics');
    expect(res.body).toContain('http_request_duration_seconds');
  });

  it('knows Ningbo: 10 districts, streets and communities', async () => {
    const districts = (await t.app.inject('/api/areas/3302/children')).json();
    expect(districts).toHaveLength(10);
    expect(districts.map((d: { name: string }) => d.name)).toContain('鄞州区');
    const streets = (await t.app.inject('/api/areas/330212/children')).json();
    expect(streets.length).toBe(25);
    const path = (await t.app.inject(`/api/areas/${streets[0].code}`)).json().path;
    expect(path.map((a: { code: string }) => a.code)).toEqual(['3302', '330212', streets[0].code]);
  });

  it('keeps the audit log append-only in the database itself', async () => {
    await t.services.audit.record({}, { cityCode: '3302', action: 'test.append' });
    await expect(sql`update audit_log set action = 'x'`.execute(t.services.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(t.services.db)).rejects.toThrow(/append-only/);
  });
});

describe('security headers', () => {
  it('sends a content security policy and the usual hardening headers', async () => {
    const res = await t.app.inject('/healthz');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  });
});
