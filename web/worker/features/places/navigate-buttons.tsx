import { useEffect, useRef } from 'react';
import { CompassOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { navigationLinks } from '@ui/map/navigation';
import type { Origin } from './origin';

/**
 * Riding directions in Amap, Baidu Maps or Tencent Maps, with the coordinates each app expects
 * (GCJ-02 / BD-09). Baidu's app link is tried first; if the page is still showing a moment later (no
 * app, or WeChat blocking the scheme) its web page opens instead.
 */
export function NavigateButtons({ lon, lat, name, origin }: { lon: number; lat: number; name: string; origin?: Origin }) {
  const { t } = useTranslation();
  const links = navigationLinks({ lon, lat, name }, origin && origin.source !== 'default' ? origin : undefined);
  const fallback = useRef<number>(undefined);
  useEffect(() => {
    const cancel = () => window.clearTimeout(fallback.current);
    const onHide = () => document.visibilityState === 'hidden' && cancel();
    document.addEventListener('visibilitychange', onHide);
    window.addEventListener('pagehide', cancel);
    return () => {
      cancel();
      document.removeEventListener('visibilitychange', onHide);
      window.removeEventListener('pagehide', cancel);
    };
  }, []);
  const openBaidu = () => {
    window.clearTimeout(fallback.current);
    fallback.current = window.setTimeout(() => {
      if (document.visibilityState === 'visible') window.location.href = links.baiduWeb;
    }, 1500);
  };
  return (
    <div className="ya-nav-buttons" data-testid="navigate-buttons">
      <a className="ya-nav-button ya-nav-amap" href={links.amap} rel="noopener noreferrer" data-testid="nav-amap">
        <CompassOutline className="ya-nav-logo" />
        {t('places.place.amap')}
      </a>
      <a className="ya-nav-button ya-nav-baidu" href={links.baidu} onClick={openBaidu} data-web-href={links.baiduWeb} data-testid="nav-baidu">
        <CompassOutline className="ya-nav-logo" />
        {t('places.place.baidu')}
      </a>
      <a className="ya-nav-button ya-nav-tencent" href={links.tencent} rel="noopener noreferrer" data-testid="nav-tencent">
        <CompassOutline className="ya-nav-logo" />
        {t('places.place.tencent')}
      </a>
    </div>
  );
}
