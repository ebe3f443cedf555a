// queue.js — the handoff queue: GET /v1/handoffs?state=…, highest priority
// first, then oldest (the server's order is kept).
import { get, post, items, seg } from './api.js';
import { h, $, showError } from './dom.js';
import { t, tOr } from './i18n.js';
import { tick } from './timers.js';

export function createQueue({ onOpen, onChanged }) {
  let list = [];
  let loaded = false;
  let selected = null;

  async function refresh() {
    const state = $('queue-state').value;
    try {
      list = items(await get(`/v1/handoffs?state=${encodeURIComponent(state)}`));
      loaded = true;
      showError($('queue-error'), null);
    } catch (err) {
      showError($('queue-error'), err);
    }
    render();
  }

  async function claim(item) {
    try {
      await post(`/v1/handoffs/${seg(item.id)}/claim`);
      showError($('queue-error'), null);
      onOpen({ ...item, state: 'claimed' });
      onChanged();
    } catch (err) {
      showError($('queue-error'), err);
    }
  }

  function row(item) {
    const open = () => onOpen(item);
    return h('tr', {
      'data-testid': 'queue-row',
      dataset: { id: item.id, contact: item.contact_id },
      class: `prio-${item.priority || 'none'}${item.id === selected ? ' selected' : ''}`,
      'aria-current': item.id === selected ? 'true' : null,
    },
    h('td', null, h('span', { class: `badge prio-${item.priority}` }, item.priority || '—')),
    h('td', null, tOr(`langname.${item.language}`, item.language || '—')),
    h('td', { dataset: { since: item.created_at || '' } }),
    h('td', { class: 'timer', dataset: { deadline: item.sla_deadline || '' } }),
    h('td', null, tOr(`state.${item.state}`, item.state || '—')),
    h('td', null, item.agent || '—'),
    h('td', { class: 'row-actions' },
      h('button', { type: 'button', 'data-testid': 'queue-open', onclick: open }, t('act.open')),
      item.state === 'open'
        ? h('button', { type: 'button', 'data-testid': 'queue-claim', onclick: () => claim(item) }, t('act.claim'))
        : null));
  }

  function render() {
    const rows = list.map(row);
    $('queue-rows').replaceChildren(...rows);
    $('queue-table').hidden = rows.length === 0;
    const empty = $('queue-empty');
    empty.hidden = rows.length > 0;
    empty.textContent = loaded ? t('queue.empty') : t('queue.loginFirst');
    tick($('queue-rows'));
  }

  function select(id) {
    selected = id;
    render();
  }

  function reset() {
    list = [];
    loaded = false;
    selected = null;
    showError($('queue-error'), null);
    render();
  }

  return { refresh, render, select, reset };
}
