// i18n.js — UI text in English, 繁體中文 and 简体中文. The table lives in
// i18n.json (checked by the Go tests: every key in every language).

const STORE = 'harbordesk.lang';
export const LANGS = ['en', 'zh-Hant', 'zh-Hans'];
const HTML_LANG = { en: 'en', 'zh-Hant': 'zh-Hant-HK', 'zh-Hans': 'zh-Hans-CN' };

let table = {};
let lang = 'en';
const listeners = [];

// pickLanguage maps browser languages to one of LANGS: zh-TW/HK/MO and
// zh-Hant → 繁體; other zh → 简体; else English.
export function pickLanguage(prefs) {
  for (const p of prefs || []) {
    const l = String(p).toLowerCase();
    if (/^zh-(hant|tw|hk|mo)/.test(l)) return 'zh-Hant';
    if (l.startsWith('zh')) return 'zh-Hans';
    if (l.startsWith('en')) return 'en';
  }
  return 'en';
}

export async function loadI18n() {
  const res = await fetch(new URL('i18n.json', import.meta.url));
  table = await res.json();
  const saved = localStorage.getItem(STORE);
  setLanguage(LANGS.includes(saved) ? saved : pickLanguage(navigator.languages || [navigator.language]));
}

export function language() {
  return lang;
}

export function setLanguage(l) {
  lang = LANGS.includes(l) ? l : 'en';
  localStorage.setItem(STORE, lang);
  document.documentElement.lang = HTML_LANG[lang];
  applyI18n(document);
  listeners.forEach((fn) => fn(lang));
}

export function onLanguage(fn) {
  listeners.push(fn);
}

// t looks a key up and fills {name} placeholders from vars.
export function t(key, vars) {
  const s = (table[lang] && table[lang][key]) ?? (table.en && table.en[key]) ?? key;
  return vars ? s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m)) : s;
}

// tOr is t, or fallback when no language has the key (for values that come
// from the server, such as a state or reason we have no text for).
export function tOr(key, fallback) {
  return (table[lang] && key in table[lang]) || (table.en && key in table.en) ? t(key) : fallback;
}

// applyI18n translates data-i18n (text), data-i18n-aria-label and
// data-i18n-placeholder under root.
export function applyI18n(root) {
  root.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
  root.querySelectorAll('[data-i18n-aria-label]').forEach((el) => el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel)));
  root.querySelectorAll('[data-i18n-placeholder]').forEach((el) => el.setAttribute('placeholder', t(el.dataset.i18nPlaceholder)));
}
