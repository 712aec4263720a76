import { fromWgs84, round6 } from './coords';

/**
 * Deep links that open turn-by-turn riding directions in the map app a rider already uses. Each app
 * wants its own coordinate system: Amap and Tencent GCJ-02, Baidu BD-09. `lon`/`lat` are WGS-84.
 */
export interface NavigationTarget {
  lon: number;
  lat: number;
  name: string;
}

export interface NavigationLinks {
  /** Amap's URI API: a web page that opens the app when installed (callnative=1), else web navigation. */
  amap: string;
  /** Baidu Maps' app scheme (baidumap://); use `baiduWeb` when the app is not installed. */
  baidu: string;
  /**
   * Baidu Maps' web page for browsers without the app (WeChat's included): riding directions when the
   * starting point is known, else the place on Baidu's web map (its direction page needs an origin).
   */
  baiduWeb: string;
  /** Tencent Maps' URI API (a web page that hands over to the app when present). */
  tencent: string;
}

/** `from` (WGS-84), when known, lets Baidu's web page plan the route without the app. */
export function navigationLinks(target: NavigationTarget, from?: { lon: number; lat: number }): NavigationLinks {
  const gcj = fromWgs84('GCJ02', target.lon, target.lat);
  const bd = fromWgs84('BD09', target.lon, target.lat);
  const [gLon, gLat] = [round6(gcj.lon), round6(gcj.lat)];
  const [bLon, bLat] = [round6(bd.lon), round6(bd.lat)];
  // Names go into separators (`,` for Amap, `|` for Baidu): keep them out of the name. The words we add
  // ourselves (目的地, 我的位置, the region 宁波) are read by the Chinese map apps, not by our reader.
  const name = target.name.replace(/[,|]/g, ' ').trim() || '目的地';
  const enc = encodeURIComponent;
  const baiduDestination = `latlng:${bLat},${bLon}|name:${name}`;
  return {
    amap: `https://uri.amap.com/navigation?to=${gLon},${gLat},${enc(name)}&mode=ride&coordinate=gaode&callnative=1&src=yongai`,
    baidu: `baidumap://map/direction?destination=${enc(baiduDestination)}&coord_type=bd09ll&mode=riding&src=yongai`,
    baiduWeb: from
      ? `https://api.map.baidu.com/direction?origin=${enc(baiduOrigin(from))}&destination=${enc(baiduDestination)}&coord_type=bd09ll&mode=riding&region=${enc('宁波')}&output=html&src=yongai`
      : `https://api.map.baidu.com/marker?location=${bLat},${bLon}&title=${enc(name)}&content=${enc(name)}&coord_type=bd09ll&output=html&src=yongai`,
    tencent: `https://apis.map.qq.com/uri/v1/routeplan?type=bike&to=${enc(name)}&tocoord=${gLat},${gLon}&referer=yongai`,
  };
}

function baiduOrigin(from: { lon: number; lat: number }): string {
  const bd = fromWgs84('BD09', from.lon, from.lat);
  return `latlng:${round6(bd.lat)},${round6(bd.lon)}|name:我的位置`;
}
