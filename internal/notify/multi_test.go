package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"
)

// recorder is a Notifier that records keys and fails as told.
type recorder struct {
	keys []string
	err  error
}

func (r *recorder) Notify(_ context.Context, n Notification) error {
	r.keys = append(r.keys, n.Key)
	return r.err
}

var (
	errPerm  = &Error{Pusher: "x", Reason: "bad token", Permanent: true}
	errRetry = &Error{Pusher: "x", Reason: "busy", RetryAfter: time.Second}
)

func TestMulti(t *testing.T) {
	tests := []struct {
		name      string
		errs      []error
		wantErr   bool
		permanent bool
	}{
		{"all ok", []error{nil, nil}, false, false},
		{"one retryable", []error{nil, errRetry}, true, false},
		{"one permanent one ok", []error{errPerm, nil}, true, true},
		{"permanent and retryable", []error{errPerm, errRetry}, true, false},
		{"unknown error is retryable", []error{errPerm, errors.New("boom")}, true, false},
		{"all permanent", []error{errPerm, errPerm}, true, true},
		{"empty", nil, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var m Multi
			var rs []*recorder
			for _, e := range tc.errs {
				r := &recorder{err: e}
				rs = append(rs, r)
				m = append(m, r)
			}
			err := m.Notify(context.Background(), note(1))
			if (err != nil) != tc.wantErr || IsPermanent(err) != tc.permanent {
				t.Fatalf("err = %v, permanent = %v", err, IsPermanent(err))
			}
			for i, r := range rs {
				if len(r.keys) != 1 {
					t.Errorf("child %d got %d notifications, want 1", i, len(r.keys))
				}
			}
			if tc.wantErr && !errors.Is(err, tc.errs[len(tc.errs)-1]) && !errors.Is(err, tc.errs[0]) {
				t.Errorf("MultiError does not unwrap to its children: %v", err)
			}
		})
	}
}

func TestErrorHelpers(t *testing.T) {
	wrapped := fmt.Errorf("activity: %w", errRetry)
	tests := []struct {
		name      string
		err       error
		permanent bool
		after     time.Duration
	}{
		{"nil", nil, false, 0},
		{"plain", errors.New("x"), false, 0},
		{"context", context.Canceled, false, 0},
		{"permanent", errPerm, true, 0},
		{"wrapped retryable", wrapped, false, time.Second},
		{"wrapped permanent", fmt.Errorf("a: %w", errPerm), true, 0},
	}
	for _, tc := range tests {
		if IsPermanent(tc.err) != tc.permanent || RetryAfter(tc.err) != tc.after {
			t.Errorf("%s: IsPermanent=%v RetryAfter=%v", tc.name, IsPermanent(tc.err), RetryAfter(tc.err))
		}
	}
	full := &Error{Pusher: "dingtalk", Reason: "r", Code: 1, Status: 500, RetryAfter: time.Minute}
	if got := full.Error(); got != "notify: dingtalk: r (retryable, errcode 1, http 500, retry after 1m0s)" {
		t.Errorf("Error() = %q", got)
	}
}

func TestLogNotifierLogsNoPersonalData(t *testing.T) {
	var buf bytes.Buffer
	n := note(3)
	n.Mentions = []string{"13800000000"}
	if err := (LogNotifier{Log: slog.New(slog.NewTextHandler(&buf, nil))}).Notify(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{n.Key, "priority=P2", "level=1", n.ContactURL, "mentions=1"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q: %s", want, out)
		}
	}
	for _, never := range []string{n.Title, "[PHONE]", "遲咗", "13800000000"} {
		if strings.Contains(out, never) {
			t.Errorf("log contains %q: %s", never, out)
		}
	}
	// The zero value logs to slog.Default and never fails.
	if err := (LogNotifier{}).Notify(context.Background(), n); err != nil {
		t.Fatal(err)
	}
}

func TestFromConfig(t *testing.T) {
	if n, kind := FromConfig("", "", nil); kind != "log" {
		t.Fatalf("no webhook: %T %s", n, kind)
	} else if _, ok := n.(LogNotifier); !ok {
		t.Fatalf("no webhook: %T", n)
	}
	n, kind := FromConfig("https://oapi.dingtalk.com/robot/send?access_token=x", "SECx", nil, WithRateLimit(10, time.Minute))
	d, ok := n.(*DingTalk)
	if kind != "dingtalk" || !ok || d.limiter.limit != 10 {
		t.Fatalf("webhook: %T %s", n, kind)
	}
}

func TestLevelLabel(t *testing.T) {
	for lvl, want := range map[int]string{0: "Needs attention now", 1: "SLA at risk", 2: "SLA breached", 3: "Duty manager", 4: "Escalation level 4"} {
		if got := LevelLabel(lvl); got != want {
			t.Errorf("LevelLabel(%d) = %q, want %q", lvl, got, want)
		}
	}
}

func TestIsMobile(t *testing.T) {
	for s, want := range map[string]bool{
		"13800000000": true, "+852-51234567": true, "85251234567": true,
		"manager01": false, "1234": false, "+-": false, "852+1234567": false, "": false,
	} {
		if got := isMobile(s); got != want {
			t.Errorf("isMobile(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestOneLine(t *testing.T) {
	tests := []struct {
		in    string
		limit int
		want  string
	}{
		{"a\n\n b\t c", 10, "a b c"},
		{"我要投訴你哋", 4, "我要投…"},
		{"  ", 4, ""},
	}
	for _, tc := range tests {
		if got := oneLine(tc.in, tc.limit); got != tc.want {
			t.Errorf("oneLine(%q, %d) = %q, want %q", tc.in, tc.limit, got, tc.want)
		}
	}
}

func TestRenderDigestOrderAndContactlessEntries(t *testing.T) {
	a := Notification{Key: "a", Priority: "P3", Title: "low", Level: 1}
	b := Notification{Key: "b", Priority: "P1", Title: "urgent", Level: 2, Mentions: []string{"u1", " "}}
	c := Notification{Key: "c", Priority: "P1", Title: "urgent-er", Level: 3, Mentions: []string{"u1"}}
	m := render(groups([]Notification{a, b, c}))
	text := m.Markdown.Text
	iA, iB, iC := strings.Index(text, "low"), strings.Index(text, "urgent\n"), strings.Index(text, "urgent-er")
	if !(iC < iB && iB < iA) || strings.Count(text, "@u1") != 1 || fmt.Sprint(m.At.AtUserIds) != "[u1]" {
		t.Fatalf("digest order or mentions wrong:\n%s\n%+v", text, m.At)
	}
	if strings.Contains(text, "Open contact") {
		t.Fatalf("contacts without URL should have no link:\n%s", text)
	}
}

func TestWindow(t *testing.T) {
	w := newWindow(2, time.Minute)
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	steps := []struct {
		at   time.Duration
		ok   bool
		wait time.Duration
	}{
		{0, true, 0},
		{10 * time.Second, true, 0},
		{59 * time.Second, false, time.Second},
		{60 * time.Second, true, 0}, // the send at 0 left the window
		{65 * time.Second, false, 5 * time.Second},
		{70 * time.Second, true, 0},
	}
	for _, s := range steps {
		wait, ok := w.take(t0.Add(s.at))
		if ok != s.ok || wait != s.wait {
			t.Fatalf("take at +%v = (%v, %v), want (%v, %v)", s.at, wait, ok, s.wait, s.ok)
		}
	}
	w.block(t0.Add(10 * time.Minute))
	w.block(t0.Add(time.Minute)) // an earlier block never shortens it
	if wait, ok := w.take(t0.Add(5 * time.Minute)); ok || wait != 5*time.Minute {
		t.Fatalf("blocked take = (%v, %v)", wait, ok)
	}
}

// countingTransport counts round trips through a caller-supplied client.
type countingTransport struct{ n int }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n++
	return http.DefaultTransport.RoundTrip(r)
}

func TestWithHTTPClientKeepsCallerClientIntact(t *testing.T) {
	clock := newClock()
	robot := newFakeRobot(t, clock)
	tr := &countingTransport{}
	client := &http.Client{Transport: tr}
	dt := NewDingTalk(robot.webhook(), robot.secret, WithClock(clock.Now), WithHTTPClient(client), WithTimeout(time.Second))
	if err := dt.Notify(context.Background(), note(1)); err != nil {
		t.Fatal(err)
	}
	if tr.n != 1 || client.Timeout != 0 || dt.client.Timeout != time.Second {
		t.Fatalf("round trips=%d caller timeout=%v own timeout=%v", tr.n, client.Timeout, dt.client.Timeout)
	}
}

func TestMultiErrorText(t *testing.T) {
	err := Multi{&recorder{err: errPerm}, &recorder{err: errRetry}}.Notify(context.Background(), note(1))
	if got := err.Error(); got != errPerm.Error()+"\n"+errRetry.Error() {
		t.Fatalf("Error() = %q", got)
	}
}
