package notify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable clock shared by the notifier and the fake robot.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock { return &fakeClock{t: time.Date(2025, 3, 11, 23, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// scripted forces the next response: an HTTP status other than 200, or a
// 200 with errcode, or a raw body.
type scripted struct {
	status  int
	errcode int
	body    string
}

// fakeRobot speaks the DingTalk custom-robot protocol: POST
// /robot/send?access_token=..&timestamp=..&sign=.., checks the token, the
// HMAC-SHA256 signature (computed here independently of package dingtalk)
// and the 1-hour timestamp window, enforces 20 messages per sliding minute
// by the signed timestamp, validates the markdown body and its @mentions,
// and answers errcode/errmsg in an HTTP 200 like the real service.
type fakeRobot struct {
	*httptest.Server
	token, secret string
	requireSign   bool
	clock         *fakeClock

	mu        sync.Mutex
	script    []scripted
	accepted  []time.Time
	messages  []robotMessage
	requests  int
	throttled int
	received  chan struct{} // if set, signalled on every request
	hold      chan struct{} // if set, each request waits for it
}

func newFakeRobot(t testing.TB, clock *fakeClock) *fakeRobot {
	f := &fakeRobot{token: "tok-123", secret: "SECtest-secret", requireSign: true, clock: clock}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeRobot) webhook() string { return f.URL + "/robot/send?access_token=" + f.token }

func (f *fakeRobot) push(s ...scripted) {
	f.mu.Lock()
	f.script = append(f.script, s...)
	f.mu.Unlock()
}

func reply(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"errcode":%d,"errmsg":%q}`, code, msg)
}

func (f *fakeRobot) serve(w http.ResponseWriter, r *http.Request) {
	if f.received != nil {
		f.received <- struct{}{}
	}
	if f.hold != nil {
		<-f.hold
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests++
	if len(f.script) > 0 {
		s := f.script[0]
		f.script = f.script[1:]
		switch {
		case s.status != 0 && s.status != http.StatusOK:
			w.WriteHeader(s.status)
		case s.body != "":
			fmt.Fprint(w, s.body)
		default:
			reply(w, s.errcode, "scripted")
		}
		return
	}
	if r.Method != http.MethodPost || r.URL.Path != "/robot/send" {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	q := r.URL.Query()
	if q.Get("access_token") != f.token {
		reply(w, 300001, "token is not exist")
		return
	}
	now := f.clock.Now()
	at := now
	if f.requireSign {
		ts, err := strconv.ParseInt(q.Get("timestamp"), 10, 64)
		if err != nil {
			reply(w, 310000, "invalid timestamp")
			return
		}
		at = time.UnixMilli(ts)
		if d := now.Sub(at); d > time.Hour || d < -time.Hour {
			reply(w, 310000, "invalid timestamp")
			return
		}
		mac := hmac.New(sha256.New, []byte(f.secret))
		mac.Write([]byte(q.Get("timestamp") + "\n" + f.secret))
		if !hmac.Equal([]byte(base64.StdEncoding.EncodeToString(mac.Sum(nil))), []byte(q.Get("sign"))) {
			reply(w, 310000, "sign not match")
			return
		}
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		reply(w, 40035, "content type must be json")
		return
	}
	var m robotMessage
	if err := json.NewDecoder(r.Body).Decode(&m); err != nil || m.MsgType != "markdown" ||
		m.Markdown.Title == "" || m.Markdown.Text == "" {
		reply(w, 40035, "invalid message")
		return
	}
	for _, who := range append(append([]string{}, m.At.AtMobiles...), m.At.AtUserIds...) {
		if !strings.Contains(m.Markdown.Text, "@"+who) {
			reply(w, 40035, "at target missing from text")
			return
		}
	}
	var recent []time.Time
	for _, t := range f.accepted {
		if t.After(at.Add(-time.Minute)) {
			recent = append(recent, t)
		}
	}
	f.accepted = recent
	if len(recent) >= 20 {
		f.throttled++
		reply(w, 130101, "send too fast, exceed 20 times per minute")
		return
	}
	f.accepted = append(f.accepted, at)
	f.messages = append(f.messages, m)
	reply(w, 0, "ok")
}

func (f *fakeRobot) Messages() []robotMessage {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]robotMessage(nil), f.messages...)
}

func (f *fakeRobot) Requests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests
}

func (f *fakeRobot) Throttled() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.throttled
}
