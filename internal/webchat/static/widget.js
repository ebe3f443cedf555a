/*
 * Harbordesk web-chat widget. A shop embeds it with
 *   <script src="https://desk.example/chat/widget.js" data-key="PUBLIC_KEY" async></script>
 * Optional: data-lang="en|zh-Hant|zh-Hans" (default: the visitor's browser
 * language), data-color="#0f766e", data-position="left", and for a signed-in
 * shop customer data-customer-id plus data-customer-hash (the hex
 * HMAC-SHA256 of the ID under HARBORDESK_IDENTITY_SECRET, computed by the
 * shop's server).
 * It adds a chat bubble that opens the chat page (served next to this file)
 * in an iframe. The key is a public-role key: it can only open chat
 * sessions, each bound to one conversation. It travels to the iframe in the
 * URL fragment, which browsers never send to a server.
 * Plain ES5-compatible script: it runs on the shop's page, unbundled.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || window.__harbordeskChat) return;
  window.__harbordeskChat = true;

  var base = new URL('./', script.src);
  var key = script.getAttribute('data-key') || '';
  var customer = script.getAttribute('data-customer-id') || '';
  var customerHash = script.getAttribute('data-customer-hash') || '';
  var lang = script.getAttribute('data-lang') || '';
  var color = script.getAttribute('data-color') || '#0f766e';
  var side = script.getAttribute('data-position') === 'left' ? 'left' : 'right';
  var labels = { en: 'Chat with us', 'zh-Hant': '與我們對話', 'zh-Hans': '与我们对话' };
  var nav = (lang || navigator.language || 'en').toLowerCase();
  var hant = nav.indexOf('-hans') < 0 && /hant|-hk|-tw|-mo/.test(nav);
  var label = labels[lang] || (nav.indexOf('zh') === 0 ? (hant ? labels['zh-Hant'] : labels['zh-Hans']) : labels.en);

  function css(el, styles) {
    for (var k in styles) el.style.setProperty(k, styles[k]);
  }

  var button = document.createElement('button');
  button.type = 'button';
  button.setAttribute('aria-label', label);
  button.setAttribute('aria-expanded', 'false');
  button.title = label;
  css(button, {
    position: 'fixed', bottom: '20px', width: '56px', height: '56px', 'border-radius': '50%', border: '0',
    background: color, color: '#fff', cursor: 'pointer', 'box-shadow': '0 4px 12px rgba(0,0,0,.25)',
    'z-index': '2147483646', padding: '0', display: 'flex', 'align-items': 'center', 'justify-content': 'center',
  });
  button.style.setProperty(side, '20px');
  var ns = 'http://www.w3.org/2000/svg';
  var icon = document.createElementNS(ns, 'svg');
  icon.setAttribute('viewBox', '0 0 24 24');
  icon.setAttribute('width', '28');
  icon.setAttribute('height', '28');
  icon.setAttribute('aria-hidden', 'true');
  var path = document.createElementNS(ns, 'path');
  path.setAttribute('fill', 'currentColor');
  path.setAttribute('d', 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z');
  icon.appendChild(path);
  button.appendChild(icon);

  var frame = null;
  var open = false;

  function small() {
    return window.matchMedia && window.matchMedia('(max-width: 480px)').matches;
  }

  function layout() {
    if (!frame) return;
    if (small()) {
      css(frame, { top: '0', left: '0', right: '0', bottom: '0', width: '100%', height: '100%', 'border-radius': '0' });
    } else {
      css(frame, { top: 'auto', bottom: '88px', width: '370px', height: '560px', 'max-width': 'calc(100vw - 40px)',
        'max-height': 'calc(100vh - 110px)', 'border-radius': '12px' });
      frame.style.setProperty(side, '20px');
      frame.style.setProperty(side === 'right' ? 'left' : 'right', 'auto');
    }
  }

  function ensureFrame() {
    if (frame) return;
    var hash = 'key=' + encodeURIComponent(key) + (lang ? '&lang=' + encodeURIComponent(lang) : '') +
      (customer && customerHash ? '&customer_id=' + encodeURIComponent(customer) + '&customer_hash=' + encodeURIComponent(customerHash) : '');
    frame = document.createElement('iframe');
    frame.src = base.href + '#' + hash;
    frame.title = label;
    frame.setAttribute('referrerpolicy', 'no-referrer');
    css(frame, { position: 'fixed', border: '0', background: '#fff', 'box-shadow': '0 8px 28px rgba(0,0,0,.25)',
      'z-index': '2147483647', display: 'none' });
    layout();
    document.body.appendChild(frame);
  }

  function setOpen(v) {
    open = v;
    if (v) ensureFrame();
    if (frame) frame.style.display = v ? 'block' : 'none';
    button.setAttribute('aria-expanded', v ? 'true' : 'false');
    if (v && small()) button.style.display = 'none';
    else button.style.display = 'flex';
  }

  button.addEventListener('click', function () { setOpen(!open); });
  window.addEventListener('resize', layout);
  window.addEventListener('keydown', function (e) { if (open && e.key === 'Escape') setOpen(false); });
  window.addEventListener('message', function (e) {
    if (frame && e.source === frame.contentWindow && e.origin === base.origin && e.data && e.data.type === 'harbordesk:close') {
      setOpen(false);
      button.focus();
    }
  });

  function mount() { document.body.appendChild(button); }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
