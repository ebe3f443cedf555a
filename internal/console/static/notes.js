// notes.js — internal notes on a handoff, never sent to the customer:
// GET/POST /v1/handoffs/{id}/notes {"text"} (masked by the server).
import { get, post, items, seg } from './api.js';
import { h, $, showError } from './dom.js';
import { t, language } from './i18n.js';
import { clock } from './format.js';

export function createNotes() {
  let handoffId = null;
  let list = [];
  let lastJSON = '';

  async function load(id) {
    if (id !== handoffId) { list = []; lastJSON = ''; }
    handoffId = id;
    $('notes').hidden = !id;
    if (!id) return;
    try {
      const got = items(await get(`/v1/handoffs/${seg(id)}/notes`));
      showError($('notes-error'), null);
      const json = JSON.stringify(got);
      if (json === lastJSON) return;
      lastJSON = json;
      list = got;
      render();
    } catch (err) {
      showError($('notes-error'), err);
    }
  }

  async function add(ev) {
    ev.preventDefault();
    const text = $('note-text').value.trim();
    if (!text || !handoffId) return;
    try {
      await post(`/v1/handoffs/${seg(handoffId)}/notes`, { text });
      $('note-text').value = '';
      showError($('notes-error'), null);
      await load(handoffId);
    } catch (err) {
      showError($('notes-error'), err);
    }
  }

  function render() {
    $('notes-list').replaceChildren(...list.map((n) => h('li', { class: 'note', 'data-testid': 'note' },
      h('div', { class: 'msg-head' },
        h('span', { class: 'author' }, n.author || '—'),
        h('time', { datetime: n.at }, clock(n.at, language()))),
      h('p', { class: 'msg-text' }, n.text || ''))));
    $('notes-empty').hidden = list.length > 0;
    $('notes-empty').textContent = t('notes.none');
  }

  function reset() {
    handoffId = null;
    list = [];
    lastJSON = '';
    $('notes').hidden = true;
  }

  $('note-form').addEventListener('submit', add);
  return { load, render, reset };
}
