/**
 * Nonces this scanner has accepted, kept until their token can no longer be valid, in localStorage so
 * a reload (or a second tab) does not forget them: a screenshot shown twice at this gate is refused.
 */
import type { ReplayCache } from '@contracts/pass-token';
import { readJson, writeJson } from './storage';

const KEY = 'replay';
/** More nonces than a gate accepts in 2 minutes; the oldest go first beyond it. */
const MAX_ENTRIES = 5000;

export function persistentReplayCache(now: () => number): ReplayCache {
  const load = (): Record<string, number> => {
    const stored = readJson<Record<string, number>>(KEY);
    return stored && typeof stored === 'object' ? stored : {};
  };
  return {
    has(nonce) {
      const exp = load()[nonce];
      return typeof exp === 'number' && exp >= now();
    },
    add(nonce, expiresAtMs) {
      const t = now();
      const live = Object.entries(load()).filter(([, exp]) => exp >= t);
      live.push([nonce, expiresAtMs]);
      live.sort((a, b) => a[1] - b[1]);
      writeJson(KEY, Object.fromEntries(live.slice(-MAX_ENTRIES)));
    },
  };
}
