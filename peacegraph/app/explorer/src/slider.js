/**
 * The time slider: two thumbs over the months the graph holds (from its first event
 * to its last), setting the view's period, the same `since`/`until` the period form
 * sets. The API filters with the project's one temporal rule (graph/periods.py): a fact
 * is in the period when its interval overlaps it, open ends running on, so a
 * partnership "since 2011" with no end stays in every period from 2011 on. Thumbs at
 * both ends mean no period at all; the period is in the shared link (urlstate.js).
 */
import { el } from './dom.js';
import { formatDate, t } from './messages.js';

const RANGE = `
query EventRange {
  first: events(first: 1, sort: {field: DATE}, filter: {from: "0001"}) {
    nodes { start { value } }
  }
  last: events(first: 1, sort: {field: DATE, descending: true}, filter: {from: "0001"}) {
    nodes { start { value } end { value } }
  }
}`;

/** "2023-09-19" → [2023, 9]. */
function yearMonth(value) {
  const [year, month] = value.split('-');
  return [Number(year), Number(month ?? 1)];
}

/** Every month from `start` to `end` (partial ISO dates), as "YYYY-MM". */
export function monthsBetween(start, end) {
  const [y0, m0] = yearMonth(start);
  const [y1, m1] = yearMonth(end);
  const months = [];
  for (let y = y0, m = m0; y < y1 || (y === y1 && m <= m1); m === 12 ? (y += 1, m = 1) : (m += 1)) {
    months.push(`${y}-${String(m).padStart(2, '0')}`);
  }
  return months;
}

export class TimeSlider {
  /** `onChange({since, until})` is called when a thumb is released. */
  constructor({ api, onChange }) {
    this.api = api;
    this.onChange = onChange;
    this.months = [];
    this.low = el('input', {
      type: 'range', id: 'slider-from', min: 0, max: 0, value: 0, step: 1,
      'data-i18n-aria-label': 'slider.from',
    });
    this.high = el('input', {
      type: 'range', id: 'slider-to', min: 0, max: 0, value: 0, step: 1,
      'data-i18n-aria-label': 'slider.to',
    });
    this.output = el('output', { id: 'slider-period', for: 'slider-from slider-to', 'aria-live': 'polite' });
    this.first = el('span', { class: 'muted small' });
    this.last = el('span', { class: 'muted small' });
    this.root = el('fieldset', { id: 'time-slider', class: 'slider', hidden: true },
      el('legend', { 'data-i18n': 'slider.legend' }, t('slider.legend')),
      el('div', { class: 'slider-track' }, this.low, this.high),
      el('div', { class: 'slider-ends' }, this.first, this.last),
      this.output);
    for (const thumb of [this.low, this.high]) {
      thumb.addEventListener('input', () => this.#keepOrder(thumb));
      thumb.addEventListener('change', () => this.#release());
    }
  }

  /** Ask the API for the months its events span; resolves with how many months. */
  async load(attempt = (call) => call()) {
    const data = await attempt(() => this.api(RANGE, {}));
    const start = data?.first.nodes[0]?.start?.value;
    const lastNode = data?.last.nodes[0];
    const end = lastNode?.end?.value ?? lastNode?.start?.value;
    if (!start || !end) return 0;
    this.months = monthsBetween(start, end);
    for (const thumb of [this.low, this.high]) thumb.max = String(this.months.length - 1);
    this.root.hidden = this.months.length < 2;
    return this.months.length;
  }

  #keepOrder(moved) {
    if (Number(this.low.value) > Number(this.high.value)) {
      if (moved === this.low) this.high.value = this.low.value;
      else this.low.value = this.high.value;
    }
    this.#say();
  }

  /** The period the thumbs say: ends at the extremes are open. */
  period() {
    const low = Number(this.low.value);
    const high = Number(this.high.value);
    return {
      since: low > 0 ? this.months[low] : '',
      until: high < this.months.length - 1 ? this.months[high] : '',
    };
  }

  #release() {
    this.onChange(this.period());
    this.#say();
  }

  #say() {
    const { since, until } = this.period();
    const a = formatDate(this.months[Number(this.low.value)]);
    const b = formatDate(this.months[Number(this.high.value)]);
    this.output.textContent = !since && !until ? t('slider.all', { a, b }) : t('slider.period', { a, b });
    this.output.dataset.since = since;
    this.output.dataset.until = until;
    this.first.textContent = formatDate(this.months[0]);
    this.last.textContent = formatDate(this.months.at(-1));
  }

  /** Put the thumbs where the state's period is (the link, or the period form). */
  show({ since = '', until = '' } = {}) {
    if (this.months.length === 0) return;
    const index = (value, fallback) => {
      if (!value) return fallback;
      const month = value.slice(0, 7);
      const at = this.months.indexOf(month);
      if (at >= 0) return at;
      return month < this.months[0] ? 0 : this.months.length - 1;
    };
    this.low.value = String(index(since, 0));
    this.high.value = String(index(until, this.months.length - 1));
    this.#say();
  }
}
