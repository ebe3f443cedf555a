// Package whatsapp speaks the WhatsApp Business Cloud API on behalf of the
// desk: it verifies the webhook subscription handshake and the
// X-Hub-Signature-256 of inbound deliveries, parses webhook payloads into
// customer messages and delivery statuses, and sends replies (free-form text
// inside the 24-hour customer-service window, pre-approved templates outside
// it) and downloads voice-note media through the Graph API.
//
// It is a pure protocol adapter: no HTTP routing, no Temporal, no storage.
package whatsapp
