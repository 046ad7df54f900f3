// The status page: polls /api/v1/status and /api/v1/changes and redraws in place (no reload), so a
// row, a button or the token box keeps its element from one poll to the next. Everything it shows
// comes from those two documents; the only writes are the drain and undrain calls, made with the
// admin token the operator pasted (kept in sessionStorage, so it ends with the tab).
'use strict';

(() => {
  const { $, el, dateTime, clock, regionState } = window.GslbPage;
  const POLL_MS = 1500;
  const TIMEOUT_MS = 4000;
  const TOKEN_KEY = 'gslbdns.adminToken';

  // Set once at load: a reload would replace it, which the page's own test relies on.
  window.gslbStatusPage = { loadedAt: Date.now(), polls: 0, failures: 0, lastOk: null };

  let token = sessionStorage.getItem(TOKEN_KEY) || '';
  let lastStatus = null;
  let failingSince = null;
  let seenSequence = 0;
  let pollTimer = 0;

  // Clustered only: whether the shared store (etcd) is reachable, and every member's heartbeat.
  function drawCluster(cluster) {
    const panel = $('cluster');
    panel.hidden = !cluster;
    if (!cluster) return;
    const store = $('cluster-store');
    store.textContent = `instance ${cluster.instance} · etcd ${cluster.store} at ${cluster.endpoint}`
      + (cluster.downSince ? ` · unreachable since ${dateTime(cluster.downSince)} UTC` : '')
      + (cluster.store === 'stale' ? ' · health by own checks only' : '');
    store.className = `store-${cluster.store}`;
    $('cluster-members').replaceChildren(...cluster.members.map((m) => el('tr', { 'data-member': m.name },
      el('td', { text: m.name + (m.self ? ' (this one)' : '') }), el('td', { text: m.version }),
      el('td', { text: m.api || '-' }), el('td', { text: `${dateTime(m.heartbeat)} UTC (${m.heartbeatAgeSeconds} s ago)` }))));
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
      drawCluster(status.cluster);
      window.GslbPage.map.drawMarkers(status);
      window.GslbPage.services.draw(status, { token: Boolean(token), act });
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
    window.GslbPage.services.showButtons(Boolean(token));
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
    window.GslbPage.map.drawBase();
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
