import L from 'leaflet';
// The plugin extends the global `L` that Leaflet's bundle sets on window; importing Leaflet first
// (above) guarantees it exists when the plugin's module runs.
import 'leaflet.markercluster';
import 'leaflet.markercluster/dist/MarkerCluster.css';

type ClusterFactory = (options?: L.MarkerClusterGroupOptions) => L.MarkerClusterGroup;

/** A marker cluster group drawn in the app's style: a round badge with the count. */
export function createClusterGroup(options: L.MarkerClusterGroupOptions = {}): L.MarkerClusterGroup {
  const factory = ((L as unknown as { markerClusterGroup?: ClusterFactory }).markerClusterGroup ??
    (window as unknown as { L?: { markerClusterGroup?: ClusterFactory } }).L?.markerClusterGroup)!;
  return factory({
    showCoverageOnHover: false,
    spiderfyOnMaxZoom: true,
    maxClusterRadius: 48,
    disableClusteringAtZoom: 18,
    chunkedLoading: true,
    iconCreateFunction: (cluster) => {
      const n = cluster.getChildCount();
      const size = n < 10 ? 32 : n < 100 ? 38 : 44;
      return L.divIcon({
        className: 'ya-cluster-wrap',
        html: `<span class="ya-cluster" style="width:${size}px;height:${size}px">${n > 999 ? '999+' : n}</span>`,
        iconSize: [size, size],
      });
    },
    ...options,
  });
}
