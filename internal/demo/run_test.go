package demo

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/internal/apiclient"
)

// expected counts what the fake must see for a plan.
func expected(t *testing.T, n int, seed uint64) (handoffs, worked, scored int) {
	t.Helper()
	vs, err := Plan(n, seed, DefaultMix)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		if v.Kind == KindComplaint || v.Kind == KindDamaged || v.Kind == KindHuman {
			handoffs++
			if v.Work {
				worked++
				if v.Score != "" {
					scored++
				}
			}
		}
	}
	return
}

func TestRunPlaysTheDay(t *testing.T) {
	f, srv := newFakeDesk(t)
	var progress bytes.Buffer
	s, err := Run(context.Background(), Options{URL: srv.URL + "/", Key: "admin", AgentKeys: []string{"agent-a", "agent-b"},
		Contacts: 80, Seed: 1, RunID: "t1", Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	handoffs, worked, scored := expected(t, 80, 1)
	if handoffs == 0 || worked == 0 || scored == 0 {
		t.Fatalf("plan has %d handoffs, %d worked, %d scored: the test needs some of each", handoffs, worked, scored)
	}
	want := Summary{RunID: "t1", Posted: 80, Answered: 80, HandedOff: handoffs, Claimed: worked, Resolved: worked, SurveysAnswered: scored}
	got := s
	got.ByLanguage, got.ByKind, got.KPIs = nil, nil, want.KPIs
	if !reflect.DeepEqual(got, want) {
		t.Errorf("summary = %+v\nwant      %+v", got, want)
	}
	if len(f.contacts) != 80 {
		t.Errorf("fake has %d contacts", len(f.contacts))
	}
	sum := 0
	for _, c := range s.ByLanguage {
		sum += c
	}
	if sum != 80 || len(s.ByLanguage) != 4 || len(s.ByKind) != 6 {
		t.Errorf("by language %v, by kind %v", s.ByLanguage, s.ByKind)
	}

	agents, resolved, scores := map[string]int{}, 0, 0
	for _, c := range f.contacts {
		if c.State != "resolved" {
			continue
		}
		resolved++
		agents[c.Agent]++
		scores += len(c.Scores)
		lang := languageOf(c.Text)
		if len(c.AgentTexts) != 1 || !contains(agentReplies[lang], c.AgentTexts[0]) {
			t.Errorf("contact %s in %s: agent wrote %q, want one reply in the customer's language and script", c.ID, lang, c.AgentTexts)
		}
		if c.Code != resolutionCodes[kindOf(c.Text)] {
			t.Errorf("contact %s (%s) resolved with code %q", c.ID, kindOf(c.Text), c.Code)
		}
		for _, sc := range c.Scores {
			if !contains(surveyScores, sc) {
				t.Errorf("score %q", sc)
			}
		}
		if !strings.HasPrefix(c.Customer, "demo-t1-c") {
			t.Errorf("customer id %q", c.Customer)
		}
	}
	if resolved != worked || scores != scored {
		t.Errorf("fake: %d resolved, %d scores; want %d, %d", resolved, scores, worked, scored)
	}
	if len(agents) != 2 || agents["agent-a"] == 0 || agents["agent-b"] == 0 {
		t.Errorf("agents %v: want both agent keys to work handoffs", agents)
	}
	if s.KPIs.Contacts != 80 || s.KPIs.Counts.Resolved != worked || s.KPIs.CSAT.Count != scored || s.KPIs.Counts.HandedOff != handoffs {
		t.Errorf("KPIs = %+v", s.KPIs)
	}
	out := progress.String()
	for _, w := range []string{"run t1: 80 contacts", "posted 80/80", "handed off", "agents resolved", "KPIs: 80 contacts", "stamped on arrival"} {
		if !strings.Contains(out, w) {
			t.Errorf("progress lacks %q:\n%s", w, out)
		}
	}

	// A second run on the same instance keeps its conversations apart.
	if _, err := Run(context.Background(), Options{URL: srv.URL, Key: "admin", Contacts: 5, Seed: 1, RunID: "t2"}); err != nil {
		t.Fatal(err)
	}
	if len(f.contacts) != 85 {
		t.Errorf("after a second run the fake has %d contacts, want 85", len(f.contacts))
	}
}

func languageOf(text string) Language {
	for _, byLang := range openers {
		for l, texts := range byLang {
			if contains(texts, text) {
				return l
			}
		}
	}
	return Language{}
}

// Degraded runs: the run goes on and reports what it could not do.
func TestRunDegraded(t *testing.T) {
	handoffs, worked, scored := expected(t, 40, 2)
	tests := []struct {
		name  string
		setup func(*fakeDesk)
		check func(t *testing.T, s Summary)
	}{
		{"handoffs already claimed by someone else", func(f *fakeDesk) { f.preClaimed = true }, func(t *testing.T, s Summary) {
			if s.ClaimedByOthers != worked || s.Claimed != 0 || s.Resolved != 0 {
				t.Errorf("summary %+v: want %d taken by others, none claimed", s, worked)
			}
		}},
		{"surveys never arrive", func(f *fakeDesk) { f.noSurvey = true }, func(t *testing.T, s Summary) {
			if s.SurveysMissing != scored || s.SurveysAnswered != 0 || s.Resolved != worked {
				t.Errorf("summary %+v: want %d surveys missing", s, scored)
			}
		}},
		{"survey answers counted late", func(f *fakeDesk) { f.staleCSAT = 2 }, func(t *testing.T, s Summary) {
			if s.SurveysAnswered != scored || s.KPIs.CSAT.Count != scored {
				t.Errorf("summary %+v, KPIs %+v: want the KPIs fetched once the %d answers count", s, s.KPIs.CSAT, scored)
			}
		}},
		{"survey answers never counted", func(f *fakeDesk) { f.staleCSAT = 1 << 30 }, func(t *testing.T, s Summary) {
			if s.SurveysAnswered != scored || s.KPIs.CSAT.Count != 0 {
				t.Errorf("summary %+v, KPIs %+v: want the KPIs as they are after Wait", s, s.KPIs.CSAT)
			}
		}},
		{"the desk never answers", func(f *fakeDesk) { f.silent = true }, func(t *testing.T, s Summary) {
			if s.Posted != 40 || s.Answered != 0 || s.HandedOff != 0 {
				t.Errorf("summary %+v: want 40 posted, none answered", s)
			}
		}},
		{"some contacts refused", func(f *fakeDesk) { f.reject = func(x string) bool { return kindOf(x) == KindSmalltalk } }, func(t *testing.T, s Summary) {
			if s.Posted == 40 || s.Posted == 0 || s.ByKind[string(KindSmalltalk)] != 0 || s.HandedOff != handoffs {
				t.Errorf("summary %+v: want the smalltalk contacts refused, the rest played", s)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, srv := newFakeDesk(t)
			tc.setup(f)
			var progress bytes.Buffer
			wait := 100 * time.Millisecond // bounds the waits that never end
			if f.staleCSAT == 2 {
				wait = 10 * time.Second // ends after two KPI polls
			}
			s, err := Run(context.Background(), Options{URL: srv.URL, Key: "admin", Contacts: 40, Seed: 2, RunID: "d",
				Wait: wait, Progress: &progress})
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, s)
			assertNoCustomerText(t, progress.String())
		})
	}
}

// Fatal failures stop the run with an error that names the call, not the
// customer's words.
func TestRunErrors(t *testing.T) {
	tests := []struct {
		name       string
		opts       func(url string) Options
		setup      func(*fakeDesk, func())
		wantStatus int // 0: not an API status error
		wantErr    error
	}{
		{"unknown key", func(u string) Options { return Options{URL: u, Key: "nope", Contacts: 3} }, nil, 401, nil},
		{"intake key cannot read KPIs", func(u string) Options { return Options{URL: u, Key: "intake", Contacts: 3} }, nil, 403, nil},
		{"agent key cannot read KPIs", func(u string) Options { return Options{URL: u, Key: "agent-a", Contacts: 3} }, nil, 403, nil},
		{"agent keys refused", func(u string) Options {
			return Options{URL: u, Key: "admin", AgentKeys: []string{"intake"}, Contacts: 30, Mix: Mix{WorkShare: 1, SurveyShare: 1}}
		}, nil, 403, nil},
		{"server down", func(u string) Options { return Options{URL: u, Key: "admin", Contacts: 3} }, func(_ *fakeDesk, stop func()) { stop() }, 0, nil},
		{"answer is not JSON", func(u string) Options { return Options{URL: u, Key: "admin", Contacts: 3} }, func(f *fakeDesk, _ func()) { f.badJSON = true }, 0, nil},
		{"no contacts", func(u string) Options { return Options{URL: u, Key: "admin"} }, nil, 0, ErrNoContacts},
		{"bad share", func(u string) Options { return Options{URL: u, Key: "admin", Contacts: 3, Mix: Mix{WorkShare: 2}} }, nil, 0, ErrShare},
		{"no URL", func(string) Options { return Options{Key: "admin", Contacts: 3} }, nil, 0, ErrOptions},
		{"URL without scheme", func(string) Options { return Options{URL: "127.0.0.1:8080", Key: "admin", Contacts: 3} }, nil, 0, ErrOptions},
		{"no key", func(u string) Options { return Options{URL: u, Contacts: 3} }, nil, 0, ErrOptions},
		{"empty agent key", func(u string) Options { return Options{URL: u, Key: "admin", AgentKeys: []string{""}, Contacts: 3} }, nil, 0, ErrOptions},
		{"negative wait", func(u string) Options { return Options{URL: u, Key: "admin", Contacts: 3, Wait: -1} }, nil, 0, ErrOptions},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, srv := newFakeDesk(t)
			if tc.setup != nil {
				tc.setup(f, srv.Close)
			}
			o := tc.opts(srv.URL)
			o.Wait = 100 * time.Millisecond
			if tc.name == "negative wait" {
				o.Wait = -1
			}
			_, err := Run(context.Background(), o)
			if err == nil {
				t.Fatal("Run succeeded")
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("err = %v, want %v", err, tc.wantErr)
			}
			var se *apiclient.StatusError
			switch {
			case tc.wantStatus != 0 && (!errors.As(err, &se) || se.Status != tc.wantStatus):
				t.Errorf("err = %v, want HTTP %d", err, tc.wantStatus)
			case tc.wantStatus == 0 && errors.As(err, &se):
				t.Errorf("err = %v, want no API status", err)
			}
			assertNoCustomerText(t, err.Error())
		})
	}
}

func TestRunCancelled(t *testing.T) {
	_, srv := newFakeDesk(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, Options{URL: srv.URL, Key: "admin", Contacts: 5}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// assertNoCustomerText checks that no customer message reached s.
func assertNoCustomerText(t *testing.T, s string) {
	t.Helper()
	for _, byLang := range openers {
		for _, texts := range byLang {
			for _, x := range texts {
				if strings.Contains(s, x) {
					t.Errorf("customer text %q in %q", x, s)
				}
			}
		}
	}
}
