package kpi

import (
	"slices"
	"time"
)

// NightCoverageWindow is how soon an after-hours contact must be answered to
// count as covered.
const NightCoverageWindow = 30 * time.Second

// Compute folds events into a Report: one Cell per contact (first-response
// times exact), then FromCells. by lists the splits (see ParseBy); nil or
// empty gives DefaultBy. Unknown split names are ignored here; validate user
// input with ParseBy first. It is the reference the SQL path is tested
// against.
func Compute(events []Event, by []string) Report {
	if len(by) == 0 {
		by = DefaultBy
	}
	facts, ignored := foldContacts(events)
	var start func(time.Time) time.Time
	switch {
	case slices.Contains(by, ByHour):
		start = hourStart
	case slices.Contains(by, ByDay):
		start = dayStart
	}
	cells := make([]Cell, len(facts))
	for i, f := range facts {
		var b time.Time
		if start != nil {
			b = start(f.received)
		}
		cells[i] = cellOf(f, b)
	}
	r := FromCells(cells, by)
	r.Counts.IgnoredEvents = ignored
	return r
}

// hourStart is the start of t's hour in t's location.
func hourStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), 0, 0, 0, t.Location())
}

// dayStart is the start of t's day in t's location; pass times in
// Asia/Hong_Kong to get Hong Kong days.
func dayStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}
