package bench

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"
)

func opts(url string) Options {
	return Options{URL: url, Key: "test-key", Duration: 300 * time.Millisecond, Concurrency: 8,
		PollInterval: 2 * time.Millisecond, ReplyTimeout: 2 * time.Second, Seed: 1}
}

func run(t *testing.T, o Options) Result {
	t.Helper()
	res, err := Run(context.Background(), o)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return res
}

func TestRunCountsContactsAndLatency(t *testing.T) {
	f, url := newFake(t, &fakeDesk{replyDelay: 10 * time.Millisecond})
	res := run(t, opts(url))
	posts, _, redelivered := f.counts()
	if res.Contacts == 0 || res.Contacts != posts {
		t.Fatalf("contacts = %d, the server saw %d", res.Contacts, posts)
	}
	if res.Errors != 0 || res.Duplicates != 0 {
		t.Fatalf("errors = %d, duplicates = %d, want 0", res.Errors, res.Duplicates)
	}
	if redelivered == 0 {
		t.Fatalf("no duplicate deliveries in %d contacts", posts)
	}
	if res.P50 < 10 || res.P50 > res.P90 || res.P90 > res.P99 {
		t.Fatalf("percentiles p50=%v p90=%v p99=%v: want 10 <= p50 <= p90 <= p99", res.P50, res.P90, res.P99)
	}
	if res.Seconds < 0.3 {
		t.Fatalf("seconds = %v, shorter than the duration", res.Seconds)
	}
	// 8 in flight, 10ms each (plus a poll or two): at most 800/s. The
	// steady rate leaves the drain out, so it is at least the naive one.
	if naive := float64(res.Contacts) / res.Seconds; res.ContactsPerS < 0.97*naive || res.ContactsPerS > 800 {
		t.Fatalf("contacts_per_s = %v, want between %.1f (every reply over the whole run) and 800", res.ContactsPerS, naive)
	}
	if res.Ratio != nil || res.BaselineContactsPerS != nil || res.BaselineP50 != nil || res.BaselineP99 != nil {
		t.Fatalf("baseline fields set without Baseline: %+v", res)
	}
}

func diff(a, b float64) float64 {
	if a > b {
		return a - b
	}
	return b - a
}

func TestRunPercentilesShowTheSlowTail(t *testing.T) {
	// Every 10th contact waits 150ms for its reply, the rest answer at once.
	_, url := newFake(t, &fakeDesk{slowEvery: 10, slowDelay: 150 * time.Millisecond})
	res := run(t, opts(url))
	if res.P50 >= 150 {
		t.Fatalf("p50 = %vms, want the fast majority (< 150ms)", res.P50)
	}
	if res.P99 < 150 {
		t.Fatalf("p99 = %vms, want the slow tail (>= 150ms)", res.P99)
	}
}

func TestRunCountsServerErrors(t *testing.T) {
	f, url := newFake(t, &fakeDesk{failEvery: 4})
	res := run(t, opts(url))
	posts, failed, _ := f.counts()
	if failed == 0 || res.Errors != failed {
		t.Fatalf("errors = %d, the server failed %d", res.Errors, failed)
	}
	if res.Contacts != posts-failed {
		t.Fatalf("contacts = %d, want %d", res.Contacts, posts-failed)
	}
}

func TestRunCountsReplyTimeouts(t *testing.T) {
	f, url := newFake(t, &fakeDesk{silentEvery: 3})
	o := opts(url)
	o.ReplyTimeout = 50 * time.Millisecond
	res := run(t, o)
	posts, _, _ := f.counts()
	if res.Errors != posts/3 || res.Contacts != posts-posts/3 {
		t.Fatalf("errors = %d, contacts = %d; the server left %d of %d unanswered", res.Errors, res.Contacts, posts/3, posts)
	}
}

func TestRunWaitsForContactToBecomeVisible(t *testing.T) {
	f, url := newFake(t, &fakeDesk{hideFirstGets: 2})
	res := run(t, opts(url))
	posts, _, _ := f.counts()
	if res.Errors != 0 || res.Contacts != posts {
		t.Fatalf("errors = %d, contacts = %d of %d: a 404 before the contact is stored is not an error", res.Errors, res.Contacts, posts)
	}
}

func TestRunCountsBadAnswersAndAuthFailures(t *testing.T) {
	cases := []struct {
		name string
		fake *fakeDesk
		key  string
	}{
		{"broken JSON", &fakeDesk{badJSON: true}, ""},
		{"no contact_id", &fakeDesk{noContactID: true}, ""},
		{"wrong key", &fakeDesk{}, "other-key"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, url := newFake(t, c.fake)
			o := opts(url)
			o.Duration = 50 * time.Millisecond
			if c.key != "" {
				o.Key = c.key
			}
			res := run(t, o)
			if res.Contacts != 0 || res.Errors == 0 {
				t.Fatalf("contacts = %d, errors = %d; want every contact to be an error", res.Contacts, res.Errors)
			}
		})
	}
}

func TestRunPacesToTheRate(t *testing.T) {
	f, url := newFake(t, &fakeDesk{})
	o := opts(url)
	o.Rate, o.Duration = 25, 1100*time.Millisecond
	var progress bytes.Buffer
	o.Progress = &progress
	res := run(t, o)
	posts, _, _ := f.counts()
	// 25/s for 1.1s with no burst: 28 at most (one at t=0, then every 40ms);
	// as fast as possible would be thousands.
	if posts > 29 || posts < 15 {
		t.Fatalf("%d contacts in 1.1s at 25/s", posts)
	}
	if res.Contacts != posts {
		t.Fatalf("contacts = %d, the server saw %d", res.Contacts, posts)
	}
	line := regexp.MustCompile(`^bench: \d+s  n=\d+  \d+\.\d/s  p50=\d+ms p99=\d+ms  errors=0$`)
	first, _, _ := strings.Cut(progress.String(), "\n")
	if !line.MatchString(first) {
		t.Fatalf("progress line %q does not match %v", first, line)
	}
}

func TestRunBaselineRatio(t *testing.T) {
	_, url := newFake(t, &fakeDesk{replyDelay: 40 * time.Millisecond})
	o := opts(url)
	o.Baseline, o.Concurrency = true, 4
	res := run(t, o)
	if res.Ratio == nil || res.BaselineContactsPerS == nil || res.BaselineP50 == nil || res.BaselineP99 == nil {
		t.Fatalf("baseline fields missing: %+v", res)
	}
	if want := round3(res.ContactsPerS / *res.BaselineContactsPerS); *res.Ratio != want {
		t.Fatalf("ratio = %v, want %v", *res.Ratio, want)
	}
	// A contact waits 40ms, a baseline run at most a poll or two.
	if *res.Ratio >= 0.8 || *res.BaselineP50 >= res.P50 {
		t.Fatalf("ratio = %v, baseline p50 = %v vs p50 = %v: baseline should be faster", *res.Ratio, *res.BaselineP50, res.P50)
	}
}

func TestRunAlternatesRounds(t *testing.T) {
	f, url := newFake(t, &fakeDesk{replyDelay: 5 * time.Millisecond})
	o := opts(url)
	o.Baseline, o.Rounds, o.Duration = true, 3, 600*time.Millisecond
	res := run(t, o)
	f.mu.Lock()
	sides := string(f.sides)
	f.mu.Unlock()
	// Slices do not overlap (each drains before the next), so the arrival
	// order collapses to A B B A A B: contacts, baseline, contacts, baseline.
	var runs []byte
	for i := range len(sides) {
		if i == 0 || sides[i] != sides[i-1] {
			runs = append(runs, sides[i])
		}
	}
	if string(runs) != "cbcb" {
		t.Fatalf("slices ran in the order %q, want A B B A A B (cbcb)", runs)
	}
	posts, _, _ := f.counts()
	if res.Errors != 0 || res.Contacts != posts || res.Ratio == nil {
		t.Fatalf("result %+v: every slice's contacts count once, no errors (IDs unique across slices)", res)
	}
	// Each side ran for about Duration in all, not Duration per slice.
	if res.Seconds < 0.6 || res.Seconds > 1.5 {
		t.Fatalf("seconds = %v, want about the 0.6 s duration summed over the slices", res.Seconds)
	}
}

func TestRunDefaultRounds(t *testing.T) {
	for _, c := range []struct {
		d        time.Duration
		baseline bool
		want     int
	}{{time.Second, true, 1}, {10 * time.Second, true, 2}, {20 * time.Second, true, 4}, {time.Hour, true, 4}, {time.Hour, false, 1}} {
		o, err := Options{URL: "http://127.0.0.1:1", Key: "k", Duration: c.d, Baseline: c.baseline}.withDefaults()
		if err != nil || o.Rounds != c.want {
			t.Errorf("duration %v baseline %v: rounds = %d (%v), want %d", c.d, c.baseline, o.Rounds, err, c.want)
		}
	}
}

func TestRunDetectsDuplicateReplies(t *testing.T) {
	cases := []struct {
		name       string
		fake       *fakeDesk
		dupes, err bool
	}{
		{"second bot reply", &fakeDesk{dupReply: true}, true, false},
		{"second contact", &fakeDesk{dupNewContact: true}, true, false},
		{"re-delivery refused", &fakeDesk{dupFail: true}, false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, url := newFake(t, c.fake)
			res := run(t, opts(url))
			_, _, redelivered := f.counts()
			if redelivered == 0 {
				t.Fatal("no duplicate deliveries")
			}
			wantDupes, wantErrs := 0, 0
			if c.dupes {
				wantDupes = redelivered
			}
			if c.err {
				wantErrs = redelivered
			}
			if res.Duplicates != wantDupes || res.Errors != wantErrs {
				t.Fatalf("duplicates = %d, errors = %d; want %d and %d (%d re-deliveries)",
					res.Duplicates, res.Errors, wantDupes, wantErrs, redelivered)
			}
		})
	}
}

func TestRunStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Contacts are never answered: only cancellation can end this run early.
	_, url := newFake(t, &fakeDesk{silentEvery: 1, onPost: func(n int) {
		if n == 5 {
			cancel()
		}
	}})
	o := opts(url)
	o.Duration, o.ReplyTimeout, o.Baseline = time.Hour, time.Hour, true
	res, err := Run(ctx, o)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if res.Errors != 0 || res.Ratio != nil {
		t.Fatalf("result %+v: cancelled contacts are not errors and no baseline runs", res)
	}
}

func TestRunRejectsBadOptions(t *testing.T) {
	good := Options{URL: "http://127.0.0.1:1", Key: "secret-key-value", Duration: time.Second}
	cases := []struct {
		name string
		edit func(*Options)
		want string
	}{
		{"no url", func(o *Options) { o.URL = "" }, "--url is required"},
		{"not http", func(o *Options) { o.URL = "ftp://host" }, "http(s) URL"},
		{"no host", func(o *Options) { o.URL = "http://" }, "http(s) URL"},
		{"unparsable", func(o *Options) { o.URL = "http://[::1" }, "http(s) URL"},
		{"no key", func(o *Options) { o.Key = "" }, "--key is required"},
		{"no duration", func(o *Options) { o.Duration = 0 }, "--duration"},
		{"negative rate", func(o *Options) { o.Rate = -1 }, "--rate"},
		{"negative concurrency", func(o *Options) { o.Concurrency = -1 }, "must not be negative"},
		{"negative poll", func(o *Options) { o.PollInterval = -1 }, "must not be negative"},
		{"negative timeout", func(o *Options) { o.ReplyTimeout = -1 }, "must not be negative"},
		{"negative rounds", func(o *Options) { o.Rounds = -1 }, "--rounds"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := good
			c.edit(&o)
			_, err := Run(context.Background(), o)
			if !errors.Is(err, ErrInvalidOptions) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want ErrInvalidOptions mentioning %q", err, c.want)
			}
			if strings.Contains(err.Error(), "secret-key-value") {
				t.Fatal("error echoes the key")
			}
		})
	}
}

func TestWithDefaults(t *testing.T) {
	o, err := Options{URL: "http://h", Key: "k", Duration: time.Second}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	if o.Concurrency != DefaultConcurrency || o.PollInterval != DefaultPollInterval || o.ReplyTimeout != DefaultReplyTimeout {
		t.Fatalf("defaults not applied: %+v", o)
	}
}

func TestProgressLine(t *testing.T) {
	st := &stats{errors: 2}
	for i := 1; i <= 100; i++ {
		st.ok(time.Duration(i)*10*time.Millisecond, 0, steadyWindow{})
	}
	got := progressLine("bench", 4*time.Second, st)
	want := "bench: 4s  n=100  25.0/s  p50=500ms p99=990ms  errors=2"
	if got != want {
		t.Fatalf("progress line\n got %q\nwant %q", got, want)
	}
}
