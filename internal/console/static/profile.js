// profile.js — the business profile for admins: the business fields and
// every customer-facing text with one field per locale side by side
// (GET /v1/profile, GET /v1/profile/placeholders), a live preview as the
// customer sees it, checks before saving (unknown placeholders, missing
// locales), save as a new version (POST /v1/profile/import, JSON) with the
// server's 422 shown next to the field it names, and the versions with
// roll-back behind a confirm step (GET /v1/profile/versions,
// POST /v1/profile/versions/{v}/activate). The admin's edits live in
// `draft` and only a successful save, a confirmed roll-back or "Discard my
// edits" replaces them. Other roles get 403: the tab stays hidden.
import { get, post, items, seg, ApiError } from './api.js';
import { h, $, showError, fillTable } from './dom.js';
import { t, tOr, language } from './i18n.js';
import { clock } from './format.js';

// yue-Hans is normally made from yue-Hant (converted to Simplified
// characters); its column shows only when the profile uses it.
const DERIVED = 'yue-Hans';
const COMMON = ['business_name', 'privacy_url', 'order_example'];

// Sample values for the placeholders the desk fills when it sends a text.
const SAMPLE = { back_at: '09:00', tracking: 'SF1234567890' };
const SAMPLE_BY_LOCALE = {
  'yue-Hant': { back_day: '聽日', status: '已出貨' },
  'yue-Hans': { back_day: '听日', status: '已出货' },
  'zh-Hant': { back_day: '明天', status: '已發貨' },
  'zh-Hans': { back_day: '明天', status: '已发货' },
  en: { back_day: 'tomorrow', status: 'shipped' },
};

const clone = (x) => JSON.parse(JSON.stringify(x));
const listOf = (s) => String(s || '').split(/[\s,，、]+/).filter(Boolean);

// placeholdersIn returns the {names} in s and whether every { is closed,
// as the server reads them.
export function placeholdersIn(s) {
  const names = [];
  let rest = String(s || '');
  for (;;) {
    const i = rest.indexOf('{');
    if (i < 0) return { names, closed: true };
    const j = rest.indexOf('}', i);
    if (j < 0) return { names, closed: false };
    names.push(rest.slice(i + 1, j));
    rest = rest.slice(j + 1);
  }
}

// pick chooses the text a customer in locale gets, as the server does: the
// locale's own, else the same language in the other script, the other
// written Chinese, then the business's locales in order.
export function pick(texts, locale, businessLocales, allLocales) {
  if (texts && texts[locale]) return { from: locale, text: texts[locale] };
  const [lang, script] = locale.split('-');
  const other = script === 'Hant' ? 'Hans' : 'Hant';
  const cands = [];
  if (lang === 'yue' || lang === 'zh') {
    const sibling = lang === 'zh' ? 'yue' : 'zh';
    cands.push(`${lang}-${other}`, `${sibling}-${script}`, `${sibling}-${other}`);
  }
  cands.push(...(businessLocales || []), ...(allLocales || []));
  for (const c of cands) if (texts && texts[c]) return { from: c, text: texts[c] };
  return { from: '', text: '' };
}

// adminTabs shows or hides the admin-only tabs (lexicon, knowledge base,
// business profile): the profile probe is the console's one admin check.
function adminTabs(on) {
  document.querySelectorAll('.tab[data-admin]').forEach((b) => { b.hidden = !on; });
}

export function createProfile({ onDenied }) {
  let allowed = false;
  let keys = []; // [{key, required, placeholders}]
  let locales = []; // every locale the server knows
  let loaded = null; // the document in force as the server answered it
  let draft = null; // {business, texts}: the admin's edits
  let versions = [];
  let serverErrors = {}; // field → message from the last 422
  let selected = { key: '', locale: '' };
  let confirming = null; // the version awaiting confirmation
  let busy = false;
  let message = null; // [key, vars] of the last save or roll-back
  let pollFailed = false;
  const fields = {}; // field → {input, err}
  let shownColumns = '';

  // probe finds out whether the signed-in key or account may edit the
  // profile; only admins may.
  async function probe() {
    try {
      await placeholders();
      setAllowed(true);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) setAllowed(false);
    }
    return allowed;
  }

  function setAllowed(on) {
    allowed = on;
    adminTabs(on);
    if (!on) onDenied();
  }

  async function placeholders() {
    const res = await get('/v1/profile/placeholders');
    keys = items(res);
    locales = Array.isArray(res && res.locales) ? res.locales : [];
  }

  // load reads the profile in force (and the keys, placeholders and
  // versions) and, unless keepDraft, puts it in the editor.
  async function load(keepDraft) {
    try {
      if (!keys.length) await placeholders();
      const [doc, vs] = await Promise.all([get('/v1/profile'), get('/v1/profile/versions')]);
      loaded = doc;
      versions = items(vs);
      if (!keepDraft || !draft) {
        draft = { business: clone(doc.business || {}), texts: clone(doc.texts || {}) };
        serverErrors = {};
      }
      setAllowed(true);
      showError($('prof-error'), null);
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) { setAllowed(false); return; }
      showError($('prof-error'), err);
    }
    render();
  }

  // refresh runs with every poll while the screen is open: the versions
  // list, and the document when someone else changed the one in force and
  // the admin has no edits of their own.
  async function refresh() {
    if (!draft) { await load(false); return; }
    try {
      versions = items(await get('/v1/profile/versions'));
      if (pollFailed) showError($('prof-error'), null);
      pollFailed = false;
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) { setAllowed(false); return; }
      pollFailed = true;
      showError($('prof-error'), err);
      return;
    }
    if (loaded && inForce() !== loaded.version && !dirty() && !busy) {
      await load(false);
      return;
    }
    renderHead();
    renderVersions();
  }

  // inForce is the version in force (0: the shipped sample profile).
  function inForce() {
    const active = versions.find((v) => v.active);
    return active ? active.version : 0;
  }

  // documentOf is the draft as the import takes it: empty texts left out,
  // no order number when both its fields are empty.
  function documentOf(d) {
    const b = d.business || {};
    const business = { name: b.name || '', privacy_url: b.privacy_url || '', locales: b.locales || [] };
    const on = b.order_number || {};
    if ((on.pattern || '') !== '' || (on.example || '') !== '') business.order_number = { pattern: on.pattern || '', example: on.example || '' };
    if (b.fallback_locales && b.fallback_locales.length) business.fallback_locales = b.fallback_locales;
    const texts = {};
    for (const [k, per] of Object.entries(d.texts || {})) {
      const kept = {};
      for (const [loc, s] of Object.entries(per || {})) if (String(s).trim() !== '') kept[loc] = s;
      if (Object.keys(kept).length) texts[k] = kept;
    }
    return { business, texts };
  }

  function dirty() {
    if (!draft || !loaded) return false;
    return JSON.stringify(documentOf(draft)) !== JSON.stringify(documentOf({ business: loaded.business, texts: loaded.texts }));
  }

  // columns: the locales edited side by side.
  function columns() {
    const used = draft && (Object.values(draft.texts || {}).some((per) => per && per[DERIVED]) ||
      (draft.business.locales || []).includes(DERIVED));
    return locales.filter((l) => l !== DERIVED || used);
  }

  function keyInfo(key) {
    return keys.find((k) => k.key === key) || { key, required: false, placeholders: COMMON };
  }

  // issues: what the server would refuse (error) and what customers would
  // miss (warn), found while the admin types.
  function issues() {
    const out = [];
    if (!draft) return out;
    const b = draft.business;
    const add = (level, field, text) => out.push({ level, field, text });
    if (!String(b.name || '').trim()) add('error', 'business.name', t('check.nameMissing'));
    if (!/^https?:\/\/[^/\s]+/i.test(b.privacy_url || '')) add('error', 'business.privacy_url', t('check.url'));
    const on = b.order_number || {};
    if ((on.pattern || on.example) && !(on.pattern && on.example)) add('error', 'business.order_number.pattern', t('check.orderBoth'));
    else if (on.pattern && on.example) {
      try {
        if (!new RegExp(`^(?:${on.pattern})$`).test(on.example)) add('error', 'business.order_number.example', t('check.orderExample'));
      } catch { /* RE2 and JavaScript differ; the server decides */ }
    }
    for (const [field, list] of [['business.locales', b.locales || []], ['business.fallback_locales', b.fallback_locales || []]]) {
      for (const l of list) if (!locales.includes(l)) add('error', field, t('check.locale', { locale: l }));
    }
    if (!(b.locales || []).length) add('error', 'business.locales', t('check.localesMissing'));
    const want = (b.locales || []).filter((l) => locales.includes(l));
    for (const k of keys) {
      const per = draft.texts[k.key] || {};
      const given = Object.keys(per).filter((l) => String(per[l]).trim() !== '');
      if (!given.length) {
        if (k.required) add('error', `texts.${k.key}`, t('check.required', { key: k.key }));
        continue;
      }
      for (const l of given) {
        const { names, closed } = placeholdersIn(per[l]);
        const field = `texts.${k.key}.${l}`;
        if (!closed) add('error', field, t('check.unclosed', { key: k.key, locale: l }));
        for (const n of names) {
          if (!k.placeholders.includes(n)) add('error', field, t('check.placeholder', { key: k.key, locale: l, name: `{${n}}` }));
          else if (n === 'order_example' && !(on.pattern && on.example)) add('error', field, t('check.noOrder', { key: k.key, locale: l }));
        }
      }
      const missing = want.filter((l) => !given.includes(l));
      if (missing.length) add('warn', `texts.${k.key}`, t('check.missingLocales', { key: k.key, locales: missing.join(', ') }));
    }
    return out;
  }

  // The form is built once per load (and language change); typing only
  // updates the draft, the preview, the checks and that field's error.
  function field(name, input, onInput) {
    const err = h('p', { class: 'error field-error', role: 'alert', 'data-testid': 'profile-field-error', dataset: { field: name }, hidden: true });
    input.addEventListener('input', () => {
      onInput(input.value);
      delete serverErrors[name];
      showFieldError(name);
      changed();
    });
    fields[name] = { input, err };
    return err;
  }

  function showFieldError(name) {
    const f = fields[name];
    if (!f) return;
    const msg = serverErrors[name];
    f.err.textContent = msg || '';
    f.err.hidden = !msg;
    f.input.classList.toggle('invalid', Boolean(msg));
  }

  function showFieldErrors() {
    for (const name of Object.keys(fields)) showFieldError(name);
  }

  function renderBusiness() {
    const b = draft.business;
    const bind = (id, name, get, set) => {
      const input = $(id);
      const old = fields[name];
      input.value = get();
      if (!old) {
        input.closest('.prof-field').append(field(name, input, set));
      }
    };
    bind('prof-name', 'business.name', () => b.name || '', (v) => { draft.business.name = v; });
    bind('prof-privacy-url', 'business.privacy_url', () => b.privacy_url || '', (v) => { draft.business.privacy_url = v; });
    bind('prof-order-pattern', 'business.order_number.pattern', () => (b.order_number || {}).pattern || '',
      (v) => { draft.business.order_number = { ...(draft.business.order_number || {}), pattern: v }; });
    bind('prof-order-example', 'business.order_number.example', () => (b.order_number || {}).example || '',
      (v) => { draft.business.order_number = { ...(draft.business.order_number || {}), example: v }; });
    bind('prof-locales', 'business.locales', () => (b.locales || []).join(', '), (v) => { draft.business.locales = listOf(v); });
    bind('prof-fallback', 'business.fallback_locales', () => (b.fallback_locales || []).join(', '), (v) => { draft.business.fallback_locales = listOf(v); });
  }

  function localeName(l) {
    return `${tOr(`locale.${l}`, l)} (${l})`;
  }

  function renderTexts() {
    for (const name of Object.keys(fields)) if (name.startsWith('texts.')) delete fields[name];
    const cols = columns();
    shownColumns = cols.join();
    const rows = keys.map((k) => {
      const per = draft.texts[k.key] || {};
      let last = null; // the field of this row the admin was last in
      const chips = k.placeholders.map((p) => h('button', {
        type: 'button', class: 'chip', 'data-testid': 'profile-placeholder', dataset: { name: p },
        title: t('profile.insert'),
        onclick: () => insert(last || area(k.key, cols[0]), `{${p}}`),
      }, `{${p}}`));
      const keyErr = field(`texts.${k.key}`, h('input', { type: 'hidden' }), () => {});
      const cells = cols.map((l) => {
        const ta = h('textarea', {
          rows: 4, lang: l, spellcheck: 'false', 'data-testid': 'profile-text', 'aria-label': `${k.key} · ${localeName(l)}`,
          dataset: { key: k.key, locale: l },
        });
        ta.value = per[l] || '';
        ta.addEventListener('focus', () => { last = ta; select(k.key, l); });
        const err = field(`texts.${k.key}.${l}`, ta, (v) => {
          draft.texts[k.key] = { ...(draft.texts[k.key] || {}), [l]: v };
          delete serverErrors[`texts.${k.key}`];
          showFieldError(`texts.${k.key}`);
        });
        return h('td', null, ta, err);
      });
      return h('tr', { 'data-testid': 'profile-text-row', dataset: { key: k.key } },
        h('th', { scope: 'row', class: 'prof-key' },
          h('code', null, k.key),
          k.required ? h('span', { class: 'tag' }, t('profile.required')) : h('span', { class: 'tag muted' }, t('profile.optional')),
          h('div', { class: 'hint' }, tOr(`textkey.${k.key}`, '')),
          h('div', { class: 'chips' }, chips),
          keyErr),
        cells);
    });
    fillTable($('prof-texts'), [t('profile.colText'), ...cols.map(localeName)], rows);
    showFieldErrors();
  }

  const area = (key, locale) => document.querySelector(`textarea[data-key="${key}"][data-locale="${locale}"]`);

  // insert puts s at the cursor of ta, as if typed.
  function insert(ta, s) {
    if (!ta) return;
    const at = ta.selectionStart ?? ta.value.length;
    const end = ta.selectionEnd ?? at;
    ta.value = ta.value.slice(0, at) + s + ta.value.slice(end);
    ta.focus();
    ta.selectionStart = ta.selectionEnd = at + s.length;
    ta.dispatchEvent(new Event('input', { bubbles: true }));
  }

  function select(key, locale) {
    selected = { key, locale };
    $('prof-preview-key').value = key;
    $('prof-preview-locale').value = locale;
    renderPreview();
  }

  function renderPreviewControls() {
    const ks = $('prof-preview-key');
    ks.replaceChildren(...keys.map((k) => h('option', { value: k.key }, k.key)));
    const ls = $('prof-preview-locale');
    ls.replaceChildren(...locales.map((l) => h('option', { value: l }, localeName(l))));
    if (!keys.some((k) => k.key === selected.key)) selected.key = keys.length ? keys[0].key : '';
    if (!locales.includes(selected.locale)) selected.locale = (draft.business.locales || [])[0] || locales[0] || '';
    ks.value = selected.key;
    ls.value = selected.locale;
  }

  // renderPreview shows the selected text in the selected locale with its
  // placeholders filled (the filled parts marked); unknown ones are flagged.
  function renderPreview() {
    const out = $('prof-preview-text');
    const note = $('prof-preview-note');
    if (!draft || !selected.key) { out.replaceChildren(); note.textContent = ''; return; }
    const k = keyInfo(selected.key);
    const b = draft.business;
    const { from, text } = pick(draft.texts[selected.key], selected.locale, b.locales, locales);
    const notes = [];
    if (!text) {
      notes.push(t(keyInfo(selected.key).required ? 'profile.previewEmpty' : 'profile.previewBase'));
    } else if (from !== selected.locale) {
      notes.push(t('profile.previewFallback', { locale: selected.locale, from }));
      if (from.includes('-') && selected.locale.includes('-') && from.split('-')[1] !== selected.locale.split('-')[1]) {
        notes.push(t('profile.previewConverted'));
      }
    }
    const on = b.order_number || {};
    const values = {
      business_name: b.name || '', privacy_url: b.privacy_url || '', order_example: on.example || '',
      order_id: on.example || 'A123456', ...SAMPLE, ...(SAMPLE_BY_LOCALE[selected.locale] || SAMPLE_BY_LOCALE.en),
    };
    const parts = [];
    let rest = text;
    let unknown = false;
    for (;;) {
      const i = rest.indexOf('{');
      const j = i < 0 ? -1 : rest.indexOf('}', i);
      if (j < 0) { parts.push(rest); break; }
      parts.push(rest.slice(0, i));
      const name = rest.slice(i + 1, j);
      if (k.placeholders.includes(name)) {
        parts.push(h('span', { class: COMMON.includes(name) ? 'ph-filled' : 'ph-filled sample', title: `{${name}}` }, values[name] || ''));
      } else {
        unknown = true;
        parts.push(h('mark', { class: 'ph-unknown', title: t('profile.unknownPlaceholder') }, `{${name}}`));
      }
      rest = rest.slice(j + 1);
    }
    if (unknown) notes.push(t('profile.previewUnknown'));
    out.replaceChildren(...parts);
    note.textContent = notes.join(' ');
  }

  function renderIssues() {
    const list = issues();
    $('prof-issues').replaceChildren(...list.map((i) => h('li', { class: `issue ${i.level}`, 'data-testid': 'profile-issue', dataset: { field: i.field, level: i.level } },
      h('span', { class: 'tag' }, t(i.level === 'error' ? 'profile.levelError' : 'profile.levelWarn')), ' ', i.text)));
    $('prof-issues-none').hidden = list.length > 0;
  }

  function renderHead() {
    const v = loaded ? inForce() : undefined;
    const el = $('prof-version');
    el.dataset.version = v === undefined ? '' : String(v);
    el.textContent = v === undefined ? '' : v > 0 ? t('profile.inForce', { v }) : t('profile.inForceDefault');
    $('prof-revert').disabled = !dirty() || busy;
    $('prof-save').disabled = busy || !draft;
    // Someone else put another version in force while this admin edits.
    const stale = loaded && v !== loaded.version;
    $('prof-status').textContent = stale ? t('profile.stale', { v: loaded.version, now: v })
      : dirty() ? t('profile.unsaved') : message ? t(...message) : '';
  }

  function renderVersions() {
    $('prof-versions-empty').hidden = versions.length > 0;
    $('prof-versions').hidden = versions.length === 0;
    fillTable($('prof-versions'), [t('profile.colVersion'), t('profile.colName'), t('profile.colAuthor'), t('profile.colImported'), t('col.state')],
      versions.map((v) => h('tr', { 'data-testid': 'profile-version-row', dataset: { version: v.version }, class: v.active ? 'selected' : null },
        h('td', null, String(v.version)),
        h('td', null, v.name || ''),
        h('td', null, v.author || ''),
        h('td', null, clock(v.imported_at, language())),
        h('td', null, v.active ? h('span', { class: 'badge', 'data-testid': 'profile-version-active' }, t('profile.active'))
          : h('button', { type: 'button', class: 'secondary', 'data-testid': 'profile-activate', disabled: busy, onclick: () => ask(v) }, t('profile.activate'))))));
    const box = $('prof-confirm');
    box.hidden = !confirming;
    if (confirming) {
      $('prof-confirm-text').textContent = t('profile.confirm', { v: confirming.version, name: confirming.name || '' }) +
        (dirty() ? ` ${t('profile.confirmDrops')}` : '');
    }
  }

  function render() {
    if (!draft) {
      renderVersions();
      return;
    }
    renderBusiness();
    renderTexts(); // shows every field's error too
    renderPreviewControls();
    renderPreview();
    renderIssues();
    renderHead();
    renderVersions();
  }

  // changed runs after every edit.
  function changed() {
    message = null;
    if (columns().join() !== shownColumns) renderTexts();
    renderPreview();
    renderIssues();
    renderHead();
  }

  // fieldOf maps a server field ("business.locales[2]", "texts.handoff.en")
  // to an editor field.
  function fieldOf(f) {
    const name = f.replace(/\[\d+\]$/, '');
    if (fields[name]) return name;
    if (name === 'business.order_number') return 'business.order_number.pattern';
    return '';
  }

  // markServerErrors puts each "field: message" line of a 422 next to its field.
  function markServerErrors(text) {
    serverErrors = {};
    for (const line of String(text || '').split('\n')) {
      const m = /^([a-z_]+(?:\.[A-Za-z0-9_-]+)*(?:\[\d+\])?): (.+)$/.exec(line.trim());
      const name = m && fieldOf(m[1]);
      if (name) serverErrors[name] = serverErrors[name] ? `${serverErrors[name]}; ${m[2]}` : m[2];
    }
    showFieldErrors();
    const first = Object.keys(serverErrors)[0];
    if (first) fields[first].err.scrollIntoView({ block: 'center', inline: 'nearest' });
  }

  async function save(ev) {
    ev.preventDefault();
    if (!draft || busy) return;
    const doc = documentOf(draft);
    const sent = JSON.stringify(doc);
    busy = true;
    renderHead();
    try {
      const res = await post('/v1/profile/import', doc);
      busy = false;
      showError($('prof-error'), null);
      serverErrors = {};
      showFieldErrors();
      // Edits typed while the save was on its way stay in the editor.
      const same = JSON.stringify(documentOf(draft)) === sent;
      await load(!same);
      message = ['profile.saved', { v: res && res.version }];
      renderHead();
    } catch (err) {
      busy = false;
      showError($('prof-error'), err);
      if (err instanceof ApiError && err.status === 422) markServerErrors(err.message);
      renderHead();
    }
  }

  function ask(v) {
    confirming = v;
    renderVersions();
    $('prof-confirm-no').focus();
  }

  async function activate() {
    const v = confirming;
    if (!v || busy) return;
    busy = true;
    try {
      await post(`/v1/profile/versions/${seg(v.version)}/activate`);
      confirming = null;
      busy = false;
      showError($('prof-error'), null);
      await load(false);
      message = ['profile.activated', { v: v.version }];
      renderHead();
    } catch (err) {
      busy = false;
      showError($('prof-error'), err);
      renderVersions();
    }
  }

  function reset() {
    allowed = false;
    keys = [];
    locales = [];
    loaded = null;
    draft = null;
    versions = [];
    serverErrors = {};
    confirming = null;
    adminTabs(false);
    $('prof-texts').replaceChildren();
    $('prof-versions').replaceChildren();
    $('prof-preview-text').replaceChildren();
    $('prof-issues').replaceChildren();
    showFieldErrors();
    message = null;
    $('prof-status').textContent = '';
    showError($('prof-error'), null);
  }

  $('prof-form').addEventListener('submit', save);
  // "Discard my edits" puts the version in force (now) back in the editor.
  $('prof-revert').addEventListener('click', () => {
    message = null;
    load(false);
  });
  $('prof-preview-key').addEventListener('change', (e) => { selected.key = e.target.value; renderPreview(); });
  $('prof-preview-locale').addEventListener('change', (e) => { selected.locale = e.target.value; renderPreview(); });
  $('prof-confirm-yes').addEventListener('click', activate);
  $('prof-confirm-no').addEventListener('click', () => { confirming = null; renderVersions(); });

  return { probe, refresh, render, reset, allowed: () => allowed };
}
