/**
 * The view lives in the URL hash, so a link restores it: the actor in focus, depth,
 * expanded nodes, filters, the path asked for, the node whose panel is open, and the
 * language, so a link opens in the language it was sent in. Other defaults are left
 * out to keep shared links short.
 */
import { DEFAULT_KINDS, DEFAULT_TYPES, KINDS, REL_TYPES } from './kinds.js';
import { LANGS, preferredLang } from './messages.js';

export const MAX_LIMIT = 1000;
const DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;

export function defaultState() {
  return {
    focus: '',
    depth: 1,
    limit: 300,
    expand: [],
    kinds: [...DEFAULT_KINDS],
    types: [...DEFAULT_TYPES],
    since: '',
    until: '',
    from: '',
    to: '',
    selected: '',
    lang: preferredLang(),
    map: false,
  };
}

/** Whether text is a partial ISO date the API accepts (2023, 2023-07, 2023-07-01). */
export function isDate(text) {
  return DATE.test(text);
}

function list(params, name, allowed, fallback) {
  if (!params.has(name)) return [...fallback];
  const wanted = params.get(name).split(',').filter((v) => allowed.includes(v));
  return wanted.length > 0 ? wanted : [...fallback];
}

function sameSet(a, b) {
  return a.length === b.length && a.every((v) => b.includes(v));
}

/** The state a hash describes; anything unreadable falls back to the default. */
export function readState(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const base = defaultState();
  const text = (name) => (params.get(name) ?? '').trim();
  const date = (name) => (isDate(text(name)) ? text(name) : '');
  const limit = Number.parseInt(text('limit'), 10);
  return {
    focus: text('focus'),
    depth: text('depth') === '2' ? 2 : 1,
    limit: limit >= 1 && limit <= MAX_LIMIT ? limit : base.limit,
    expand: text('expand').split(',').filter(Boolean),
    kinds: list(params, 'kinds', KINDS.map((k) => k.value), base.kinds),
    types: list(params, 'types', REL_TYPES, base.types),
    since: date('since'),
    until: date('until'),
    from: text('from'),
    to: text('to'),
    selected: text('selected'),
    lang: LANGS.includes(text('lang')) ? text('lang') : base.lang,
    map: text('view') === 'map',
  };
}

/** The hash for a state (with the leading #), defaults left out. */
export function writeState(state) {
  const base = defaultState();
  const params = new URLSearchParams();
  const put = (name, value) => value && params.set(name, value);
  put('focus', state.focus);
  if (state.depth !== base.depth) put('depth', String(state.depth));
  if (state.limit !== base.limit) put('limit', String(state.limit));
  put('expand', state.expand.join(','));
  if (!sameSet(state.kinds, base.kinds)) put('kinds', state.kinds.join(','));
  if (!sameSet(state.types, base.types)) put('types', state.types.join(','));
  put('since', state.since);
  put('until', state.until);
  put('from', state.from);
  put('to', state.to);
  put('selected', state.selected);
  put('lang', state.lang);
  if (state.map) put('view', 'map');
  const query = params.toString().replaceAll('%3A', ':').replaceAll('%2C', ',');
  return query ? `#${query}` : '#';
}
