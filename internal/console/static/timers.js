// timers.js — live SLA and escalation countdowns and ages, ticking every
// second without waiting for the next poll.
import { countdown, duration } from './format.js';
import { t } from './i18n.js';

// tick refreshes every [data-deadline] (countdown) and [data-since] (age)
// element under root.
export function tick(root, now = Date.now()) {
  root.querySelectorAll('[data-deadline]').forEach((el) => {
    const c = countdown(el.dataset.deadline, now);
    el.textContent = c.overdue ? t('timer.overdue', { time: c.text.replace('−', '') }) : c.text;
    el.classList.toggle('overdue', c.overdue);
    el.classList.toggle('soon', c.soon);
  });
  root.querySelectorAll('[data-since]').forEach((el) => {
    const at = Date.parse(el.dataset.since);
    el.textContent = Number.isNaN(at) ? '—' : duration(now - at);
  });
}
