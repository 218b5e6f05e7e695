/**
 * The side panel: what the graph knows about one node or one relationship, and the
 * exact passages of the report that say so. Every fact shown comes with its quote,
 * which is the point of the knowledge base.
 */
import { el } from './dom.js';
import { kindOf, relLabel, swatch } from './kinds.js';
import { formatDate, formatPeriod, t } from './messages.js';
import { displayName } from './names.js';

/**
 * Dates in the page's language. A start with no end is "since" for what lasts (a
 * partnership, an organisation) and a single day for an event.
 */
function dates(start, end, { openStart = true } = {}) {
  return formatPeriod(start?.value ?? null, end?.value ?? null, { openStart });
}

function facts(rows) {
  const kept = rows.filter(([, value]) => value !== null && value !== undefined && value !== '');
  if (kept.length === 0) return null;
  return el('dl', { class: 'facts' }, kept.flatMap(([name, value]) => [el('dt', {}, name), el('dd', {}, value)]));
}

/** The quoted passages, as blockquotes with their section. */
export function sourceList(sources) {
  if (sources.length === 0) return el('p', { class: 'muted' }, t('panel.noSource'));
  return el('ul', { class: 'sources' }, sources.map((s) => el('li', {},
    el('figure', {},
      el('blockquote', { lang: 'fr' }, s.quote),
      el('figcaption', {}, s.section, el('span', { class: 'muted' }, ` — ${s.document}`))))));
}

function heading(title, sub, kind) {
  return el('header', { class: 'panel-head' },
    el('h2', { id: 'panel-title', tabindex: '-1' }, kind ? swatch(kind) : null, ' ', title),
    el('p', { class: 'muted' }, sub));
}

function reach(node) {
  const r = node.reach;
  if (!r) return [];
  return [
    [t('panel.participants'), r.participants],
    [t('panel.women'), r.women],
    [t('panel.youth'), r.youth],
    [t('panel.disabled'), r.disabled],
  ];
}

function wikidataLink(qid) {
  if (!qid) return null;
  return el('a', { href: `https://www.wikidata.org/wiki/${encodeURIComponent(qid)}`, rel: 'noopener noreferrer', target: '_blank' }, qid);
}

function timelineList(entries, open, period) {
  if (entries.length === 0) {
    return el('p', { class: 'muted' }, period ? t('panel.noEventPeriod') : t('panel.noEvent'));
  }
  return el('ol', { class: 'timeline' }, entries.map((entry) => el('li', {},
    el('span', { class: 'when' }, entry.event.start ? formatDate(entry.event.start.value) : t('panel.undated')),
    el('button', { type: 'button', class: 'link', onclick: () => open(entry.event.id) },
      displayName(entry.event.name, entry.event.aliases)),
    el('span', { class: 'muted' }, ` ${relLabel(entry.relation.type)}${entry.relation.role ? ` (${entry.relation.role})` : ''}`),
    entry.partners.length ? el('div', { class: 'partners' },
      t('panel.with', { names: entry.partners.map((p) => displayName(p.name, p.aliases)).join(', ') })) : null)));
}

/**
 * A node's panel. `act` holds the page's actions: expand(id), focus(id),
 * pathFrom(node), pathTo(node), open(id); and `period`, whether a period filter is set.
 */
export function nodePanel(node, timeline, act) {
  const look = kindOf(node.nodeKind);
  const sub = [look.label, node.kind].filter(Boolean).join(' · ');
  const shown = displayName(node.name, node.aliases);
  const otherNames = [node.name, ...node.aliases].filter((n) => n !== shown);
  return [
    heading(shown, sub, node.nodeKind),
    node.description ? el('p', {}, node.description) : null,
    node.note ? el('p', { class: 'note' }, el('strong', {}, t('panel.note')), node.note) : null,
    facts([
      [t('panel.aka'), otherNames.join('; ')],
      [t('panel.when'), dates(node.start, node.end, { openStart: node.nodeKind !== 'EVENT' && node.nodeKind !== 'OBSERVATION' })],
      [t('panel.themes'), node.themes.join(', ')],
      [t('panel.value'), node.value != null ? `${node.value} ${node.unit ?? ''}`.trim() : null],
      ...reach(node),
      ['Wikidata', wikidataLink(node.wikidata)],
      ['IATI', node.iati],
      [t('panel.id'), el('code', {}, node.id)],
    ]),
    el('div', { class: 'actions' },
      el('button', { type: 'button', onclick: () => act.expand(node.id) }, t('panel.expand')),
      el('button', { type: 'button', onclick: () => act.focus(node.id) }, t('panel.focus')),
      el('button', { type: 'button', onclick: () => act.pathFrom({ ...node, name: shown }) }, t('panel.pathFrom')),
      el('button', { type: 'button', onclick: () => act.pathTo({ ...node, name: shown }) }, t('panel.pathTo'))),
    timeline ? el('section', { 'aria-labelledby': 'timeline-title' },
      el('h3', { id: 'timeline-title' }, t('panel.timeline')), timelineList(timeline, act.open, act.period)) : null,
    el('section', { 'aria-labelledby': 'sources-title' },
      el('h3', { id: 'sources-title' }, t('panel.sources')), sourceList(node.sources)),
  ];
}

/** A relationship's panel: its type, ends (`names.source`, `names.target`), role, dates and quoted sources. */
export function relationPanel(edge, names, link, act) {
  const ends = `${names.source} → ${names.target}`;
  return [
    heading(relLabel(edge.type), ends, null),
    facts([
      [t('panel.from'), el('button', { type: 'button', class: 'link', onclick: () => act.open(edge.source) }, names.source)],
      [t('panel.to'), el('button', { type: 'button', class: 'link', onclick: () => act.open(edge.target) }, names.target)],
      [t('panel.role'), link?.role ?? edge.role],
      [t('panel.when'), link ? dates(link.start, link.end) : null],
      [t('panel.count'), link?.count],
      [t('panel.programme'), link?.programme],
      [t('panel.relNote'), link?.note],
    ]),
    el('section', { 'aria-labelledby': 'sources-title' },
      el('h3', { id: 'sources-title' }, t('panel.sources')), sourceList(link?.sources ?? [])),
  ];
}
