// app.js — console bootstrap: language, sign-in (password → session token,
// or an API key), presence, tabs (the business profile for admins only),
// live queue and "my work" (long-polls, see live.js), polling every 2.5 s
// for the rest (paused while the tab is hidden) and 1 s timers.
import { get, apiKey, setApiKey, ApiError } from './api.js';
import { $, showError } from './dom.js';
import { loadI18n, setLanguage, language, onLanguage, t, tOr } from './i18n.js';
import { tick } from './timers.js';
import { createQueue, createMine } from './queue.js';
import { createSession } from './session.js';
import { createNotes } from './notes.js';
import { createMacros } from './macros.js';
import { createCustomer } from './customer.js';
import { createAgents } from './agents.js';
import { askPermission } from './live.js';
import { createConversation } from './conversation.js';
import { createEscalations } from './escalations.js';
import { createKPIs } from './kpis.js';
import { createLexicon } from './lexicon.js';
import { createKB } from './kb.js';
import { createProfile } from './profile.js';
import { createSearch } from './search.js';

const POLL_MS = 2500;
let view = 'queue';

const refreshLists = () => { queue.refresh(); mine.refresh(); };
const agents = createAgents({ onChanged: refreshLists });
const notes = createNotes();
const customer = createCustomer();
const conversation = createConversation({ onChanged: refreshLists, notes, customer, agents });
const macros = createMacros({ contactId: () => conversation.contactId() });
const openItem = (item) => { queue.select(item.id); mine.select(item.id); conversation.open(item); };
// A list that changed may carry a new customer message or assignment for
// the open conversation, and changes the load supervisors see.
const listChanged = () => { conversation.refresh(); agents.refresh(); };
const queue = createQueue({ onOpen: openItem, onChanged: listChanged });
const mine = createMine({ onOpen: openItem, onChanged: listChanged });
const session = createSession({ onPresence: () => { mine.refresh(); agents.refresh(); } });
const escalations = createEscalations({
  onOpen: (item) => { show('queue'); conversation.open(item); },
});
const search = createSearch({ onOpen: (item) => { queue.select(null); mine.select(null); conversation.open(item); } });
const kpis = createKPIs();
const lexicon = createLexicon();
const kb = createKB();
// Admins only: the lexicon, knowledge-base and profile tabs show once the
// API lets this key read the profile.
const adminViews = new Set(['lexicon', 'kb', 'profile']);
const profile = createProfile({ onDenied: () => { if (adminViews.has(view)) show('queue'); } });

const views = { queue, escalations, kpis, lexicon, kb, profile };

function show(name) {
  view = name in views && (!adminViews.has(name) || apiKey()) ? name : 'queue';
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
    if (view === 'queue') await Promise.all([conversation.refresh(), agents.refresh()]);
    else await views[view].refresh();
    $('poll-status').textContent = t('poll.updated', { time: new Date().toLocaleTimeString(language(), { hour12: false }) });
  } finally {
    polling = false;
  }
}

// signedIn starts everything that needs a credential.
async function signedIn() {
  loggedIn(true);
  try {
    await session.load();
  } catch (err) {
    showError($('presence-error'), err);
  }
  queue.refresh();
  mine.refresh();
  macros.load();
  profile.probe();
  poll();
}

// ssoReturn takes the session token (or the error) SSO sign-in leaves in
// the URL fragment (#sso_token=…&expires_at=… or #sso_error=…) and clears
// it from the address bar and history at once.
function ssoReturn() {
  const frag = new URLSearchParams(location.hash.slice(1));
  const token = frag.get('sso_token');
  const error = frag.get('sso_error');
  if (!token && !error) return false;
  history.replaceState(null, '', `${location.pathname}#queue`);
  if (token) {
    setApiKey(token);
    return true;
  }
  $('login-error').textContent = tOr(`sso.${error}`, t('sso.failed'));
  $('login-error').hidden = false;
  return false;
}

// ssoOffer shows "Sign in with SSO" when the server has OpenID Connect set up.
async function ssoOffer() {
  try {
    const res = await get('/v1/auth/sso');
    if (res && res.enabled && typeof res.start === 'string' && res.start.startsWith('/')) {
      $('login-sso').hidden = false;
      $('login-sso').onclick = () => { askPermission(); location.assign(res.start); };
    }
  } catch {
    // No SSO answer: password and key sign-in remain.
  }
}

async function passwordLogin(ev) {
  ev.preventDefault();
  askPermission(); // from the click: browsers only ask from a user gesture
  const login = $('login-user').value.trim();
  const password = $('login-password').value;
  if (!login || !password) return;
  try {
    await session.signIn(login, password);
  } catch (err) {
    showError($('login-error'), err);
    return;
  }
  showError($('login-error'), null);
  $('login-password').value = '';
  await signedIn();
}

async function login(ev) {
  ev.preventDefault();
  askPermission();
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
  await signedIn();
}

async function logout() {
  await session.signOut();
  setApiKey('');
  queue.reset();
  mine.reset();
  agents.reset();
  macros.reset();
  escalations.reset();
  kpis.reset();
  search.reset();
  profile.reset();
  conversation.close();
  if (adminViews.has(view)) show('queue');
  loggedIn(false);
  ssoOffer();
  $('live-alert').hidden = true;
  $('poll-status').textContent = '';
}

async function main() {
  await loadI18n();
  $('lang-select').value = language();
  $('lang-select').addEventListener('change', (e) => setLanguage(e.target.value));
  onLanguage(() => {
    Object.values(views).forEach((v) => v.render());
    [mine, agents, macros, session, conversation, search].forEach((v) => v.render());
    conversation.refresh();
  });
  $('login-password-form').addEventListener('submit', passwordLogin);
  $('login-form').addEventListener('submit', login);
  $('live-alert').addEventListener('click', () => { $('live-alert').hidden = true; });
  $('logout').addEventListener('click', logout);
  $('queue-state').addEventListener('change', () => queue.refresh());
  $('kpi-range').addEventListener('change', () => kpis.refresh());
  document.querySelectorAll('.tab').forEach((b) => b.addEventListener('click', () => show(b.dataset.view)));
  document.addEventListener('visibilitychange', poll);
  ssoReturn();
  loggedIn(Boolean(apiKey()));
  queue.render();
  mine.render();
  if (apiKey()) signedIn();
  else ssoOffer();
  show(location.hash.slice(1) || 'queue');
  setInterval(poll, POLL_MS);
  setInterval(() => tick(document), 1000);
}

main();
