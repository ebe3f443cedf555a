package apiclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// What must never reach an error: customer text a body may echo, and the
// ids of the request.
const (
	customerText = "Mrs Chan, 12 Nathan Road"
	contactID    = "ct_7f3a9"
)

// serve answers every request with status and body.
func serve(t *testing.T, status int, body string) *Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return New(srv.URL, "key-secret", srv.Client())
}

func TestReadingAnswers(t *testing.T) {
	view := `{"state":"handed_off","language":"yue","script":"Hant","intent":"complaint",` +
		`"replies":[{"author":"bot","kind":"notice","text":"privacy"},{"author":"bot","kind":"handoff"}],` +
		`"handoff":{"id":"ho_1","state":"open","agent":""},"transcript":[{"text":"` + customerText + `"}]}`
	tests := []struct {
		name   string
		status int
		body   string
		call   func(*Client) error // nil: Contact, checking the view
		// wantStatus is the StatusError's status, 0 for another error or none.
		wantStatus int
		// wantErr is the error's text (its start, for JSON errors); empty
		// means no error.
		wantErr string
	}{
		{name: "2xx decodes", status: 200, body: view},
		{name: "2xx without a body to read", status: 202, body: `{"id":"b1"}`,
			call: func(c *Client) error { return c.StartBaseline(context.Background(), "b1") }},
		{name: "error body gives the code", status: 500, wantStatus: 500,
			body:    `{"error":{"code":"unavailable","message":"could not reach ` + customerText + `"}}`,
			wantErr: "apiclient: GET /v1/contacts/{id}: HTTP 500 (unavailable)"},
		{name: "no body", status: 502, wantStatus: 502,
			wantErr: "apiclient: GET /v1/contacts/{id}: HTTP 502"},
		{name: "body that is not the API's", status: 503, wantStatus: 503,
			body:    "<html>" + customerText + "</html>",
			wantErr: "apiclient: GET /v1/contacts/{id}: HTTP 503"},
		{name: "code that is not a code", status: 422, wantStatus: 422,
			body:    `{"error":{"code":"` + customerText + `"}}`,
			wantErr: "apiclient: GET /v1/contacts/{id}: HTTP 422"},
		{name: "2xx that is not JSON", status: 200, body: "<html>" + customerText,
			wantErr: "apiclient: GET /v1/contacts/{id}: answer is not the expected JSON: "},
		{name: "2xx of the wrong shape", status: 200, body: `{"replies":"` + customerText + `"}`,
			wantErr: "apiclient: GET /v1/contacts/{id}: answer is not the expected JSON: "},
		{name: "2xx over the cap", status: 200, body: `{"state":"` + strings.Repeat("x", maxBody) + `"}`,
			wantErr: "apiclient: GET /v1/contacts/{id}: answer is not the expected JSON: unexpected EOF"},
		{name: "2xx without contact_id", status: 202, body: `{"workflow_id":"wf"}`,
			call: func(c *Client) error {
				_, err := c.PostContact(context.Background(), NewContact{Text: customerText})
				return err
			},
			wantErr: "apiclient: POST /v1/contacts: answer has no contact_id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := serve(t, tc.status, tc.body)
			var err error
			if tc.call != nil {
				err = tc.call(c)
			} else {
				var v ContactView
				v, err = c.Contact(context.Background(), contactID, time.Second, 0)
				want := ContactView{State: "handed_off", Language: "yue", Script: "Hant", Intent: "complaint",
					Replies: []Reply{{"bot", "notice"}, {"bot", "handoff"}}, Handoff: &HandoffRef{ID: "ho_1", State: "open"}}
				if err == nil && !reflect.DeepEqual(v, want) {
					t.Errorf("view = %+v, want %+v", v, want)
				}
			}
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), tc.wantErr) ||
				tc.wantStatus != 0 && err.Error() != tc.wantErr {
				t.Fatalf("err = %v, want %q", err, tc.wantErr)
			}
			var se *StatusError
			if got := errors.As(err, &se); got != (tc.wantStatus != 0) || got && se.Status != tc.wantStatus {
				t.Errorf("err = %#v, want a StatusError %d: %v", err, tc.wantStatus, got)
			}
			for _, s := range []string{customerText, contactID, "key-secret"} {
				if strings.Contains(err.Error(), s) {
					t.Errorf("error %q holds %q", err, s)
				}
			}
		})
	}
}

// Each call sends its route, method, query, key and body as CONTRACT.md has
// them.
func TestCallsSendTheContract(t *testing.T) {
	type seen struct{ method, uri, auth, ctype, body string }
	var got seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = seen{r.Method, r.URL.RequestURI(), r.Header.Get("Authorization"), r.Header.Get("Content-Type"), string(b)}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, `{"contact_id":"ct_1","done":true,"contacts":3}`)
	}))
	defer srv.Close()
	admin := New(srv.URL+"/", "admin-key", srv.Client())
	agent := admin.WithKey("agent-key")
	ctx := context.Background()
	const js = "application/json"
	tests := []struct {
		name string
		call func() error
		want seen
	}{
		{"post contact", func() error {
			_, err := admin.PostContact(ctx, NewContact{"web", "cu", "cv", "m1", "hi"})
			return err
		}, seen{"POST", "/v1/contacts", "Bearer admin-key", js,
			`{"channel":"web","customer_id":"cu","conversation_id":"cv","message_id":"m1","text":"hi"}`}},
		{"post message", func() error { return admin.PostMessage(ctx, "ct/1", FollowUp{"m2", "5"}) },
			seen{"POST", "/v1/contacts/ct%2F1/messages", "Bearer admin-key", js, `{"message_id":"m2","text":"5"}`}},
		{"contact", func() error { _, err := admin.Contact(ctx, "ct_1", 5*time.Second, 2); return err },
			seen{"GET", "/v1/contacts/ct_1?wait=5s&replies_gt=2", "Bearer admin-key", "", ""}},
		{"claim", func() error { return agent.Claim(ctx, "ho_1") },
			seen{"POST", "/v1/handoffs/ho_1/claim", "Bearer agent-key", "", ""}},
		{"reply", func() error { return agent.Reply(ctx, "ho_1", "好的") },
			seen{"POST", "/v1/handoffs/ho_1/reply", "Bearer agent-key", js, `{"text":"好的"}`}},
		{"resolve", func() error { return agent.Resolve(ctx, "ho_1", Resolution{"refunded", "refund"}) },
			seen{"POST", "/v1/handoffs/ho_1/resolve", "Bearer agent-key", js, `{"resolution":"refunded","code":"refund"}`}},
		{"kpis", func() error {
			r, err := admin.KPIs(ctx, "language", "arm")
			if err == nil && r.Contacts != 3 {
				return fmt.Errorf("contacts = %d", r.Contacts)
			}
			return err
		}, seen{"GET", "/v1/kpis?by=language,arm", "Bearer admin-key", "", ""}},
		{"start baseline", func() error { return admin.StartBaseline(ctx, "b1") },
			seen{"POST", "/v1/bench/baseline", "Bearer admin-key", js, `{"id":"b1"}`}},
		{"baseline done", func() error {
			done, err := admin.BaselineDone(ctx, "b1", 5*time.Second)
			if err == nil && !done {
				return errors.New("not done")
			}
			return err
		}, seen{"GET", "/v1/bench/baseline/b1?wait=5s", "Bearer admin-key", "", ""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got = seen{}
			if err := tc.call(); err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("request = %+v\nwant      %+v", got, tc.want)
			}
		})
	}
}

// Every answer is read to its end, so one connection serves all calls.
func TestAnswersAreDrainedForKeepAlive(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/v1/bench/baseline": // an answer the client does not decode
			w.WriteHeader(http.StatusAccepted)
			json.NewEncoder(w).Encode(map[string]string{"id": strings.Repeat("b", 64<<10)})
		case "/v1/contacts/gone":
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"error":{"code":"not_found","message":"`+strings.Repeat("n", 64<<10)+`"}}`)
		default: // decoded, with more after the value
			io.WriteString(w, `{"state":"open"}`+strings.Repeat(" ", 64<<10))
		}
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c := New(srv.URL, "k", srv.Client())
	ctx := context.Background()
	for range 3 {
		if err := c.StartBaseline(ctx, "b1"); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Contact(ctx, "gone", 0, 0); !IsStatus(err, http.StatusNotFound) {
			t.Fatalf("err = %v, want HTTP 404", err)
		}
		if _, err := c.Contact(ctx, "ct_1", 0, 0); err != nil {
			t.Fatal(err)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("%d connections for 9 sequential calls, want 1", n)
	}
}

// A call that gets no answer names the route and the cause, not the URL.
func TestCallsWithoutAnAnswer(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, srv *httptest.Server) context.Context
		is    error
	}{
		{"cancelled while waiting", func(t *testing.T, srv *httptest.Server) context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			t.Cleanup(cancel)
			time.AfterFunc(20*time.Millisecond, cancel)
			return ctx
		}, context.Canceled},
		{"past the deadline", func(t *testing.T, srv *httptest.Server) context.Context {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
			t.Cleanup(cancel)
			return ctx
		}, context.DeadlineExceeded},
		{"server down", func(t *testing.T, srv *httptest.Server) context.Context {
			srv.Close()
			return context.Background()
		}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				<-r.Context().Done() // answers only when the client gives up
			}))
			defer srv.Close()
			ctx := tc.setup(t, srv)
			_, err := New(srv.URL, "key-secret", srv.Client()).Contact(ctx, contactID, 30*time.Second, 0)
			if err == nil {
				t.Fatal("no error")
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("err = %v, want %v", err, tc.is)
			}
			var se *StatusError
			if errors.As(err, &se) {
				t.Errorf("err = %v is a StatusError", err)
			}
			if !strings.HasPrefix(err.Error(), "apiclient: GET /v1/contacts/{id}: ") ||
				strings.Contains(err.Error(), contactID) || strings.Contains(err.Error(), srv.URL) {
				t.Errorf("err = %q, want the route, neither the id nor the URL", err)
			}
		})
	}
}

func TestStatusError(t *testing.T) {
	tests := []struct {
		e    StatusError
		want string
	}{
		{StatusError{"GET", "/v1/kpis", 403, "forbidden"}, "apiclient: GET /v1/kpis: HTTP 403 (forbidden)"},
		{StatusError{"POST", "/v1/contacts", 429, ""}, "apiclient: POST /v1/contacts: HTTP 429"},
	}
	for _, tc := range tests {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
	wrapped := fmt.Errorf("contact 3: %w", &StatusError{"POST", "/v1/handoffs/{id}/claim", 409, "conflict"})
	for _, tc := range []struct {
		err      error
		statuses []int
		want     bool
	}{
		{wrapped, []int{409}, true},
		{wrapped, []int{401, 403}, false},
		{wrapped, nil, false},
		{errors.New("plain"), []int{403}, false},
		{nil, []int{0}, false},
	} {
		if got := IsStatus(tc.err, tc.statuses...); got != tc.want {
			t.Errorf("IsStatus(%v, %v) = %v", tc.err, tc.statuses, got)
		}
	}
}

func TestContactViewCounts(t *testing.T) {
	tests := []struct {
		name         string
		replies      []Reply
		answers, bot int
		surveyed     bool
	}{
		{"nothing yet", nil, 0, 0, false},
		{"only the privacy notice", []Reply{{"bot", "notice"}}, 0, 0, false},
		{"answered", []Reply{{"bot", "notice"}, {"bot", "answer"}}, 1, 1, false},
		{"handed off and worked", []Reply{{"bot", "notice"}, {"bot", "handoff"}, {"agent", "answer"}, {"bot", "survey"}}, 3, 2, true},
		{"answered twice", []Reply{{"bot", "answer"}, {"bot", "answer"}}, 2, 2, false},
	}
	for _, tc := range tests {
		v := ContactView{Replies: tc.replies}
		if v.Answers() != tc.answers || v.BotAnswers() != tc.bot || v.Surveyed() != tc.surveyed {
			t.Errorf("%s: answers %d, bot answers %d, surveyed %v; want %d, %d, %v",
				tc.name, v.Answers(), v.BotAnswers(), v.Surveyed(), tc.answers, tc.bot, tc.surveyed)
		}
	}
}
