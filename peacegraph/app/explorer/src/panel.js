/**
 * The side panel: what the graph knows about one node or one relationship, and the
 * exact passages of the report that say so. Every fact shown comes with its quote,
 * which is the point of the knowledge base.
 */
import { el } from './dom.js';
import { kindOf, relLabel, swatch } from './kinds.js';

function dates(start, end) {
  if (!start && !end) return null;
  if (start && end && start.value !== end.value) return `${start.value} – ${end.value}`;
  return (start ?? end).value;
}

function facts(rows) {
  const kept = rows.filter(([, value]) => value !== null && value !== undefined && value !== '');
  if (kept.length === 0) return null;
  return el('dl', { class: 'facts' }, kept.flatMap(([name, value]) => [el('dt', {}, name), el('dd', {}, value)]));
}

/** The quoted passages, as blockquotes with their section. */
export function sourceList(sources) {
  if (sources.length === 0) return el('p', { class: 'muted' }, 'No passage recorded.');
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
    ['Participants', r.participants],
    ['Women', r.women],
    ['Youth', r.youth],
    ['People with disabilities', r.disabled],
  ];
}

function wikidataLink(qid) {
  if (!qid) return null;
  return el('a', { href: `https://www.wikidata.org/wiki/${encodeURIComponent(qid)}`, rel: 'noopener noreferrer', target: '_blank' }, qid);
}

function timelineList(entries, open, period) {
  if (entries.length === 0) {
    return el('p', { class: 'muted' }, period ? 'No event in the selected period.' : 'No event recorded.');
  }
  return el('ol', { class: 'timeline' }, entries.map((t) => el('li', {},
    el('span', { class: 'when' }, t.event.start?.value ?? 'undated'),
    el('button', { type: 'button', class: 'link', onclick: () => open(t.event.id) }, t.event.name),
    el('span', { class: 'muted' }, ` ${relLabel(t.relation.type)}${t.relation.role ? ` (${t.relation.role})` : ''}`),
    t.partners.length ? el('div', { class: 'partners' }, `with ${t.partners.map((p) => p.name).join(', ')}`) : null)));
}

/**
 * A node's panel. `act` holds the page's actions: expand(id), focus(id),
 * pathFrom(node), pathTo(node), open(id); and `period`, whether a period filter is set.
 */
export function nodePanel(node, timeline, act) {
  const look = kindOf(node.nodeKind);
  const sub = [look.label, node.kind].filter(Boolean).join(' · ');
  return [
    heading(node.name, sub, node.nodeKind),
    node.description ? el('p', {}, node.description) : null,
    node.note ? el('p', { class: 'note' }, el('strong', {}, 'Editor’s note: '), node.note) : null,
    facts([
      ['Also known as', node.aliases.join('; ')],
      ['When', dates(node.start, node.end)],
      ['Themes', node.themes.join(', ')],
      ['Value', node.value != null ? `${node.value} ${node.unit ?? ''}`.trim() : null],
      ...reach(node),
      ['Wikidata', wikidataLink(node.wikidata)],
      ['IATI', node.iati],
      ['Id', el('code', {}, node.id)],
    ]),
    el('div', { class: 'actions' },
      el('button', { type: 'button', onclick: () => act.expand(node.id) }, 'Expand neighbours'),
      el('button', { type: 'button', onclick: () => act.focus(node.id) }, 'Centre network here'),
      el('button', { type: 'button', onclick: () => act.pathFrom(node) }, 'Path from here'),
      el('button', { type: 'button', onclick: () => act.pathTo(node) }, 'Path to here')),
    timeline ? el('section', { 'aria-labelledby': 'timeline-title' },
      el('h3', { id: 'timeline-title' }, 'Timeline'), timelineList(timeline, act.open, act.period)) : null,
    el('section', { 'aria-labelledby': 'sources-title' },
      el('h3', { id: 'sources-title' }, 'Sources'), sourceList(node.sources)),
  ];
}

/** A relationship's panel: its type, ends, role, dates and quoted sources. */
export function relationPanel(edge, sourceName, link, act) {
  const ends = `${sourceName} → ${link?.node.name ?? edge.target}`;
  return [
    heading(relLabel(edge.type), ends, null),
    facts([
      ['From', el('button', { type: 'button', class: 'link', onclick: () => act.open(edge.source) }, sourceName)],
      ['To', el('button', { type: 'button', class: 'link', onclick: () => act.open(edge.target) }, link?.node.name ?? edge.target)],
      ['Role', link?.role ?? edge.role],
      ['When', link ? dates(link.start, link.end) : null],
      ['Count', link?.count],
      ['Programme', link?.programme],
      ['Note', link?.note],
    ]),
    el('section', { 'aria-labelledby': 'sources-title' },
      el('h3', { id: 'sources-title' }, 'Sources'), sourceList(link?.sources ?? [])),
  ];
}
