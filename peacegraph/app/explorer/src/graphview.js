/**
 * The drawing: a Cytoscape.js instance with the fcose force-directed layout.
 *
 * Two-hop views hold dozens of nodes, and every label at once is a hairball of text.
 * Labels are shown by importance instead: the seeds, the selected node, the nodes on
 * a path and the best-connected nodes (the top fifth by degree, at least degree 3)
 * always carry theirs; the others appear on hover or when zoomed in (a smaller font
 * with a minimum zoomed size, so Cytoscape draws them only once they are legible).
 * Small views (up to 25 nodes) label everything.
 *
 * It knows nothing of GraphQL: it takes Cytoscape elements JSON (what the API's
 * `network.elements` returns), tells the page about clicks, and times its layouts so
 * the page can report how long a view took to settle.
 */
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';
import svg from 'cytoscape-svg';
import { collapseLeaves, openBundle, openBundlesOf, relabelBundles } from './bundles.js';
import { KINDS, kindOf, relLabel } from './kinds.js';
import { t } from './messages.js';
import { displayName } from './names.js';

cytoscape.use(fcose);
cytoscape.use(svg);

/** Views this small label every node. */
const ALL_LABELS = 25;
/** Print resolution: 3 × the drawing's size (about 300 dpi for a 100-px-per-inch layout). */
export const PRINT_SCALE = 3;

const PATH = '#D7263D';
const LARGE = 150;
const INK = '#1F2933';

/** "+7 événements": a bundle of leaves (bundles.js). */
const bundleLabel = (count, kind) => t('bundle', { n: count, kind: kindOf(kind).plural });

function stylesheet() {
  return [
    {
      selector: 'node',
      style: {
        label: 'data(label)',
        width: 'mapData(degree, 1, 24, 18, 42)',
        height: 'mapData(degree, 1, 24, 18, 42)',
        'font-size': 8,
        'min-zoomed-font-size': 11,
        color: INK,
        'text-valign': 'bottom',
        'text-margin-y': 3,
        'text-wrap': 'ellipsis',
        'text-max-width': '130px',
        'text-outline-color': '#FFFFFF',
        'text-outline-width': 2,
        'border-width': 1,
        'border-color': '#FFFFFF',
      },
    },
    ...KINDS.map((k) => ({
      selector: `node[kind = "${k.kind}"]`,
      style: { 'background-color': k.colour, shape: k.shape },
    })),
    { selector: 'node.major', style: { 'font-size': 11, 'min-zoomed-font-size': 6 } },
    {
      selector: 'node.hover',
      style: { 'font-size': 12, 'min-zoomed-font-size': 0, 'z-index': 20, 'text-max-width': '220px' },
    },
    {
      selector: 'node.focus',
      style: { 'border-width': 4, 'border-color': INK, 'font-weight': 'bold', 'font-size': 13, 'min-zoomed-font-size': 0 },
    },
    {
      selector: 'node:selected',
      style: { 'border-width': 5, 'border-color': '#F5C400', 'font-weight': 'bold', 'font-size': 12, 'min-zoomed-font-size': 0 },
    },
    {
      selector: 'edge',
      style: {
        width: 1.5,
        'line-color': '#A3ACB9',
        'target-arrow-color': '#A3ACB9',
        'target-arrow-shape': 'triangle',
        'arrow-scale': 0.8,
        'curve-style': 'bezier',
        'font-size': 9,
        color: INK,
        'text-rotation': 'autorotate',
        'text-background-color': '#FFFFFF',
        'text-background-opacity': 0.85,
        'text-background-padding': '1px',
      },
    },
    { selector: 'edge:selected, edge.hover', style: { label: 'data(caption)', width: 3, 'line-color': INK, 'target-arrow-color': INK } },
    { selector: '.faded', style: { opacity: 0.18 } },
    { selector: '.collapsed', style: { display: 'none' } },
    {
      selector: 'node.bundle',
      style: {
        'background-opacity': 0.35,
        'border-width': 2,
        'border-style': 'dashed',
        'border-color': '#52606D',
        'font-size': 10,
        'font-style': 'italic',
        'min-zoomed-font-size': 6,
        width: 26,
        height: 26,
      },
    },
    { selector: 'edge.bundle', style: { 'line-style': 'dashed', 'target-arrow-shape': 'none' } },
    { selector: 'node.path', style: { 'border-width': 5, 'border-color': PATH, opacity: 1, 'font-size': 11, 'min-zoomed-font-size': 0 } },
    {
      selector: 'edge.path',
      style: { label: 'data(caption)', width: 5, 'line-color': PATH, 'target-arrow-color': PATH, opacity: 1 },
    },
  ];
}

/** Nodes from the API's `path` (GraphQL Node objects) as Cytoscape node data. */
export function nodeData(node) {
  const kind = KINDS.find((k) => k.value === node.nodeKind)?.kind ?? node.nodeKind;
  return {
    id: node.id,
    name: node.name,
    aliases: node.aliases ?? [],
    label: displayName(node.name, node.aliases),
    kind,
    subkind: node.kind,
    start: node.start?.value ?? null,
  };
}

export class GraphView {
  /** `on` holds the page's handlers: node(id), expand(id), edge(data), background(). */
  constructor(container, on) {
    this.cy = cytoscape({
      container,
      style: stylesheet(),
      minZoom: 0.05,
      maxZoom: 5,
      boxSelectionEnabled: false,
      selectionType: 'single',
    });
    this.cy.on('tap', 'node', (e) => {
      if (e.target.hasClass('bundle')) this.#open(e.target.id());
      else on.node(e.target.id());
    });
    this.cy.on('dbltap', 'node', (e) => on.expand(e.target.id()));
    this.cy.on('tap', 'edge', (e) => on.edge(e.target.data()));
    this.cy.on('tap', (e) => e.target === this.cy && on.background());
    this.cy.on('mouseover', 'edge, node', (e) => e.target.addClass('hover'));
    this.cy.on('mouseout', 'edge, node', (e) => e.target.removeClass('hover'));
  }

  /**
   * Show exactly these elements, laid out afresh; resolves with the layout's timings.
   * The leaves of `focusIds` and of the `opened` nodes (expanded by the user) are
   * never collapsed.
   */
  replace(elements, focusIds, { opened = [] } = {}) {
    this.cy.batch(() => {
      this.cy.elements().remove();
      this.#add(elements);
      for (const id of focusIds) this.cy.getElementById(id).addClass('focus');
      collapseLeaves(this.cy, [...focusIds, ...opened], bundleLabel);
      this.#rank();
    });
    return this.layout({ fresh: true });
  }

  /** Open a bundle of leaves and let the drawing settle around them. */
  #open(id) {
    if (openBundle(this.cy, id).nonempty()) this.layout({ fresh: false });
  }

  /** Show the nodes `ids` if a bundle hides them; resolves once the drawing has settled. */
  async reveal(ids) {
    if (openBundlesOf(this.cy, ids)) await this.layout({ fresh: false });
  }

  /** Add the elements not yet shown, starting them at `aroundId`; returns how many nodes. */
  merge(elements, aroundId) {
    const anchor = this.cy.getElementById(aroundId);
    const origin = anchor.nonempty() ? anchor.position() : { x: 0, y: 0 };
    const before = this.cy.nodes().length;
    this.cy.batch(() => this.#add(elements, origin));
    return this.cy.nodes().length - before;
  }

  #add(elements, origin) {
    const incoming = [...(elements.nodes ?? []), ...(elements.edges ?? [])];
    for (const e of incoming) {
      if (!e.classes?.includes('extra')) this.cy.getElementById(e.data.id).removeClass('extra');
    }
    const nodes = (elements.nodes ?? []).filter((n) => this.cy.getElementById(n.data.id).empty());
    const ids = new Set([...nodes.map((n) => n.data.id), ...this.cy.nodes().map((n) => n.id())]);
    const edges = (elements.edges ?? []).filter(
      (e) => this.cy.getElementById(e.data.id).empty() && ids.has(e.data.source) && ids.has(e.data.target),
    );
    const jitter = () => (Math.random() - 0.5) * 60;
    this.cy.add(nodes.map((n) => ({
      group: 'nodes',
      data: { ...n.data },
      classes: n.classes,
      position: origin ? { x: origin.x + jitter(), y: origin.y + jitter() } : undefined,
    })));
    this.cy.add(edges.map((e) => ({
      group: 'edges',
      data: { ...e.data, caption: relLabel(e.data.type) },
      classes: e.classes,
    })));
    this.cy.nodes().forEach((n) => { n.data('degree', n.degree(false)); });
    this.#rank();
  }

  /** Mark the nodes whose labels always show (see the module's comment). */
  #rank() {
    const nodes = this.cy.nodes();
    if (nodes.length <= ALL_LABELS) {
      nodes.addClass('major');
      return;
    }
    const degrees = nodes.map((n) => n.data('degree')).sort((a, b) => b - a);
    const cut = Math.max(3, degrees[Math.floor(degrees.length / 5)] ?? 3);
    nodes.forEach((n) => { n.toggleClass('major', n.data('degree') >= cut || n.hasClass('focus')); });
  }

  /** Show every node under a new label (the language changed), and the edges' captions. */
  relabel(label) {
    this.cy.batch(() => {
      this.cy.nodes().forEach((n) => { n.data('label', label(n.data())); });
      this.cy.edges().not('.bundle').forEach((e) => { e.data('caption', relLabel(e.data('type'))); });
      relabelBundles(this.cy, bundleLabel);
    });
  }

  /** The label a node is drawn with, or `fallback` (its id) when it is not drawn. */
  labelOf(id, fallback = id) {
    const node = this.cy.getElementById(id);
    return node.nonempty() ? node.data('label') : fallback;
  }

  /**
   * Run fcose. `fresh` places everything anew; otherwise nodes keep their places
   * and only settle. Resolves with layout time and time until the frame is painted.
   */
  layout({ fresh }) {
    const drawn = this.cy.elements().not('.collapsed');
    const nodes = this.cy.nodes().not('.bundle').length;
    const edges = this.cy.edges().not('.bundle').length;
    if (nodes === 0) return Promise.resolve({ nodes, edges, layoutMs: 0, paintedMs: 0 });
    // Roomier spacing reads better but costs time that grows with the square of the
    // number of nodes: above a few hundred, fcose's own defaults keep the layout fast.
    const roomy = nodes <= LARGE;
    return new Promise((resolve) => {
      const started = performance.now();
      const layout = drawn.layout({
        name: 'fcose',
        quality: fresh ? 'default' : 'proof',
        randomize: fresh,
        animate: false,
        fit: true,
        padding: 40,
        nodeSeparation: roomy ? 110 : 75,
        nodeRepulsion: () => (roomy ? 12000 : 4500),
        idealEdgeLength: () => (roomy ? 95 : 50),
        numIter: roomy ? 2500 : 1000,
      });
      layout.one('layoutstop', () => {
        const layoutMs = performance.now() - started;
        requestAnimationFrame(() => requestAnimationFrame(() => {
          resolve({ nodes, edges, layoutMs, paintedMs: performance.now() - started });
        }));
      });
      layout.run();
    });
  }

  /** Highlight paths (lists of node and edge data), adding what is missing; returns how many nodes were added. */
  showPaths(paths) {
    this.clearPaths();
    openBundlesOf(this.cy, paths.flatMap((p) => p.nodes.map((n) => n.id)));
    const before = this.cy.nodes().length;
    const elements = {
      nodes: paths.flatMap((p) => p.nodes).map((data) => ({ data, classes: 'extra' })),
      edges: paths.flatMap((p) => p.edges).map((data) => ({ data, classes: 'extra' })),
    };
    const anchor = this.cy.getElementById(paths[0]?.nodes[0]?.id ?? '');
    const origin = anchor.nonempty() ? anchor.position() : { x: 0, y: 0 };
    this.cy.batch(() => {
      this.#add(elements, origin);
      this.cy.elements().addClass('faded');
      for (const id of [...elements.nodes, ...elements.edges].map((e) => e.data.id)) {
        this.cy.getElementById(id).removeClass('faded').addClass('path');
      }
    });
    return this.cy.nodes().length - before;
  }

  /** Zoom to the highlighted paths, so they are what the eye finds first. */
  fitPaths({ covered = 0 } = {}) {
    const onPath = this.cy.elements('.path');
    if (onPath.nonempty()) this.#fitInto(onPath, 60, covered);
  }

  /**
   * Fit `elements` into the drawing less its `covered` bottom pixels (a bottom sheet
   * over it on a phone): Cytoscape's own fit only knows symmetric padding.
   */
  #fitInto(elements, padding, covered) {
    if (elements.empty()) return;
    const box = elements.boundingBox();
    const width = Math.max(1, this.cy.width() - 2 * padding);
    const height = Math.max(1, this.cy.height() - covered - 2 * padding);
    const zoom = Math.min(
      this.cy.maxZoom(),
      Math.max(this.cy.minZoom(), Math.min(width / Math.max(box.w, 1), height / Math.max(box.h, 1))),
    );
    this.cy.viewport({
      zoom,
      pan: {
        x: padding + (width - zoom * box.w) / 2 - zoom * box.x1,
        y: padding + (height - zoom * box.h) / 2 - zoom * box.y1,
      },
    });
  }

  clearPaths() {
    this.cy.batch(() => {
      this.cy.elements('.extra').remove();
      this.cy.elements().removeClass('faded path');
    });
  }

  /** Select one node (or none), and bring it into view when asked. */
  select(id, { reveal = false } = {}) {
    this.cy.elements(':selected').unselect();
    if (id) openBundlesOf(this.cy, [id]);
    const node = id ? this.cy.getElementById(id) : this.cy.collection();
    if (node.empty()) return;
    node.select();
    if (reveal) this.cy.animate({ center: { eles: node }, duration: 200 });
  }

  /** Pan to a node if the panel opening has left it out of sight. */
  keepInView(id) {
    const node = this.cy.getElementById(id);
    if (node.empty()) return;
    const { x, y } = node.renderedPosition();
    const margin = 20;
    if (x < margin || y < margin || x > this.cy.width() - margin || y > this.cy.height() - margin) {
      this.cy.animate({ center: { eles: node }, duration: 200 });
    }
  }

  has(id) {
    return this.cy.getElementById(id).nonempty();
  }

  /** Every node of the view, collapsed ones included, bundles left out. */
  nodeList() {
    return this.cy.nodes().not('.bundle').map((n) => n.data());
  }

  fit({ covered = 0 } = {}) {
    this.#fitInto(this.cy.elements(), 40, covered);
  }

  resize() {
    this.cy.resize();
  }

  /** The view as Cytoscape elements JSON (what the API returns, plus positions). */
  toJSON() {
    const part = (collection) => collection.map((e) => ({
      data: e.data(),
      ...(e.isNode() ? { position: e.position() } : {}),
      classes: e.classes().join(' '),
    }));
    return { nodes: part(this.cy.nodes().not('.bundle')), edges: part(this.cy.edges().not('.bundle')) };
  }

  /** The whole drawing at print scale, every label shown (zoom no longer hides any). */
  png() {
    return this.#printing(() => this.cy.png({
      output: 'blob-promise', full: true, scale: PRINT_SCALE, bg: '#FFFFFF', maxWidth: 12000, maxHeight: 12000,
    }));
  }

  /** The whole drawing as SVG markup (cytoscape-svg), every label shown. */
  svg() {
    return this.#printing(() => this.cy.svg({ full: true, scale: 1, bg: '#FFFFFF' }));
  }

  /** Run `draw` with every node labelled as a major one, then put the classes back. */
  #printing(draw) {
    const minor = this.cy.nodes().not('.major');
    minor.addClass('major');
    try {
      return draw();
    } finally {
      minor.removeClass('major');
    }
  }

  /** The width and height (model units) of the whole drawing: a PNG is PRINT_SCALE times it. */
  size() {
    const box = this.cy.elements().boundingBox();
    return { width: box.w, height: box.h };
  }
}
