import type { CalendarDay } from '@contracts/reports';

export type ParseResult = { ok: true; days: CalendarDay[] } | { ok: false; error: { key: string; params: Record<string, string | number> } };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isKind = (k: unknown): k is CalendarDay['kind'] => k === 'holiday' || k === 'workday';

/**
 * An operator's paste: a JSON array of {date, kind, name}, or one day per line `2027-01-01 holiday 元旦`
 * (also with commas or tabs between the fields, as a spreadsheet copies them). Every day must be in `year`.
 */
export function parseCalendarDays(text: string, year: number): ParseResult {
  const trimmed = text.trim();
  let days: CalendarDay[] = [];
  if (trimmed.startsWith('[')) {
    let data: unknown;
    try {
      data = JSON.parse(trimmed);
    } catch {
      return { ok: false, error: { key: 'reports.calendar.parseError', params: { line: 1 } } };
    }
    if (!Array.isArray(data)) return { ok: false, error: { key: 'reports.calendar.parseError', params: { line: 1 } } };
    for (const [i, d] of data.entries()) {
      const o = d as Partial<CalendarDay>;
      if (!o || typeof o.date !== 'string' || !DATE.test(o.date) || !isKind(o.kind)) return { ok: false, error: { key: 'reports.calendar.parseError', params: { line: i + 1 } } };
      days.push({ date: o.date, kind: o.kind, name: typeof o.name === 'string' ? o.name.trim() : '' });
    }
  } else {
    const lines = trimmed.split(/\r?\n/);
    for (const [i, raw] of lines.entries()) {
      const line = raw.trim();
      if (!line) continue;
      const [date, kind, ...name] = line.split(/[\s,，\t]+/);
      if (!DATE.test(date ?? '') || !isKind(kind)) return { ok: false, error: { key: 'reports.calendar.parseError', params: { line: i + 1 } } };
      days.push({ date: date!, kind, name: name.join(' ') });
    }
  }
  for (const d of days) {
    if (!d.date.startsWith(`${year}-`) || Number.isNaN(Date.parse(`${d.date}T00:00:00Z`))) return { ok: false, error: { key: 'reports.calendar.wrongYear', params: { date: d.date, year } } };
  }
  // the last mention of a date wins; sorted for the preview
  days = [...new Map(days.map((d) => [d.date, d])).values()].sort((a, b) => a.date.localeCompare(b.date));
  if (!days.length) return { ok: false, error: { key: 'reports.calendar.parseEmpty', params: {} } };
  return { ok: true, days };
}
