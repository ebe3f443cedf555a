package activities_test

import (
	"strings"
	"testing"

	"github.com/harbordesk/harbordesk/activities"
	"github.com/harbordesk/harbordesk/internal/playbook"
)

func TestPlaybookLive(t *testing.T) {
	old := `version: "` + playbook.Default().Version + `"`
	next, err := playbook.Parse([]byte(strings.Replace(string(playbook.DefaultYAML()), old, `version: "2027.1"`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	var none *activities.PlaybookLive
	tests := []struct {
		name string
		live *activities.PlaybookLive
		want *playbook.Set
	}{
		{"nil live serves the shipped set", none, playbook.Default()},
		{"empty live serves the shipped set", &activities.PlaybookLive{}, playbook.Default()},
		{"started with nil", activities.NewPlaybookLive(nil), playbook.Default()},
		{"started with a set", activities.NewPlaybookLive(next), next},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.live.Load(); got != tc.want {
				t.Fatalf("Load() = %s, want %s", got.Version, tc.want.Version)
			}
		})
	}
	live := activities.NewPlaybookLive(nil)
	live.Store(next)
	if live.Load() != next {
		t.Fatal("Store did not swap the set")
	}
	live.Store(nil)
	if live.Load() != playbook.Default() {
		t.Fatal("Store(nil) did not restore the shipped set")
	}
}

// BenchmarkPlaybookLiveLoad is the cost Compose and LookupOrder pay per call
// for hot-swappable playbooks.
func BenchmarkPlaybookLiveLoad(b *testing.B) {
	live := activities.NewPlaybookLive(playbook.Default())
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			_ = live.Load().For("business_hours")
		}
	})
}
