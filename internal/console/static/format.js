// format.js — durations, countdowns, percentages.

// duration formats milliseconds as "45s", "12m 05s", "3h 07m" or "2d 4h".
export function duration(ms) {
  const s = Math.max(0, Math.round(Math.abs(ms) / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const hr = Math.floor(m / 60);
  if (hr < 48) return `${hr}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(hr / 24)}d ${hr % 24}h`;
}

// countdown is the text and state of a deadline seen at now.
export function countdown(deadline, now) {
  const at = Date.parse(deadline);
  if (Number.isNaN(at)) return { text: '—', overdue: false, soon: false };
  const left = at - now;
  return { text: (left < 0 ? '−' : '') + duration(left), overdue: left < 0, soon: left >= 0 && left < 5 * 60 * 1000 };
}

export const pct = (x) => `${(100 * (Number(x) || 0)).toFixed(1)}%`;
export const secs = (ms) => `${((Number(ms) || 0) / 1000).toFixed(1)} s`;

export function clock(iso, lang) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleString(lang, { hour12: false });
}
