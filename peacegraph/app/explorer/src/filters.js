/**
 * The filter controls: kinds (which double as the legend), relationship types and the
 * period. They are applied by the API (`network`'s kinds, relationshipTypes, since and
 * until), so what is drawn is exactly what the API says matches.
 */
import { byId, el } from './dom.js';
import { KINDS, REL_TYPES, relLabel, swatch } from './kinds.js';
import { formatDate, t } from './messages.js';
import { isDate } from './urlstate.js';

function checkbox(name, value, label, icon) {
  return el('label', { class: 'check' },
    el('input', { type: 'checkbox', name, value }), icon, ' ', el('span', { class: 'check-label' }, label));
}

/** The check boxes' labels in the language in use. */
export function labelFilters() {
  const labels = [...KINDS.map((k) => k.label), ...REL_TYPES.map(relLabel)];
  const spans = [...byId('kinds').querySelectorAll('.check-label'), ...byId('types').querySelectorAll('.check-label')];
  spans.forEach((span, i) => { span.textContent = labels[i]; });
}

/** Build the check boxes; `changed(key, values)` is told each new selection. */
export function buildFilters(changed) {
  byId('kinds').replaceChildren(...KINDS.map((k) => checkbox('kind', k.value, k.label, swatch(k.kind))));
  byId('types').replaceChildren(...REL_TYPES.map((t) => checkbox('type', t, relLabel(t), null)));
  for (const key of ['kinds', 'types']) {
    byId(key).addEventListener('change', (event) => {
      const checked = [...byId(key).querySelectorAll('input:checked')].map((i) => i.value);
      if (checked.length === 0) {
        event.target.checked = true; // nothing selected would mean everything to the API
        return;
      }
      changed(key, checked);
    });
  }
}

/** Show a state's filters in the controls (after a link was opened). */
export function showFilters(state) {
  for (const input of byId('kinds').querySelectorAll('input')) input.checked = state.kinds.includes(input.value);
  for (const input of byId('types').querySelectorAll('input')) input.checked = state.types.includes(input.value);
  byId('since').value = state.since;
  byId('until').value = state.until;
  byId('depth').value = String(state.depth);
  byId('dates-note').textContent = '';
}

/** The period typed in, or null (with the reason shown) when it cannot be used. */
export function readPeriod() {
  const since = byId('since').value.trim();
  const until = byId('until').value.trim();
  const note = byId('dates-note');
  const bad = [since, until].find((d) => d && !isDate(d));
  if (bad) {
    note.textContent = t('period.notDate', { text: bad });
    return null;
  }
  if (since && until && since > until) {
    note.textContent = t('period.reversed');
    return null;
  }
  note.textContent = since || until
    ? t('period.showing', {
      since: since ? formatDate(since) : t('period.beginning'),
      until: until ? formatDate(until) : t('period.now'),
    })
    : '';
  return { since, until };
}
