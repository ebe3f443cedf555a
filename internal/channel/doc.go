// Package channel owns outbound delivery: one Outbound reply, addressed to a
// customer on the channel the contact came in on, handed to the Sender for
// that channel (WhatsApp, DingTalk, web chat) by a Router, with a single
// answer to "may this failure be retried?" (IsPermanent).
//
// The wire protocols live in subpackages: whatsapp (Cloud API webhooks and
// Graph API) and dingtalkbot (robot callback and session-webhook replies).
package channel
