import { t, tOr } from './i18n.js';

// dom.js — small DOM helpers. Text always goes in through textContent, never parsed
// as markup: customer text is untrusted even when masked.

// h creates an element: h('td', {class: 'x', dataset: {id: 1}}, 'text', child…).
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'onclick') el.addEventListener('click', v);
    else if (k === 'text') el.textContent = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export const $ = (id) => document.getElementById(id);

// showError puts an API error (or clears it with null) in an inline alert.
export function showError(el, err) {
  if (!err) {
    el.hidden = true;
    el.textContent = '';
    return;
  }
  const status = err.status ? `${err.status} ` : '';
  const code = err.code || 'error';
  const known = tOr(`err.${err.status || 'network'}`, t('err.other'));
  el.textContent = `${known} (${status}${code})${err.message ? ': ' + err.message : ''}`;
  el.hidden = false;
}

// table fills a <table> with a header row and body rows (arrays of cells).
export function fillTable(tableEl, headers, rows) {
  tableEl.replaceChildren(
    h('thead', null, h('tr', null, headers.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', null, rows.map((r) => (r instanceof Node ? r : h('tr', null, r.map((c) => h('td', null, c)))))),
  );
}
