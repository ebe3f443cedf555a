// conversation.js — one contact's conversation (GET /v1/contacts/{id}) and the
// handoff actions: claim, reply, release, resolve. Text is masked by the
// server and rendered with textContent only.
import { get, post, seg } from './api.js';
import { h, $, showError } from './dom.js';
import { t, tOr, language } from './i18n.js';
import { clock, duration } from './format.js';
import { readingControl } from './reading.js';

export function createConversation({ onChanged }) {
  let contactId = null;
  let handoff = null; // {id, state, agent}
  let contact = null;
  let lastJSON = '';

  async function open(item) {
    contactId = item.contact_id;
    handoff = item.id ? { id: item.id, state: item.state, agent: item.agent } : null;
    contact = null;
    lastJSON = '';
    $('conv-empty').hidden = true;
    $('conv-body').hidden = false;
    status('');
    showError($('conv-error'), null);
    render();
    await refresh();
  }

  async function refresh() {
    if (!contactId) return;
    try {
      const data = await get(`/v1/contacts/${seg(contactId)}`);
      showError($('conv-error'), null);
      const json = JSON.stringify(data);
      if (json === lastJSON) return;
      lastJSON = json;
      contact = data;
      if (data && data.handoff) handoff = { ...handoff, ...data.handoff };
      render();
    } catch (err) {
      showError($('conv-error'), err);
    }
  }

  function status(text) {
    $('conv-status').textContent = text;
  }

  async function act(verb, body, doneKey) {
    if (!handoff) return false;
    try {
      await post(`/v1/handoffs/${seg(handoff.id)}/${verb}`, body);
      showError($('conv-error'), null);
      status(t(doneKey));
      lastJSON = '';
      onChanged();
      await refresh();
      return true;
    } catch (err) {
      showError($('conv-error'), err);
      return false;
    }
  }

  const claim = async () => { if (await act('claim', undefined, 'act.claimed')) { handoff.state = 'claimed'; render(); } };
  const release = async () => { if (await act('release', undefined, 'act.released')) { handoff.state = 'open'; render(); } };

  async function reply(ev) {
    ev.preventDefault();
    const text = $('reply-text').value.trim();
    if (!text) return;
    if (await act('reply', { text }, 'act.replied')) $('reply-text').value = '';
  }

  async function resolve(ev) {
    ev.preventDefault();
    const resolution = $('resolve-resolution').value.trim();
    if (!resolution) return;
    if (await act('resolve', { resolution, code: $('resolve-code').value }, 'act.resolved')) {
      handoff.state = 'resolved';
      $('resolve-resolution').value = '';
      render();
    }
  }

  // corrected re-reads the contact so the correction shows at once.
  function corrected() {
    status(t('reading.saved'));
    lastJSON = '';
    refresh();
  }

  function messages() {
    const c = contact || {};
    const all = [
      ...(c.transcript || []).map((m) => ({ author: 'customer', kind: m.kind, text: m.text, at: m.at, reading: m })),
      ...(c.replies || []).map((r) => ({ author: r.author || 'bot', kind: r.kind, text: r.text, at: r.at })),
    ];
    return all.sort((a, b) => (Date.parse(a.at) || 0) - (Date.parse(b.at) || 0));
  }

  function render() {
    const c = contact || {};
    const meta = [
      ['meta.contact', contactId],
      ['meta.state', c.state && tOr(`cstate.${c.state}`, c.state)],
      ['meta.language', c.language && `${c.language}${c.script ? ' / ' + c.script : ''}`],
      ['meta.intent', c.intent],
      ['meta.priority', c.priority],
      ['meta.readBy', c.read_by && tOr(`engine.${c.read_by}`, c.read_by)],
      ['meta.sentiment', typeof c.sentiment === 'number' ? c.sentiment.toFixed(2) + (c.negative ? ' ⚠' : '') : null],
      ['meta.escalation', c.escalation_level || null],
      ['meta.firstResponse', typeof c.first_response_ms === 'number' ? duration(c.first_response_ms) : null],
      ['meta.ticket', c.ticket && `${c.ticket.id} · ${c.ticket.kind || ''} · ${c.ticket.status || ''}`],
      ['meta.handoff', handoff && `${tOr(`state.${handoff.state}`, handoff.state || '')}${handoff.agent ? ' · ' + handoff.agent : ''}`],
    ].filter(([, v]) => v !== undefined && v !== null && v !== '');
    $('conv-meta').replaceChildren(...meta.flatMap(([k, v]) => [h('dt', null, t(k)), h('dd', null, String(v))]));

    const list = $('conv-messages');
    const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 8;
    list.replaceChildren(...messages().map((m) => h('li', { class: `msg from-${m.author}`, 'data-testid': 'message' },
      h('div', { class: 'msg-head' },
        h('span', { class: 'author' }, tOr(`author.${m.author}`, m.author)),
        m.kind && m.kind !== 'text' && m.kind !== 'answer' ? h('span', { class: 'kind' }, tOr(`kind.${m.kind}`, m.kind)) : null,
        h('time', { datetime: m.at }, clock(m.at, language()))),
      h('p', { class: 'msg-text' }, m.text || ''),
      m.reading && m.reading.message_id ? readingControl(contactId, m.reading, corrected) : null)));
    if (atBottom) list.scrollTop = list.scrollHeight;

    const st = handoff && handoff.state;
    $('handoff-actions').hidden = !handoff;
    $('reply-form').hidden = !handoff;
    $('resolve-form').hidden = !handoff;
    $('claim').disabled = st !== 'open';
    $('release').disabled = st !== 'claimed';
    $('reply-form').querySelector('button').disabled = st !== 'claimed';
    $('resolve-form').querySelector('button').disabled = st !== 'claimed';
  }

  function close() {
    contactId = null;
    handoff = null;
    contact = null;
    lastJSON = '';
    $('conv-body').hidden = true;
    $('conv-empty').hidden = false;
  }

  $('claim').addEventListener('click', claim);
  $('release').addEventListener('click', release);
  $('reply-form').addEventListener('submit', reply);
  $('resolve-form').addEventListener('submit', resolve);

  return { open, refresh, render, close, current: () => handoff && handoff.id };
}
