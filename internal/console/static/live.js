// live.js — live lists without reload: GET …?wait=25s&version=V long-polls
// (the API answers when the list changes), and the alert for new work: a
// visible banner, a browser notification and a short tone for P1.
import { get } from './api.js';
import { $ } from './dom.js';
import { t } from './i18n.js';

const WAIT = '25s';
const RETRY_MS = 2000;

// watchList keeps fetching path (which already has a '?'), each time
// waiting for a version other than the one shown; onData(data) or
// onError(err) after each answer. restart() drops the wait in flight.
export function watchList(pathFn, onData, onError) {
  let gen = 0;
  let ctrl = null;

  async function loop(my) {
    let version = '';
    while (my === gen) {
      const path = pathFn() + (version ? `&wait=${WAIT}&version=${encodeURIComponent(version)}` : '');
      try {
        const data = await get(path, ctrl.signal);
        if (my !== gen) return;
        version = (data && data.version) || '';
        onData(data);
      } catch (err) {
        if (my !== gen) return;
        version = '';
        onError(err);
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
  }

  function stop() {
    gen++;
    if (ctrl) ctrl.abort();
    ctrl = null;
  }

  function restart() {
    stop();
    ctrl = new AbortController();
    loop(gen);
  }

  return { restart, stop };
}

// newArrivals remembers the IDs of a list and reports those not seen
// before; the first list only primes it (no alert for what was there).
export function newArrivals() {
  let seen = null;
  return {
    check(items) {
      const ids = new Set(items.map((x) => x.id));
      const fresh = seen ? items.filter((x) => !seen.has(x.id)) : [];
      seen = ids;
      return fresh;
    },
    reset() { seen = null; },
  };
}

// askPermission asks for notifications once, from a click (browsers only
// ask from a user gesture).
export function askPermission() {
  if ('Notification' in window && Notification.permission === 'default') {
    Notification.requestPermission().catch(() => {});
  }
}

let audio = null;
function tone() {
  try {
    audio = audio || new AudioContext();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = 880;
    gain.gain.value = 0.15;
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + 0.25);
  } catch {
    // No audio output (or not allowed yet): the banner still shows.
  }
}

// alertNew shows that work arrived: always the banner; for P1 also a
// browser notification (no customer text in it) and a tone.
export function alertNew(item, key) {
  const text = t(key, { priority: item.priority || '—', channel: item.channel || '—' });
  const el = $('live-alert');
  el.textContent = text;
  el.hidden = false;
  el.dataset.id = item.id;
  el.dataset.priority = item.priority || '';
  if (item.priority !== 'P1') return;
  tone();
  if ('Notification' in window && Notification.permission === 'granted') {
    try {
      new Notification(t('live.p1Title'), { body: text, tag: `handoff-${item.id}` });
    } catch {
      // Some browsers only notify from a service worker; the banner is enough.
    }
  }
}
