import { i18n } from '@ui/i18n';

/** Date and time in Ningbo's time zone, whatever the browser's, in the console's language. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(i18n.language === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
}

/** A translated label for a code, or the code itself when the dictionary has none (new server values). */
export function labelOf(ns: string, code: string | null | undefined): string {
  if (!code) return '—';
  const key = `common:${ns}.${code}`;
  return i18n.exists(key) ? i18n.t(key) : code;
}

/** Masked numbers line up in a fixed-width face and never wrap. */
export const mono = { fontFamily: 'monospace', whiteSpace: 'nowrap' } as const;
