// One card per steered service, kept from poll to poll so rows and buttons keep their elements: the
// regions and their addresses, load bars against the shed thresholds, and the answer-share chart.
'use strict';

(() => {
  const { $, el, svg, when, age, percent, since, regionState, adminText, setPill } = window.GslbPage;
  const PALETTE = ['#2f6fbe', '#e07b1a', '#2a9d8f', '#b5489a', '#6d8b2f', '#8c5a3c', '#c0392b', '#5b5fc7'];
  const services = new Map(); // service name -> its card and rows
  let options = { token: false, act: () => {} };

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

  function regionRows(entry, service, region, colour, now) {
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
      button.addEventListener('click', () => options.act(service.service, id, button.dataset.verb));
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
    rows.button.hidden = !options.token;
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
      row.detail.textContent = addressText(address, now);
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
      const bodies = service.regions.map((region, i) => regionRows(entry, service, region, colours[i], status.time));
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

  // Shows or hides every drain button (a token was pasted or forgotten).
  function showButtons(shown) {
    options = { ...options, token: shown };
    for (const entry of services.values()) for (const rows of entry.regions.values()) rows.button.hidden = !shown;
  }

  window.GslbPage.services = {
    draw(status, how) {
      options = how;
      drawServices(status);
    },
    showButtons,
  };
})();
