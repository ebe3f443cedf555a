package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

func note(i int) Notification {
	return Notification{
		Key:        fmt.Sprintf("contact-%02d/esc/1", i),
		Priority:   "P2",
		Title:      fmt.Sprintf("Order late #%02d", i),
		Summary:    "我張單遲咗三日 call [PHONE]",
		ContactURL: fmt.Sprintf("https://desk.example/contacts/c-%02d", i),
		Level:      1,
	}
}

type harness struct {
	robot *fakeRobot
	clock *fakeClock
	dt    *DingTalk
	logs  *bytes.Buffer
}

func newHarness(t *testing.T, opts ...Option) *harness {
	clock := newClock()
	robot := newFakeRobot(t, clock)
	logs := &bytes.Buffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	all := append([]Option{WithClock(clock.Now), WithLogger(log)}, opts...)
	return &harness{robot: robot, clock: clock, logs: logs,
		dt: NewDingTalk(robot.webhook(), robot.secret, all...)}
}

func TestNotifyDeliversSignedMarkdown(t *testing.T) {
	h := newHarness(t)
	n := Notification{
		Key: "c-1/esc/3", Priority: "P1", Title: "Complaint: threatens Consumer Council",
		Summary:    "收到爛貨\n我要投訴 [PHONE]",
		ContactURL: "https://desk.example/contacts/c-1", Level: 3,
		Mentions: []string{"13800000000", "+852-51234567", "manager01"},
	}
	if err := h.dt.Notify(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	msgs := h.robot.Messages()
	if len(msgs) != 1 {
		t.Fatalf("robot got %d messages, want 1", len(msgs))
	}
	m := msgs[0]
	for _, want := range []string{"[P1] Duty manager", "Complaint: threatens Consumer Council",
		"> 收到爛貨 我要投訴 [PHONE]", "[Open contact](https://desk.example/contacts/c-1)",
		"@13800000000", "@+852-51234567", "@manager01"} {
		if !strings.Contains(m.Markdown.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, m.Markdown.Text)
		}
	}
	if m.Markdown.Title != "[P1] Duty manager: Complaint: threatens Consumer Council" {
		t.Errorf("title = %q", m.Markdown.Title)
	}
	if fmt.Sprint(m.At.AtMobiles) != "[13800000000 +852-51234567]" || fmt.Sprint(m.At.AtUserIds) != "[manager01]" || m.At.IsAtAll {
		t.Errorf("at = %+v", m.At)
	}
	// Same Key again (an activity retry after a lost ack): not sent twice.
	if err := h.dt.Notify(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	if got := h.robot.Requests(); got != 1 {
		t.Fatalf("robot got %d requests after a duplicate, want 1", got)
	}
}

func TestNotifyErrorCodes(t *testing.T) {
	tests := []struct {
		name       string
		script     []scripted
		secret     string // overrides the right secret
		token      string // overrides the right token
		permanent  bool
		code       int
		status     int
		retryAfter time.Duration
	}{
		{name: "send too fast", script: []scripted{{errcode: 130101}}, code: 130101, retryAfter: 10 * time.Minute},
		{name: "throttled (new code)", script: []scripted{{errcode: 410100}}, code: 410100, retryAfter: 10 * time.Minute},
		{name: "system busy", script: []scripted{{errcode: -1}}, code: -1},
		{name: "http 500", script: []scripted{{status: 500}}, status: 500},
		{name: "http 502", script: []scripted{{status: 502}}, status: 502},
		{name: "http 429", script: []scripted{{status: 429}}, status: 429},
		{name: "garbled 200", script: []scripted{{body: "<html>proxy</html>"}}, status: 200},
		{name: "200 without errcode", script: []scripted{{body: `{"ok":true}`}}, status: 200},
		{name: "wrong secret, real signature check", secret: "SECwrong", permanent: true, code: 310000},
		{name: "unknown token", token: "nope", permanent: true, code: 300001},
		{name: "group dissolved", script: []scripted{{errcode: 400013}}, permanent: true, code: 400013},
		{name: "http 404", script: []scripted{{status: 404}}, permanent: true, status: 404},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.robot.push(tc.script...)
			webhook, secret := h.robot.webhook(), h.robot.secret
			if tc.token != "" {
				webhook = strings.Replace(webhook, h.robot.token, tc.token, 1)
			}
			if tc.secret != "" {
				secret = tc.secret
			}
			dt := NewDingTalk(webhook, secret, WithClock(h.clock.Now),
				WithLogger(slog.New(slog.NewTextHandler(h.logs, nil))))
			n := note(1)
			err := dt.Notify(context.Background(), n)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *Error", err)
			}
			if IsPermanent(err) != tc.permanent || e.Code != tc.code || e.Status != tc.status || RetryAfter(err) != tc.retryAfter {
				t.Fatalf("err = %v: permanent=%v code=%d status=%d retryAfter=%v", err, IsPermanent(err), e.Code, e.Status, RetryAfter(err))
			}
			logged := h.logs.String()
			if tc.permanent != strings.Contains(logged, "level=ERROR") {
				t.Fatalf("ERROR log line present=%v, want %v: %s", !tc.permanent, tc.permanent, logged)
			}
			for _, secretish := range []string{h.robot.token, "tok-", secret, n.Summary, n.Title, "access_token"} {
				if strings.Contains(logged, secretish) || strings.Contains(err.Error(), secretish) {
					t.Fatalf("log or error leaks %q:\nlog: %s\nerr: %v", secretish, logged, err)
				}
			}
			// Retryable failures stay queued; permanent ones are dropped so the
			// owner's own retry fails loudly instead of them piling up.
			if want := map[bool]int{true: 0, false: 1}[tc.permanent]; dt.Pending() != want {
				t.Fatalf("Pending = %d, want %d", dt.Pending(), want)
			}
		})
	}
}

func TestThrottledRobotBacksOffTenMinutes(t *testing.T) {
	h := newHarness(t)
	h.robot.push(scripted{errcode: 130101})
	ctx := context.Background()
	if err := h.dt.Notify(ctx, note(1)); IsPermanent(err) || err == nil {
		t.Fatalf("first send: %v, want retryable", err)
	}
	h.clock.Advance(5 * time.Minute)
	err := h.dt.Notify(ctx, note(1))
	if err == nil || RetryAfter(err) != 5*time.Minute {
		t.Fatalf("retry during throttle: %v, want retry after 5m", err)
	}
	if h.robot.Requests() != 1 {
		t.Fatalf("robot hit %d times while throttled, want 1", h.robot.Requests())
	}
	h.clock.Advance(5 * time.Minute)
	if err := h.dt.Notify(ctx, note(1)); err != nil {
		t.Fatalf("after throttle: %v", err)
	}
	if len(h.robot.Messages()) != 1 {
		t.Fatal("notification lost after throttle")
	}
}

func TestNotifyTransportErrors(t *testing.T) {
	t.Run("timeout", func(t *testing.T) {
		h := newHarness(t)
		h.robot.hold = make(chan struct{})
		defer close(h.robot.hold)
		dt := NewDingTalk(h.robot.webhook(), h.robot.secret, WithClock(h.clock.Now), WithTimeout(20*time.Millisecond))
		err := dt.Notify(context.Background(), note(1))
		var e *Error
		if !errors.As(err, &e) || IsPermanent(err) || e.Reason != "timeout" {
			t.Fatalf("err = %v, want retryable timeout", err)
		}
		if strings.Contains(err.Error(), "access_token") || strings.Contains(err.Error(), h.robot.URL) {
			t.Fatalf("error leaks the URL: %v", err)
		}
	})
	t.Run("connection refused", func(t *testing.T) {
		h := newHarness(t)
		h.robot.Close()
		err := h.dt.Notify(context.Background(), note(1))
		if err == nil || IsPermanent(err) || strings.Contains(err.Error(), "access_token") {
			t.Fatalf("err = %v, want retryable without the URL", err)
		}
	})
	t.Run("caller canceled", func(t *testing.T) {
		h := newHarness(t)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err := h.dt.Notify(ctx, note(1))
		var e *Error
		if !errors.As(err, &e) || e.Reason != "canceled" || IsPermanent(err) {
			t.Fatalf("err = %v, want retryable canceled", err)
		}
	})
}

func TestNotifyConfigErrors(t *testing.T) {
	tests := []struct {
		name, webhook, secret string
		n                     Notification
	}{
		{"no key", "http://127.0.0.1:1/robot/send?access_token=t", "s", Notification{Title: "x"}},
		{"webhook without token", "http://127.0.0.1:1/robot/send", "SECx", note(1)},
		{"unsigned bad URL", "http://[::1/robot", "", note(1)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := NewDingTalk(tc.webhook, tc.secret, WithLogger(slog.New(slog.DiscardHandler))).Notify(context.Background(), tc.n)
			if !IsPermanent(err) {
				t.Fatalf("err = %v, want permanent", err)
			}
		})
	}
}

func TestUnsignedRobot(t *testing.T) {
	h := newHarness(t)
	h.robot.requireSign = false
	dt := NewDingTalk(h.robot.webhook(), "", WithClock(h.clock.Now))
	if err := dt.Notify(context.Background(), note(1)); err != nil {
		t.Fatal(err)
	}
}

// retryUntilDelivered plays a Temporal activity's retry policy: on a
// retryable error it waits RetryAfter (at least 1s) of fake time and tries
// again.
func retryUntilDelivered(t *testing.T, h *harness, n Notification) int {
	t.Helper()
	for attempt := 1; attempt <= 50; attempt++ {
		err := h.dt.Notify(context.Background(), n)
		if err == nil {
			return attempt
		}
		if IsPermanent(err) {
			t.Fatalf("%s: permanent error %v", n.Key, err)
		}
		h.clock.Advance(max(RetryAfter(err), time.Second))
	}
	t.Fatalf("%s never delivered", n.Key)
	return 0
}

func delivered(msgs []robotMessage) string {
	var b strings.Builder
	for _, m := range msgs {
		b.WriteString(m.Markdown.Text)
		b.WriteString("\n")
	}
	return b.String()
}

func TestBurstOf25SequentialIsCoalescedNotLost(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	var limited []Notification
	for i := 1; i <= 25; i++ {
		if err := h.dt.Notify(ctx, note(i)); err != nil {
			if IsPermanent(err) || RetryAfter(err) <= 0 {
				t.Fatalf("note %d: %v", i, err)
			}
			limited = append(limited, note(i))
		}
	}
	if len(limited) != 5 || len(h.robot.Messages()) != 20 || h.dt.Pending() != 5 {
		t.Fatalf("limited=%d sent=%d pending=%d, want 5/20/5", len(limited), len(h.robot.Messages()), h.dt.Pending())
	}
	// The oldest send leaves the window after 60s: the first retry then
	// carries all five queued notifications in one digest.
	h.clock.Advance(time.Minute)
	for _, n := range limited {
		if err := h.dt.Notify(ctx, n); err != nil {
			t.Fatalf("retry %s: %v", n.Key, err)
		}
	}
	msgs := h.robot.Messages()
	if len(msgs) != 21 {
		t.Fatalf("robot got %d messages, want 21 (20 + one digest)", len(msgs))
	}
	if !strings.HasPrefix(msgs[20].Markdown.Title, "Harbordesk: 5 contacts") {
		t.Fatalf("digest title = %q", msgs[20].Markdown.Title)
	}
	all := delivered(msgs)
	for i := 1; i <= 25; i++ {
		if !strings.Contains(all, note(i).Title) || !strings.Contains(all, note(i).ContactURL) {
			t.Errorf("notification %d lost", i)
		}
	}
	if h.robot.Throttled() != 0 {
		t.Fatalf("robot throttled us %d times", h.robot.Throttled())
	}
}

func TestBurstOf25ConcurrentAllArrive(t *testing.T) {
	h := newHarness(t)
	var wg sync.WaitGroup
	errs := make([]error, 26)
	for i := 1; i <= 25; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = h.dt.Notify(context.Background(), note(i))
		}()
	}
	wg.Wait()
	for i := 1; i <= 25; i++ {
		if errs[i] != nil {
			if IsPermanent(errs[i]) {
				t.Fatalf("note %d: %v", i, errs[i])
			}
			retryUntilDelivered(t, h, note(i))
		}
	}
	msgs := h.robot.Messages()
	all := delivered(msgs)
	for i := 1; i <= 25; i++ {
		if !strings.Contains(all, note(i).Title) {
			t.Errorf("notification %d lost", i)
		}
	}
	if len(msgs) > 21 || h.robot.Throttled() != 0 || h.dt.Pending() != 0 {
		t.Fatalf("messages=%d throttled=%d pending=%d", len(msgs), h.robot.Throttled(), h.dt.Pending())
	}
}

func TestSameContactCollapses(t *testing.T) {
	h := newHarness(t, WithRateLimit(1, time.Minute))
	ctx := context.Background()
	base := note(7)
	base.Level, base.Key = 0, "c-07/now"
	if err := h.dt.Notify(ctx, base); err != nil {
		t.Fatal(err)
	}
	var keys []Notification
	for lvl := 1; lvl <= 3; lvl++ {
		n := note(7)
		n.Level, n.Key, n.Summary = lvl, fmt.Sprintf("c-07/esc/%d", lvl), fmt.Sprintf("summary at level %d", lvl)
		n.Mentions = []string{"duty-" + fmt.Sprint(lvl)}
		if lvl == 3 {
			n.Priority = "P1"
		}
		if err := h.dt.Notify(ctx, n); err == nil || IsPermanent(err) {
			t.Fatalf("level %d: %v, want queued", lvl, err)
		}
		keys = append(keys, n)
	}
	h.clock.Advance(time.Minute)
	for _, n := range keys {
		if err := h.dt.Notify(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	msgs := h.robot.Messages()
	if len(msgs) != 2 {
		t.Fatalf("got %d messages, want 2", len(msgs))
	}
	m := msgs[1]
	for _, want := range []string{"[P1] Duty manager", "Escalation levels reached: 1, 2, 3", "> summary at level 3", "@duty-1 @duty-2 @duty-3"} {
		if !strings.Contains(m.Markdown.Text, want) {
			t.Errorf("collapsed message lacks %q:\n%s", want, m.Markdown.Text)
		}
	}
	if strings.Contains(m.Markdown.Text, "summary at level 1") {
		t.Errorf("collapsed message should show only the latest summary:\n%s", m.Markdown.Text)
	}
}

func TestDigestSizeAndQueueCap(t *testing.T) {
	h := newHarness(t, WithRateLimit(1, time.Minute), WithDigestSize(2), WithMaxPending(3))
	ctx := context.Background()
	if err := h.dt.Notify(ctx, note(0)); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		if err := h.dt.Notify(ctx, note(i)); RetryAfter(err) != time.Minute {
			t.Fatalf("note %d: %v, want queued with retry after 1m", i, err)
		}
	}
	err := h.dt.Notify(ctx, note(4))
	var e *Error
	if !errors.As(err, &e) || e.Reason != "notification queue full" || IsPermanent(err) || h.dt.Pending() != 3 {
		t.Fatalf("4th: %v pending=%d, want retryable queue full", err, h.dt.Pending())
	}
	h.clock.Advance(time.Minute)
	if err := h.dt.Notify(ctx, note(3)); err != nil {
		t.Fatal(err)
	}
	// note 3's contact plus the oldest other one (1); 2 stays queued.
	last := h.robot.Messages()[1].Markdown.Text
	if !strings.Contains(last, note(3).Title) || !strings.Contains(last, note(1).Title) || strings.Contains(last, note(2).Title) {
		t.Fatalf("digest of 2 = %s", last)
	}
	if h.dt.Pending() != 1 {
		t.Fatalf("Pending = %d, want 1", h.dt.Pending())
	}
}

func TestRetryWaitsForInflightDigest(t *testing.T) {
	h := newHarness(t, WithRateLimit(1, time.Minute))
	ctx := context.Background()
	if err := h.dt.Notify(ctx, note(0)); err != nil {
		t.Fatal(err)
	}
	if err := h.dt.Notify(ctx, note(2)); err == nil {
		t.Fatal("want queued")
	}
	h.clock.Advance(time.Minute)
	h.robot.received = make(chan struct{})
	h.robot.hold = make(chan struct{})
	first := make(chan error)
	go func() { first <- h.dt.Notify(ctx, note(1)) }() // carries note 2 too
	<-h.robot.received
	second := make(chan error)
	go func() { second <- h.dt.Notify(ctx, note(2)) }()
	// note 2 is on the wire in note 1's digest: its retry must wait for that
	// result, not send again nor report success early.
	select {
	case err := <-second:
		t.Fatalf("retry returned %v before the in-flight digest finished", err)
	default:
	}
	close(h.robot.hold)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if err := <-second; err != nil {
		t.Fatal(err)
	}
	if h.robot.Requests() != 2 {
		t.Fatalf("robot got %d requests, want 2", h.robot.Requests())
	}
}

func TestWaitHonoursContext(t *testing.T) {
	s := &sending{done: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := wait(ctx, s); !errors.Is(err, context.Canceled) {
		t.Fatalf("wait = %v", err)
	}
}

func TestDeliveredKeysAreForgottenAfterTTL(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	if err := h.dt.Notify(ctx, note(1)); err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(deliveredTTL + time.Second)
	if err := h.dt.Notify(ctx, note(1)); err != nil {
		t.Fatal(err)
	}
	if h.robot.Requests() != 2 {
		t.Fatalf("requests = %d, want a resend after the TTL", h.robot.Requests())
	}
}

func BenchmarkNotifyDingTalk(b *testing.B) {
	clock := newClock()
	robot := newFakeRobot(b, clock)
	dt := NewDingTalk(robot.webhook(), robot.secret, WithClock(clock.Now))
	i := 0
	for b.Loop() {
		i++
		n := note(i)
		n.Key = fmt.Sprint(i)
		clock.Advance(3 * time.Second) // 20 a minute: the robot's own limit
		if err := dt.Notify(context.Background(), n); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderDigest15(b *testing.B) {
	var gs []contactGroup
	for i := range 15 {
		gs = append(gs, contactGroup{items: []Notification{note(i)}})
	}
	for b.Loop() {
		render(gs)
	}
}

func TestWithThrottleSetsTheBackOff(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []Option
		want time.Duration
	}{
		{"default is DingTalk's ten minutes", nil, DefaultThrottleTime},
		{"shortened", []Option{WithThrottle(30 * time.Second)}, 30 * time.Second},
		{"zero keeps the default", []Option{WithThrottle(0)}, DefaultThrottleTime},
		{"negative keeps the default", []Option{WithThrottle(-time.Minute)}, DefaultThrottleTime},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, tc.opts...)
			h.robot.push(scripted{errcode: 130101})
			ctx := context.Background()
			if err := h.dt.Notify(ctx, note(1)); err == nil || RetryAfter(err) != tc.want {
				t.Fatalf("throttled send: %v (retry after %s), want retry after %s", err, RetryAfter(err), tc.want)
			}
			h.clock.Advance(tc.want - time.Second)
			if err := h.dt.Notify(ctx, note(1)); err == nil || RetryAfter(err) != time.Second {
				t.Fatalf("1s before the end: %v (retry after %s), want retry after 1s", err, RetryAfter(err))
			}
			if h.robot.Requests() != 1 {
				t.Fatalf("robot hit %d times while throttled, want 1", h.robot.Requests())
			}
			h.clock.Advance(time.Second)
			if err := h.dt.Notify(ctx, note(1)); err != nil {
				t.Fatalf("after the throttle: %v", err)
			}
			if len(h.robot.Messages()) != 1 {
				t.Fatal("notification lost after the throttle")
			}
		})
	}
}
