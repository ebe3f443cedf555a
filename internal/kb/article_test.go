package kb

import (
	"strings"
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/internal/hkcal"
)

func TestParseArticlesErrors(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"not yaml", "- id: [", "parse articles"},
		{"empty", "[]", "no articles"},
		{"unknown field", "- id: a\n  intent: other\n  topic: t\n  colour: red\n  versions: {en: {title: T, body: B}}", "colour"},
		{"bad slug", "- id: Returns Policy\n  intent: other\n  topic: t\n  versions: {en: {title: T, body: B}}", "lower-case slug"},
		{"bad intent", "- id: a\n  intent: gossip\n  topic: t\n  versions: {en: {title: T, body: B}}", `intent "gossip"`},
		{"no topic", "- id: a\n  intent: other\n  versions: {en: {title: T, body: B}}", "topic: required"},
		{"no versions", "- id: a\n  intent: other\n  topic: t", "at least one locale"},
		{"bad locale", "- id: a\n  intent: other\n  topic: t\n  versions: {fr: {title: T, body: B}}", `unknown locale "fr"`},
		{"empty body", "- id: a\n  intent: other\n  topic: t\n  versions: {en: {title: T, body: ' '}}", "versions.en.body: required"},
		{"empty title", "- id: a\n  intent: other\n  topic: t\n  versions: {en: {title: '', body: B}}", "versions.en.title: required"},
		{"duplicate", "- {id: a, intent: other, topic: t, versions: {en: {title: T, body: B}}}\n- {id: a, intent: other, topic: t, versions: {en: {title: T, body: B}}}", "duplicate id"},
		{"bad date", "- id: a\n  intent: other\n  topic: t\n  valid_from: tomorrow\n  versions: {en: {title: T, body: B}}", "valid_from"},
		{"bad valid_to", "- id: a\n  intent: other\n  topic: t\n  valid_to: 31/12/2026\n  versions: {en: {title: T, body: B}}", "valid_to"},
		{"to before from", "- id: a\n  intent: other\n  topic: t\n  valid_from: 2026-02-01\n  valid_to: 2026-01-01\n  versions: {en: {title: T, body: B}}", "after valid_from"},
		{"bad hours", "- id: a\n  intent: other\n  topic: t\n  hours: {daily: '10-22', holiday: closed}\n  versions: {en: {title: T, body: B}}", "hours: daily"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseArticles([]byte(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want containing %q", err, tt.want)
			}
		})
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	src := "- id: promo-cny\n  intent: other\n  topic: promo\n  tags: [cny]\n  valid_from: 2026-02-01\n  valid_to: 2026-02-20T12:00:00+08:00\n  versions: {en: {title: CNY sale, body: '20% off'}}\n"
	arts, err := ParseArticles([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 2, 1, 0, 0, 0, 0, hkcal.HK); !arts[0].ValidFrom.Equal(want) {
		t.Errorf("valid_from = %v (date means HK midnight)", arts[0].ValidFrom)
	}
	out, err := MarshalArticles(arts)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseArticles(out)
	if err != nil {
		t.Fatalf("reparse: %v\n%s", err, out)
	}
	if !back[0].ValidFrom.Equal(arts[0].ValidFrom) || !back[0].ValidTo.Equal(arts[0].ValidTo) || back[0].Versions["en"] != arts[0].Versions["en"] {
		t.Errorf("round trip changed article: %+v vs %+v", back[0], arts[0])
	}
	if !strings.Contains(string(out), "valid_from: \"2026-02-01\"") && !strings.Contains(string(out), "valid_from: 2026-02-01") {
		t.Errorf("date not written as a date:\n%s", out)
	}
	if _, err := MarshalArticles([]Article{{ID: "x"}}); err == nil {
		t.Error("marshal of invalid article succeeded")
	}
}

func TestValidAt(t *testing.T) {
	a := Article{ValidFrom: time.Date(2026, 2, 1, 0, 0, 0, 0, hkcal.HK), ValidTo: time.Date(2026, 2, 20, 0, 0, 0, 0, hkcal.HK)}
	for _, tt := range []struct {
		at   time.Time
		want bool
	}{
		{time.Date(2026, 1, 31, 23, 59, 0, 0, hkcal.HK), false},
		{time.Date(2026, 2, 1, 0, 0, 0, 0, hkcal.HK), true},
		{time.Date(2026, 2, 19, 23, 59, 0, 0, hkcal.HK), true},
		{time.Date(2026, 2, 20, 0, 0, 0, 0, hkcal.HK), false},
	} {
		if got := a.ValidAt(tt.at); got != tt.want {
			t.Errorf("ValidAt(%v) = %v", tt.at, got)
		}
	}
	if !(Article{}).ValidAt(time.Time{}) {
		t.Error("open-ended article not valid")
	}
}

func TestParseHours(t *testing.T) {
	s, err := ParseHours(map[string]string{"mon-fri": "10:00-22:00", "fri": "10:00-23:00", "sat": "closed", "sun": "11:00-24:00", "holiday": "closed"})
	if err != nil {
		t.Fatal(err)
	}
	if s.Days[time.Monday].Close != 22*time.Hour || s.Days[time.Friday].Close != 23*time.Hour || s.Days[time.Saturday] != nil ||
		s.Days[time.Sunday].Close != 24*time.Hour || s.Holiday != nil {
		t.Errorf("schedule = %+v", s)
	}
	for _, bad := range []map[string]string{
		{},
		{"daily": "10:00-22:00"}, // no holiday
		{"weekdays": "10:00-22:00", "holiday": "closed"}, // unknown key
		{"daily": "22:00-10:00", "holiday": "closed"},    // reversed
		{"daily": "10:00-25:00", "holiday": "closed"},
		{"daily": "10:0-22:00", "holiday": "closed"},
		{"daily": "10:00-22:00", "holiday": "soon"},
		{"daily": "10:00", "holiday": "closed"},
		{"daily": "ab:00-22:00", "holiday": "closed"},
	} {
		if _, err := ParseHours(bad); err == nil {
			t.Errorf("ParseHours(%v) accepted", bad)
		}
	}
}
