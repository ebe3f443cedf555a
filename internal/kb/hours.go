package kb

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/harbordesk/harbordesk/internal/hkcal"
)

var dayKeys = map[string][]time.Weekday{
	"sun": {time.Sunday}, "mon": {time.Monday}, "tue": {time.Tuesday}, "wed": {time.Wednesday},
	"thu": {time.Thursday}, "fri": {time.Friday}, "sat": {time.Saturday},
	"mon-fri": {time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
	"mon-sat": {time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday},
	"daily":   {time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday},
}

// ParseHours turns an article's hours map into a schedule. Group keys
// ("daily", "mon-sat", "mon-fri") apply first; single days override them.
// "holiday" sets general-holiday hours; without it holidays use the weekday's.
func ParseHours(m map[string]string) (hkcal.Schedule, error) {
	var s hkcal.Schedule
	if len(m) == 0 {
		return s, fmt.Errorf("no days given")
	}
	holidaySet := false
	for _, pass := range []int{7, 6, 5, 1} { // widest groups first
		for _, k := range sortedKeys(m) {
			days, ok := dayKeys[k]
			if k == "holiday" || !ok || len(days) != pass {
				continue
			}
			h, err := parseWindow(m[k])
			if err != nil {
				return s, fmt.Errorf("%s: %w", k, err)
			}
			for _, d := range days {
				s.Days[d] = h
			}
		}
	}
	for k, v := range m {
		if k == "holiday" {
			h, err := parseWindow(v)
			if err != nil {
				return s, fmt.Errorf("holiday: %w", err)
			}
			s.Holiday, holidaySet = h, true
			continue
		}
		if _, ok := dayKeys[k]; !ok {
			return s, fmt.Errorf("unknown day key %q (want mon..sun, mon-fri, mon-sat, daily, holiday)", k)
		}
	}
	if !holidaySet {
		return s, fmt.Errorf("holiday: required (say \"closed\" if closed on general holidays)")
	}
	return s, nil
}

func parseWindow(v string) (*hkcal.Hours, error) {
	v = strings.TrimSpace(v)
	if v == "closed" {
		return nil, nil
	}
	from, to, ok := strings.Cut(v, "-")
	if !ok {
		return nil, fmt.Errorf("%q: want HH:MM-HH:MM or closed", v)
	}
	o, err := parseClock(from)
	if err != nil {
		return nil, err
	}
	c, err := parseClock(to)
	if err != nil {
		return nil, err
	}
	if c <= o {
		return nil, fmt.Errorf("%q: closing time must be after opening time", v)
	}
	return &hkcal.Hours{Open: o, Close: c}, nil
}

func parseClock(s string) (time.Duration, error) {
	hh, mm, ok := strings.Cut(strings.TrimSpace(s), ":")
	h, err1 := strconv.Atoi(hh)
	m, err2 := strconv.Atoi(mm)
	if !ok || err1 != nil || err2 != nil || len(mm) != 2 || h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("%q: want a clock time HH:MM between 00:00 and 24:00", s)
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute, nil
}

func formatClock(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d/time.Hour), int(d%time.Hour/time.Minute))
}
