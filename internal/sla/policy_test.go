package sla

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParsePolicy(t *testing.T) {
	def := DefaultPolicy()
	tests := []struct {
		name string
		in   string
		want func() Policy
	}{
		{"empty is default", "", DefaultPolicy},
		{"blank is default", "  ", DefaultPolicy},
		{"documented example", "P1=10m,P2=30m,P3=4h,P4=24h", DefaultPolicy},
		{"seconds for tests", "P1=3s", func() Policy {
			p := DefaultPolicy()
			p.Rules[0].Target = 3 * time.Second
			return p
		}},
		{"clock override and spaces", " p3 = 2h30m @ WALL , P1=1m@business", func() Policy {
			p := DefaultPolicy()
			p.Rules[2] = Rule{150 * time.Minute, Wall}
			p.Rules[0] = Rule{time.Minute, Business}
			return p
		}},
		{"missing priorities keep defaults", "P4=48h", func() Policy {
			p := DefaultPolicy()
			p.Rules[3].Target = 48 * time.Hour
			return p
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParsePolicy(tc.in)
			if err != nil {
				t.Fatalf("ParsePolicy(%q): %v", tc.in, err)
			}
			if want := tc.want(); got.Rules != want.Rules {
				t.Fatalf("ParsePolicy(%q) = %v, want %v", tc.in, got, want)
			}
		})
	}
	if def.String() != "P1=10m@wall,P2=30m@wall,P3=4h@business,P4=24h@business" {
		t.Fatalf("DefaultPolicy().String() = %q", def.String())
	}
}

func TestParsePolicyRoundTrip(t *testing.T) {
	for _, in := range []string{"P1=3s,P2=1m30s", "P3=4h@wall,P4=90m", "P1=2h45m10s@business"} {
		p, err := ParsePolicy(in)
		if err != nil {
			t.Fatal(err)
		}
		q, err := ParsePolicy(p.String())
		if err != nil || q.Rules != p.Rules {
			t.Fatalf("round trip of %q via %q: %v %v", in, p.String(), q, err)
		}
	}
}

func TestParsePolicyErrors(t *testing.T) {
	tests := []struct{ in, part, reason string }{
		{"P1", "P1", "PRIORITY=DURATION"},
		{"P1=10m,", "", "PRIORITY=DURATION"},
		{"P5=10m", "P5=10m", "P1, P2, P3 or P4"},
		{"=10m", "=10m", "P1, P2, P3 or P4"},
		{"P1=10m,p1=5m", "p1=5m", "twice"},
		{"P2=ten", "P2=ten", "invalid duration"},
		{"P2=", "P2=", "invalid duration"},
		{"P1=500ms", "P1=500ms", "at least 1s"},
		{"P1=-5m", "P1=-5m", "at least 1s"},
		{"P3=4h@weekdays", "P3=4h@weekdays", `"wall" or "business"`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			_, err := ParsePolicy(tc.in)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("ParsePolicy(%q) error = %v, want *ParseError", tc.in, err)
			}
			if pe.Part != tc.part {
				t.Errorf("Part = %q, want %q", pe.Part, tc.part)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "HARBORDESK_SLA: ") || !strings.Contains(msg, tc.reason) || !strings.Contains(msg, `"`+tc.part+`"`) {
				t.Errorf("message %q should name HARBORDESK_SLA, the part and %q", msg, tc.reason)
			}
		})
	}
}

func TestRuleLookup(t *testing.T) {
	p := DefaultPolicy()
	tests := []struct {
		priority string
		target   time.Duration
		clock    Clock
	}{
		{"P1", 10 * time.Minute, Wall},
		{"p2", 30 * time.Minute, Wall},
		{"P3", 4 * time.Hour, Business},
		{"P4", 24 * time.Hour, Business},
		{"", 24 * time.Hour, Business},   // unknown priorities escalate like P4
		{"P9", 24 * time.Hour, Business}, // rather than never
	}
	for _, tc := range tests {
		if got := p.Target(tc.priority); got != tc.target {
			t.Errorf("Target(%q) = %v, want %v", tc.priority, got, tc.target)
		}
		if got := p.Clock(tc.priority); got != tc.clock {
			t.Errorf("Clock(%q) = %v, want %v", tc.priority, got, tc.clock)
		}
	}
}

func TestNotifyImmediately(t *testing.T) {
	tests := []struct {
		priority string
		vip      bool
		want     bool
	}{
		{"P1", false, true},
		{"p1", false, true},
		{"P2", false, false},
		{"P4", true, true},
		{"P3", false, false},
		{"", true, true},
	}
	for _, tc := range tests {
		if got := NotifyImmediately(tc.priority, tc.vip); got != tc.want {
			t.Errorf("NotifyImmediately(%q, %v) = %v, want %v", tc.priority, tc.vip, got, tc.want)
		}
	}
}
