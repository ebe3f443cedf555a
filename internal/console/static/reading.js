// reading.js — a customer message's reading (intent, urgent signal, which
// engine read it) and the agent's control to correct it:
// POST /v1/contacts/{id}/messages/{message_id}/correction {"intent","negative"}.
// Corrections of consenting customers' messages feed `harbordesk train`.
import { post, seg } from './api.js';
import { h, showError } from './dom.js';
import { t, tOr } from './i18n.js';

export const INTENTS = ['business_hours', 'return_policy', 'order_status', 'damaged_item', 'refund_request',
  'complaint', 'appointment_change', 'tech_support', 'billing', 'account_inquiry', 'place_order',
  'human_agent', 'smalltalk', 'other'];

// readingControl renders message m's reading and a correction form; onSaved
// runs after the server recorded a correction.
export function readingControl(contactId, m, onSaved) {
  const fixed = m.correction;
  const intent = fixed ? fixed.intent : m.intent;
  const negative = fixed ? fixed.negative : !!m.negative;
  const summary = [
    intent || '—',
    negative ? t('reading.urgent') : null,
    m.read_by ? tOr(`engine.${m.read_by}`, m.read_by) : null,
    fixed ? t('reading.correctedBy', { agent: fixed.agent || '' }) : null,
  ].filter(Boolean).join(' · ');

  const select = h('select', { 'data-testid': 'reading-intent', 'aria-label': t('reading.intent') },
    ...INTENTS.map((i) => h('option', { value: i, selected: i === intent }, i)));
  const box = h('input', { type: 'checkbox', 'data-testid': 'reading-negative', checked: negative });
  const err = h('p', { class: 'error', role: 'alert', hidden: true });
  const status = h('span', { class: 'status' });
  const form = h('form', { class: 'reading-form' },
    h('label', null, t('reading.intent'), ' ', select),
    h('label', null, box, ' ', t('reading.negative')),
    h('button', { type: 'submit', 'data-testid': 'reading-save' }, t('reading.save')),
    status, err);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await post(`/v1/contacts/${seg(contactId)}/messages/${seg(m.message_id)}/correction`,
        { intent: select.value, negative: box.checked });
      showError(err, null);
      status.textContent = t('reading.saved');
      onSaved();
    } catch (e) {
      showError(err, e);
    }
  });
  return h('details', { class: 'reading', 'data-testid': 'reading' },
    h('summary', { 'data-testid': 'reading-correct' }, `${t('reading.label')}: ${summary}`),
    form);
}
