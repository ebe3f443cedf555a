// escalations.js — open escalations for supervisors (GET /v1/escalations)
// with a live countdown to each level's deadline.
import { get, items } from './api.js';
import { h, $, showError } from './dom.js';
import { t, tOr, language } from './i18n.js';
import { clock } from './format.js';
import { tick } from './timers.js';

export function createEscalations({ onOpen }) {
  let list = [];

  async function refresh() {
    try {
      list = items(await get('/v1/escalations'));
      showError($('esc-error'), null);
    } catch (err) {
      showError($('esc-error'), err);
    }
    render();
  }

  function render() {
    const rows = list.map((e) => h('tr', { 'data-testid': 'escalation-row', dataset: { id: e.id, contact: e.contact_id }, class: `level-${e.level}` },
      h('td', null, h('span', { class: 'badge' }, t('esc.level', { level: e.level }))),
      h('td', null, tOr(`reason.${e.reason}`, e.reason || '—')),
      h('td', { class: 'timer', dataset: { deadline: e.deadline || '' } }),
      h('td', null, e.notified_at ? clock(e.notified_at, language()) : '—'),
      h('td', null, h('button', { type: 'button', 'data-testid': 'escalation-open', onclick: () => onOpen({ contact_id: e.contact_id }) }, t('act.open')))));
    $('esc-rows').replaceChildren(...rows);
    $('esc-table').hidden = rows.length === 0;
    $('esc-empty').hidden = rows.length > 0;
    tick($('esc-rows'));
  }

  return { refresh, render, reset: () => { list = []; render(); } };
}
