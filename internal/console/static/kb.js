// kb.js — knowledge-base articles for admins: list, edit as JSON, create,
// update, delete (/v1/kb/articles CRUD).
import { get, post, put, del, items, seg } from './api.js';
import { h, $, showError, fillTable } from './dom.js';
import { t } from './i18n.js';
import { columns, cell } from './lexicon.js';

const TEMPLATE = { title: '', language: 'en', body: '' };

export function createKB() {
  let list = [];
  let editing = null; // article id or null for a new one

  async function refresh() {
    try {
      list = items(await get('/v1/kb/articles'));
      showError($('kb-error'), null);
    } catch (err) {
      showError($('kb-error'), err);
    }
    render();
  }

  async function edit(id) {
    try {
      const article = await get(`/v1/kb/articles/${seg(id)}`);
      editing = id;
      $('kb-body').value = JSON.stringify(article, null, 2);
      showError($('kb-error'), null);
      render();
    } catch (err) {
      showError($('kb-error'), err);
    }
  }

  function render() {
    const cols = columns(list).filter((c) => c !== 'versions' && c !== 'body').slice(0, 5);
    fillTable($('kb-table'), [...cols, t('col.actions')], list.map((a) => h('tr', { 'data-testid': 'kb-row', dataset: { id: a.id } },
      cols.map((c) => h('td', null, cell(a[c]))),
      h('td', null, h('button', { type: 'button', 'data-testid': 'kb-edit', onclick: () => edit(a.id) }, t('kb.edit'))))));
    $('kb-editing').textContent = editing ? t('kb.editing', { id: editing }) : t('kb.creating');
    $('kb-delete').disabled = !editing;
  }

  $('kb-new').addEventListener('click', () => {
    editing = null;
    const sample = list[0] ? Object.fromEntries(Object.keys(list[0]).filter((k) => !['id', 'created_at', 'updated_at', 'version'].includes(k)).map((k) => [k, ''])) : TEMPLATE;
    $('kb-body').value = JSON.stringify(Object.keys(sample).length ? sample : TEMPLATE, null, 2);
    render();
  });

  $('kb-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    let body;
    try {
      body = JSON.parse($('kb-body').value);
    } catch {
      showError($('kb-error'), { code: 'invalid_json', status: 400, message: '' });
      return;
    }
    try {
      const saved = editing ? await put(`/v1/kb/articles/${seg(editing)}`, body) : await post('/v1/kb/articles', body);
      if (saved && saved.id) editing = saved.id;
      $('kb-status').textContent = t('kb.saved');
      showError($('kb-error'), null);
      await refresh();
    } catch (err) {
      showError($('kb-error'), err);
    }
  });

  $('kb-delete').addEventListener('click', async () => {
    if (!editing || !window.confirm(t('kb.confirmDelete', { id: editing }))) return;
    try {
      await del(`/v1/kb/articles/${seg(editing)}`);
      editing = null;
      $('kb-body').value = '';
      $('kb-status').textContent = t('kb.deleted');
      showError($('kb-error'), null);
      await refresh();
    } catch (err) {
      showError($('kb-error'), err);
    }
  });

  return { refresh, render };
}
