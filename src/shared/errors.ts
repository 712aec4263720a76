import { errorStatus, type ErrorCode, type FieldError } from '../contracts/errors.js';

/** A failure the client can act on. Services throw these; one handler turns them into problem+json. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    /** `problem`: extra members of the problem body (e.g. an import's `rowErrors`); standard members win. */
    readonly extra: { errors?: FieldError[]; retryAfterSeconds?: number; problem?: Record<string, unknown> } = {},
  ) {
    super(message ?? code);
    this.status = errorStatus[code];
  }
}

export const notFound = (code: ErrorCode, message?: string) => new AppError(code, message);
export const forbidden = (message = 'You may not do this') => new AppError('auth.forbidden', message);
export const invalid = (field: string, message: string) =>
  new AppError('request.invalid', `${field}: ${message}`, { errors: [{ field, message }] });
