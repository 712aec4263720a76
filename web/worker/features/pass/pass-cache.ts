import { PASS_REFRESH_SECONDS, type MyPass } from '@contracts/pass';

/**
 * The pre-signed tokens of GET /api/pass/me kept on the phone, so the pass keeps working for three
 * minutes without network (lifts, basements) — also after the page is reloaded.
 */
export interface CachedPass {
  /** The worker the tokens belong to (session id): another account on the same phone never sees them. */
  owner: string | null;
  pass: MyPass;
  /** serverTime − local time when the answer arrived: tokens are timed on the server's clock. */
  offsetMs: number;
  savedAt: number;
}

const KEY = 'yongai.pass';
/** Fetch new tokens once fewer than this many are still to come. */
export const REFILL_BELOW = 3;

export function readPassCache(): CachedPass | undefined {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return undefined;
    const c = JSON.parse(raw) as CachedPass;
    return c && typeof c === 'object' && c.pass && Array.isArray(c.pass.tokens) ? c : undefined;
  } catch {
    return undefined;
  }
}

export function writePassCache(owner: string | null, pass: MyPass, receivedAt = Date.now()): CachedPass {
  const offset = Date.parse(pass.serverTime) - receivedAt;
  const c: CachedPass = { owner, pass, offsetMs: Number.isFinite(offset) ? offset : 0, savedAt: receivedAt };
  try {
    // Only an active pass has tokens worth keeping; a frozen or revoked one keeps just its state.
    localStorage.setItem(KEY, JSON.stringify(c));
  } catch {
    // Storage full or disabled (private mode): the pass still works while the page is open.
  }
  return c;
}

export function clearPassCache() {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // nothing kept
  }
}

export interface Slot {
  token: string;
  /** Index of the token among the pre-signed ones. */
  index: number;
  /** ms (server clock) when this token started showing and when the next one takes over. */
  from: number;
  until: number;
  /** Tokens still to come after this one. */
  upcoming: number;
  /** Until when (server clock) the pre-signed tokens cover the screen. */
  coveredUntil: number;
}

/**
 * The token to show at `serverNow`: the latest one whose showFrom has come. Each is shown for
 * PASS_REFRESH_SECONDS; after the last one's slot there is nothing to show (a stale code would only
 * teach guards to accept old ones).
 */
export function currentSlot(pass: MyPass, serverNow: number): Slot | undefined {
  const times = pass.tokens.map((t) => Date.parse(t.showFrom)).filter((n) => Number.isFinite(n));
  if (times.length !== pass.tokens.length || times.length === 0) return undefined;
  const order = times.map((_, i) => i).sort((a, b) => times[a] - times[b]);
  const last = order[order.length - 1];
  const coveredUntil = times[last] + PASS_REFRESH_SECONDS * 1000;
  let pick = -1;
  for (const i of order) if (times[i] <= serverNow) pick = i;
  if (pick < 0 || serverNow >= coveredUntil) return undefined;
  const pos = order.indexOf(pick);
  const next = order[pos + 1];
  const until = next === undefined ? coveredUntil : Math.min(times[next], times[pick] + PASS_REFRESH_SECONDS * 1000);
  return { token: pass.tokens[pick].token, index: pick, from: times[pick], until, upcoming: order.length - pos - 1, coveredUntil };
}

/** The first token has not started yet (the phone's clock runs behind the server's): show it anyway. */
export function earliestSlot(pass: MyPass): Slot | undefined {
  if (pass.tokens.length === 0) return undefined;
  const first = Math.min(...pass.tokens.map((t) => Date.parse(t.showFrom)));
  return currentSlot(pass, first);
}
