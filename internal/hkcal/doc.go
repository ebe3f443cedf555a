// Package hkcal owns Hong Kong local time and the business calendar: the
// Asia/Hong_Kong location, the gazetted general holidays, and opening-hours
// schedules (is the desk or a shop open, when does it open next, and how much
// open time has elapsed for an SLA clock).
//
// Everything here is deterministic: no function reads the wall clock, callers
// pass the instant they care about.
package hkcal
