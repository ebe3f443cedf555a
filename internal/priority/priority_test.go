package priority

import "testing"

func TestOrder(t *testing.T) {
	tests := []struct {
		a, b Level
		want bool
	}{
		{P1, P2, true}, {P2, P1, false}, {P3, P3, false}, {P4, "", true}, {"", P4, false}, {"P9", P4, false}, {P4, "P9", true},
	}
	for _, tt := range tests {
		if got := tt.a.MoreUrgent(tt.b); got != tt.want {
			t.Errorf("%q.MoreUrgent(%q) = %v", tt.a, tt.b, got)
		}
	}
	if got := Max(P4, "", P2, P3); got != P2 {
		t.Errorf("Max = %q", got)
	}
	if got := Max(); got != "" {
		t.Errorf("Max() = %q", got)
	}
}

func TestFloorVIPOr(t *testing.T) {
	tests := []struct {
		name string
		got  Level
		want Level
	}{
		{"floor raises", P4.Floor(P2), P2},
		{"floor keeps a more urgent level", P1.Floor(P2), P1},
		{"no floor", P3.Floor(""), P3},
		{"floor of nothing", Level("").Floor(P3), P3},
		{"VIP capped at P2", P4.ForVIP(true), P2},
		{"VIP keeps P1", P1.ForVIP(true), P1},
		{"not VIP unchanged", P4.ForVIP(false), P4},
		{"Or valid", P2.Or(P3), P2},
		{"Or default", Level("").Or(P3), P3},
		{"Or invalid", Level("urgent").Or(P3), P3},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}
