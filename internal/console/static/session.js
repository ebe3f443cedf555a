// session.js — who is signed in: password sign-in (POST /v1/auth/login →
// a session token, kept like an API key in sessionStorage), the account
// (GET /v1/agents/me; an API key has none), presence
// (PUT /v1/agents/me/presence) and sign-out (POST /v1/auth/logout).
import { get, post, put, setApiKey, ApiError } from './api.js';
import { $, showError } from './dom.js';
import { tOr } from './i18n.js';

const PRESENCE = ['online', 'away', 'offline'];

export function createSession({ onPresence }) {
  let me = null; // the account, or null for an API key

  async function signIn(login, password) {
    const res = await post('/v1/auth/login', { login, password });
    setApiKey(res.token);
  }

  // load reads the account behind the credential (null for an API key).
  async function load() {
    try {
      me = await get('/v1/agents/me');
    } catch (err) {
      if (!(err instanceof ApiError) || (err.status !== 403 && err.status !== 404)) throw err;
      me = null;
    }
    render();
    return me;
  }

  async function setPresence(status) {
    if (!me || !PRESENCE.includes(status)) return;
    try {
      await put('/v1/agents/me/presence', { status });
      me = { ...me, presence: status };
      showError($('presence-error'), null);
      onPresence(status);
    } catch (err) {
      showError($('presence-error'), err);
    }
    render();
  }

  // signOut revokes a session token; an API key is only forgotten.
  async function signOut() {
    if (me) {
      try { await post('/v1/auth/logout'); } catch { /* the token is dropped either way */ }
    }
    me = null;
    render();
  }

  function render() {
    $('me').hidden = !me;
    if (!me) return;
    $('me-name').textContent = `${me.name || me.login} · ${tOr(`role.${me.role}`, me.role)}`;
    $('presence-select').value = me.presence || 'offline';
    $('presence-select').dataset.state = me.presence || 'offline';
  }

  $('presence-select').addEventListener('change', (e) => setPresence(e.target.value));

  return { signIn, load, setPresence, signOut, render, me: () => me };
}
