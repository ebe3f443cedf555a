// search.js — the agents' search box (GET /v1/search): masked transcripts,
// ticket summaries and notes, Chinese and English alike; a hit opens its
// contact in the conversation panel.
import { get } from './api.js';
import { $, h, showError } from './dom.js';
import { t, tOr } from './i18n.js';

export function createSearch({ onOpen }) {
  let hits = [];

  function render() {
    $('search-hits').replaceChildren(...hits.map((hit) => h('li', { 'data-testid': 'search-hit', dataset: { contact: hit.contact_id } },
      h('span', { class: 'hint' }, tOr(`search.source.${hit.source}`, hit.source || '')), ' ',
      h('span', { class: 'snippet', 'data-testid': 'search-snippet' }, hit.snippet || ''), ' ',
      h('button', { type: 'button', 'data-testid': 'search-open', onclick: () => onOpen({ contact_id: hit.contact_id }) }, t('search.open')))));
  }

  async function run(ev) {
    ev.preventDefault();
    const q = $('search-q').value.trim();
    if (!q) return;
    try {
      const res = await get(`/v1/search?q=${encodeURIComponent(q)}`);
      hits = (res && res.items) || [];
      showError($('search-error'), null);
    } catch (err) {
      hits = [];
      showError($('search-error'), err);
    }
    $('search-empty').hidden = hits.length > 0;
    render();
  }

  function reset() {
    hits = [];
    $('search-q').value = '';
    $('search-empty').hidden = true;
    showError($('search-error'), null);
    render();
  }

  $('search-form').addEventListener('submit', run);
  return { reset, render };
}
