// agents.js — for supervisors: everyone's presence and load
// (GET /v1/agents: presence, open, max_open, languages) and reassigning a
// handoff to someone else (POST /v1/handoffs/{id}/transfer {"to": login}).
// Agents get 403 here and the panel stays hidden.
import { get, post, items, seg, ApiError } from './api.js';
import { h, $, showError } from './dom.js';
import { t, tOr } from './i18n.js';

export function createAgents({ onChanged }) {
  let list = [];
  let allowed = false;
  let handoffId = null;
  let lastJSON = '';

  async function refresh() {
    try {
      const got = items(await get('/v1/agents'));
      allowed = true;
      showError($('agents-error'), null);
      const json = JSON.stringify(got);
      if (json === lastJSON) return;
      lastJSON = json;
      list = got;
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) allowed = false;
      else showError($('agents-error'), err);
    }
    render();
  }

  function render() {
    $('agents-panel').hidden = !allowed;
    $('transfer-row').hidden = !allowed || !handoffId;
    if (!allowed) return;
    const people = list.filter((a) => a.role !== 'admin' || a.open > 0);
    $('agents-rows').replaceChildren(...people.map((a) => h('tr', { 'data-testid': 'agent-row', dataset: { login: a.login } },
      h('td', null, a.name || a.login, h('div', { class: 'hint' }, a.login)),
      h('td', null, tOr(`role.${a.role}`, a.role)),
      h('td', null, (a.languages || []).map((l) => tOr(`langname.${l}`, l)).join(', ') || '—'),
      h('td', null, h('span', { class: `presence ${a.presence}` }, tOr(`presence.${a.presence}`, a.presence))),
      h('td', { 'data-testid': 'agent-load', class: a.open >= a.max_open ? 'overdue' : null }, `${a.open} / ${a.max_open}`))));
    const sel = $('transfer-select');
    const keep = sel.value;
    sel.replaceChildren(...people.filter((a) => a.role !== 'admin').map((a) => h('option', { value: a.login },
      `${a.name || a.login} · ${tOr(`presence.${a.presence}`, a.presence)} · ${a.open}/${a.max_open}`)));
    if (people.some((a) => a.login === keep)) sel.value = keep;
  }

  // forHandoff says which handoff the reassign control acts on.
  function forHandoff(id) {
    handoffId = id;
    render();
  }

  async function transfer() {
    const to = $('transfer-select').value;
    if (!handoffId || !to) return;
    try {
      await post(`/v1/handoffs/${seg(handoffId)}/transfer`, { to });
      showError($('conv-error'), null);
      $('conv-status').textContent = t('act.transferred', { to });
      onChanged();
      refresh();
    } catch (err) {
      showError($('conv-error'), err);
    }
  }

  function reset() {
    list = [];
    allowed = false;
    lastJSON = '';
    render();
  }

  $('transfer-button').addEventListener('click', transfer);
  return { refresh, render, reset, forHandoff };
}
