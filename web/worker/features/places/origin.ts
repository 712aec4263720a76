import { useCallback, useEffect, useRef, useState } from 'react';
import { fallbackMapConfig } from '@ui/map/map-config';

/**
 * Where "near" is measured from: the worker's position (browser geolocation, asked for politely), or a
 * point they picked on the map, or the city centre to start with. Remembered for the session so the
 * place page can say how far away a place is.
 */
export type OriginSource = 'located' | 'picked' | 'default';
export interface Origin {
  lon: number;
  lat: number;
  source: OriginSource;
}

/** ask: we haven't asked yet and explain before the browser's prompt; the rest are outcomes. */
export type LocateStatus = 'checking' | 'ask' | 'dismissed' | 'locating' | 'located' | 'denied' | 'timeout' | 'unavailable' | 'unsupported';

const STORAGE_KEY = 'yongai.places.origin';
const DISMISSED_KEY = 'yongai.places.locate-dismissed';

export const cityCentre: Origin = { ...fallbackMapConfig.center, source: 'default' };

export function savedOrigin(): Origin | undefined {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return undefined;
    const o = JSON.parse(raw) as Origin;
    return Number.isFinite(o.lon) && Number.isFinite(o.lat) ? o : undefined;
  } catch {
    return undefined;
  }
}

function save(o: Origin) {
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(o));
  } catch {
    // private mode: the origin just isn't remembered
  }
}

const geolocation = () => (typeof navigator !== 'undefined' && 'geolocation' in navigator ? navigator.geolocation : undefined);

export function useOrigin() {
  const [origin, setOrigin] = useState<Origin>(() => {
    const s = savedOrigin();
    // A remembered GPS fix may be stale (it is read again below when allowed): until then it counts as picked.
    return s ? { ...s, source: s.source === 'located' ? 'picked' : s.source } : cityCentre;
  });
  const [status, setStatus] = useState<LocateStatus>('checking');
  /** Bumped when the map should move to the origin (a new fix), not when a point is picked on it. */
  const [recentre, setRecentre] = useState(0);
  const alive = useRef(true);

  const locate = useCallback(() => {
    const geo = geolocation();
    if (!geo) {
      setStatus('unsupported');
      return;
    }
    setStatus('locating');
    geo.getCurrentPosition(
      (pos) => {
        if (!alive.current) return;
        const o: Origin = { lon: pos.coords.longitude, lat: pos.coords.latitude, source: 'located' };
        setOrigin(o);
        save(o);
        setStatus('located');
        setRecentre((n) => n + 1);
      },
      (err) => {
        if (!alive.current) return;
        setStatus(err.code === err.PERMISSION_DENIED ? 'denied' : err.code === err.TIMEOUT ? 'timeout' : 'unavailable');
        // Keep a point that is not a stale fix: searching from where the worker was is misleading.
        setOrigin((o) => (o.source === 'located' ? { ...o, source: 'picked' } : o));
      },
      { enableHighAccuracy: true, timeout: 12_000, maximumAge: 60_000 },
    );
  }, []);

  useEffect(() => {
    alive.current = true;
    if (!geolocation()) {
      setStatus('unsupported');
      return;
    }
    let cancelled = false;
    // Locate at once only when the browser already allows it; otherwise explain first, then ask.
    const permissions = navigator.permissions?.query?.({ name: 'geolocation' as PermissionName });
    if (!permissions) setStatus(sessionStorage.getItem(DISMISSED_KEY) ? 'dismissed' : 'ask');
    else
      permissions.then(
        (p) => {
          if (cancelled) return;
          if (p.state === 'granted') locate();
          else if (p.state === 'denied') setStatus('denied');
          else setStatus(sessionStorage.getItem(DISMISSED_KEY) ? 'dismissed' : 'ask');
        },
        () => !cancelled && setStatus('ask'),
      );
    return () => {
      cancelled = true;
      alive.current = false;
    };
  }, [locate]);

  const pick = useCallback((lon: number, lat: number) => {
    const o: Origin = { lon, lat, source: 'picked' };
    setOrigin(o);
    save(o);
  }, []);

  const dismiss = useCallback(() => {
    try {
      sessionStorage.setItem(DISMISSED_KEY, '1');
    } catch {
      // not remembered
    }
    setStatus('dismissed');
  }, []);

  return { origin, status, recentre, locate, pick, dismiss };
}

/** Online/offline as the browser reports it. */
export function useOnline(): boolean {
  const [online, setOnline] = useState(() => (typeof navigator === 'undefined' ? true : navigator.onLine));
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}
