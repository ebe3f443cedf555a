// lexicon.js — the Hong Kong slang lexicon for admins: list (GET
// /v1/lexicon), edit as text, import (POST /v1/lexicon/import, YAML or JSON).
import { get, post, items } from './api.js';
import { $, showError, fillTable } from './dom.js';
import { t } from './i18n.js';

// columns picks up to 6 keys present in the entries, in first-seen order.
export function columns(list) {
  const keys = [];
  for (const e of list.slice(0, 50)) {
    for (const k of Object.keys(e || {})) if (!keys.includes(k)) keys.push(k);
  }
  return keys.slice(0, 6);
}

export const cell = (v) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

export function createLexicon() {
  let data = null;

  async function refresh() {
    try {
      data = await get('/v1/lexicon');
      showError($('lex-error'), null);
    } catch (err) {
      showError($('lex-error'), err);
    }
    render();
  }

  function render() {
    const list = items(data);
    const cols = columns(list);
    fillTable($('lex-table'), cols, list.map((e) => cols.map((c) => cell(e[c]))));
    const version = data && (data.version ?? data.lexicon_version);
    $('lex-status').textContent = t('lex.count', { n: list.length }) + (version !== undefined ? ` · ${t('lex.version', { v: version })}` : '');
  }

  $('lex-load').addEventListener('click', () => {
    $('lex-format').value = 'application/json';
    $('lex-body').value = JSON.stringify({ entries: items(data) }, null, 2);
  });

  $('lex-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const res = await post('/v1/lexicon/import', $('lex-body').value, $('lex-format').value);
      showError($('lex-error'), null);
      const n = res && (res.imported ?? res.count);
      $('lex-status').textContent = t('lex.imported', { n: n ?? '✓' });
      await refresh();
    } catch (err) {
      showError($('lex-error'), err);
    }
  });

  return { refresh, render };
}
