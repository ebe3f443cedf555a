// chat.js — the web-chat page. With the shop's public key it opens a chat
// session (POST /v1/chat/sessions: a signed token bound to one conversation
// the server makes up), posts the customer's messages on it (POST
// /v1/chat/{conversation}/messages) and follows the replies over
// Server-Sent Events (GET /v1/chat/{conversation}/events, read with fetch so
// the key and token travel in headers, never in a URL), falling back to
// long-polling GET /v1/chat/{conversation}/messages. The session lives in
// localStorage until it expires; a new one starts a new conversation. When
// the shop's page passes customer_id and customer_hash (identity
// verification), the session is that customer's. Every send gets a random
// message ID, reused on retry so a retried send is never answered twice.

import { TEXTS, pickLocale, apply } from './i18n.js';
import { parseSSE } from './sse.js';

const params = new URLSearchParams(location.hash.slice(1));
const KEY = params.get('key') || '';
const CUSTOMER = params.get('customer_id') || '';
const CUSTOMER_HASH = params.get('customer_hash') || '';
const locale = TEXTS[params.get('lang')] ? params.get('lang') : pickLocale(navigator.languages || [navigator.language]);
const t = TEXTS[locale];

const $ = (id) => document.getElementById(id);
const log = $('log');
const statusEl = $('status');
const form = $('composer');
const input = $('text');
const sendBtn = $('send');

// randomID returns prefix + 22 URL-safe characters (128 random bits).
function randomID(prefix) {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return prefix + btoa(String.fromCharCode(...b)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// store falls back to memory where the browser blocks third-party storage.
const memory = {};
const store = {
  get(k) { try { return localStorage.getItem(k); } catch { return memory[k] ?? null; } },
  set(k, v) { try { localStorage.setItem(k, v); } catch { memory[k] = v; } },
  del(k) { try { localStorage.removeItem(k); } catch { delete memory[k]; } },
};
const SESSION_KEY = 'harbordesk.chat.session';

// session is {session_token, conversation_id, customer_id, verified, expires_at}.
let session = null;
let chatPath = '';
let sessionReady = Promise.resolve();

function usable(s) {
  return s && s.session_token && /^[A-Za-z0-9_-]{22,200}$/.test(s.conversation_id || '') &&
    Date.parse(s.expires_at) > Date.now() + 60000 && (!CUSTOMER || (s.verified && s.customer_id === CUSTOMER));
}

// openSession reuses the stored session or opens a new one (fresh: always new).
async function openSession(fresh) {
  if (!fresh) {
    try { session = JSON.parse(store.get(SESSION_KEY) || 'null'); } catch { session = null; }
  }
  if (fresh || !usable(session)) {
    const body = CUSTOMER && CUSTOMER_HASH ? { customer_id: CUSTOMER, customer_hash: CUSTOMER_HASH } : {};
    session = await api('POST', '/v1/chat/sessions', body);
    store.set(SESSION_KEY, JSON.stringify(session));
    transcript = { items: [], replies: 0 };
  }
  chatPath = `/v1/chat/${encodeURIComponent(session.conversation_id)}`;
}

let transcript = { items: [], replies: 0 };
const pending = new Map(); // message_id -> {text, at, state: sending|sent|failed}

class HTTPError extends Error {
  constructor(status) { super('HTTP ' + status); this.status = status; }
}

function headers(accept) {
  const h = { Authorization: `Bearer ${KEY}`, Accept: accept };
  if (session) h['X-Chat-Session'] = session.session_token;
  return h;
}

async function api(method, path, body, signal) {
  const res = await fetch(path, {
    method, signal, cache: 'no-store',
    headers: { ...headers('application/json'), ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new HTTPError(res.status);
  return res.json();
}

function showStatus(text) {
  statusEl.textContent = text || '';
  statusEl.hidden = !text;
}

function bubble(author, kind, text, meta) {
  const li = document.createElement('li');
  li.className = `msg ${author} ${kind === 'notice' ? 'notice' : ''}`.trim();
  if (author !== 'customer' && kind !== 'notice') {
    const who = document.createElement('span');
    who.className = 'who';
    who.textContent = author === 'agent' ? t.agent : t.bot;
    li.append(who);
  }
  li.append(document.createTextNode(text)); // as text, never markup: customer and agent input
  if (meta) {
    const m = document.createElement('span');
    m.className = 'meta';
    m.textContent = meta;
    li.append(m);
  }
  return li;
}

function render() {
  const seen = new Set(transcript.items.filter((e) => e.message_id).map((e) => e.message_id));
  for (const id of seen) pending.delete(id);
  const nodes = transcript.items.map((e) => bubble(e.author, e.kind, e.text));
  for (const [id, p] of pending) {
    const li = bubble('customer', 'text', p.text, t[p.state]);
    if (p.state === 'failed') {
      li.classList.add('failed');
      li.addEventListener('click', () => send(p.text, id));
    }
    nodes.push(li);
  }
  if (nodes.length === 0) {
    const li = document.createElement('li');
    li.className = 'empty';
    li.textContent = t.empty;
    nodes.push(li);
  }
  const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  log.replaceChildren(...nodes);
  if (atBottom || pending.size) log.scrollTop = log.scrollHeight;
}

function accept(tr) {
  if (tr && Array.isArray(tr.items) && tr.replies >= transcript.replies) transcript = tr;
  render();
}

async function refresh() {
  accept(await api('GET', chatPath + '/messages'));
}

async function send(text, messageID) {
  const id = messageID || randomID('wm-');
  pending.set(id, { text, at: Date.now(), state: 'sending' });
  render();
  try {
    await sessionReady;
    try {
      await api('POST', chatPath + '/messages', { message_id: id, text });
    } catch (err) {
      if (!(err instanceof HTTPError && err.status === 401)) throw err;
      await openSession(true); // expired: carry on in a new conversation
      await api('POST', chatPath + '/messages', { message_id: id, text });
    }
    if (pending.has(id)) pending.get(id).state = 'sent';
  } catch {
    if (pending.has(id)) pending.get(id).state = 'failed';
  }
  render();
}

// stream follows the events endpoint until it ends; it returns false when
// this browser cannot read a response as a stream.
async function stream() {
  const res = await fetch(`${chatPath}/events?after=${transcript.replies}`, {
    cache: 'no-store', headers: headers('text/event-stream'),
  });
  if (!res.ok) throw new HTTPError(res.status);
  if (!res.body || !res.body.getReader) return false;
  showStatus('');
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return true;
    const { events, rest } = parseSSE(buf + value);
    buf = rest;
    if (events.some((e) => e.event === 'reply')) await refresh();
  }
}

async function longPoll() {
  accept(await api('GET', `${chatPath}/messages?after=${transcript.replies}&wait=25s`));
}

async function follow() {
  let canStream = typeof TextDecoderStream === 'function';
  let backoff = 1000;
  for (;;) {
    try {
      if (canStream) canStream = await stream();
      else await longPoll();
      backoff = 1000;
    } catch (err) {
      if (err instanceof HTTPError && err.status === 401 && session) {
        try { await openSession(true); continue; } catch { /* the key itself is refused: below */ }
      }
      if (err instanceof HTTPError && (err.status === 401 || err.status === 403)) {
        showStatus(t.unauthorized);
        return;
      }
      showStatus(t.reconnecting);
      await new Promise((r) => setTimeout(r, backoff));
      backoff = Math.min(backoff * 2, 15000);
      try { await refresh(); showStatus(''); } catch { /* next round retries */ }
    }
  }
}

function start() {
  apply(document, t, locale);
  if (window.parent !== window) {
    const close = $('close');
    close.hidden = false;
    close.addEventListener('click', () => window.parent.postMessage({ type: 'harbordesk:close' }, '*'));
  }
  if (!KEY) {
    showStatus(t.notConfigured);
    input.disabled = sendBtn.disabled = true;
    render();
    return;
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    input.style.height = '';
    send(text);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { // isComposing: Cantonese/Pinyin IMEs use Enter
      e.preventDefault();
      form.requestSubmit();
    }
  });
  input.addEventListener('input', () => {
    input.style.height = '';
    input.style.height = Math.min(input.scrollHeight, 128) + 'px';
  });
  render();
  sessionReady = openSession(false);
  sessionReady
    .then(() => refresh().catch(() => {}))
    .then(follow, () => { showStatus(t.unauthorized); input.disabled = sendBtn.disabled = true; });
}

start();
