import { useCallback, useEffect, useRef, useState } from 'react';

/** Where the problem is: the phone's fix (with its accuracy), or a point the rider picked on the map. */
export interface ReportLocation {
  lon: number;
  lat: number;
  accuracyM: number | null;
  source: 'device' | 'map';
}

export type LocateStatus = 'locating' | 'located' | 'denied' | 'unavailable' | 'unsupported' | 'picked';

/** Asks the phone for its position as soon as the capture screen opens (the rider came to report where they stand). */
export function useReportLocation() {
  const [location, setLocation] = useState<ReportLocation>();
  const [status, setStatus] = useState<LocateStatus>('locating');
  const alive = useRef(true);
  useEffect(
    () => () => {
      alive.current = false;
    },
    [],
  );

  const locate = useCallback(() => {
    const geo = typeof navigator !== 'undefined' && 'geolocation' in navigator ? navigator.geolocation : undefined;
    if (!geo) {
      setStatus('unsupported');
      return;
    }
    setStatus('locating');
    geo.getCurrentPosition(
      (pos) => {
        if (!alive.current) return;
        setLocation({ lon: pos.coords.longitude, lat: pos.coords.latitude, accuracyM: Number.isFinite(pos.coords.accuracy) ? Math.round(pos.coords.accuracy) : null, source: 'device' });
        setStatus('located');
      },
      (err) => {
        if (!alive.current) return;
        setStatus(err.code === err.PERMISSION_DENIED ? 'denied' : 'unavailable');
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 30_000 },
    );
  }, []);

  useEffect(() => locate(), [locate]);

  const pick = useCallback((p: { lon: number; lat: number }) => {
    setLocation({ lon: p.lon, lat: p.lat, accuracyM: null, source: 'map' });
    setStatus('picked');
  }, []);

  return { location, status, locate, pick };
}
