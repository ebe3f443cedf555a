// Package sla owns the service-level policy of the desk: how long a contact of
// each priority may wait for a human, whether that clock runs on the wall
// clock or only during business hours, and the escalation ladder derived from
// it (at risk, breached, duty manager).
//
// Everything here is deterministic and safe to call from Temporal workflow
// code: no function reads the wall clock (callers pass start times), and the
// business calendar is a pure table (package hkcal).
package sla
