// i18n.js — the chat page's UI texts in English, 繁體中文 and 简体中文, and
// the choice between them from navigator.language (Hong Kong, Taiwan and
// Macau Chinese, and any zh-Hant, read Traditional; other Chinese Simplified).

export const TEXTS = {
  en: {
    title: 'Chat with us',
    subtitle: 'We reply in English, 廣東話 and 普通话, day and night.',
    label: 'Your message',
    placeholder: 'Type a message…',
    send: 'Send',
    close: 'Close chat',
    empty: 'Ask us anything — opening hours, orders, returns…',
    you: 'You',
    bot: 'Assistant',
    agent: 'Staff',
    sending: 'Sending…',
    sent: 'Sent',
    failed: 'Not sent — tap to retry',
    reconnecting: 'Reconnecting…',
    notConfigured: 'This chat is not set up yet (missing key).',
    unauthorized: 'This chat is not available right now.',
  },
  'zh-Hant': {
    title: '與我們對話',
    subtitle: '我們以廣東話、普通話及英文全天候回覆。',
    label: '你的訊息',
    placeholder: '輸入訊息…',
    send: '傳送',
    close: '關閉對話',
    empty: '有咩可以幫到你？營業時間、訂單、退貨…',
    you: '你',
    bot: '智能助理',
    agent: '客服',
    sending: '傳送中…',
    sent: '已傳送',
    failed: '未能傳送，按此重試',
    reconnecting: '重新連線中…',
    notConfigured: '此對話尚未設定（缺少金鑰）。',
    unauthorized: '此對話暫時未能使用。',
  },
  'zh-Hans': {
    title: '与我们对话',
    subtitle: '我们以普通话、粤语及英文全天候回复。',
    label: '你的消息',
    placeholder: '输入消息…',
    send: '发送',
    close: '关闭对话',
    empty: '有什么可以帮你？营业时间、订单、退货…',
    you: '你',
    bot: '智能助理',
    agent: '客服',
    sending: '发送中…',
    sent: '已发送',
    failed: '发送失败，点击重试',
    reconnecting: '重新连接中…',
    notConfigured: '此对话尚未设置（缺少密钥）。',
    unauthorized: '此对话暂时无法使用。',
  },
};

// pickLocale maps BCP 47 tags (most preferred first) to one of TEXTS' keys.
export function pickLocale(tags) {
  for (const raw of tags || []) {
    const tag = String(raw || '').toLowerCase();
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
    if (tag === 'zh' || tag.startsWith('zh-') || tag === 'yue' || tag.startsWith('yue-')) {
      if (tag.includes('-hans')) return 'zh-Hans'; // an explicit script wins over the region
      if (/hant|-hk|-tw|-mo/.test(tag) || tag.startsWith('yue')) return 'zh-Hant';
      return 'zh-Hans';
    }
  }
  return 'en';
}

// apply fills data-i18n text, data-i18n-placeholder and data-i18n-aria-label.
export function apply(root, t, locale) {
  document.documentElement.lang = locale;
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t[el.dataset.i18n] ?? el.textContent;
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t[el.dataset.i18nPlaceholder] ?? el.placeholder;
  for (const el of root.querySelectorAll('[data-i18n-aria-label]')) el.setAttribute('aria-label', t[el.dataset.i18nAriaLabel] ?? '');
  document.title = t.title;
}
