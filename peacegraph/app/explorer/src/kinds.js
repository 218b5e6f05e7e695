/**
 * How each kind of node looks, and which relationship types exist.
 *
 * Colours are the Okabe–Ito palette (readable with the common colour-vision
 * deficiencies) and every kind also has its own shape, so colour is never the only cue.
 */

import { relLabel, t } from './messages.js';

export { relLabel };

const SVG = 'http://www.w3.org/2000/svg';

/** `kind` is the node label as the API's Cytoscape elements give it. */
const LOOKS = [
  { kind: 'Organization', value: 'ORGANIZATION', colour: '#0072B2', shape: 'round-rectangle' },
  { kind: 'Person', value: 'PERSON', colour: '#E69F00', shape: 'ellipse' },
  { kind: 'Event', value: 'EVENT', colour: '#009E73', shape: 'diamond' },
  { kind: 'Programme', value: 'PROGRAMME', colour: '#CC79A7', shape: 'hexagon' },
  { kind: 'Place', value: 'PLACE', colour: '#56B4E9', shape: 'triangle' },
  { kind: 'Observation', value: 'OBSERVATION', colour: '#D55E00', shape: 'star' },
  { kind: 'Source', value: 'SOURCE', colour: '#7F7F7F', shape: 'rectangle' },
];

/** Each kind's look, with its label in the language in use. */
export const KINDS = LOOKS.map((look) => ({
  ...look,
  get label() {
    return t(`kind.${look.kind}`);
  },
  get plural() {
    return t(`kinds.${look.kind}`);
  },
}));

export const REL_TYPES = [
  'PARTNER_OF', 'MEMBER_OF', 'PART_OF', 'WORKS_FOR', 'ORGANIZED', 'FUNDED', 'PARTICIPATED_IN',
  'ATTENDED', 'IMPLEMENTS', 'HELD_AT', 'WITHIN', 'ABOUT', 'MENTIONED_IN',
];

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
