/**
 * One proposed fact of a draft, as a card beside its paragraph: what it says, what
 * extraction thought of it (new, known, ambiguous), its quote, and the editor's three
 * moves: accept, edit (then accept the edited fact) and reject. The card only shows
 * and asks; `decide(fact, move)` (review.js) talks to the API and answers with the
 * decision, or throws the refusal, which the card shows in its own live line.
 */
import { el } from './dom.js';
import { formatPeriod, relLabel, t } from './messages.js';

/** Fields the edit form offers, by kind of fact, with their input types. */
const NODE_FIELDS = [['name', 'text'], ['kind', 'text'], ['start', 'text'], ['end', 'text'], ['description', 'text']];
const LABEL_FIELDS = {
  Event: [['participants', 'number'], ['women', 'number'], ['youth', 'number']],
  Observation: [['value', 'number'], ['unit', 'text']],
};
const REL_FIELDS = [['from', 'text'], ['to', 'text'], ['role', 'text'], ['start', 'text'], ['end', 'text'], ['count', 'number']];

/** The fact's current value of an editable field. */
function valueOf(fact, name) {
  if (name in fact && fact[name] !== null && typeof fact[name] !== 'object') return fact[name];
  return fact.fields?.[name] ?? '';
}

/** What the card says a fact is: "Atelier … (Event, workshop)" or "A — organised → B". */
function summary(fact, names) {
  if (fact.entity) {
    return [el('strong', {}, fact.name), ' ', el('span', { class: 'muted' }, `(${t(`review.label.${fact.label}`)}, ${fact.kind})`)];
  }
  const end = (id) => el('span', { class: 'end', title: id }, names.get(id) ?? id);
  return [end(fact.from), ' ', el('em', {}, relLabel(fact.type)), ' ', end(fact.to)];
}

function details(fact) {
  const f = fact.fields ?? {};
  const parts = [];
  const period = formatPeriod(f.start, f.end, { openStart: !fact.entity || fact.label !== 'Event' });
  if (period) parts.push(period);
  for (const key of ['participants', 'women', 'youth', 'value', 'unit', 'role', 'count']) {
    if (f[key] !== undefined) parts.push(`${t(`review.field.${key}`)} ${f[key]}`);
  }
  if (fact.entity && fact.aliases.length) parts.push(t('review.aliases', { names: fact.aliases.join(', ') }));
  return parts.length ? el('p', { class: 'details small' }, parts.join(' · ')) : null;
}

function status(fact) {
  const label = t(`review.status.${fact.status}`);
  const candidates = fact.candidates.length && fact.status !== 'NEW'
    ? ` ${t('review.candidates', { ids: fact.candidates.join(', ') })}` : '';
  return el('span', { class: `badge status-${fact.status.toLowerCase()}` }, label + candidates);
}

function decisionLine(decision) {
  const key = decision.status === 'ACCEPTED' ? (decision.edited ? 'review.acceptedEdited' : 'review.accepted') : 'review.rejected';
  return el('p', { class: `decided ${decision.status.toLowerCase()}` }, t(key, { by: decision.by }));
}

/** The edit form: the fact's editable fields, prefilled; submit accepts the edited fact. */
function editForm(fact, onSubmit, onCancel) {
  const fields = fact.entity ? [...NODE_FIELDS, ...(LABEL_FIELDS[fact.label] ?? [])] : REL_FIELDS;
  const inputs = new Map();
  const rows = fields.map(([name, type]) => {
    const id = `edit-${name}-${Math.random().toString(36).slice(2, 8)}`;
    const input = el('input', { id, name, type, value: valueOf(fact, name), list: ['from', 'to'].includes(name) ? 'draft-ids' : undefined, step: type === 'number' ? 'any' : undefined });
    inputs.set(name, input);
    return el('div', { class: 'edit-row' }, el('label', { for: id }, t(`review.field.${name}`)), input);
  });
  let typeSelect = null;
  if (!fact.entity) {
    const types = [...new Set([fact.type, ...fact.allowedTypes])];
    typeSelect = el('select', { name: 'type', id: `edit-type-${fact.id}` }, types.map((type) => el('option', { value: type, selected: type === fact.type }, relLabel(type))));
    rows.unshift(el('div', { class: 'edit-row' }, el('label', { for: typeSelect.id }, t('review.field.type')), typeSelect));
  }
  let sameAs = null;
  if (fact.entity && fact.candidates.length) {
    sameAs = el('select', { name: 'sameAs', id: `edit-same-${fact.id}` },
      el('option', { value: '' }, t('review.sameAs.none')),
      fact.candidates.map((id) => el('option', { value: id, selected: fact.status === 'KNOWN' && id === fact.id }, id)));
    rows.push(el('div', { class: 'edit-row' }, el('label', { for: sameAs.id }, t('review.sameAs')), sameAs));
  }
  const form = el('form', { class: 'edit', onsubmit: (event) => {
    event.preventDefault();
    const edit = {};
    for (const [name, input] of inputs) {
      const before = String(valueOf(fact, name));
      if (input.value === before) continue;
      edit[name] = input.type === 'number' ? (input.value === '' ? null : Number(input.value)) : input.value;
    }
    if (typeSelect && typeSelect.value !== fact.type) edit.type = typeSelect.value;
    onSubmit(edit, sameAs?.value || null);
  } }, rows,
  el('div', { class: 'row' },
    el('button', { type: 'submit', class: 'primary' }, t('review.acceptEdited')),
    el('button', { type: 'button', onclick: onCancel }, t('review.cancel'))));
  return form;
}

/**
 * A fact's card. `decide(fact, move)` with move = {accept: edit|null, sameAs} or
 * {reject: true} resolves with the decision or rejects with the refusal.
 */
export function factCard(fact, { names, decide, focus }) {
  const card = el('li', { class: 'fact', tabindex: '0', dataset: { fact: fact.id, decision: fact.decision?.status.toLowerCase() ?? '' } });
  const note = el('p', { class: 'refusal', role: 'status', 'aria-live': 'polite' });
  const body = el('div', { class: 'fact-body' });

  async function act(move) {
    note.textContent = '';
    card.classList.add('busy');
    try {
      fact.decision = await decide(fact, move);
      card.dataset.decision = fact.decision.status.toLowerCase();
      render();
    } catch (error) {
      note.textContent = error.message;
      card.dataset.refused = String(Number(card.dataset.refused ?? 0) + 1);
    } finally {
      card.classList.remove('busy');
    }
  }

  // An ambiguous entity is accepted as one of its candidates (or as the draft's node).
  const choice = fact.status === 'AMBIGUOUS' && fact.candidates.length
    ? el('select', { class: 'same-as', 'aria-label': t('review.sameAs') },
      el('option', { value: '' }, t('review.sameAs.none')),
      fact.candidates.map((id) => el('option', { value: id }, t('review.sameAsOption', { id }))))
    : null;

  function render(editing = false) {
    const actions = fact.decision ? decisionLine(fact.decision) : editing
      ? editForm(fact, (edit, sameAs) => act({ accept: edit, sameAs }), () => render())
      : el('div', { class: 'row actions' },
        choice,
        el('button', { type: 'button', class: 'primary accept', onclick: () => act({ accept: null, sameAs: choice?.value || null }) }, t('review.accept')),
        el('button', { type: 'button', class: 'edit-button', onclick: () => render(true) }, t('review.edit')),
        el('button', { type: 'button', class: 'reject', onclick: () => act({ reject: true }) }, t('review.reject')));
    body.replaceChildren(...[
      el('p', { class: 'what' }, status(fact), ' ', summary(fact, names)),
      details(fact),
      el('blockquote', { class: 'quote small' }, fact.quotes[0]?.quote),
      fact.quotes.length > 1 ? el('p', { class: 'muted small' }, t('review.moreQuotes', { n: fact.quotes.length - 1 })) : null,
      actions,
    ].filter(Boolean));
  }

  render();
  card.append(body, note);
  card.addEventListener('mouseenter', () => focus(fact.id, true));
  card.addEventListener('mouseleave', () => focus(fact.id, false));
  card.addEventListener('focusin', () => focus(fact.id, true));
  card.addEventListener('focusout', () => focus(fact.id, false));
  return card;
}
