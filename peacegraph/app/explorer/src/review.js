/**
 * The review page (`/explore/review`): an extraction draft's report paragraph by
 * paragraph, each with the facts proposed from it beside it and their quotes marked in
 * the text; an editor accepts, edits or rejects each fact. Decisions are taken by the
 * API (`acceptFact`, `rejectFact`), which writes accepted facts through the graph's one
 * write path and keeps every decision, so a reload shows them all.
 *
 * Everything here needs an editor token: it is asked for once and kept in
 * sessionStorage (this tab only, gone when it closes), and sent as a bearer token.
 */
import '../review.css';
import { ApiError, createClient } from './api.js';
import { byId, el } from './dom.js';
import { attempt, lang, setLang, preferredLang, t, translatePage } from './messages.js';
import { factCard } from './reviewfacts.js';

const TOKEN_KEY = 'peacegraph.token';
const endpoint = document.querySelector('meta[name="peacegraph-api"]')?.content || '/graphql';
let token = sessionStorage.getItem(TOKEN_KEY) ?? '';
const api = createClient(endpoint, { headers: () => (token ? { authorization: `Bearer ${token}` } : {}) });
let loaded = null; // the draft shown, as the API gave it

const DRAFTS = `{ drafts { name title factCount decidedCount } }`;
const FACT = `id entity label kind name aliases type from to allowedTypes status candidates fields
  quotes { section quote } decision { fact status by at edited written reason }`;
const DRAFT = `query Draft($name: String!) { draft(name: $name) {
  name title factCount decidedCount
  paragraphs { index heading text facts { ${FACT} } }
  seedFiles { name text } leftOut } }`;
const OUTCOME = `__typename
  ... on FactDecision { fact status by at edited written reason }
  ... on ValidationError { message field }
  ... on NotFoundError { message }
  ... on ConflictError { message }`;
const ACCEPT = `mutation Accept($draft: String!, $fact: ID!, $edit: FactEdit, $sameAs: ID) {
  acceptFact(draft: $draft, fact: $fact, edit: $edit, sameAs: $sameAs) { ${OUTCOME} } }`;
const REJECT = `mutation Reject($draft: String!, $fact: ID!) {
  rejectFact(draft: $draft, fact: $fact) { ${OUTCOME} } }`;
const SEED = `query Seed($name: String!) { draft(name: $name) { seedFiles { name text } leftOut decidedCount factCount } }`;

function note(key, params) {
  const line = byId('review-note');
  line.dataset.i18n = key;
  line.textContent = t(key, params);
}

// ---- the token and the drafts ----------------------------------------------------------

async function signIn() {
  const list = await attempt(() => api(DRAFTS), signIn);
  byId('token-forget').hidden = !token;
  if (!list) return;
  const select = byId('draft-select');
  select.replaceChildren(...list.drafts.map((d) => el('option', { value: d.name }, `${d.name} – ${d.title} (${d.decidedCount}/${d.factCount})`)));
  select.disabled = !list.drafts.length;
  if (!list.drafts.length) {
    note('review.noDrafts');
    return;
  }
  const wanted = new URLSearchParams(window.location.search).get('draft');
  select.value = list.drafts.some((d) => d.name === wanted) ? wanted : list.drafts[0].name;
  await openDraft(select.value);
}

async function openDraft(name) {
  const data = await attempt(() => api(DRAFT, { name }), () => openDraft(name));
  if (!data) return;
  loaded = data.draft;
  const url = new URL(window.location.href);
  url.searchParams.set('draft', name);
  window.history.replaceState(null, '', url);
  draw();
}

// ---- the paragraphs, their marks and their facts ----------------------------------------

const collapse = (text) => text.split(/\s+/).filter(Boolean).join(' ');

/** The paragraph's text with every quote of its facts in a <mark> naming those facts. */
function markedText(paragraph) {
  const text = paragraph.text;
  const spans = [];
  for (const fact of paragraph.facts) {
    for (const q of fact.quotes) {
      const at = text.indexOf(collapse(q.quote));
      if (at >= 0) spans.push([at, at + collapse(q.quote).length, fact.id]);
    }
  }
  const cuts = [...new Set([0, text.length, ...spans.flatMap(([a, b]) => [a, b])])].sort((a, b) => a - b);
  const parts = [];
  for (let i = 0; i + 1 < cuts.length; i += 1) {
    const [a, b] = [cuts[i], cuts[i + 1]];
    const facts = spans.filter(([s, e]) => s <= a && e >= b).map(([, , id]) => id);
    const piece = text.slice(a, b);
    parts.push(facts.length ? el('mark', { dataset: { facts: JSON.stringify(facts) } }, piece) : piece);
  }
  return parts;
}

function focus(paragraphNode, factId, on) {
  for (const mark of paragraphNode.querySelectorAll('mark')) {
    if (JSON.parse(mark.dataset.facts).includes(factId)) mark.classList.toggle('active', on);
  }
}

function names() {
  const found = new Map();
  for (const p of loaded.paragraphs) for (const f of p.facts) if (f.entity) found.set(f.id, f.name);
  return found;
}

function draw() {
  const known = names();
  byId('review-main').querySelector('datalist')?.remove();
  byId('review-main').append(el('datalist', { id: 'draft-ids' }, [...known].map(([id, name]) => el('option', { value: id }, name))));
  const items = loaded.paragraphs.map((paragraph) => {
    const text = paragraph.heading && !paragraph.facts.length
      ? el('h2', { class: 'para-text' }, paragraph.heading)
      : el('p', { class: 'para-text' }, markedText(paragraph));
    const item = el('li', { class: 'paragraph', dataset: { index: paragraph.index } });
    const cards = paragraph.facts.map((fact) => factCard(fact, {
      names: known,
      decide: (chosen, move) => decide(chosen, move),
      focus: (id, on) => focus(item, id, on),
    }));
    item.append(text, el('ul', { class: 'facts', 'aria-label': t('review.factsOf') }, cards));
    return item;
  });
  byId('paragraphs').replaceChildren(...items);
  showProgress();
  showSeed(loaded);
  note('review.help');
}

function showProgress() {
  const facts = loaded.paragraphs.flatMap((p) => p.facts);
  const decided = facts.filter((f) => f.decision).length;
  const progress = byId('progress');
  progress.textContent = t('review.progress', { decided, total: facts.length });
  progress.dataset.decided = String(decided);
  const option = byId('draft-select').selectedOptions[0];
  if (option) option.textContent = `${loaded.name} – ${loaded.title} (${decided}/${facts.length})`;
}

// ---- decisions --------------------------------------------------------------------------

class Refused extends Error {}

async function decide(fact, move) {
  const variables = { draft: loaded.name, fact: fact.id };
  let outcome;
  try {
    outcome = move.reject
      ? (await api(REJECT, variables)).rejectFact
      : (await api(ACCEPT, { ...variables, edit: move.accept, sameAs: move.sameAs ?? null })).acceptFact;
  } catch (error) {
    throw new Refused(error instanceof ApiError ? t('error.api', { message: error.message }) : error.message);
  }
  if (outcome.__typename !== 'FactDecision') throw new Refused(outcome.message);
  fact.decision = outcome;
  showProgress();
  refreshSeed();
  return outcome;
}

// ---- the reviewed facts as seed YAML ----------------------------------------------------

function showSeed(draft) {
  byId('seed-box').hidden = false;
  const links = draft.seedFiles.map((file) => {
    const url = URL.createObjectURL(new Blob([file.text], { type: 'text/plain;charset=utf-8' }));
    return el('a', { href: url, download: file.name, class: 'seed-file' }, file.name);
  });
  const left = draft.leftOut.length ? el('p', { class: 'muted small' }, t('review.leftOut', { n: draft.leftOut.length })) : null;
  for (const old of byId('seed-links').querySelectorAll('a')) URL.revokeObjectURL(old.href);
  byId('seed-links').replaceChildren(...links, left ?? '');
}

async function refreshSeed() {
  const data = await api(SEED, { name: loaded.name }).catch(() => null);
  if (data) showSeed(data.draft);
}

// ---- the page ---------------------------------------------------------------------------

function showLanguage() {
  translatePage();
  document.title = t('review.pageTitle');
  if (loaded) draw();
}

byId('lang-switch').addEventListener('click', () => {
  setLang(lang() === 'fr' ? 'en' : 'fr');
  showLanguage();
});
byId('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  token = byId('token-input').value.trim();
  byId('token-input').value = '';
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  signIn();
});
byId('token-forget').addEventListener('click', () => {
  token = '';
  sessionStorage.removeItem(TOKEN_KEY);
  loaded = null;
  byId('paragraphs').replaceChildren();
  byId('seed-box').hidden = true;
  byId('draft-select').replaceChildren();
  byId('token-forget').hidden = true;
  note('review.needToken');
});
byId('draft-select').addEventListener('change', (event) => openDraft(event.target.value));

setLang(preferredLang(), { remember: false });
showLanguage();
if (token) signIn();
window.peacegraphReview = { ready: true };
