// Package kpi owns the desk's key performance figures: it folds the events a
// contact records (received, first reply, handoff, first human reply,
// resolved, reopened, CSAT score, SLA breach) into the numbers the business
// case is built on — first-response time, first-contact resolution, night
// coverage, handoff rate, SLA breaches and CSAT — split by language, channel,
// A/B arm and time bucket, with the AI−human difference and its significance.
//
// Compute is a pure function: no clock, no I/O, no randomness. Every ratio of
// an empty set is 0 and every p-value without data is 1, so a Report always
// encodes as JSON (which cannot carry NaN or ±Inf).
//
// Definitions (per contact, a contact being one ContactID that has a
// "received" event; events of contacts without one are counted as ignored):
//
//   - first response: earliest first_reply or first_human_reply minus the
//     earliest received, clamped at 0; p50/p90 by nearest rank over answered
//     contacts.
//   - first-contact resolution (FCR): among contacts that were resolved, the
//     share never reopened. A contact is one conversation on one channel; it
//     is resolved "within the first contact" when the resolution is recorded on
//     that contact (by the bot or by a human after a handoff) and the customer
//     never had to come back to reopen it. A contact resolved only after a
//     reopen is not first-contact resolved.
//   - night coverage: among after-hours contacts (AfterHours on the received
//     event), the share whose first response came within 30 s (inclusive).
//     Unanswered after-hours contacts count as not covered.
//   - handoff rate: contacts with at least one handoff over all contacts.
//   - SLA breaches: number of sla_breach events.
//   - CSAT: the last valid score (1–5) per contact; mean, count, and share of
//     4–5 ("satisfied").
package kpi
