// conversation.js — one contact's conversation (GET /v1/contacts/{id}) and the
// handoff actions: claim, reply, release, resolve. Each customer message
// also shows in the agent's language (GET /v1/contacts/{id}/translation)
// and its attachments; "write in mine, send in theirs" puts the agent's
// text in the customer's language (POST /v1/handoffs/{id}/draft) for the
// agent to review and send. Text is masked by the server and rendered with
// textContent only.
import { get, post, items, seg } from './api.js';
import { h, $, showError } from './dom.js';
import { t, tOr, language } from './i18n.js';
import { clock, duration } from './format.js';
import { readingControl } from './reading.js';
import { attachmentView } from './customer.js';

// agentLocale is the translation locale for the console's language.
const agentLocale = () => ({ en: 'en', 'zh-Hant': 'zh-Hant', 'zh-Hans': 'zh-Hans' }[language()] || 'en');

// translationView shows a customer message in the agent's language when it
// differs from the original (which stays above it).
function translationView(r) {
  if (!r || !r.available || !r.text || r.text === r.original) return null;
  return h('p', { class: 'translation', 'data-testid': 'message-translation', lang: r.to },
    r.text, h('span', { class: 'hint' }, ` · ${t('translation.by', { from: r.from, engine: r.engine })}${r.machine ? ' · ' + t('translation.machine') : ''}`));
}

export function createConversation({ onChanged, notes, customer, agents }) {
  let renderedKey = '';
  let contactId = null;
  let translations = {}; // message_id → translate.Result
  let translatedKey = '';
  let handoff = null; // {id, state, agent}
  let contact = null;
  let lastJSON = '';

  async function open(item) {
    contactId = item.contact_id;
    handoff = item.id ? { id: item.id, state: item.state, agent: item.agent } : null;
    contact = null;
    lastJSON = '';
    translations = {};
    translatedKey = '';
    $('draft-original').hidden = true;
    $('conv-empty').hidden = true;
    $('conv-body').hidden = false;
    status('');
    showError($('conv-error'), null);
    render();
    await refresh();
  }

  async function refresh() {
    if (!contactId) return;
    const cid = contactId;
    try {
      const data = await get(`/v1/contacts/${seg(cid)}`);
      if (cid !== contactId) return;
      showError($('conv-error'), null);
      const json = JSON.stringify(data);
      if (json !== lastJSON) {
        lastJSON = json;
        contact = data;
        if (data && data.handoff) handoff = { ...handoff, ...data.handoff };
      }
    } catch (err) {
      showError($('conv-error'), err);
      return;
    }
    await Promise.all([translate(), customer.load(contact), notes.load(handoff && handoff.id)]);
    if (cid !== contactId) return;
    agents.forHandoff(handoff && handoff.state !== 'resolved' ? handoff.id : null);
    // Re-render only on a change: images behind signed links are not cached.
    const key = `${lastJSON}|${translatedKey}|${customer.attachments().map((a) => a.url).join(' ')}`;
    if (key !== renderedKey) render();
  }

  // translate reads the customer messages in the agent's language when
  // there are new ones or the console's language changed.
  async function translate() {
    const msgs = (contact && contact.transcript) || [];
    const key = `${contactId}|${agentLocale()}|${msgs.length}`;
    if (!contactId || msgs.length === 0 || key === translatedKey) return;
    try {
      const got = items(await get(`/v1/contacts/${seg(contactId)}/translation?to=${agentLocale()}`));
      translations = Object.fromEntries(got.map((r) => [r.message_id, r]));
      translatedKey = key;
    } catch {
      translatedKey = ''; // the original is always shown; try again next time
    }
  }

  // draft puts the agent's text into the customer's language and script in
  // the reply box; nothing is sent until the agent presses send.
  async function draft() {
    const text = $('reply-text').value.trim();
    if (!text || !handoff) return;
    try {
      const r = await post(`/v1/handoffs/${seg(handoff.id)}/draft`, { text });
      const d = r.draft || {};
      $('reply-text').value = d.text || text;
      $('draft-original').textContent = t('draft.original', { to: d.to || '', text: d.original || text });
      $('draft-original').hidden = false;
      showError($('conv-error'), null);
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
    if (await act('reply', { text }, 'act.replied')) {
      $('reply-text').value = '';
      $('draft-original').hidden = true;
    }
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
      ...(c.transcript || []).map((m) => ({ author: 'customer', kind: m.kind, text: m.text, at: m.at, reading: m, id: m.message_id })),
      ...(c.replies || []).map((r) => ({ author: r.author || 'bot', kind: r.kind, text: r.text, at: r.at })),
    ];
    return all.sort((a, b) => (Date.parse(a.at) || 0) - (Date.parse(b.at) || 0));
  }

  function render() {
    renderedKey = `${lastJSON}|${translatedKey}|${customer.attachments().map((a) => a.url).join(' ')}`;
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
      translationView(translations[m.id]),
      ...(m.id ? customer.attachments().filter((a) => a.message_id === m.id).map(attachmentView) : []),
      m.reading && m.reading.message_id ? readingControl(contactId, m.reading, corrected) : null)));
    if (atBottom) list.scrollTop = list.scrollHeight;

    const st = handoff && handoff.state;
    $('handoff-actions').hidden = !handoff;
    $('reply-form').hidden = !handoff;
    $('resolve-form').hidden = !handoff;
    $('claim').disabled = st !== 'open' && st !== 'assigned';
    $('release').disabled = st !== 'claimed';
    $('reply-form').querySelector('button').disabled = st !== 'claimed';
    $('resolve-form').querySelector('button').disabled = st !== 'claimed';
  }

  function close() {
    contactId = null;
    handoff = null;
    contact = null;
    lastJSON = '';
    translations = {};
    translatedKey = '';
    notes.reset();
    customer.reset();
    agents.forHandoff(null);
    $('conv-body').hidden = true;
    $('conv-empty').hidden = false;
  }

  $('claim').addEventListener('click', claim);
  $('release').addEventListener('click', release);
  $('reply-form').addEventListener('submit', reply);
  $('resolve-form').addEventListener('submit', resolve);
  $('draft-button').addEventListener('click', draft);

  return { open, refresh, render, close, current: () => handoff && handoff.id, contactId: () => contactId };
}
