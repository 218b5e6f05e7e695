/**
 * How each kind of node looks, and which relationship types exist.
 *
 * Colours are the Okabe–Ito palette (readable with the common colour-vision
 * deficiencies) and every kind also has its own shape, so colour is never the only cue.
 */

import { relLabel, t } from './messages.js';
import MODEL from './model.json';

export { relLabel };

const SVG = 'http://www.w3.org/2000/svg';

/**
 * The kinds and relationship types come from the model declaration (`model.json`,
 * written by `python -m peacegraph.graph.model > …/src/model.json`, checked by a test);
 * only their look is chosen here. A kind with no look of its own gets a plain one.
 */
const LOOK = {
  Organization: { colour: '#0072B2', shape: 'round-rectangle' },
  Person: { colour: '#E69F00', shape: 'ellipse' },
  Event: { colour: '#009E73', shape: 'diamond' },
  Programme: { colour: '#CC79A7', shape: 'hexagon' },
  Place: { colour: '#56B4E9', shape: 'triangle' },
  Observation: { colour: '#D55E00', shape: 'star' },
  Source: { colour: '#7F7F7F', shape: 'rectangle' },
};
const PLAIN = { colour: '#000000', shape: 'round-rectangle' };

/** `kind` is the node label as the API's Cytoscape elements give it; `value` its NodeKind. */
const LOOKS = MODEL.kinds.map(({ kind, value, label }) => ({ kind, value, title: label, ...(LOOK[kind] ?? PLAIN) }));

/** Each kind's look, with its label in the language in use (the model's title when untranslated). */
export const KINDS = LOOKS.map((look) => ({
  ...look,
  get label() {
    const text = t(`kind.${look.kind}`);
    return text === `kind.${look.kind}` ? look.title : text;
  },
  get plural() {
    const text = t(`kinds.${look.kind}`);
    return text === `kinds.${look.kind}` ? look.title : text;
  },
}));

/** Partnerships first: the relation the explorer is most often opened for. */
export const REL_TYPES = ['PARTNER_OF', ...MODEL.relationshipTypes.filter((type) => type !== 'PARTNER_OF')];

/**
 * Off until asked for: every node is MENTIONED_IN the report, so with them the report
 * becomes a hub two hops from everything. Provenance is shown in the side panel instead.
 */
export const DEFAULT_KINDS = KINDS.map((k) => k.value).filter((v) => v !== 'SOURCE');
export const DEFAULT_TYPES = REL_TYPES.filter((t) => t !== 'MENTIONED_IN');

const BY_KIND = new Map(KINDS.flatMap((k) => [[k.kind, k], [k.value, k]]));

/** The look of a kind, by label (`Organization`) or enum value (`ORGANIZATION`). */
export function kindOf(name) {
  return BY_KIND.get(name) ?? KINDS[0];
}

const POINTS = {
  diamond: '8,1 15,8 8,15 1,8',
  hexagon: '4,1.5 12,1.5 15.5,8 12,14.5 4,14.5 0.5,8',
  triangle: '8,1.5 15,14.5 1,14.5',
  star: '8,0.5 10,6 15.5,6 11,9.5 12.8,15 8,11.8 3.2,15 5,9.5 0.5,6 6,6',
};

/** A kind's shape as SVG path data in a 16×16 box: for the legend of exports (SVG and canvas). */
export function shapePath(shape) {
  if (shape === 'ellipse') return 'M 1 8 A 7 7 0 1 0 15 8 A 7 7 0 1 0 1 8 Z';
  if (POINTS[shape]) {
    const [first, ...rest] = POINTS[shape].split(' ');
    return `M ${first.replace(',', ' ')} ${rest.map((p) => `L ${p.replace(',', ' ')}`).join(' ')} Z`;
  }
  return 'M 1 2.5 L 15 2.5 L 15 13.5 L 1 13.5 Z';
}

/** A 16×16 SVG swatch of the kind's shape and colour, for the legend and lists. */
export function swatch(name) {
  const { shape, colour } = kindOf(name);
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'swatch');
  let mark;
  if (shape === 'ellipse') {
    mark = document.createElementNS(SVG, 'circle');
    mark.setAttribute('cx', '8');
    mark.setAttribute('cy', '8');
    mark.setAttribute('r', '7');
  } else if (POINTS[shape]) {
    mark = document.createElementNS(SVG, 'polygon');
    mark.setAttribute('points', POINTS[shape]);
  } else {
    mark = document.createElementNS(SVG, 'rect');
    for (const [name, value] of Object.entries({ x: 1, y: 2.5, width: 14, height: 11 })) {
      mark.setAttribute(name, String(value));
    }
    if (shape === 'round-rectangle') mark.setAttribute('rx', '3');
  }
  mark.setAttribute('fill', colour);
  svg.append(mark);
  return svg;
}
