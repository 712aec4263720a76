import { useEffect, useState, useSyncExternalStore } from 'react';
import type { TFunction } from 'i18next';
import type { ScannerStation, StationState } from './station';

export function useStation(station: ScannerStation): StationState {
  return useSyncExternalStore(station.subscribe, station.getState);
}

/** Date.now(), re-read every `ms` (countdowns, bundle age). */
export function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

/** "3分钟前" / "3 min ago" for an age in ms. */
export function ageText(t: TFunction, ageMs: number): string {
  const minutes = Math.floor(Math.max(0, ageMs) / 60_000);
  if (minutes < 1) return t('status.justNow');
  if (minutes < 60) return t('status.minutesAgo', { count: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t('status.hoursAgo', { count: hours });
  return t('status.daysAgo', { count: Math.floor(hours / 24) });
}
