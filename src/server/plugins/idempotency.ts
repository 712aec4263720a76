import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { IDEMPOTENCY_HEADER } from '../../contracts/auth.js';
import { AppError } from '../../shared/errors.js';
import { sha256Hex } from '../../shared/ids.js';

interface IdempotencyTable {
  scope: string;
  key: string;
  request_hash: string;
  status_code: number | null;
  response_body: unknown;
  created_at: Date;
}

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: { scope: string; key: string };
  }
}

/**
 * Riders retry on flaky networks. A POST/PUT/PATCH/DELETE carrying an Idempotency-Key is done once:
 * a retry with the same key and body gets the stored response replayed; the same key with another body
 * is refused. Keys are scoped to the signed-in subject (or the client IP when anonymous).
 */
export const idempotencyPlugin = fp(async (app: FastifyInstance, opts: { db: Db }) => {
  const db = opts.db.withTables<{ idempotency_keys: IdempotencyTable }>();

  app.addHook('preHandler', async (request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD') return;
    const key = request.headers[IDEMPOTENCY_HEADER];
    if (typeof key !== 'string' || key === '') return;
    if (key.length > 128) throw new AppError('request.invalid', 'Idempotency-Key is at most 128 characters', { errors: [{ field: IDEMPOTENCY_HEADER, message: 'too long' }] });
    const scope = request.principal ? `${request.principal.kind}:${request.principal.id}` : `ip:${request.ip}`;
    // a raw upload (a photo) is hashed as bytes: JSON.stringify of a Buffer would build a string ~4× its size;
    // WebCrypto's digest runs on the thread pool, so a 2 MB photo does not hold up the event loop for it
    const body = Buffer.isBuffer(request.body) ? `bytes:${Buffer.from(await crypto.subtle.digest('SHA-256', request.body)).toString('hex')}` : JSON.stringify(request.body ?? null);
    const requestHash = sha256Hex(`${request.method} ${request.routeOptions.url} ${JSON.stringify(request.params)} ${body}`);
    const inserted = await db
      .insertInto('idempotency_keys')
      .values({ scope, key, request_hash: requestHash, status_code: null, response_body: null, created_at: new Date() })
      .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (inserted) {
      request.idempotency = { scope, key };
      return;
    }
    const prior = await db.selectFrom('idempotency_keys').selectAll().where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
    if (!prior) return; // expired between the two statements: proceed as new
    if (prior.request_hash !== requestHash) {
      throw new AppError('request.idempotency_key_reused', 'This Idempotency-Key was used for a different request');
    }
    if (prior.status_code === null) {
      throw new AppError('request.conflict', 'The same request is still being processed; retry shortly', { retryAfterSeconds: 1 });
    }
    reply.header('idempotent-replayed', 'true');
    return reply.code(prior.status_code).send(prior.response_body);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const idem = request.idempotency;
    if (!idem) return payload;
    request.idempotency = undefined;
    if (reply.statusCode >= 200 && reply.statusCode < 300) {
      let body: unknown = null;
      if (typeof payload === 'string' && payload.length > 0) {
        try { body = JSON.parse(payload); } catch { body = payload; }
      }
      await db
        .updateTable('idempotency_keys')
        .set({ status_code: reply.statusCode, response_body: JSON.stringify(body) })
        .where('scope', '=', idem.scope)
        .where('key', '=', idem.key)
        .execute();
    } else {
      // A failed attempt changed nothing, so the client may retry with the same key.
      await db.deleteFrom('idempotency_keys').where('scope', '=', idem.scope).where('key', '=', idem.key).execute();
    }
    return payload;
  });
});

export async function purgeIdempotencyKeys(database: Db, olderThan: Date): Promise<number> {
  const r = await sql`delete from idempotency_keys where created_at < ${olderThan}`.execute(database);
  return Number(r.numAffectedRows ?? 0);
}
