import type { FieldError, Problem } from '@contracts/errors';
import type { SessionInfo } from '@contracts/auth';

/** A failed API call, carrying the server's problem document (stable `code` for i18n). */
export class ApiError extends Error {
  constructor(readonly status: number, readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
  get code() {
    return this.problem.code;
  }
  /** The invalid fields named by a 400 problem, keyed by field. */
  fieldErrors(): Record<string, FieldError> {
    return Object.fromEntries((this.problem.errors ?? []).map((e) => [e.field, e]));
  }
}

let csrfToken: string | undefined;
const listeners = new Set<(e: ApiError) => void>();

/** Called for every 401, so an app can send the person back to its sign-in screen. */
export function onUnauthenticated(fn: (e: ApiError) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function setCsrfToken(token: string | undefined) {
  csrfToken = token;
}

export function newIdempotencyKey(): string {
  return crypto.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

interface RequestOptions {
  idempotencyKey?: string;
  signal?: AbortSignal;
  /** Don't trigger the 401 listeners (e.g. the initial session probe). */
  quiet401?: boolean;
}

async function request<T>(method: string, url: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin', signal: opts.signal });
  } catch {
    throw new ApiError(0, { type: 'about:blank', title: 'Network error', status: 0, code: 'internal.error' as Problem['code'], detail: 'network' });
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const problem: Problem = data && typeof data === 'object' && 'code' in data ? data : { type: 'about:blank', title: res.statusText, status: res.status, code: 'internal.error' };
    const err = new ApiError(res.status, problem);
    if (res.status === 401 && !opts.quiet401) listeners.forEach((l) => l(err));
    throw err;
  }
  return data as T;
}

export const api = {
  get: <T>(url: string, opts?: RequestOptions) => request<T>('GET', url, undefined, opts),
  post: <T>(url: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', url, body ?? {}, opts),
  patch: <T>(url: string, body: unknown, opts?: RequestOptions) => request<T>('PATCH', url, body, opts),
  put: <T>(url: string, body: unknown, opts?: RequestOptions) => request<T>('PUT', url, body, opts),
  delete: <T>(url: string, opts?: RequestOptions) => request<T>('DELETE', url, undefined, opts),
};

/** The current session (and its CSRF token), or undefined when signed out. */
export async function loadSession(): Promise<SessionInfo | undefined> {
  try {
    const s = await api.get<SessionInfo>('/api/auth/session', { quiet401: true });
    setCsrfToken(s.csrfToken);
    return s;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      setCsrfToken(undefined);
      return undefined;
    }
    throw e;
  }
}

export async function logout(): Promise<void> {
  try {
    await api.post('/api/auth/logout');
  } finally {
    setCsrfToken(undefined);
  }
}
