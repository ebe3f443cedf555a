package profile

import (
	"strings"
	"testing"
	"time"
)

func TestBackArgs(t *testing.T) {
	hk := time.FixedZone("HKT", 8*3600)
	now := time.Date(2026, 12, 4, 23, 10, 0, 0, hk) // a Friday night
	for _, c := range []struct {
		next      time.Time
		at, day   string
		nowInZone time.Time
	}{
		{time.Date(2026, 12, 5, 9, 0, 0, 0, hk), "09:00", "tomorrow", now},
		{time.Date(2026, 12, 4, 23, 30, 0, 0, hk), "23:30", "today", now},
		{time.Date(2026, 12, 7, 9, 30, 0, 0, hk), "09:30", "monday", now},
		// now given in UTC (15:10 UTC is 23:10 in Hong Kong): still Friday there
		{time.Date(2026, 12, 5, 9, 0, 0, 0, hk), "09:00", "tomorrow", now.UTC()},
	} {
		got := BackArgs(c.nowInZone, c.next)
		if got["back_at"] != c.at || got["back_day"] != c.day {
			t.Errorf("BackArgs(%v, %v) = %v, want %s %s", c.nowInZone, c.next, got, c.at, c.day)
		}
	}
	if got := BackArgs(now, time.Time{}); got["back_at"] != "" || got["back_day"] != "" {
		t.Errorf("a desk that never opens: %v", got)
	}
}

// The default after-hours handoff says when the team is back in each
// locale's own words, never a raw token or an empty gap.
func TestAfterHoursTextSaysTheDay(t *testing.T) {
	p := Default()
	hk := time.FixedZone("HKT", 8*3600)
	args := BackArgs(time.Date(2026, 12, 4, 23, 10, 0, 0, hk), time.Date(2026, 12, 5, 9, 0, 0, 0, hk))
	for loc, want := range map[string]string{
		"yue-Hant": "聽日 09:00", "yue-Hans": "听日 09:00", "zh-Hant": "明天 09:00", "zh-Hans": "明天 09:00", "en": "09:00 tomorrow",
	} {
		got := p.Text(HandoffAfterHours, loc, args)
		if !strings.Contains(got, want) || strings.Contains(got, "tomorrow") && loc != "en" {
			t.Errorf("%s: %q, want it to contain %q", loc, got, want)
		}
	}
	monday := BackArgs(time.Date(2026, 12, 5, 20, 0, 0, 0, hk), time.Date(2026, 12, 7, 9, 0, 0, 0, hk))
	if got := p.Text(HandoffAfterHours, "en", monday); !strings.Contains(got, "09:00 on Monday") {
		t.Errorf("en, Saturday night: %q", got)
	}
	if got := p.Text(HandoffAfterHours, "yue-Hant", monday); !strings.Contains(got, "星期一 09:00") {
		t.Errorf("yue-Hant, Saturday night: %q", got)
	}
}
