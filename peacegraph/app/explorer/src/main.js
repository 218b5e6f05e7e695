/**
 * The explorer page: wires the search, the drawing, the filters, the path finder and
 * the side panel to the public GraphQL API, and keeps the view in the URL.
 *
 * At `/embed` the same page is a read-only view for a partner's site: the drawing,
 * its panel and the exports, without the filters column, the JSON export or the link
 * tools, and with a link to the full page.
 */
import '../explorer.css';
import { createClient } from './api.js';
import { Combobox } from './combobox.js';
import { byId, el } from './dom.js';
import { exportJson, exportPng, exportSvg } from './exporting.js';
import { buildFilters, labelFilters, readPeriod, showFilters } from './filters.js';
import { GraphView } from './graphview.js';
import { liveView } from './live.js';
import { MapView } from './map.js';
import { KINDS, swatch } from './kinds.js';
import {
  attempt, bump, formatPeriod, lang, plural, restatus, setLang, setStatus, showError, t,
  translatePage,
} from './messages.js';
import { displayName } from './names.js';
import { nodePanel, relationPanel } from './panel.js';
import { MAX_HOPS, allowedPaths, describe, shortestPaths } from './paths.js';
import * as Q from './queries.js';
import { TimeSlider } from './slider.js';
import { defaultState, readState, writeState } from './urlstate.js';

const endpoint = document.querySelector('meta[name="peacegraph-api"]')?.content || '/graphql';
const EMBED = window.location.pathname.startsWith('/embed');
const api = createClient(endpoint);
let state = defaultState();
let applied = null; // the hash the page shows, to ignore our own URL updates
let panelFor = ''; // the node or edge id whose panel is open, to drop late answers

const view = new GraphView(byId('cy'), {
  node: (id) => select(id),
  expand: (id) => expand(id),
  edge: (data) => openRelation(data),
  background: () => closePanel(),
});
// The drawing follows committed edits in place (live.js).
const live = liveView(endpoint, view, () => listNodes());

// ---- the map and the time slider (map.js, slider.js) ------------------------------

const mapView = new MapView(byId('stage'), {
  api,
  select: (id) => select(id, { reveal: true }),
  label: (id, name, aliases) => view.labelOf(id, displayName(name, aliases)),
});
const slider = new TimeSlider({
  api,
  onChange: (period) => {
    Object.assign(state, period);
    showFilters(state);
    saveState();
    refresh();
  },
});

/** Show the map (or the graph) in the stage; the choice is in the link (`view=map`). */
function showMap(visible, { save = true } = {}) {
  state.map = visible;
  mapView.toggle(visible);
  const toggle = byId('view-toggle');
  toggle.setAttribute('aria-pressed', String(visible));
  toggle.dataset.i18n = visible ? 'map.toGraph' : 'map.toMap';
  toggle.textContent = t(toggle.dataset.i18n);
  if (save) saveState();
  updateMap();
}

async function updateMap() {
  if (!mapView.shown) return;
  const edges = view.cy.edges().map((e) => e.data());
  await mapView.update(view.nodeList(), (call) => attempt(call, updateMap), edges);
}

// ---- the URL -----------------------------------------------------------------------

/** Record the state in the URL: a new history entry when the actor changes. */
function saveState({ push = false } = {}) {
  const hash = writeState(state);
  if (hash === applied) return;
  applied = hash;
  const url = `${window.location.pathname}${window.location.search}${hash === '#' ? '' : hash}`;
  if (push) window.history.pushState(null, '', url);
  else window.history.replaceState(null, '', url);
}

async function restore() {
  const hash = window.location.hash || '#';
  if (hash === applied) return;
  applied = hash;
  const before = lang();
  state = readState(hash);
  setLang(state.lang, { remember: false });
  if (state.lang !== before) showLanguage();
  showFilters(state);
  slider.show(state);
  showMap(state.map, { save: false });
  if (state.focus) await loadView();
  else clearView();
  if (state.from && state.to) await findPath();
  if (state.selected) await select(state.selected, { save: false });
  else closePanel({ save: false });
  refit();
  updateFullLink();
}

// ---- the language ------------------------------------------------------------------

/** The keys line, with its keys as <kbd>. */
function showKeys() {
  const keysFor = { slash: '/', esc: 'Esc', plus: '+', minus: '-', zero: '0' };
  const parts = t('keys').split(/\{(\w+)\}/);
  byId('keys').replaceChildren(...parts.map((part, i) => (i % 2 ? el('kbd', {}, keysFor[part]) : part)));
}

/** Say everything on the page again in the language now in use. */
function showLanguage() {
  translatePage();
  showKeys();
  labelFilters();
  view.relabel((data) => displayName(data.name ?? data.label, data.aliases));
  listNodes();
  restatus();
  slider.show(state);
  mapView.relabel();
}

/** The switch in the header: the other language, remembered and put in the link. */
async function switchLanguage() {
  state.lang = lang() === 'fr' ? 'en' : 'fr';
  setLang(state.lang);
  showLanguage();
  saveState();
  updateFullLink();
  if (state.from && state.to) await findPath();
  if (panelFor && !panelFor.includes('|')) await select(panelFor, { save: false });
  else if (panelFor) closePanel();
}

/** In the embedded view, the link to the full page shows the same view. */
function updateFullLink() {
  if (EMBED) byId('open-full').href = `/explore${window.location.hash}`;
}

// ---- the network ----------------------------------------------------------------

function filterVariables() {
  return {
    types: state.types,
    kinds: state.kinds,
    since: state.since || null,
    until: state.until || null,
    limit: state.limit,
  };
}

/** The API's elements, with each node's French name, aliases and the label to show. */
function named(elements, nodes) {
  const aliases = new Map(nodes.map((n) => [n.id, n.aliases]));
  return {
    nodes: elements.nodes.map((n) => {
      const found = aliases.get(n.data.id) ?? [];
      return { ...n, data: { ...n.data, name: n.data.label, aliases: found, label: displayName(n.data.label, found) } };
    }),
    edges: elements.edges,
  };
}

function clearView() {
  live.stop();
  view.replace({ nodes: [], edges: [] }, []);
  listNodes();
  byId('empty-hint').hidden = false;
  setStatus('');
}

async function loadView() {
  const data = await attempt(() => api(Q.VIEW, {
    seeds: [state.focus],
    depth: state.depth,
    expand: state.expand,
    hasExpand: state.expand.length > 0,
    ...filterVariables(),
  }), loadView);
  if (!data) return;
  const parts = [data.main, data.more].filter(Boolean).map((p) => ({ ...p, elements: named(p.elements, p.nodes) }));
  const elements = {
    nodes: parts.flatMap((p) => p.elements.nodes),
    edges: parts.flatMap((p) => p.elements.edges),
  };
  byId('empty-hint').hidden = true;
  if (elements.nodes.length === 0) {
    view.replace(elements, []);
    listNodes();
    const id = state.focus;
    setStatus(() => t('status.noNode', { id }));
    return;
  }
  const timing = await view.replace(elements, [state.focus], { opened: state.expand });
  live.watch({ seeds: [state.focus, ...state.expand], depth: state.depth, ...filterVariables() });
  listNodes();
  updateMap();
  const focus = state.focus;
  const { depth, limit } = state;
  const truncated = parts.some((p) => p.truncated);
  setStatus(() => t('status.view', {
    nodes: timing.nodes,
    edges: timing.edges,
    name: view.labelOf(focus),
    depth,
    ms: timing.layoutMs.toFixed(0),
    alone: timing.nodes === 1 ? t('status.alone') : '',
    cut: truncated ? t('status.cut', { limit }) : '',
  }), timing);
}

async function focusOn(id) {
  state = { ...state, focus: id, expand: [], selected: id };
  saveState({ push: true });
  await loadView();
  await select(id);
}

async function expand(id) {
  if (!state.expand.includes(id) && id !== state.focus) state.expand = [...state.expand, id];
  saveState();
  const data = await attempt(
    () => api(Q.EXPAND, { seeds: [id], ...filterVariables() }),
    () => expand(id),
  );
  if (!data) return;
  const added = view.merge(named(data.network.elements, data.network.nodes), id);
  const timing = await view.layout({ fresh: false });
  listNodes();
  updateMap();
  setStatus(() => (added > 0
    ? t('status.added', { n: added, s: plural(added), name: view.labelOf(id), total: timing.nodes })
    : t('status.nothingNew', { name: view.labelOf(id) })), timing);
}

// ---- the list of nodes in view (keyboard access to the drawing) -----------------

function listNodes() {
  const nodes = view.nodeList().sort((a, b) => (
    KINDS.findIndex((k) => k.kind === a.kind) - KINDS.findIndex((k) => k.kind === b.kind)
    || a.label.localeCompare(b.label, lang())));
  byId('node-list').replaceChildren(...nodes.map((n) => el('li', {},
    el('button', {
      type: 'button',
      dataset: { id: n.id },
      'aria-current': n.id === state.selected ? 'true' : null,
      onclick: () => select(n.id, { reveal: true }),
    }, swatch(n.kind), ' ', n.label))));
}

// ---- the side panel ----------------------------------------------------------------

/** Fit the view into what the panel leaves visible (beside it, or above it on a phone). */
function refit() {
  view.resize();
  mapView.resize();
  const panel = byId('panel');
  const stage = view.cy.container().getBoundingClientRect();
  const sheet = panel.getBoundingClientRect();
  const over = !panel.hidden && sheet.left < stage.right && sheet.right > stage.left;
  const covered = over ? Math.max(0, stage.bottom - sheet.top) : 0;
  if (state.from && state.to) view.fitPaths({ covered });
  else view.fit({ covered });
}

function openPanel(children) {
  byId('panel-body').replaceChildren(...children.filter(Boolean));
  const panel = byId('panel');
  const wasHidden = panel.hidden;
  panel.hidden = false;
  byId('layout').classList.add('with-panel');
  document.body.classList.add('with-panel');
  if (wasHidden) refit();
}

function closePanel({ save = true } = {}) {
  panelFor = '';
  const wasOpen = !byId('panel').hidden;
  byId('panel').hidden = true;
  byId('layout').classList.remove('with-panel');
  document.body.classList.remove('with-panel');
  if (wasOpen) refit();
  else view.resize();
  view.select('');
  if (save && state.selected) {
    state.selected = '';
    saveState();
  }
}

const actions = {
  expand: (id) => expand(id),
  focus: (id) => focusOn(id),
  open: (id) => select(id, { reveal: true }),
  pathFrom: (node) => { paths.from.set(node); byId('path-to').focus(); },
  pathTo: (node) => { paths.to.set(node); byId('path-from').focus(); },
};

async function select(id, { reveal = false, save = true } = {}) {
  panelFor = id;
  view.select(id, { reveal });
  if (save) {
    state.selected = id;
    saveState();
  }
  for (const button of byId('node-list').querySelectorAll('button')) {
    button.toggleAttribute('aria-current', button.dataset.id === id);
  }
  const actor = ['org', 'person'].includes(id.split(':')[0]);
  const data = await attempt(
    () => api(Q.DETAILS, { id, actor, from: state.since || null, to: state.until || null }),
    () => select(id, { reveal, save }),
  );
  if (!data || panelFor !== id) return;
  if (!data.node) {
    openPanel([el('p', {}, t('node.missing', { id }))]);
    return;
  }
  openPanel(nodePanel(data.node, data.timeline, { ...actions, period: Boolean(state.since || state.until) }));
  view.keepInView(id);
  if (reveal) byId('panel-title').focus();
}

async function openRelation(edge) {
  panelFor = edge.id;
  const data = await attempt(
    () => api(Q.RELATION, { source: edge.source, type: edge.type }),
    () => openRelation(edge),
  );
  if (!data || panelFor !== edge.id) return;
  const link = data.node?.links.edges.map((e) => e.node).find((l) => l.targetId === edge.target);
  const names = {
    source: view.labelOf(edge.source, data.node ? displayName(data.node.name, data.node.aliases) : edge.source),
    target: view.labelOf(edge.target, link ? displayName(link.node.name, link.node.aliases) : edge.target),
  };
  openPanel(relationPanel(edge, names, link, actions));
}

// ---- filters -----------------------------------------------------------------------

/** Redraw after a filter change, keeping the path asked for. */
async function refresh() {
  if (state.focus) await loadView();
  if (state.from && state.to) await findPath();
}

function applyPeriod(event) {
  event.preventDefault();
  const period = readPeriod();
  if (!period) return;
  Object.assign(state, period);
  slider.show(state);
  saveState();
  refresh();
}

// ---- paths -------------------------------------------------------------------------

const paths = {};

/** A node's name from what is at hand, and show it in its path box. */
function nameOf(id, found, apiPaths, box) {
  const apiNode = apiPaths[0]?.nodes.find((n) => n.id === id);
  const name = found[0]?.nodes.find((n) => n.id === id)?.label
    ?? (apiNode ? displayName(apiNode.name, apiNode.aliases) : null)
    ?? view.labelOf(id);
  if (box.value !== id) box.set({ id, name });
  return name;
}

async function findPath() {
  const from = state.from;
  const to = state.to;
  const result = byId('path-result');
  const asked = await attempt(() => api(Q.PATH, { from, to, maxLength: MAX_HOPS }), findPath);
  if (!asked) return;
  let found = allowedPaths(asked.path, state);
  if (found.length === 0 && asked.path.length > 0) {
    const around = await attempt(() => api(Q.VIEW, {
      seeds: [from, to], depth: 2, expand: [], hasExpand: false, ...filterVariables(), limit: 1000,
    }), findPath);
    if (!around) return;
    found = shortestPaths(around.main.elements, from, to);
  }
  const names = {
    from: nameOf(from, found, asked.path, paths.from),
    to: nameOf(to, found, asked.path, paths.to),
  };
  if (found.length === 0) {
    view.clearPaths();
    result.replaceChildren(el('p', { class: 'empty' },
      t('path.none', { max: MAX_HOPS, from: names.from, to: names.to })));
    bump(result);
    return;
  }
  const added = view.showPaths(found);
  if (added > 0 || !state.focus) await view.layout({ fresh: !state.focus });
  view.fitPaths();
  listNodes();
  const hops = found[0].edges.length;
  const [first, ...others] = found;
  result.replaceChildren(
    el('p', {}, t('path.found', { from: names.from, to: names.to, hops, s: plural(hops) })),
    el('p', { class: 'path-line' }, describe(first)),
    others.length ? el('details', {},
      el('summary', {}, t('path.others', { n: others.length, s: plural(others.length) })),
      el('ul', { class: 'path-list' }, others.map((p) => el('li', {}, describe(p))))) : null,
  );
  bump(result);
  byId('empty-hint').hidden = true;
}

function askPath(event) {
  event.preventDefault();
  if (!paths.from.value || !paths.to.value) {
    byId('path-result').replaceChildren(el('p', { class: 'empty' }, t('path.chooseBoth')));
    return;
  }
  if (paths.from.value === paths.to.value) {
    byId('path-result').replaceChildren(el('p', { class: 'empty' }, t('path.chooseTwo')));
    return;
  }
  state.from = paths.from.value;
  state.to = paths.to.value;
  saveState();
  findPath();
}

function clearPath() {
  state.from = '';
  state.to = '';
  paths.from.set(null);
  paths.to.set(null);
  view.clearPaths();
  listNodes();
  byId('path-result').replaceChildren();
  saveState();
}

// ---- wiring ------------------------------------------------------------------------

async function suggest(text) {
  const data = await api(Q.SEARCH, { text, first: 8 });
  return data.search.nodes;
}

function combobox(prefix, choose) {
  return new Combobox({
    input: byId(prefix),
    list: byId(`${prefix}-list`),
    note: byId(`${prefix}-note`),
    search: suggest,
    choose,
    onError: (error) => showError(error, () => byId(prefix).dispatchEvent(new Event('input'))),
  });
}

async function share() {
  const url = window.location.href;
  const field = byId('share-url');
  try {
    await navigator.clipboard.writeText(url);
    byId('share-note').textContent = t('share.copied');
    field.hidden = true;
  } catch {
    field.value = url;
    field.hidden = false;
    field.select();
    byId('share-note').textContent = t('share.copy');
  }
}

function keys(event) {
  const typing = event.target.closest('input, select, textarea');
  if (event.key === 'Escape' && !byId('panel').hidden) {
    closePanel();
    return;
  }
  if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
  const zoom = { '+': 1.25, '=': 1.25, '-': 0.8 };
  if (event.key === '/') {
    event.preventDefault();
    byId('search-input').focus();
  } else if (event.key in zoom) {
    view.cy.zoom({ level: view.cy.zoom() * zoom[event.key], renderedPosition: { x: view.cy.width() / 2, y: view.cy.height() / 2 } });
  } else if (event.key === '0') {
    refit();
  }
}

function start() {
  setLang(state.lang, { remember: false });
  if (EMBED) document.body.classList.add('embed');
  showLanguage();
  const search = combobox('search-input', (node) => focusOn(node.id));
  byId('search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    search.submit();
  });
  paths.from = combobox('path-from', () => {});
  paths.to = combobox('path-to', () => {});
  byId('path-form').addEventListener('submit', askPath);
  byId('path-clear').addEventListener('click', clearPath);
  buildFilters((key, values) => {
    state[key] = values;
    saveState();
    refresh();
  });
  byId('dates-form').addEventListener('submit', applyPeriod);
  byId('dates-clear').addEventListener('click', () => {
    byId('since').value = '';
    byId('until').value = '';
    byId('dates-form').requestSubmit();
  });
  byId('depth').addEventListener('change', (event) => {
    state.depth = Number(event.target.value);
    saveState();
    refresh();
  });
  byId('fit').addEventListener('click', refit);
  byId('fit').before(el('button', {
    type: 'button', id: 'view-toggle', class: 'view-toggle', 'aria-pressed': 'false', 'data-i18n': 'map.toMap',
    onclick: () => showMap(!state.map),
  }, t('map.toMap')));
  byId('dates-form').after(slider.root);
  slider.load((call) => attempt(call, () => slider.load())).then(() => slider.show(state));
  byId('export-png').addEventListener('click', () => exportPng(view, state, api));
  byId('export-svg').addEventListener('click', () => exportSvg(view, state, api));
  byId('lang-switch').addEventListener('click', switchLanguage);
  byId('export-json').addEventListener('click', () => exportJson(view, state));
  byId('share').addEventListener('click', share);
  byId('panel-close').addEventListener('click', () => closePanel());
  document.addEventListener('keydown', keys);
  window.addEventListener('hashchange', restore);
  window.addEventListener('popstate', restore);
  // A handle for the browser console and the browser tests (they read the drawing).
  window.peacegraphExplorer = { view, map: mapView, slider, state: () => state };
  restore();
}

start();
