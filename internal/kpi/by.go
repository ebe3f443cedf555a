package kpi

import (
	"errors"
	"strings"
)

// Split dimensions accepted in the by list.
const (
	ByLanguage = "language"
	ByChannel  = "channel"
	ByArm      = "arm"
	ByHour     = "hour"
	ByDay      = "day"
)

// DefaultBy is used when no split is asked for: language, channel and arm.
var DefaultBy = []string{ByLanguage, ByChannel, ByArm}

// ErrUnknownSplit is returned by ParseBy for a dimension it does not know.
var ErrUnknownSplit = errors.New("kpi: unknown split; use language, channel, arm, hour or day")

// ErrTwoBuckets is returned by ParseBy when both hour and day are asked for.
var ErrTwoBuckets = errors.New("kpi: ask for hour or day, not both")

// ParseBy reads a comma-separated split list such as the by query parameter
// ("language,arm,hour"). An empty string gives DefaultBy. Names are
// case-insensitive; duplicates are dropped.
func ParseBy(s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return append([]string(nil), DefaultBy...), nil
	}
	var out []string
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		d := strings.ToLower(strings.TrimSpace(part))
		switch d {
		case ByLanguage, ByChannel, ByArm, ByHour, ByDay:
		case "":
			continue
		default:
			return nil, ErrUnknownSplit
		}
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	if seen[ByHour] && seen[ByDay] {
		return nil, ErrTwoBuckets
	}
	return out, nil
}
