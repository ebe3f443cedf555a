package api

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/harbordesk/harbordesk/internal/codec"
	"github.com/harbordesk/harbordesk/internal/config"
)

// newEdgeServer serves the API without a database or Temporal: every
// request in these tests must be refused before a handler touches either
// (reaching Desk or Store would panic and fail the test with a 500).
func newEdgeServer(t *testing.T, maxBody int64, slots int) *httptest.Server {
	t.Helper()
	ring, err := codec.ParseKeyring(config.DevDataKey)
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Log: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(), MaxBody: maxBody, UploadSlots: slots,
		Keys: map[string]config.APIKey{
			"pub":   {Key: "pub", Role: config.RolePublic, Identity: "web"},
			"in":    {Key: "in", Role: config.RoleIntake, Identity: "shop"},
			"ag":    {Key: "ag", Role: config.RoleAgent, Identity: "alice"},
			"admin": {Key: "admin", Role: config.RoleAdmin, Identity: "root"},
		},
		Extra: []func(*gin.Engine, *Server){MountCodec(codec.HTTPHandler(ring))}}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return ts
}

type edgeCase struct {
	name, method, path, key string
	body                    string
	status                  int
	code                    string
}

func runEdge(t *testing.T, ts *httptest.Server, tests []edgeCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, ts.URL+tt.path, strings.NewReader(tt.body))
			if tt.key != "" {
				req.Header.Set("Authorization", "Bearer "+tt.key)
			}
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var e errorBody
			raw, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, raw)
			}
			if err := json.Unmarshal(raw, &e); err != nil || e.Error.Code != tt.code || e.Error.Message == "" {
				t.Errorf("body %s, want the error shape with code %q", raw, tt.code)
			}
			if strings.HasPrefix(tt.path, "/v1/") && (resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("Cache-Control") != "no-store") {
				t.Errorf("headers nosniff=%q cache=%q", resp.Header.Get("X-Content-Type-Options"), resp.Header.Get("Cache-Control"))
			}
		})
	}
}

func TestEdgeRolesAndChannels(t *testing.T) {
	ts := newEdgeServer(t, 16<<20, 0)
	web := `{"channel":"web","customer_id":"c1","conversation_id":"k1","message_id":"m1","text":"hi"}`
	runEdge(t, ts, []edgeCase{
		{"public key cannot start contacts", "POST", "/v1/contacts", "pub", web, 403, "forbidden"},
		{"public key cannot post into a contact", "POST", "/v1/contacts/ct_0123/messages", "pub", `{"message_id":"e1","text":"x"}`, 403, "forbidden"},
		{"whatsapp through the API", "POST", "/v1/contacts", "in", strings.Replace(web, `"web"`, `"whatsapp"`, 1), 422, "invalid"},
		{"dingtalk through the API", "POST", "/v1/contacts", "in", strings.Replace(web, `"web"`, `"dingtalk"`, 1), 422, "invalid"},
		{"bench baseline needs admin", "POST", "/v1/bench/baseline", "in", `{"id":"b1"}`, 403, "forbidden"},
		{"bench baseline read needs admin", "GET", "/v1/bench/baseline/b1", "ag", ``, 403, "forbidden"},
	})
}

func TestEdgeTextAndIDHygiene(t *testing.T) {
	ts := newEdgeServer(t, 16<<20, 0)
	msg := func(customer, text string) string {
		b, _ := json.Marshal(map[string]string{"channel": "web", "customer_id": customer, "conversation_id": "k1", "message_id": "m1", "text": text})
		return string(b)
	}
	runEdge(t, ts, []edgeCase{
		{"NUL in text", "POST", "/v1/contacts", "in", msg("c1", "hel\x00lo"), 422, "invalid"},
		{"escape in text", "POST", "/v1/contacts", "in", msg("c1", "\x1b[2Jhi"), 422, "invalid"},
		{"carriage return in text", "POST", "/v1/contacts", "in", msg("c1", "a\rb"), 422, "invalid"},
		{"invalid UTF-8 body", "POST", "/v1/contacts", "in", "{\"channel\":\"web\",\"text\":\"\xff\xfe\"}", 422, "invalid"},
		{"control characters in customer_id", "POST", "/v1/contacts", "in", msg("c-\x1b[31m", "ok"), 422, "invalid"},
		{"space in customer_id", "POST", "/v1/contacts", "in", msg("c 1", "ok"), 422, "invalid"},
		{"NUL in an agent's reply", "POST", "/v1/handoffs/ho_1/reply", "ag", `{"text":"a\u0000b"}`, 422, "invalid"},
		{"NUL in a follow-up", "POST", "/v1/contacts/ct_1/messages", "in", `{"message_id":"m2","text":"\u0000"}`, 422, "invalid"},
		{"4001 characters", "POST", "/v1/contacts", "in", msg("c1", strings.Repeat("字", 4001)), 413, "too_large"},
		{"NUL in a path ID", "GET", "/v1/contacts/ct%00x", "admin", ``, 404, "not_found"},
		{"NUL in a ticket ID", "GET", "/v1/tickets/tk%00x", "admin", ``, 404, "not_found"},
		{"quote in a path ID", "GET", "/v1/contacts/ct'x", "admin", ``, 404, "not_found"},
		{"NUL in a handoff ID", "POST", "/v1/handoffs/ho%00x/claim", "ag", ``, 404, "not_found"},
		{"invalid UTF-8 in a path ID", "GET", "/v1/tickets/%ff", "admin", ``, 404, "not_found"},
		{"NUL in a query", "GET", "/v1/tickets?priority=%00", "admin", ``, 422, "invalid"},
		{"escape in a query", "GET", "/v1/handoffs?state=%1b", "ag", ``, 422, "invalid"},
	})
}

func TestEdgeErrorShapeOnCodec(t *testing.T) {
	ts := newEdgeServer(t, 16<<20, 0)
	runEdge(t, ts, []edgeCase{
		{"codec: not a payload list", "POST", "/codec/encode", "admin", `{"payloads":`, 400, "malformed"},
		{"codec: unknown operation", "POST", "/codec/nope", "admin", `{"payloads":[]}`, 404, "not_found"},
		{"codec: needs admin", "POST", "/codec/encode", "ag", `{"payloads":[]}`, 403, "forbidden"},
	})
}

// failReader fails the test if anything reads the body.
type failReader struct{ t *testing.T }

func (f failReader) Read([]byte) (int, error) {
	f.t.Error("a body over the limit was read")
	return 0, io.ErrUnexpectedEOF
}

func TestEdgeBodyLimitsPerRoute(t *testing.T) {
	ts := newEdgeServer(t, 16<<20, 0)
	tests := []struct {
		name, path string
		size       int64
		want       int
	}{
		{"text route over 64 KiB", "/v1/handoffs/ho_1/reply", TextBodyLimit + 1, 413},
		{"chat session over 64 KiB", "/v1/chat/sessions", TextBodyLimit + 1, 413},
		{"audio route over 14 MiB", "/v1/contacts", AudioBodyLimit + 1, 413},
		{"15 MB on an audio route", "/v1/contacts", 15 << 20, 413},
		{"15 MB on a chat post", "/v1/chat/wc-AAAAAAAAAAAAAAAAAAAAAA/messages", 15 << 20, 413},
		{"import over the server's cap", "/v1/lexicon/import", 16<<20 + 1, 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", ts.URL+tt.path, io.NopCloser(failReader{t}))
			req.ContentLength = tt.size
			req.Header.Set("Authorization", "Bearer admin")
			// The client sends the body only after "100 Continue", which
			// the server sends only when a handler reads: refused
			// unread, nothing is sent (failReader is never read).
			req.Header.Set("Expect", "100-continue")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
	// Under the limit a route reads the body as usual (and refuses it for
	// what it says, not its size).
	req, _ := http.NewRequest("POST", ts.URL+"/v1/contacts", bytes.NewReader(append([]byte(`{"channel":"web","text":"`), append(bytes.Repeat([]byte("a"), 200<<10), `"}`...)...)))
	req.Header.Set("Authorization", "Bearer in")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 413 {
		t.Errorf("200 KiB of text on an audio route: %d, want 413", resp.StatusCode)
	}
}

// slowBody sends n bytes, the first at once and the rest when released.
type slowBody struct {
	first   bool
	n       int
	release chan struct{}
}

func (b *slowBody) Read(p []byte) (int, error) {
	if b.n == 0 {
		return 0, io.EOF
	}
	if b.first {
		<-b.release
	}
	b.first = true
	k := min(len(p), b.n)
	for i := range p[:k] {
		p[i] = ' '
	}
	b.n -= k
	return k, nil
}

func TestEdgeLargeUploadsAreBounded(t *testing.T) {
	old := uploadWait
	uploadWait = 300 * time.Millisecond
	defer func() { uploadWait = old }()
	ts := newEdgeServer(t, 16<<20, 1)

	// One large upload holds the only slot while it trickles in.
	release := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		req, _ := http.NewRequest("POST", ts.URL+"/v1/contacts", &slowBody{n: 1 << 20, release: release})
		req.ContentLength = 1 << 20
		req.Header.Set("Authorization", "Bearer in")
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	time.Sleep(150 * time.Millisecond) // let it take the slot

	req, _ := http.NewRequest("POST", ts.URL+"/v1/contacts", bytes.NewReader(bytes.Repeat([]byte(" "), 1<<20)))
	req.Header.Set("Authorization", "Bearer in")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("second large upload: %d (Retry-After %q), want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	// A small body never waits for a slot.
	req, _ = http.NewRequest("POST", ts.URL+"/v1/contacts", strings.NewReader(`{"channel":"web"}`))
	req.Header.Set("Authorization", "Bearer in")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 422 {
		t.Errorf("small body while the slot is taken: %d, want 422 (validated, not queued)", resp.StatusCode)
	}
	close(release)
	wg.Wait()
}
