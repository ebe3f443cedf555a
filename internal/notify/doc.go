// Package notify owns supervisor notification: telling a human supervisor
// that a contact needs attention (a new urgent or VIP contact, an SLA at
// risk or breached, a duty-manager page).
//
// Notifier is the seam: DingTalk (a custom group robot, signed, rate-limited
// with coalescing), LogNotifier (when no pusher is configured) and Multi
// (fan-out) implement it, and e-mail or other pushers can be added beside
// them. A Notifier never loses a notification silently: it either delivers
// it, or returns an error that IsPermanent classifies, so a Temporal activity
// retries the retryable ones and fails the permanent ones loudly.
//
// Notifications carry only masked text; no implementation logs the title,
// summary or mentions.
package notify
