package demo

import (
	"errors"
	"reflect"
	"testing"
)

func TestPlan(t *testing.T) {
	tests := []struct {
		name      string
		n         int
		seed      uint64
		wantMixed bool // all languages and kinds present
	}{
		{"one contact", 1, 1, false},
		{"default day", 120, 1, true},
		{"other seed", 120, 7, true},
		{"busy day", 1000, 3, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			vs, err := Plan(tc.n, tc.seed, DefaultMix)
			if err != nil {
				t.Fatal(err)
			}
			if len(vs) != tc.n {
				t.Fatalf("len = %d, want %d", len(vs), tc.n)
			}
			langs, kinds := map[Language]bool{}, map[Kind]bool{}
			for i, v := range vs {
				if v.Seq != i+1 {
					t.Errorf("visit %d has Seq %d", i, v.Seq)
				}
				if i > 0 && v.Minute < vs[i-1].Minute {
					t.Errorf("visit %d at %s before visit %d at %s", i, v.Clock(), i-1, vs[i-1].Clock())
				}
				if v.Minute < 0 || v.Minute >= 24*60 {
					t.Errorf("visit %d at minute %d", i, v.Minute)
				}
				if kindOf(v.Text) != v.Kind || !contains(openers[v.Kind][v.Language], v.Text) {
					t.Errorf("visit %d: text is not a %s opener in %s", i, v.Kind, v.Language)
				}
				if !contains(agentReplies[v.Language], v.Reply) {
					t.Errorf("visit %d: agent reply is not in %s", i, v.Language)
				}
				if v.Score != "" && !contains(surveyScores, v.Score) {
					t.Errorf("visit %d: score %q", i, v.Score)
				}
				if v.Customer < 1 || v.Customer > max(1, tc.n*4/5) {
					t.Errorf("visit %d: customer %d", i, v.Customer)
				}
				langs[v.Language], kinds[v.Kind] = true, true
			}
			if tc.wantMixed && (len(langs) != len(demoLanguages) || len(kinds) != len(demoKinds)) {
				t.Errorf("languages %v, kinds %v: want all %d and %d", langs, kinds, len(demoLanguages), len(demoKinds))
			}
			again, _ := Plan(tc.n, tc.seed, DefaultMix)
			if !reflect.DeepEqual(vs, again) {
				t.Error("the same seed gave another plan")
			}
		})
	}
	a, _ := Plan(120, 1, DefaultMix)
	b, _ := Plan(120, 2, DefaultMix)
	if reflect.DeepEqual(a, b) {
		t.Error("seeds 1 and 2 gave the same plan")
	}
}

// The day has its shape: the small hours are quieter than the evening.
func TestPlanDayShape(t *testing.T) {
	vs, err := Plan(2000, 5, DefaultMix)
	if err != nil {
		t.Fatal(err)
	}
	night, evening := 0, 0
	for _, v := range vs {
		switch h := v.Minute / 60; {
		case h >= 2 && h < 6:
			night++
		case h >= 19 && h < 23:
			evening++
		}
	}
	if night*5 > evening {
		t.Errorf("02–06h %d contacts, 19–23h %d: want the evening at least 5× busier", night, evening)
	}
}

func TestPlanShares(t *testing.T) {
	tests := []struct {
		name               string
		mix                Mix
		wantWork, wantScor int // exact counts for the extreme shares; -1: any
	}{
		{"nobody worked", Mix{WorkShare: 0, SurveyShare: 1}, 0, 200},
		{"all worked, no survey", Mix{WorkShare: 1, SurveyShare: 0}, 200, 0},
		{"default", DefaultMix, -1, -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			vs, err := Plan(200, 1, tc.mix)
			if err != nil {
				t.Fatal(err)
			}
			work, scored := 0, 0
			for _, v := range vs {
				if v.Work {
					work++
				}
				if v.Score != "" {
					scored++
				}
			}
			if tc.wantWork >= 0 && (work != tc.wantWork || scored != tc.wantScor) {
				t.Errorf("worked %d, scored %d; want %d, %d", work, scored, tc.wantWork, tc.wantScor)
			}
			if tc.wantWork < 0 && (work == 0 || work == 200 || scored == 0 || scored == 200) {
				t.Errorf("worked %d, scored %d of 200: want a share", work, scored)
			}
		})
	}
}

func TestPlanErrors(t *testing.T) {
	tests := []struct {
		name string
		n    int
		mix  Mix
		want error
	}{
		{"zero contacts", 0, DefaultMix, ErrNoContacts},
		{"negative contacts", -3, DefaultMix, ErrNoContacts},
		{"work share below 0", 10, Mix{WorkShare: -0.1, SurveyShare: 0.5}, ErrShare},
		{"survey share above 1", 10, Mix{WorkShare: 0.5, SurveyShare: 1.5}, ErrShare},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Plan(tc.n, 1, tc.mix); !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestVisitClock(t *testing.T) {
	for min, want := range map[int]string{0: "00:00", 61: "01:01", 23*60 + 59: "23:59"} {
		if got := (Visit{Minute: min}).Clock(); got != want {
			t.Errorf("Clock(%d) = %q, want %q", min, got, want)
		}
	}
}

func BenchmarkPlan120(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Plan(120, 1, DefaultMix); err != nil {
			b.Fatal(err)
		}
	}
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
