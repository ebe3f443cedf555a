// macros.js — canned replies in the reply box: GET /v1/macros for the
// picker, POST /v1/macros/{id}/render {"contact_id"} for the text in the
// customer's language and script with placeholders filled, inserted at
// the cursor for the agent to edit and send.
import { get, post, items, seg } from './api.js';
import { h, $, showError } from './dom.js';
import { t } from './i18n.js';

export function createMacros({ contactId }) {
  let list = [];

  async function load() {
    try {
      list = items(await get('/v1/macros'));
      showError($('macro-error'), null);
    } catch (err) {
      list = [];
      showError($('macro-error'), err);
    }
    render();
  }

  async function insert() {
    const id = $('macro-select').value;
    const cid = contactId();
    if (!id || !cid) return;
    try {
      const r = await post(`/v1/macros/${seg(id)}/render`, { contact_id: cid });
      const box = $('reply-text');
      const at = box.selectionStart ?? box.value.length;
      const end = box.selectionEnd ?? at;
      box.value = box.value.slice(0, at) + (r.text || '') + box.value.slice(end);
      box.focus();
      box.selectionStart = box.selectionEnd = at + (r.text || '').length;
      showError($('macro-error'), null);
    } catch (err) {
      showError($('macro-error'), err);
    }
  }

  function render() {
    const sel = $('macro-select');
    const keep = sel.value;
    sel.replaceChildren(h('option', { value: '' }, t('macro.pick')),
      ...list.map((m) => h('option', { value: m.id }, m.title || m.id)));
    if (list.some((m) => m.id === keep)) sel.value = keep;
    $('macro-row').hidden = list.length === 0;
  }

  $('macro-insert').addEventListener('click', insert);
  return { load, render, reset: () => { list = []; render(); } };
}
