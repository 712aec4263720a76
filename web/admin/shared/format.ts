import { i18n } from '@ui/i18n';

/** Date and time on the Shanghai calendar, whatever the browser's time zone: 2026-11-23 14:05. */
export { formatDateTime as formatTime } from '@ui/format';

/** A translated label for a code, or the code itself when the dictionary has none (new server values). */
export function labelOf(ns: string, code: string | null | undefined): string {
  if (!code) return '—';
  const key = `common:${ns}.${code}`;
  return i18n.exists(key) ? i18n.t(key) : code;
}

/** Masked numbers line up in a fixed-width face and never wrap. */
export const mono = { fontFamily: 'monospace', whiteSpace: 'nowrap' } as const;
