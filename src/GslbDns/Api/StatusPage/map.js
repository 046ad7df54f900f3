// The map: the hand-drawn outline of window.GslbWorld in an equirectangular projection, and a dot
// per region location coloured by the worst state of the regions there.
'use strict';

(() => {
  const { $, svg, regionState, severity } = window.GslbPage;
  const MAP_TOP = 84; // latitudes drawn: 84 N to 60 S (the viewBox is 360 x 144)

  function project(lon, lat) {
    return [lon + 180, MAP_TOP - lat];
  }

  function drawBase() {
    const map = $('map');
    for (let lon = -150; lon <= 150; lon += 30) {
      map.append(svg('line', { class: 'grid', x1: lon + 180, y1: 0, x2: lon + 180, y2: 144 }));
    }
    for (let lat = 60; lat >= -60; lat -= 30) {
      map.append(svg('line', { class: 'grid', x1: 0, y1: MAP_TOP - lat, x2: 360, y2: MAP_TOP - lat }));
    }
    const outline = (points) => {
      const pairs = [];
      for (let i = 0; i < points.length; i += 2) pairs.push(project(points[i], points[i + 1]).map((v) => v.toFixed(1)).join(','));
      return pairs.join(' ');
    };
    for (const shape of window.GslbWorld.land) map.append(svg('polygon', { class: 'land', points: outline(shape) }));
    for (const shape of window.GslbWorld.water) map.append(svg('polygon', { class: 'water', points: outline(shape) }));
    map.append(svg('g', { id: 'markers' }));
  }

  function drawMarkers(status) {
    // One marker per location: regions of several services in one place share it, coloured by the worst.
    const places = new Map();
    let unplaced = 0;
    for (const service of status.services) {
      for (const region of service.regions) {
        if (!region.location) { unplaced++; continue; }
        const key = `${region.location.latitude},${region.location.longitude}`;
        if (!places.has(key)) places.set(key, { location: region.location, entries: [] });
        places.get(key).entries.push({ service: service.service, region, state: regionState(region) });
      }
    }
    const layer = $('markers');
    layer.replaceChildren();
    for (const place of places.values()) {
      const worst = place.entries.reduce((a, b) => (severity[b.state.key] > severity[a.state.key] ? b : a));
      const [x, y] = project(place.location.longitude, place.location.latitude);
      const group = svg('g', {
        class: 'place',
        'data-regions': place.entries.map((e) => `${e.service}/${e.region.region}`).join(' '),
        'data-state': worst.state.key,
      });
      const title = svg('title');
      title.textContent = place.entries.map((e) => `${e.service} ${e.region.region}: ${e.state.text}`).join('\n');
      const marker = svg('circle', { class: `marker state-${worst.state.key}`, cx: x.toFixed(1), cy: y.toFixed(1), r: 4 });
      marker.append(title);
      const names = [...new Set(place.entries.map((e) => e.region.region))].join(' / ');
      const label = svg('text', { class: 'marker-label', x: (x + 5.5).toFixed(1), y: (y + 2).toFixed(1) });
      label.textContent = `${names} · ${worst.state.text}`;
      group.append(marker, label);
      layer.append(group);
    }
    $('map-note').textContent = unplaced > 0
      ? `${unplaced} region(s) have no location in their policy and are not on the map.` : '';
  }

  window.GslbPage.map = { drawBase, drawMarkers };
})();
