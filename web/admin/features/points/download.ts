import type { Problem } from '@contracts/errors';
import { api, ApiError } from '@ui/api';

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

/** GETs a file with the session cookie and saves it; a refusal comes back as an ApiError. */
export async function downloadFile(url: string, fallbackName: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, { type: 'about:blank', title: 'Network error', status: 0, code: 'internal.error', detail: 'network' });
  }
  if (!res.ok) {
    const text = await res.text().catch(() => '');
    let problem: Problem = { type: 'about:blank', title: res.statusText, status: res.status, code: 'internal.error' };
    try {
      const data = text ? (JSON.parse(text) as Problem) : undefined;
      if (data && typeof data === 'object' && 'code' in data) problem = data;
    } catch {
      // not JSON: keep the generic problem
    }
    // let the shared client tell the app that the session has ended (it owns the 401 listeners)
    if (res.status === 401) void api.get('/api/auth/session').catch(() => undefined);
    throw new ApiError(res.status, problem);
  }
  const blob = await res.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = fileNameOf(res, fallbackName);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 1000);
}
