// The status page: polls /api/v1/status and /api/v1/changes and redraws in place (no reload), so a
// row, a button or the token box keeps its element from one poll to the next. Everything it shows
// comes from those two documents; the only writes are the drain and undrain calls, made with the
// admin token the operator pasted (kept in sessionStorage, so it ends with the tab).
'use strict';

(() => {
  const POLL_MS = 1500;
  const TIMEOUT_MS = 4000;
  const TOKEN_KEY = 'gslbdns.adminToken';
  const SVG = 'http://www.w3.org/2000/svg';
  const MAP_TOP = 84; // latitudes drawn: 84 N to 60 S (the viewBox is 360 x 144)
  const PALETTE = ['#2f6fbe', '#e07b1a', '#2a9d8f', '#b5489a', '#6d8b2f', '#8c5a3c', '#c0392b', '#5b5fc7'];

  // Set once at load: a reload would replace it, which the page's own test relies on.
  window.gslbStatusPage = { loadedAt: Date.now(), polls: 0, failures: 0, lastOk: null };

  const $ = (id) => document.getElementById(id);
  const services = new Map(); // service name -> its card and rows
  let token = sessionStorage.getItem(TOKEN_KEY) || '';
  let lastStatus = null;
  let failingSince = null;
  let seenSequence = 0;
  let pollTimer = 0;

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else if (key.startsWith('data-')) node.setAttribute(key, value);
      else node[key] = value;
    }
    for (const child of children) node.append(child);
    return node;
  }

  function svg(tag, attributes) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, String(value));
    return node;
  }

  // ---- time and number text ----

  const pad = (n) => String(n).padStart(2, '0');
  function clock(iso) {
    const d = new Date(iso);
    return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  }
  function dateTime(iso) {
    const d = new Date(iso);
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${clock(iso)}`;
  }
  // The clock alone on the server's day, the date with it otherwise.
  function when(iso, now) {
    return dateTime(iso).slice(0, 10) === dateTime(now).slice(0, 10) ? clock(iso) : dateTime(iso);
  }
  function age(seconds) {
    if (seconds < 0) seconds = 0;
    if (seconds < 90) return `${Math.round(seconds)} s`;
    if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
    if (seconds < 172800) return `${Math.round(seconds / 3600)} h`;
    return `${Math.round(seconds / 86400)} d`;
  }
  const percent = (share) => `${Math.round(share * 100)}%`;
  const since = (iso, now) => (Date.parse(now) - Date.parse(iso)) / 1000;

  // ---- what a region is, in one word ----

  // The state the map and the region's pill show: admin down and health down first, then drain.
  function regionState(region) {
    if (region.admin === 'down') return { key: 'admin-down', text: 'down (admin)' };
    if (region.health === 'down') return { key: 'down', text: 'down' };
    if (region.admin === 'drain') return { key: 'drain', text: 'draining' };
    if (region.health === 'unknown') return { key: 'unknown', text: 'unknown' };
    return { key: 'up', text: 'up' };
  }
  const severity = { up: 0, drain: 1, unknown: 2, 'admin-down': 3, down: 4 };

  function adminText(region) {
    if (region.admin === 'active') return { text: 'active', sub: '' };
    const from = [];
    if (region.adminSources.file !== 'active') from.push(`admin-state.yaml: ${region.adminSources.file}`);
    if (region.adminSources.api) from.push('api');
    if (region.adminSources.agent) from.push('agent check');
    return { text: region.admin === 'drain' ? 'drained' : 'down', sub: from.join(', ') };
  }

  function setPill(node, key, text) {
    node.className = `pill state-${key}` + (node.classList.contains('small') ? ' small' : '');
    node.textContent = text;
  }

  // ---- the map ----

  function project(lon, lat) {
    return [lon + 180, MAP_TOP - lat];
  }

  function drawMapBase() {
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

  // ---- one service card, kept across polls ----

  function serviceCard(name) {
    if (services.has(name)) return services.get(name);
    const title = el('h2', { text: name });
    const degraded = el('span', { class: 'badge degraded', text: 'degraded', hidden: true });
    const meta = el('span', { class: 'meta' });
    const rows = el('table', { class: 'regions' },
      el('thead', {}, el('tr', {},
        el('th', { text: 'Region / address' }), el('th', { text: 'Health' }), el('th', { text: 'Since · last probe' }),
        el('th', { text: 'Admin' }), el('th', { text: 'Load' }), el('th', { text: 'Answers (1 min)' }), el('th', { text: '' }))));
    const chart = svg('svg', { viewBox: '0 0 300 90', role: 'img' });
    const key = el('div', { class: 'key' });
    const caption = el('figcaption', { text: 'Share of answers per region, last 5 minutes' });
    const figure = el('figure', { class: 'chart' }, caption, chart, key);
    const card = el('section', { class: 'service', 'data-service': name },
      el('header', {}, title, degraded, meta),
      el('div', { class: 'service-body' }, rows, figure));
    const entry = { card, degraded, meta, rows, chart, key, caption, regions: new Map() };
    services.set(name, entry);
    return entry;
  }

  function regionRows(entry, service, region, colour) {
    const id = region.region;
    let rows = entry.regions.get(id);
    if (!rows) {
      const swatch = el('span', { class: 'swatch' });
      const name = el('span', { class: 'region-name', text: id });
      const target = el('div', { class: 'sub' });
      const pill = el('span', { class: 'pill' });
      const healthNote = el('div', { class: 'sub' });
      const addressCount = el('span', { class: 'sub' });
      const admin = el('span', { class: 'admin' });
      const adminSub = el('div', { class: 'sub' });
      const fill = el('div', { class: 'fill' });
      const tickStart = el('div', { class: 'tick' });
      const tickFull = el('div', { class: 'tick full' });
      const bar = el('div', { class: 'loadbar' }, fill, tickStart, tickFull);
      const loadText = el('div', { class: 'load-text' });
      const answers = el('span');
      const button = el('button', { type: 'button', class: 'drain', hidden: true });
      button.addEventListener('click', () => act(service.service, id, button.dataset.verb));
      const head = el('tr', { class: 'region-row' },
        el('td', {}, swatch, name, target), el('td', {}, pill, healthNote), el('td', {}, addressCount),
        el('td', {}, admin, adminSub), el('td', {}, bar, loadText), el('td', {}, answers), el('td', {}, button));
      const body = el('tbody', { class: 'region', 'data-region': id }, head);
      rows = { body, swatch, target, pill, healthNote, addressCount, admin, adminSub, fill, tickStart, tickFull, bar, loadText, answers, button, addresses: new Map() };
      entry.regions.set(id, rows);
    }
    const state = regionState(region);
    rows.body.setAttribute('data-health', region.health);
    rows.body.setAttribute('data-admin', region.admin);
    rows.body.setAttribute('data-state', state.key);
    rows.swatch.style.background = colour;
    rows.target.textContent = region.target;
    setPill(rows.pill, state.key, state.text);
    rows.healthNote.textContent = state.key === 'drain' || state.key === 'admin-down' ? `health ${region.health}` : '';
    const up = region.addresses.filter((a) => a.verdict === 'up').length;
    rows.addressCount.textContent = `${up} of ${region.addresses.length} address${region.addresses.length === 1 ? '' : 'es'} up`;
    const admin = adminText(region);
    rows.admin.textContent = admin.text;
    rows.adminSub.textContent = admin.sub;
    drawLoad(rows, region.load, service.loadPolicy);
    rows.answers.textContent = `${percent(region.answerShare)} · ${region.answersLastMinute}`;
    rows.button.hidden = !token;
    const verb = region.adminSources.api ? 'undrain' : 'drain';
    rows.button.dataset.verb = verb;
    rows.button.textContent = verb === 'drain' ? 'Drain' : 'Undrain';
    rows.button.title = `${verb} ${service.service}/${id} over the API`;

    // Address rows, in the document's order.
    const seen = new Set();
    const ordered = [rows.body.firstChild];
    for (const address of region.addresses) {
      seen.add(address.address);
      let row = rows.addresses.get(address.address);
      if (!row) {
        const pill = el('span', { class: 'pill small' });
        const detail = el('td', { colSpan: 5 });
        const name = el('td', { class: 'address', text: address.address });
        row = { tr: el('tr', { class: 'address-row', 'data-address': address.address }, name, el('td', {}, pill), detail), pill, detail };
        rows.addresses.set(address.address, row);
      }
      row.tr.setAttribute('data-verdict', address.verdict);
      setPill(row.pill, address.verdict, address.verdict);
      row.detail.textContent = addressText(address, lastStatus.time);
      ordered.push(row.tr);
    }
    for (const [key, row] of rows.addresses) if (!seen.has(key)) { row.tr.remove(); rows.addresses.delete(key); }
    rows.body.replaceChildren(...ordered);
    return rows.body;
  }

  function addressText(a, now) {
    const parts = [];
    if (a.since) parts.push(`${a.verdict} since ${when(a.since, now)} (${age(since(a.since, now))} ago${a.reason ? `, ${a.reason}` : ''})`);
    else if (a.reason) parts.push(a.reason);
    if (a.lastResult) {
      const latency = a.latencyMs == null ? '' : ` in ${a.latencyMs < 10 ? a.latencyMs.toFixed(1) : Math.round(a.latencyMs)} ms`;
      const when = a.lastProbe ? `, ${age(since(a.lastProbe, now))} ago` : '';
      parts.push(`last probe ${a.lastResult}${latency}${when}`);
    }
    if (a.probed) parts.push(`probes ${a.probed}`);
    if (a.successes > 0) parts.push(`${a.successes} ok in a row`);
    if (a.failures > 0) parts.push(`${a.failures} failed in a row`);
    return parts.join(' · ');
  }

  function drawLoad(rows, load, policy) {
    const ratio = load.known ? load.ratio : null;
    rows.tickStart.style.left = `calc(${policy.shedStart * 100}% - 1px)`;
    rows.tickFull.style.left = `calc(${policy.shedFull * 100}% - 1px)`;
    rows.tickStart.title = `shed.start ${policy.shedStart}`;
    rows.tickFull.title = `shed.full ${policy.shedFull}`;
    rows.fill.style.width = `${Math.min(1, ratio ?? 0) * 100}%`;
    rows.fill.className = 'fill' + (ratio == null ? '' : ratio >= policy.shedFull ? ' full' : ratio >= policy.shedStart ? ' shedding' : '');
    rows.bar.setAttribute('data-ratio', ratio == null ? '' : String(ratio));
    const parts = [];
    if (ratio != null) parts.push(`load ${ratio.toFixed(2)}`, load.shedShare > 0 ? `shedding ${percent(load.shedShare)}` : 'not shedding');
    else parts.push('load unknown (idle)');
    if (load.report) parts.push(`report ${age(load.report.ageSeconds)} ago${load.report.valid ? '' : ' (expired)'}`);
    else parts.push('no report');
    if (load.pull) parts.push(load.pull.failing ? 'pull failing' : 'pulled');
    rows.loadText.textContent = parts.join(' · ');
  }

  // Stacked bars: per interval, each region's share of the service's answers.
  function drawChart(entry, service, colours) {
    const chart = entry.chart;
    chart.replaceChildren();
    const width = 300, height = 80, top = 4;
    const length = Math.max(0, ...service.regions.map((r) => (r.answerSeries || []).length));
    const step = service.answerSeriesSeconds || 5;
    entry.caption.textContent = `Share of answers per region, last ${Math.round((length * step) / 60) || 5} minutes (${step} s bars)`;
    chart.append(svg('line', { x1: 0, y1: top + height, x2: width, y2: top + height, stroke: '#c7ced6', 'stroke-width': 0.5 }));
    for (const share of [0.5, 1]) {
      chart.append(svg('line', { x1: 0, y1: top + height * (1 - share), x2: width, y2: top + height * (1 - share), stroke: '#e3e7ec', 'stroke-width': 0.5 }));
    }
    let any = false;
    const barWidth = length ? width / length : width;
    for (let i = 0; i < length; i++) {
      const counts = service.regions.map((r) => (r.answerSeries || [])[i] || 0);
      const total = counts.reduce((a, b) => a + b, 0);
      if (total === 0) continue;
      any = true;
      let y = top + height;
      counts.forEach((count, r) => {
        if (!count) return;
        const h = (count / total) * height;
        y -= h;
        const rect = svg('rect', { x: (i * barWidth + 0.3).toFixed(2), y: y.toFixed(2), width: Math.max(0.5, barWidth - 0.6).toFixed(2), height: h.toFixed(2), fill: colours[r] });
        const title = svg('title');
        title.textContent = `${service.regions[r].region}: ${count} of ${total} (${percent(count / total)}), ${Math.round((length - 1 - i) * step)} s ago`;
        rect.append(title);
        chart.append(rect);
      });
    }
    if (!any) {
      const text = svg('text', { x: width / 2, y: top + height / 2, 'text-anchor': 'middle', fill: '#8a94a3', 'font-size': 9 });
      text.textContent = 'no answers in the last minutes';
      chart.append(text);
    }
    chart.setAttribute('data-bars', String(any));
    entry.key.replaceChildren(...service.regions.map((r, i) =>
      el('span', {}, el('span', { class: 'swatch' }), `${r.region} ${percent(r.answerShare)}`)));
    [...entry.key.querySelectorAll('.swatch')].forEach((s, i) => { s.style.background = colours[i]; });
  }

  function drawServices(status) {
    const container = $('services');
    const names = new Set();
    const cards = [];
    for (const service of status.services) {
      names.add(service.service);
      const entry = serviceCard(service.service);
      entry.degraded.hidden = !service.degraded;
      const p = service.loadPolicy;
      entry.meta.textContent = `zone ${service.zone} · shed from ${p.shedStart} to ${p.shedFull}, spill ${p.spill} · ${service.answersLastMinute} answers in the last minute`;
      const colours = service.regions.map((_, i) => PALETTE[i % PALETTE.length]);
      const bodies = service.regions.map((region, i) => regionRows(entry, service, region, colours[i]));
      const ids = new Set(service.regions.map((r) => r.region));
      for (const id of [...entry.regions.keys()]) if (!ids.has(id)) { entry.regions.get(id).body.remove(); entry.regions.delete(id); }
      entry.rows.replaceChildren(entry.rows.tHead, ...bodies);
      drawChart(entry, service, colours);
      cards.push(entry.card);
    }
    for (const name of [...services.keys()]) if (!names.has(name)) { services.get(name).card.remove(); services.delete(name); }
    if (cards.length === 0) cards.push(el('section', { class: 'panel', text: 'No steered services are served.' }));
    container.replaceChildren(...cards);
  }

  function drawSummary(status) {
    let regions = 0, down = 0, drained = 0;
    for (const service of status.services) {
      for (const region of service.regions) {
        regions++;
        const key = regionState(region).key;
        if (key === 'down' || key === 'admin-down') down++;
        if (region.admin === 'drain') drained++;
      }
    }
    const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
    $('summary').textContent = `${plural(status.services.length, 'service')}, ${plural(regions, 'region')}: ${down} down, ${drained} drained · ${dateTime(status.time)} UTC`;
  }

  // ---- the change list ----

  function drawChanges(document) {
    const body = $('changes');
    const rows = document.changes.map((c) => {
      const where = `${c.service}/${c.region}` + (c.address ? ` ${c.address}` : '');
      const what = { health: 'health', 'api-drain': 'API drain', 'agent-drain': 'agent drain', 'admin-file': 'admin-state.yaml', shedding: 'load shedding' }[c.kind] || c.kind;
      const to = el('span', { class: /down|drain/.test(c.to) ? 'to-down' : /up|active|none/.test(c.to) ? 'to-up' : '', text: c.to });
      const tr = el('tr', { 'data-kind': c.kind, 'data-sequence': String(c.sequence) },
        el('td', { class: 'time', text: clock(c.time), title: `${dateTime(c.time)} UTC` }),
        el('td', { text: where }),
        el('td', { text: what }),
        el('td', {}, `${c.from} → `, to),
        el('td', { text: c.detail || '' }));
      if (seenSequence > 0 && c.sequence > seenSequence) tr.classList.add('fresh');
      return tr;
    });
    body.replaceChildren(...rows);
    $('changes-empty').hidden = rows.length > 0;
    if (document.changes.length) seenSequence = Math.max(seenSequence, document.changes[0].sequence);
    else if (seenSequence === 0) seenSequence = -1;
  }

  // ---- polling and the unreachable banner ----

  async function getJson(path) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
    try {
      const response = await fetch(path, { cache: 'no-store', signal: controller.signal });
      if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
      return await response.json();
    } finally {
      clearTimeout(timer);
    }
  }

  async function poll() {
    try {
      const [status, changes] = await Promise.all([getJson('/api/v1/status'), getJson('/api/v1/changes?limit=50')]);
      lastStatus = status;
      drawSummary(status);
      drawMarkers(status);
      drawServices(status);
      drawChanges(changes);
      reachable();
    } catch (error) {
      unreachable(error);
    } finally {
      window.gslbStatusPage.polls++;
      // A poll started by a button may overlap the scheduled one: whichever ends last sets the one timer.
      clearTimeout(pollTimer);
      pollTimer = setTimeout(poll, POLL_MS);
    }
  }

  function reachable() {
    failingSince = null;
    window.gslbStatusPage.lastOk = Date.now();
    document.body.classList.remove('stale');
    $('unreachable').hidden = true;
  }

  function unreachable(error) {
    window.gslbStatusPage.failures++;
    if (!failingSince) failingSince = new Date();
    const banner = $('unreachable');
    const last = lastStatus ? ` What is shown is from ${dateTime(lastStatus.time)} UTC.` : '';
    const reason = error && error.name === 'AbortError' ? 'no answer in 4 s' : (error && error.message) || 'no answer';
    banner.textContent = `Server unreachable since ${dateTime(failingSince.toISOString())} UTC (${reason}); retrying every ${POLL_MS / 1000} s.${last}`;
    banner.hidden = false;
    document.body.classList.add('stale');
  }

  // ---- the token and the drain buttons ----

  function showToken() {
    $('token-state').textContent = token ? 'admin token set: drain buttons shown' : 'read-only';
    $('token-state').classList.toggle('admin', Boolean(token));
    $('token').value = '';
    $('token').placeholder = token ? 'token kept for this tab' : 'paste to drain or undrain';
    for (const entry of services.values()) for (const rows of entry.regions.values()) rows.button.hidden = !token;
  }

  function useToken() {
    const value = $('token').value.trim();
    if (!value) return;
    token = value;
    sessionStorage.setItem(TOKEN_KEY, token);
    showToken();
  }

  function message(text, error) {
    const node = $('action-message');
    node.textContent = text;
    node.classList.toggle('error', Boolean(error));
    node.hidden = false;
  }

  async function act(service, region, verb) {
    const path = `/api/v1/regions/${encodeURIComponent(service)}/${encodeURIComponent(region)}/${verb}`;
    try {
      const response = await fetch(path, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' });
      let body = null;
      try { body = await response.json(); } catch { body = null; }
      if (response.ok && body) {
        const sources = [body.sources.file !== 'active' ? `admin-state.yaml: ${body.sources.file}` : null, body.sources.api ? 'api drain' : null].filter(Boolean);
        message(`${service}/${region}: ${body.admin}${sources.length ? ` (${sources.join(', ')})` : ''}`, false);
      } else {
        const text = body && body.error ? body.error : response.statusText;
        message(`${verb} ${service}/${region} refused: HTTP ${response.status}: ${text}`, true);
      }
    } catch (error) {
      message(`${verb} ${service}/${region} failed: ${error.message}`, true);
    }
    poll();
  }

  document.addEventListener('DOMContentLoaded', () => {
    drawMapBase();
    $('token-use').addEventListener('click', useToken);
    $('token').addEventListener('keydown', (e) => { if (e.key === 'Enter') useToken(); });
    $('token-forget').addEventListener('click', () => {
      token = '';
      sessionStorage.removeItem(TOKEN_KEY);
      showToken();
    });
    showToken();
    poll();
  });
})();
