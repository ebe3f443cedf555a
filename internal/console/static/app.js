// app.js — console bootstrap: language, login with an API key, tabs, polling
// every 2.5 s (paused while the tab is hidden) and 1 s timers.
import { get, apiKey, setApiKey, ApiError } from './api.js';
import { $, showError } from './dom.js';
import { loadI18n, setLanguage, language, onLanguage, t } from './i18n.js';
import { tick } from './timers.js';
import { createQueue } from './queue.js';
import { createConversation } from './conversation.js';
import { createEscalations } from './escalations.js';
import { createKPIs } from './kpis.js';
import { createLexicon } from './lexicon.js';
import { createKB } from './kb.js';

const POLL_MS = 2500;
let view = 'queue';

const conversation = createConversation({ onChanged: () => queue.refresh() });
const queue = createQueue({
  onOpen: (item) => { queue.select(item.id); conversation.open(item); },
  onChanged: () => queue.refresh(),
});
const escalations = createEscalations({
  onOpen: (item) => { show('queue'); conversation.open(item); },
});
const kpis = createKPIs();
const lexicon = createLexicon();
const kb = createKB();

const views = { queue, escalations, kpis, lexicon, kb };

function show(name) {
  view = name in views ? name : 'queue';
  document.querySelectorAll('[data-view-panel]').forEach((el) => { el.hidden = el.dataset.viewPanel !== view; });
  document.querySelectorAll('.tab').forEach((b) => {
    if (b.dataset.view === view) b.setAttribute('aria-current', 'page');
    else b.removeAttribute('aria-current');
  });
  if (location.hash !== `#${view}`) history.replaceState(null, '', `#${view}`);
  if (apiKey()) poll();
}

function loggedIn(on) {
  $('login').hidden = on;
  $('logout').hidden = !on;
  document.body.classList.toggle('authed', on);
}

let polling = false;
async function poll() {
  if (!apiKey() || polling || document.hidden) return;
  polling = true;
  try {
    if (view === 'queue') await Promise.all([queue.refresh(), conversation.refresh()]);
    else await views[view].refresh();
    $('poll-status').textContent = t('poll.updated', { time: new Date().toLocaleTimeString(language(), { hour12: false }) });
  } finally {
    polling = false;
  }
}

async function login(ev) {
  ev.preventDefault();
  const key = $('login-key').value.trim();
  if (!key) return;
  setApiKey(key);
  try {
    await get('/v1/handoffs?state=open');
  } catch (err) {
    // 403 is a valid key without the agent role (e.g. admin screens only).
    if (!(err instanceof ApiError) || err.status !== 403) {
      setApiKey('');
      showError($('login-error'), err);
      return;
    }
  }
  showError($('login-error'), null);
  $('login-key').value = '';
  loggedIn(true);
  poll();
}

function logout() {
  setApiKey('');
  queue.reset();
  escalations.reset();
  kpis.reset();
  conversation.close();
  loggedIn(false);
  $('poll-status').textContent = '';
}

async function main() {
  await loadI18n();
  $('lang-select').value = language();
  $('lang-select').addEventListener('change', (e) => setLanguage(e.target.value));
  onLanguage(() => {
    Object.values(views).forEach((v) => v.render());
    conversation.render();
  });
  $('login-form').addEventListener('submit', login);
  $('logout').addEventListener('click', logout);
  $('queue-state').addEventListener('change', () => queue.refresh());
  $('kpi-range').addEventListener('change', () => kpis.refresh());
  document.querySelectorAll('.tab').forEach((b) => b.addEventListener('click', () => show(b.dataset.view)));
  document.addEventListener('visibilitychange', poll);
  loggedIn(Boolean(apiKey()));
  queue.render();
  show(location.hash.slice(1) || 'queue');
  setInterval(poll, POLL_MS);
  setInterval(() => tick(document), 1000);
}

main();
