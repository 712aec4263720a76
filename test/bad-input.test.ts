import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from './helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

interface Operation {
  parameters?: { in: string; name: string; schema?: { format?: string; pattern?: string; type?: string; minimum?: number } }[];
  requestBody?: { content?: Record<string, { schema?: { required?: string[]; properties?: Record<string, { default?: unknown }> } }> };
}

/** Row counts of every table, to prove a refused request changed nothing. */
async function snapshot(): Promise<Record<string, number>> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(t.services.db);
  const counts: Record<string, number> = {};
  for (const { table_name } of tables.rows) {
    const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table_name)}`.execute(t.services.db);
    counts[table_name] = r.rows[0].n;
  }
  return counts;
}

const UUID = '00000000-0000-4000-8000-000000000000';
/** A valid value for each path parameter (so the request reaches body validation): by its schema, else by name. */
const fill = (path: string, op?: Operation) =>
  path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const schema = op?.parameters?.find((p) => p.in === 'path' && p.name === name)?.schema;
    if (schema?.format === 'uuid') return UUID;
    if (schema?.pattern?.startsWith('^\\d')) return '1';
    if (schema?.type === 'integer') return String(schema.minimum ?? 1);
    if (schema?.pattern?.startsWith('^[a-z]')) return 'abc';
    return name === 'id' ? UUID : name === 'code' ? '330212' : 'x';
  });

describe('bad input, on every endpoint that takes a body', () => {
  it('gets a 400 problem naming the missing fields, and changes nothing', async () => {
    const doc = (await t.app.inject('/openapi.json')).json() as { paths: Record<string, Record<string, Operation>> };
    const withBody: { method: string; path: string; required: string[]; op: Operation }[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const schema = op.requestBody?.content?.['application/json']?.schema;
        // A required field with a default is filled in, not refused.
        const required = (schema?.required ?? []).filter((f) => schema?.properties?.[f]?.default === undefined);
        if (required.length) withBody.push({ method: method.toUpperCase(), path, required, op });
      }
    }
    // The foundation's write endpoints at least: log-ins, SMS, verification, review, staff, departments.
    expect(withBody.length).toBeGreaterThanOrEqual(10);

    const before = await snapshot();
    for (const { method, path, required, op } of withBody) {
      const res = await t.app.inject({ method: method as 'POST', url: fill(path, op), payload: {} });
      expect(res.statusCode, `${method} ${path}`).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const body = res.json() as { code: string; errors: { field: string }[] };
      expect(body.code).toBe('request.invalid');
      for (const field of required) expect(body.errors.map((e) => e.field), `${method} ${path}`).toContain(field);

      const notJson = await t.app.inject({ method: method as 'POST', url: fill(path, op), payload: '{"broken', headers: { 'content-type': 'application/json' } });
      expect(notJson.statusCode, `${method} ${path} with broken JSON`).toBe(400);
      expect(notJson.json().code).toBe('request.invalid');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('names a wrongly typed field', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/worker/auth/login', payload: { phone: '13800000001', code: 'abcdef' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'code' })]);
  });
});
