/**
 * Saving the current view: a picture for print (PNG at 3× or SVG) with a title, the
 * period, a legend of the kinds shown and a source line, or the elements as JSON with
 * the link.
 *
 * The picture is the drawing as Cytoscape renders it (cy.png, cytoscape-svg), framed:
 * a header above and a legend and source line below, so it can go into a report
 * as it is. The source line names the documents that state the nodes shown, as the
 * API gives them (`nodes { sources }`), not a fixed text.
 */
import { PRINT_SCALE } from './graphview.js';
import { KINDS, shapePath } from './kinds.js';
import { formatPeriod, t } from './messages.js';
import { NAMES, SOURCES_OF } from './queries.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif';
const INK = '#1F2933';
const MUTED = '#52606D';
/** The frame, in CSS pixels of the drawing (the PNG multiplies them by PRINT_SCALE). */
const PAD = 24;
const HEAD = 64;
const FOOT = 64;
const MIN_WIDTH = 720;
const BATCH = 100; // ids per `nodes` request (the API's limit)

function download(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** A file name from the actor in focus: peacegraph-org-cedeao. */
export function baseName(state) {
  const slug = (state.focus || 'view').replace(/[^A-Za-z0-9-]+/g, '-');
  return `peacegraph-${slug}`;
}

/** The names of the documents that state the nodes shown, or the seed's report when unknown. */
async function sourceLine(view, api) {
  const ids = view.nodeList().map((n) => n.id);
  try {
    const batches = [];
    for (let i = 0; i < ids.length; i += BATCH) batches.push(ids.slice(i, i + BATCH));
    const answers = await Promise.all(batches.map((batch) => api(SOURCES_OF, { ids: batch })));
    const documents = [...new Set(answers.flatMap((a) => a.nodes)
      .flatMap((n) => n?.sources ?? []).map((s) => s.document))].slice(0, BATCH);
    if (documents.length === 0) throw new Error('no source');
    const named = await api(NAMES, { ids: documents });
    const names = named.nodes.map((n, i) => n?.name ?? documents[i]);
    return t('export.source', { documents: names.join(' ; ') });
  } catch {
    return t('export.source', { documents: t('export.defaultSource') });
  }
}

/** What frames the picture: title, period, the kinds drawn and the source line. */
async function frame(view, state, api) {
  const name = state.focus ? view.labelOf(state.focus) : '';
  const period = formatPeriod(state.since || null, state.until || null);
  const drawn = new Set(view.nodeList().map((n) => n.kind));
  return {
    title: name ? t('export.title', { name }) : t('export.titleEmpty'),
    period: period ? t('export.period', { period }) : t('export.anyTime'),
    legend: KINDS.filter((k) => drawn.has(k.kind)),
    source: await sourceLine(view, api),
  };
}

/** The legend's entries laid out in one row (wrapping), in CSS pixels from the left edge. */
function legendLayout(legend, measure) {
  let x = PAD;
  return legend.map((kind) => {
    const at = x;
    x += 16 + 6 + measure(kind.label) + 18;
    return { kind, x: at };
  });
}

export async function exportPng(view, state, api) {
  const meta = await frame(view, state, api);
  const bitmap = await createImageBitmap(await view.png());
  const s = PRINT_SCALE;
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(bitmap.width + 2 * PAD * s, MIN_WIDTH * s);
  canvas.height = bitmap.height + (HEAD + FOOT) * s;
  canvas.dataset.drawing = `${bitmap.width}x${bitmap.height}`;
  const g = canvas.getContext('2d');
  g.fillStyle = '#FFFFFF';
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.scale(s, s);
  g.fillStyle = INK;
  g.textBaseline = 'alphabetic';
  g.font = `bold 20px ${FONT}`;
  g.fillText(meta.title, PAD, 30);
  g.fillStyle = MUTED;
  g.font = `14px ${FONT}`;
  g.fillText(meta.period, PAD, 52);
  g.setTransform(1, 0, 0, 1, 0, 0);
  g.drawImage(bitmap, (canvas.width - bitmap.width) / 2, HEAD * s);
  const footTop = HEAD + bitmap.height / s;
  g.scale(s, s);
  g.font = `13px ${FONT}`;
  for (const { kind, x } of legendLayout(meta.legend, (text) => g.measureText(text).width)) {
    g.save();
    g.translate(x, footTop + 14);
    g.fillStyle = kind.colour;
    g.fill(new Path2D(shapePath(kind.shape)));
    g.restore();
    g.fillStyle = INK;
    g.fillText(kind.label, x + 22, footTop + 27);
  }
  g.fillStyle = MUTED;
  g.font = `12px ${FONT}`;
  g.fillText(meta.source, PAD, footTop + 52);
  const blob = await new Promise((resolve) => { canvas.toBlob(resolve, 'image/png'); });
  download(blob, `${baseName(state)}.png`);
}

function svgElement(name, attributes, text) {
  const node = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

export async function exportSvg(view, state, api) {
  const meta = await frame(view, state, api);
  const drawing = new DOMParser().parseFromString(view.svg(), 'image/svg+xml').documentElement;
  const width = Number.parseFloat(drawing.getAttribute('width'));
  const height = Number.parseFloat(drawing.getAttribute('height'));
  const total = { width: Math.max(width + 2 * PAD, MIN_WIDTH), height: height + HEAD + FOOT };
  const root = svgElement('svg', {
    xmlns: SVG_NS, width: total.width, height: total.height, viewBox: `0 0 ${total.width} ${total.height}`,
    'font-family': FONT,
  });
  root.append(
    svgElement('title', {}, meta.title),
    svgElement('rect', { width: total.width, height: total.height, fill: '#FFFFFF' }),
    svgElement('text', { x: PAD, y: 30, 'font-size': 20, 'font-weight': 'bold', fill: INK, class: 'title' }, meta.title),
    svgElement('text', { x: PAD, y: 52, 'font-size': 14, fill: MUTED, class: 'period' }, meta.period),
  );
  drawing.setAttribute('x', String((total.width - width) / 2));
  drawing.setAttribute('y', String(HEAD));
  root.append(document.importNode(drawing, true));
  const legend = svgElement('g', { class: 'legend', 'aria-label': t('export.legend') });
  const probe = document.createElement('canvas').getContext('2d');
  probe.font = `13px ${FONT}`;
  for (const { kind, x } of legendLayout(meta.legend, (text) => probe.measureText(text).width)) {
    legend.append(
      svgElement('path', { d: shapePath(kind.shape), fill: kind.colour, transform: `translate(${x} ${HEAD + height + 14})` }),
      svgElement('text', { x: x + 22, y: HEAD + height + 27, 'font-size': 13, fill: INK }, kind.label),
    );
  }
  root.append(legend, svgElement('text', {
    x: PAD, y: HEAD + height + 52, 'font-size': 12, fill: MUTED, class: 'source',
  }, meta.source));
  const markup = `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(root)}`;
  download(new Blob([markup], { type: 'image/svg+xml' }), `${baseName(state)}.svg`);
}

/** Cytoscape elements JSON (as the API's `network.elements`), with positions and the link. */
export function exportJson(view, state) {
  const body = {
    generator: 'PeaceGraph explorer',
    link: window.location.href,
    exportedAt: new Date().toISOString(),
    elements: view.toJSON(),
  };
  const blob = new Blob([JSON.stringify(body, null, 2)], { type: 'application/json' });
  download(blob, `${baseName(state)}.json`);
}
