// customer.js — the customer panel beside a conversation: earlier contacts
// and CRM orders (GET /v1/customers/{id}/history; 404 = nothing earlier),
// and the contact's attachments through short-lived signed links
// (GET /v1/contacts/{id}/attachments → url, expires_at; never a public URL).
import { get, items, seg, ApiError } from './api.js';
import { h, $, showError } from './dom.js';
import { tOr, language } from './i18n.js';
import { clock } from './format.js';

// attachmentView is one attachment: an image inline, a document as a link.
export function attachmentView(a) {
  const label = `${tOr(`attkind.${a.kind}`, a.kind || a.mime)} · ${Math.ceil((a.size || 0) / 1024)} KB`;
  if (a.kind === 'image') {
    return h('figure', { class: 'attachment', 'data-testid': 'attachment', dataset: { id: a.id } },
      h('img', { src: a.url, alt: label, loading: 'lazy', referrerpolicy: 'no-referrer' }),
      h('figcaption', null, label));
  }
  return h('p', { class: 'attachment', 'data-testid': 'attachment', dataset: { id: a.id } },
    h('a', { href: a.url, target: '_blank', rel: 'noopener noreferrer' }, label));
}

export function createCustomer() {
  let customerId = null;
  let history = null;
  let attachments = [];
  let lastAtt = '';

  // load reads the customer's history (once per customer) and the
  // contact's attachments (their links are renewed on each read).
  async function load(contact) {
    const cid = contact && contact.customer_id;
    $('customer-panel').hidden = !contact;
    if (!contact) return;
    if (cid && cid !== customerId) {
      customerId = cid;
      history = null;
      try {
        history = await get(`/v1/customers/${seg(cid)}/history`);
        showError($('customer-error'), null);
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 404)) showError($('customer-error'), err);
      }
    }
    try {
      const got = items(await get(`/v1/contacts/${seg(contact.contact_id)}/attachments`));
      const ids = JSON.stringify(got.map((a) => a.id));
      const stale = attachments.some((a) => Date.parse(a.expires_at) - Date.now() < 60000);
      if (ids !== lastAtt || stale) attachments = got;
      lastAtt = ids;
    } catch (err) {
      showError($('customer-error'), err);
    }
    render(contact.contact_id);
  }

  function render(currentContact) {
    const contacts = (history && history.contacts) || [];
    $('customer-id').textContent = customerId || '—';
    $('history-list').replaceChildren(...contacts.map((c) => h('li', {
      'data-testid': 'history-row', class: c.contact_id === currentContact ? 'current' : null },
    h('span', null, clock(c.received_at, language())),
    ' · ', tOr(`channel.${c.channel}`, c.channel || '—'),
    ' · ', tOr(`intent.${c.intent}`, c.intent || '—'),
    c.priority ? ` · ${c.priority}` : '',
    c.summary ? h('div', { class: 'hint' }, c.summary) : null)));
    const orders = (history && history.orders) || [];
    $('orders-list').replaceChildren(...orders.map((o) => h('li', { 'data-testid': 'order-row' },
      `${o.number} · ${o.status}${o.carrier ? ` · ${o.carrier} ${o.tracking_no || ''}` : ''}`)));
    $('orders-unavailable').hidden = !(history && history.orders_unavailable);
    $('history-empty').hidden = contacts.length + orders.length > 0;
    $('attachments-list').replaceChildren(...attachments.map(attachmentView));
    $('attachments-empty').hidden = attachments.length > 0;
  }

  function reset() {
    customerId = null;
    history = null;
    attachments = [];
    lastAtt = '';
    $('customer-panel').hidden = true;
  }

  return { load, reset, attachments: () => attachments };
}
