// queue.js — handoff lists: the queue (GET /v1/handoffs?state=…) and "my
// work" (?mine=1: handoffs assigned to or claimed by me), both live through
// long-polls (live.js). Highest priority first, then oldest (the server's
// order). Each row carries what an agent triages by: the reason (intent,
// urgent signal, VIP), a masked snippet of the last customer message, the
// channel, priority, language and age.
import { post, seg } from './api.js';
import { h, $, showError } from './dom.js';
import { t, tOr } from './i18n.js';
import { tick } from './timers.js';
import { watchList, newArrivals, alertNew } from './live.js';

// reasonCell shows why the handoff is here and what the customer last said.
function reasonCell(item) {
  return h('td', { class: 'reason' },
    h('div', { class: 'tags' },
      item.intent ? h('span', { class: 'tag', 'data-testid': 'row-intent' }, tOr(`intent.${item.intent}`, item.intent)) : null,
      item.urgent ? h('span', { class: 'tag urgent', 'data-testid': 'row-urgent' }, t('queue.urgent')) : null,
      item.vip ? h('span', { class: 'tag vip', 'data-testid': 'row-vip' }, t('queue.vip')) : null,
      item.reason && item.reason !== `intent_${item.intent}`
        ? h('span', { class: 'tag muted', 'data-testid': 'row-reason' }, tOr(`reason.${item.reason}`, item.reason)) : null),
    item.snippet ? h('p', { class: 'snippet', 'data-testid': 'row-snippet' }, item.snippet) : null);
}

function cells(item) {
  return [
    h('td', null, h('span', { class: `badge prio-${item.priority}` }, item.priority || '—')),
    reasonCell(item),
    h('td', { 'data-testid': 'row-channel' }, tOr(`channel.${item.channel}`, item.channel || '—')),
    h('td', null, tOr(`langname.${item.language}`, item.language || '—')),
    h('td', { dataset: { since: item.created_at || '' } }),
  ];
}

// createList is one live list of handoffs in a table.
function createList({ prefix, path, onOpen, onChanged, alertKey, emptyKey, extraCells, ids }) {
  let list = [];
  let lastPath = '';
  let loaded = false;
  let selected = null;
  const arrivals = newArrivals();
  const watch = watchList(path, (data) => {
    list = Array.isArray(data && data.items) ? data.items : [];
    loaded = true;
    showError($(`${prefix}-error`), null);
    if (path() !== lastPath) { arrivals.reset(); lastPath = path(); }
    arrivals.check(list).forEach((item) => alertNew(item, alertKey));
    render();
    onChanged(list);
  }, (err) => showError($(`${prefix}-error`), err));

  async function claim(item) {
    try {
      await post(`/v1/handoffs/${seg(item.id)}/claim`);
      showError($(`${prefix}-error`), null);
      onOpen({ ...item, state: 'claimed' });
      refresh();
    } catch (err) {
      showError($(`${prefix}-error`), err);
    }
  }

  function row(item) {
    return h('tr', {
      ...ids.row,
      dataset: { id: item.id, contact: item.contact_id, state: item.state },
      class: `prio-${item.priority || 'none'}${item.id === selected ? ' selected' : ''}`,
      'aria-current': item.id === selected ? 'true' : null,
    },
    ...cells(item),
    ...extraCells(item),
    h('td', { class: 'row-actions' },
      h('button', { type: 'button', ...ids.open, onclick: () => onOpen(item) }, t('act.open')),
      item.state === 'open' || (prefix === 'mine' && item.state === 'assigned')
        ? h('button', { type: 'button', ...ids.claim, onclick: () => claim(item) }, t('act.claim'))
        : null));
  }

  function render() {
    const rows = list.map(row);
    $(`${prefix}-rows`).replaceChildren(...rows);
    $(`${prefix}-table`).hidden = rows.length === 0;
    const empty = $(`${prefix}-empty`);
    empty.hidden = rows.length > 0;
    empty.textContent = loaded ? t(emptyKey) : t('queue.loginFirst');
    tick($(`${prefix}-rows`));
  }

  // refresh drops the wait in flight and reads the list again at once.
  function refresh() {
    watch.restart();
  }

  function select(id) {
    selected = id;
    render();
  }

  function reset() {
    watch.stop();
    arrivals.reset();
    list = [];
    loaded = false;
    selected = null;
    showError($(`${prefix}-error`), null);
    render();
  }

  return { refresh, render, select, reset, items: () => list };
}

export function createQueue({ onOpen, onChanged }) {
  return createList({
    prefix: 'queue',
    path: () => `/v1/handoffs?state=${encodeURIComponent($('queue-state').value)}`,
    onOpen, onChanged,
    alertKey: 'live.newQueue',
    emptyKey: 'queue.empty',
    ids: { row: { 'data-testid': 'queue-row' }, open: { 'data-testid': 'queue-open' }, claim: { 'data-testid': 'queue-claim' } },
    extraCells: (item) => [
      h('td', { class: 'timer', dataset: { deadline: item.sla_deadline || '' } }),
      h('td', null, tOr(`state.${item.state}`, item.state || '—')),
      h('td', null, item.agent || '—'),
    ],
  });
}

export function createMine({ onOpen, onChanged }) {
  return createList({
    prefix: 'mine',
    path: () => '/v1/handoffs?mine=1',
    onOpen, onChanged,
    alertKey: 'live.newMine',
    emptyKey: 'mine.empty',
    ids: { row: { 'data-testid': 'mine-row' }, open: { 'data-testid': 'mine-open' }, claim: { 'data-testid': 'mine-claim' } },
    extraCells: (item) => [
      h('td', { class: 'timer', dataset: { deadline: item.sla_deadline || '' } }),
      h('td', { 'data-testid': 'mine-state' }, tOr(`state.${item.state}`, item.state || '—')),
    ],
  });
}
