import type { Problem } from '@contracts/errors';
import { api, ApiError, loadSession } from '@ui/api';

/**
 * The shared client sends JSON only; photos and spreadsheets go as raw bodies with their own content
 * type. The CSRF token lives inside the shared client, so it is read again from the session (which
 * also keeps the client's copy current).
 */
async function csrfToken(): Promise<string | undefined> {
  const session = await loadSession();
  return session?.csrfToken;
}

function networkError(): ApiError {
  return new ApiError(0, { type: 'about:blank', title: 'Network error', status: 0, code: 'internal.error', detail: 'network' });
}

async function failure(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  const problem: Problem =
    data && typeof data === 'object' && 'code' in data ? (data as Problem) : { type: 'about:blank', title: res.statusText, status: res.status, code: 'internal.error' };
  // Let the shared client tell the app that the session has ended (it owns the 401 listeners).
  if (res.status === 401) void api.get('/api/auth/session').catch(() => undefined);
  return new ApiError(res.status, problem);
}

export async function rawRequest<T>(method: 'POST' | 'PUT', url: string, body: Blob, contentType: string): Promise<T> {
  const token = await csrfToken();
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': contentType || 'application/octet-stream' };
  if (token) headers['x-csrf-token'] = token;
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body, credentials: 'same-origin' });
  } catch {
    throw networkError();
  }
  if (!res.ok) throw await failure(res);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** The file name the server suggests (Content-Disposition, RFC 6266 filename* first), else the fallback. */
function fileNameOf(res: Response, fallback: string): string {
  const cd = res.headers.get('content-disposition') ?? '';
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(cd);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(cd);
  return plain ? plain[1].trim() : fallback;
}

export function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** GETs a file with the session cookie and saves it; a refusal comes back as an ApiError. */
export async function downloadFile(url: string, fallbackName: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'same-origin' });
  } catch {
    throw networkError();
  }
  if (!res.ok) throw await failure(res);
  saveBlob(await res.blob(), fileNameOf(res, fallbackName));
}

/** RFC 4180 CSV with a BOM so Excel opens Chinese text correctly; formula-looking cells are defused. */
export function toCsv(header: string[], rows: (string | number | null | undefined)[][]): string {
  const cell = (v: string | number | null | undefined) => {
    const s = v === null || v === undefined ? '' : String(v);
    const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return '\uFEFF' + [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n');
}
