/**
 * The scanner keeps everything it needs offline in localStorage: the trust bundle, the places it
 * scans for, the replay cache and the queue of scans to upload. Reads never throw (a corrupt or
 * missing entry is "nothing stored"); a write that fails (quota, private mode) is reported to the caller.
 */
const PREFIX = 'yongai.scanner.';

export function readJson<T>(key: string): T | undefined {
  try {
    const raw = localStorage.getItem(PREFIX + key);
    return raw ? (JSON.parse(raw) as T) : undefined;
  } catch {
    return undefined;
  }
}

export function writeJson(key: string, value: unknown): boolean {
  try {
    localStorage.setItem(PREFIX + key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

export function removeKey(key: string) {
  try {
    localStorage.removeItem(PREFIX + key);
  } catch {
    // nothing stored
  }
}
