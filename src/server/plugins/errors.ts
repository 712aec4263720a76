import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { errorStatus, type ErrorCode, type Problem } from '../../contracts/errors.js';
import { AppError } from '../../shared/errors.js';

const titles: Partial<Record<number, string>> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict',
  413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Content', 423: 'Locked',
  429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable',
};

export function sendProblem(
  reply: FastifyReply,
  request: FastifyRequest,
  code: ErrorCode,
  detail: string | undefined,
  errors?: Problem['errors'],
  extra?: Record<string, unknown>,
): FastifyReply {
  const status = errorStatus[code];
  const body: Problem = {
    ...extra,
    type: `https://yongai.example/problems/${code}`,
    title: titles[status] ?? 'Error',
    status,
    code,
    detail,
    instance: request.url.split('?')[0],
    requestId: String(request.id),
    ...(errors ? { errors } : {}),
  };
  return reply.code(status).type('application/problem+json').send(body);
}

function fieldOf(instancePath: string, params: Record<string, unknown>, context?: string): string {
  const base = instancePath.replace(/^\//, '').replace(/\//g, '.');
  const missing = typeof params?.missingProperty === 'string' ? params.missingProperty : undefined;
  const prefix = context && context !== 'body' ? `${context}.` : '';
  return prefix + [base, missing].filter(Boolean).join('.') || context || 'body';
}

/** Maps Postgres errors that reach the handler to client errors where the client is at fault. */
function pgProblem(err: { code?: string; constraint?: string }): [ErrorCode, string] | undefined {
  switch (err.code) {
    case '23505': return ['request.conflict', `Already exists (${err.constraint ?? 'unique'})`];
    case '23503': return ['request.invalid', `Refers to something that does not exist (${err.constraint ?? 'foreign key'})`];
    case '23514': return ['request.invalid', `A value is out of range (${err.constraint ?? 'check'})`];
    case '22P02': case '22007': case '22008': return ['request.invalid', 'A value has the wrong format'];
    default: return undefined;
  }
}

/** RFC 9457 problem details for every error; 5xx details never reach the client. */
export const errorsPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((error: FastifyError & { constraint?: string }, request, reply) => {
    if (error instanceof AppError) {
      if (error.extra.retryAfterSeconds) reply.header('retry-after', String(error.extra.retryAfterSeconds));
      return sendProblem(reply, request, error.code, error.message, error.extra.errors, error.extra.problem);
    }
    if (error.validation) {
      const errors = error.validation.map((v) => {
        const params = v.params as Record<string, unknown>;
        return {
          field: fieldOf(v.instancePath, params, error.validationContext),
          message: v.message ?? 'is invalid',
          rule: v.keyword,
          ...(typeof params?.limit === 'number' ? { limit: params.limit } : {}),
        };
      });
      return sendProblem(reply, request, 'request.invalid', errors.map((e) => `${e.field} ${e.message}`).join('; '), errors);
    }
    if (error.statusCode === 429) return sendProblem(reply, request, 'request.rate_limited', 'Too many requests; wait a moment');
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.statusCode === 400) {
      return sendProblem(reply, request, 'request.invalid', error.message, [{ field: 'body', message: error.message }]);
    }
    if (error.statusCode === 413) return sendProblem(reply, request, 'storage.too_large', 'The request body is too large');
    if (error.statusCode === 415) return sendProblem(reply, request, 'storage.unsupported_type', error.message);
    const pg = pgProblem(error as { code?: string; constraint?: string });
    if (pg) {
      request.log.warn({ err: error }, 'database constraint');
      return sendProblem(reply, request, pg[0], pg[1]);
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, request, 'internal.error', 'Something went wrong on our side; it has been logged');
  });
});
