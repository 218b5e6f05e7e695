/**
 * A search box with suggestions, following the WAI-ARIA combobox pattern so it works
 * by keyboard (arrows, Enter, Escape) and with a screen reader.
 *
 * The matching itself is the API's `search` (accents, case, aliases, a typo); this
 * only shows the hits and says so when there are none.
 */
import { el, fold } from './dom.js';
import { kindOf, swatch } from './kinds.js';
import { plural, t } from './messages.js';
import { displayName } from './names.js';

const DELAY_MS = 180;
const MIN_CHARS = 2;

/** Why a hit matched: the alias the user typed, when it is not the name. */
function matchedAlias(node, text) {
  const wanted = fold(text.trim());
  if (fold(node.name).includes(wanted)) return null;
  return [node.french, ...node.aliases].find((a) => a !== node.name && fold(a).includes(wanted)) ?? null;
}

export class Combobox {
  /**
   * `input` and `list` are the text box and its listbox; `note` is where "nothing
   * found" goes; `search(text)` resolves with hits; `choose(node)` is told the pick.
   */
  constructor({ input, list, note, search, choose, onError }) {
    Object.assign(this, { input, list, note, search, choose, onError });
    this.hits = [];
    this.active = -1;
    this.asked = 0;
    this.timer = undefined;
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', list.id);
    input.setAttribute('autocomplete', 'off');
    input.setAttribute('spellcheck', 'false');
    list.setAttribute('role', 'listbox');
    input.addEventListener('input', () => this.#typed());
    input.addEventListener('keydown', (e) => this.#key(e));
    input.addEventListener('blur', () => setTimeout(() => this.close(), 150));
  }

  /** The id of the node picked, if the text still shows it. */
  get value() {
    return this.input.dataset.id ?? '';
  }

  set(node) {
    this.input.value = node ? node.name : '';
    if (node) this.input.dataset.id = node.id;
    else delete this.input.dataset.id;
  }

  close() {
    this.list.replaceChildren();
    this.list.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
    this.active = -1;
  }

  #typed() {
    delete this.input.dataset.id;
    this.note.textContent = '';
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.#lookUp(), DELAY_MS);
  }

  async #lookUp() {
    const text = this.input.value.trim();
    if (text.length < MIN_CHARS) {
      this.hits = [];
      this.close();
      return this.hits;
    }
    const ticket = ++this.asked;
    let hits;
    try {
      hits = await this.search(text);
    } catch (error) {
      if (ticket === this.asked) this.onError(error);
      return [];
    }
    if (ticket !== this.asked) return this.hits;
    // Shown (and put in the box) under the name of the page's language.
    this.hits = hits.map((node) => ({ ...node, french: node.name, name: displayName(node.name, node.aliases) }));
    this.#render(text);
    return this.hits;
  }

  #render(text) {
    this.close();
    if (this.hits.length === 0) {
      this.note.textContent = t('search.none', { text });
      return;
    }
    this.note.textContent = t('search.count', { n: this.hits.length, s: plural(this.hits.length) });
    this.list.append(...this.hits.map((node, i) => {
      const alias = matchedAlias(node, text);
      const option = el('li', {
        id: `${this.list.id}-${i}`,
        role: 'option',
        'aria-selected': 'false',
        dataset: { id: node.id },
        onmousedown: (e) => e.preventDefault(),
        onclick: () => this.#pick(i),
      },
      swatch(node.nodeKind),
      el('span', { class: 'option-name' }, node.name),
      el('span', { class: 'option-kind' }, [kindOf(node.nodeKind).label, node.kind].filter(Boolean).join(' · ')),
      alias ? el('span', { class: 'option-alias' }, t('search.also', { alias })) : null);
      return option;
    }));
    this.list.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
  }

  #move(step) {
    if (this.list.hidden || this.hits.length === 0) return;
    this.active = (this.active + step + this.hits.length) % this.hits.length;
    [...this.list.children].forEach((option, i) => {
      option.setAttribute('aria-selected', String(i === this.active));
    });
    const current = this.list.children[this.active];
    this.input.setAttribute('aria-activedescendant', current.id);
    current.scrollIntoView({ block: 'nearest' });
  }

  #key(event) {
    const moves = { ArrowDown: 1, ArrowUp: -1 };
    if (event.key in moves) {
      event.preventDefault();
      this.#move(moves[event.key]);
    } else if (event.key === 'Escape' && !this.list.hidden) {
      event.preventDefault();
      event.stopPropagation();
      this.close();
    } else if (event.key === 'Enter' && (this.active >= 0 || !this.value)) {
      // Once a node is picked, Enter goes on to submit the form around the box.
      event.preventDefault();
      this.submit();
    }
  }

  /** Enter: the highlighted suggestion, else the best hit for what is typed. */
  async submit() {
    if (this.active >= 0) return this.#pick(this.active);
    if (this.value) return this.choose({ id: this.value, name: this.input.value });
    clearTimeout(this.timer);
    const hits = await this.#lookUp();
    if (hits.length > 0) this.#pick(0);
  }

  #pick(index) {
    const node = this.hits[index];
    this.set(node);
    this.close();
    this.note.textContent = '';
    this.choose(node);
  }
}
