// Package phrase owns the desk's fixed customer-facing messages — privacy
// notice, opt-out confirmation, handoff, order-number prompt, order status,
// satisfaction survey, low-confidence fallback — in every reply locale
// (yue-Hant, yue-Hans, zh-Hant, zh-Hans, en), with {placeholder} arguments.
package phrase
