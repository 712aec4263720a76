import { useEffect, useState } from 'react';
import type { ReportCategory, ReportStatus } from '@contracts/reports';
import { i18n } from '@ui/i18n';

/** Time left to a deadline, in whole days and hours (negative: how long it is overdue). */
export function deadlineLeft(deadlineAt: string, now: number): { overdue: boolean; days: number; hours: number; minutes: number } {
  const ms = Date.parse(deadlineAt) - now;
  const abs = Math.abs(ms);
  const totalMinutes = Math.floor(abs / 60_000);
  return { overdue: ms < 0, days: Math.floor(totalMinutes / 1440), hours: Math.floor((totalMinutes % 1440) / 60), minutes: totalMinutes % 60 };
}

/** The current time, ticking every `everyMs` (the deadline clock). */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}

export const categoryName = (c: Pick<ReportCategory, 'nameZh' | 'nameEn'>) => (i18n.language === 'en' ? c.nameEn : c.nameZh);

/** A category's name from the list (the code itself while the list is not in). */
export function nameOfCategory(categories: ReportCategory[] | undefined, code: string): string {
  const c = categories?.find((x) => x.code === code);
  return c ? categoryName(c) : code;
}

/** The department's clock runs while the work order is with it (not in triage, not once handled). */
export const clockRuns = (status: ReportStatus) => status === 'dispatched' || status === 'acknowledged';

export const statusColor: Record<ReportStatus, 'primary' | 'warning' | 'success' | 'default'> = {
  pending_triage: 'default',
  dispatched: 'primary',
  acknowledged: 'primary',
  handled: 'warning',
  closed: 'success',
};

/** 123 m / 1.2 km */
export function formatDistance(m: number): string {
  return m < 1000 ? `${Math.round(m)} m` : `${(m / 1000).toFixed(1)} km`;
}
