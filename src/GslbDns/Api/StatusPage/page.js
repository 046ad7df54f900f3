// Shared pieces of the status page: building elements, the text of times and numbers, and what a
// region is in one word. The other scripts find them on window.GslbPage.
'use strict';

(() => {
  const SVG = 'http://www.w3.org/2000/svg';
  const $ = (id) => document.getElementById(id);

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

  window.GslbPage = { $, el, svg, clock, dateTime, when, age, percent, since, regionState, severity, adminText, setPill };
})();
