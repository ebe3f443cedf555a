package whatsapp

import (
	"testing"
	"time"
)

func TestInServiceWindow(t *testing.T) {
	now := time.Date(2025, 3, 1, 23, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		last time.Time
		want bool
	}{
		{"just now", now.Add(-time.Minute), true},
		{"23h59m ago", now.Add(-24*time.Hour + time.Minute), true},
		{"exactly 24h ago", now.Add(-24 * time.Hour), false},
		{"two days ago", now.Add(-48 * time.Hour), false},
		{"clock skew future", now.Add(time.Minute), true},
		{"never", time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := InServiceWindow(tt.last, now); got != tt.want {
				t.Fatalf("InServiceWindow = %v, want %v", got, tt.want)
			}
		})
	}
}
