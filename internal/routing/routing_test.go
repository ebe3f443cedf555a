package routing

import (
	"testing"
	"time"
)

func TestPick(t *testing.T) {
	t0 := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	mei := Candidate{Login: "mei", Languages: []string{"yue", "en"}, Presence: "online", Open: 1, MaxOpen: 3, LastAssigned: t0}
	li := Candidate{Login: "li", Languages: []string{"zh"}, Presence: "online", Open: 0, MaxOpen: 3}
	sam := Candidate{Login: "sam", Languages: []string{"en"}, Presence: "offline", MaxOpen: 3}
	ann := Candidate{Login: "ann", Languages: []string{"yue"}, Presence: "online", Open: 1, MaxOpen: 3, LastAssigned: t0.Add(time.Minute)}
	full := Candidate{Login: "bo", Languages: []string{"yue"}, Presence: "online", Open: 2, MaxOpen: 2}
	away := Candidate{Login: "cy", Languages: []string{"yue"}, Presence: "away", MaxOpen: 5}
	tests := []struct {
		name     string
		cands    []Candidate
		language string
		exclude  []string
		want     string
	}{
		{"the one speaker of the language", []Candidate{mei, li}, "zh", nil, "li"},
		{"nobody speaks it", []Candidate{li}, "yue", nil, ""},
		{"offline agents are skipped", []Candidate{sam}, "en", nil, ""},
		{"away agents are skipped", []Candidate{away}, "yue", nil, ""},
		{"full agents are skipped", []Candidate{full}, "yue", nil, ""},
		{"least loaded first", []Candidate{mei, {Login: "zed", Languages: []string{"yue"}, Presence: "online", MaxOpen: 3}}, "yue", nil, "zed"},
		{"tie: assigned longest ago (round-robin)", []Candidate{ann, mei}, "yue", nil, "mei"},
		{"tie on time too: by login", []Candidate{{Login: "b", Languages: []string{"en"}, Presence: "online", MaxOpen: 1}, {Login: "a", Languages: []string{"en"}, Presence: "online", MaxOpen: 1}}, "en", nil, "a"},
		{"excluded agents are skipped", []Candidate{mei, ann}, "yue", []string{"mei"}, "ann"},
		{"unknown language: anyone", []Candidate{li}, "", nil, "li"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Pick(tt.cands, tt.language, tt.exclude)
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("Pick = %q, %v; want %q", got, ok, tt.want)
			}
		})
	}
}

// Round-robin: assigning to the picked agent (time moves on) hands the next
// equal-load handoff to the other.
func TestPickRotates(t *testing.T) {
	cands := []Candidate{
		{Login: "a", Languages: []string{"en"}, Presence: "online", MaxOpen: 10},
		{Login: "b", Languages: []string{"en"}, Presence: "online", MaxOpen: 10},
	}
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	var got []string
	for i := range 4 {
		login, _ := Pick(cands, "en", nil)
		got = append(got, login)
		for j := range cands {
			if cands[j].Login == login {
				cands[j].LastAssigned = now.Add(time.Duration(i) * time.Second)
			}
			cands[j].Open = 0 // each resolved at once: equal load
		}
	}
	if want := []string{"a", "b", "a", "b"}; !equal(got, want) {
		t.Errorf("picks %v, want %v", got, want)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
