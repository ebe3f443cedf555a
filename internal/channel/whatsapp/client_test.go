package whatsapp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testToken = "graph-token"
	testPNID  = "1234567890"
)

// fakeGraph speaks the Cloud API endpoints the desk uses: POST
// /v21.0/{phone-number-id}/messages, GET /v21.0/{media-id} (media metadata
// with a download URL) and the download URL itself, all behind the bearer
// token. fail, when set, overrides the answer of the messages endpoint.
type fakeGraph struct {
	srv  *httptest.Server
	mu   sync.Mutex
	sent []map[string]any
	n    int
	fail func(w http.ResponseWriter) bool
	blob []byte
	size int64 // file_size reported in media metadata
}

func newFakeGraph(t *testing.T) *fakeGraph {
	g := &fakeGraph{blob: []byte("OggS-fake-voice-note")}
	g.size = int64(len(g.blob))
	mux := http.NewServeMux()
	auth := func(w http.ResponseWriter, r *http.Request) bool {
		if r.Header.Get("Authorization") != "Bearer "+testToken {
			w.WriteHeader(401)
			io.WriteString(w, `{"error":{"message":"Invalid OAuth access token.","type":"OAuthException","code":190,"fbtrace_id":"T1"}}`)
			return false
		}
		return true
	}
	mux.HandleFunc("POST /v21.0/{pnid}/messages", func(w http.ResponseWriter, r *http.Request) {
		if !auth(w, r) {
			return
		}
		if r.PathValue("pnid") != testPNID || r.Header.Get("Content-Type") != "application/json" {
			w.WriteHeader(400)
			io.WriteString(w, `{"error":{"message":"Unsupported post request.","type":"GraphMethodException","code":100,"fbtrace_id":"T2"}}`)
			return
		}
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			w.WriteHeader(400)
			return
		}
		g.mu.Lock()
		defer g.mu.Unlock()
		if g.fail != nil && g.fail(w) {
			return
		}
		g.sent = append(g.sent, body)
		g.n++
		json.NewEncoder(w).Encode(map[string]any{
			"messaging_product": "whatsapp",
			"contacts":          []any{map[string]any{"input": body["to"], "wa_id": body["to"]}},
			"messages":          []any{map[string]any{"id": "wamid.OUT" + string(rune('0'+g.n))}},
		})
	})
	mux.HandleFunc("GET /v21.0/{media}", func(w http.ResponseWriter, r *http.Request) {
		if !auth(w, r) {
			return
		}
		if r.PathValue("media") != "MEDIA1" {
			w.WriteHeader(404)
			io.WriteString(w, `{"error":{"message":"Unsupported get request. Object with ID 'X' does not exist","type":"GraphMethodException","code":100,"error_subcode":33}}`)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{
			"messaging_product": "whatsapp", "url": g.srv.URL + "/lookaside/MEDIA1?ext=1",
			"mime_type": "audio/ogg", "sha256": "x", "file_size": g.size, "id": "MEDIA1",
		})
	})
	mux.HandleFunc("GET /lookaside/MEDIA1", func(w http.ResponseWriter, r *http.Request) {
		if !auth(w, r) {
			return
		}
		w.Header().Set("Content-Type", "audio/ogg")
		w.Write(g.blob)
	})
	g.srv = httptest.NewServer(mux)
	t.Cleanup(g.srv.Close)
	return g
}

func (g *fakeGraph) client() *Client { return NewClient(g.srv.URL+"/v21.0/", testToken, testPNID) }

func TestSendText(t *testing.T) {
	g := newFakeGraph(t)
	id, err := g.client().SendText(context.Background(), "+85291234567", "星期日休息", "contact-1/reply-1")
	if err != nil {
		t.Fatal(err)
	}
	if id != "wamid.OUT1" {
		t.Fatalf("message id = %q", id)
	}
	want := map[string]any{
		"messaging_product": "whatsapp", "recipient_type": "individual", "to": "85291234567", "type": "text",
		"text":                     map[string]any{"preview_url": false, "body": "星期日休息"},
		"biz_opaque_callback_data": "contact-1/reply-1",
	}
	if got := g.sent[0]; !jsonEqual(got, want) {
		t.Fatalf("body = %v\nwant  %v", got, want)
	}
}

func TestSendTemplate(t *testing.T) {
	g := newFakeGraph(t)
	_, err := g.client().SendTemplate(context.Background(), "85291234567", "harbordesk_followup", "zh_HK", []string{"line one\n\tline   two"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"messaging_product": "whatsapp", "recipient_type": "individual", "to": "85291234567", "type": "template",
		"template": map[string]any{
			"name": "harbordesk_followup", "language": map[string]any{"code": "zh_HK"},
			"components": []any{map[string]any{"type": "body", "parameters": []any{map[string]any{"type": "text", "text": "line one line two"}}}},
		},
	}
	if got := g.sent[0]; !jsonEqual(got, want) {
		t.Fatalf("body = %v\nwant  %v", got, want)
	}
	// Without parameters no components are sent.
	if _, err := g.client().SendTemplate(context.Background(), "85291234567", "hello_world", "en", nil); err != nil {
		t.Fatal(err)
	}
	if _, has := g.sent[1]["template"].(map[string]any)["components"]; has {
		t.Fatal("components sent for a template without parameters")
	}
}

func TestSendErrors(t *testing.T) {
	status := func(code int, body string) func(w http.ResponseWriter) bool {
		return func(w http.ResponseWriter) bool { w.WriteHeader(code); io.WriteString(w, body); return true }
	}
	tests := []struct {
		name      string
		fail      func(w http.ResponseWriter) bool
		token     string
		to, text  string
		permanent bool
		code      int
	}{
		{"500", status(500, `{"error":{"message":"An unknown error has occurred.","type":"OAuthException","code":1,"fbtrace_id":"T"}}`), testToken, "85291234567", "hi", false, 1},
		{"503 html", status(503, `<html>down</html>`), testToken, "85291234567", "hi", false, 0},
		{"429", status(429, `{"error":{"message":"rate","code":130429}}`), testToken, "85291234567", "hi", false, 130429},
		{"400 pair rate limit", status(400, `{"error":{"message":"(#131056) pair rate limit hit","code":131056}}`), testToken, "85291234567", "hi", false, 131056},
		{"400 invalid parameter", status(400, `{"error":{"message":"(#100) Invalid parameter","type":"OAuthException","code":100,"fbtrace_id":"T"}}`), testToken, "85291234567", "hi", true, 100},
		{"400 re-engagement", status(400, `{"error":{"message":"(#131047) Re-engagement message","code":131047}}`), testToken, "85291234567", "hi", true, CodeReEngagement},
		{"401 bad token", nil, "wrong", "85291234567", "hi", true, 190},
		{"200 without id", func(w http.ResponseWriter) bool { io.WriteString(w, `{"messages":[]}`); return true }, testToken, "85291234567", "hi", true, 0},
		{"empty text", nil, testToken, "85291234567", " ", true, 0},
		{"empty recipient", nil, testToken, "+", "hi", true, 0},
		{"too long", nil, testToken, "85291234567", strings.Repeat("好", MaxTextRunes+1), true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newFakeGraph(t)
			g.fail = tt.fail
			c := g.client()
			c.Token = tt.token
			_, err := c.SendText(context.Background(), tt.to, tt.text, "k")
			if err == nil {
				t.Fatal("no error")
			}
			if IsPermanent(err) != tt.permanent {
				t.Fatalf("IsPermanent(%v) = %v, want %v", err, !tt.permanent, tt.permanent)
			}
			var ae *APIError
			if tt.code != 0 && (!errors.As(err, &ae) || ae.Code != tt.code) {
				t.Fatalf("err = %v, want graph code %d", err, tt.code)
			}
			if strings.Contains(err.Error(), "91234567") {
				t.Fatalf("error leaks recipient: %v", err)
			}
		})
	}
}

func TestSendErrorRedactsPhoneNumbers(t *testing.T) {
	g := newFakeGraph(t)
	g.fail = func(w http.ResponseWriter) bool {
		w.WriteHeader(400)
		io.WriteString(w, `{"error":{"message":"(#131030) Recipient +852 9123 4567 not in allowed list","code":131030}}`)
		return true
	}
	_, err := g.client().SendText(context.Background(), "85291234567", "secret text", "k")
	if err == nil || strings.Contains(err.Error(), "9123") || strings.Contains(err.Error(), "secret text") || !strings.Contains(err.Error(), "131030") {
		t.Fatalf("error = %v", err)
	}
	if !IsReEngagement(&APIError{Code: CodeReEngagement}) || IsReEngagement(err) {
		t.Fatal("IsReEngagement misclassifies")
	}
}

func TestSendTransportErrorsAreRetryable(t *testing.T) {
	// Timeout: the fake stalls longer than the client's timeout.
	stall := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-stall }))
	defer slow.Close()
	defer close(stall)
	c := NewClient(slow.URL+"/v21.0", testToken, testPNID)
	c.HTTP = &http.Client{Timeout: 50 * time.Millisecond}
	_, err := c.SendText(context.Background(), "852", "hi", "k")
	if err == nil || IsPermanent(err) || strings.Contains(err.Error(), slow.URL) {
		t.Fatalf("timeout err = %v (permanent=%v)", err, IsPermanent(err))
	}
	// Refused connection.
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	_, err = NewClient(dead.URL, testToken, testPNID).SendText(context.Background(), "852", "hi", "k")
	var te *TransportError
	if !errors.As(err, &te) || IsPermanent(err) {
		t.Fatalf("refused err = %v", err)
	}
	if IsPermanent(nil) || IsPermanent(errors.New("other")) {
		t.Fatal("IsPermanent true for nil or unknown error")
	}
}

func TestDownloadMedia(t *testing.T) {
	tests := []struct {
		name      string
		mediaID   string
		max       int64
		size      int64 // reported file_size; -1 = actual
		token     string
		wantErr   error
		permanent bool
	}{
		{"ok", "MEDIA1", 1 << 20, -1, testToken, nil, false},
		{"declared too large", "MEDIA1", 4, -1, testToken, ErrMediaTooLarge, true},
		{"actual too large", "MEDIA1", 8, 0, testToken, ErrMediaTooLarge, true},
		{"unknown media", "NOPE", 1 << 20, -1, testToken, nil, true},
		{"bad token", "MEDIA1", 1 << 20, -1, "wrong", nil, true},
		{"empty id", "", 1 << 20, -1, testToken, ErrBadRequest, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newFakeGraph(t)
			if tt.size >= 0 {
				g.size = tt.size
			}
			c := g.client()
			c.Token = tt.token
			data, mime, err := c.DownloadMedia(context.Background(), tt.mediaID, tt.max)
			if tt.name == "ok" {
				if err != nil || !bytes.Equal(data, g.blob) || mime != "audio/ogg" {
					t.Fatalf("got %q %q %v", data, mime, err)
				}
				return
			}
			if err == nil || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) || IsPermanent(err) != tt.permanent {
				t.Fatalf("err = %v, want %v permanent=%v", err, tt.wantErr, tt.permanent)
			}
		})
	}
}

func TestDownloadMediaBadMetadata(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"url":"ftp://x/y"}`)
	}))
	defer srv.Close()
	_, _, err := NewClient(srv.URL, testToken, testPNID).DownloadMedia(context.Background(), "M", 10)
	if err == nil || IsPermanent(err) {
		t.Fatalf("err = %v", err)
	}
	srv2 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, `{}`) }))
	defer srv2.Close()
	if _, _, err := NewClient(srv2.URL, testToken, testPNID).DownloadMedia(context.Background(), "M", 10); err == nil {
		t.Fatal("no error for metadata without url")
	}
}

func jsonEqual(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

func BenchmarkSendText(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		io.WriteString(w, `{"messaging_product":"whatsapp","messages":[{"id":"wamid.X"}]}`)
	}))
	defer srv.Close()
	c := NewClient(srv.URL+"/v21.0", testToken, testPNID)
	for b.Loop() {
		if _, err := c.SendText(context.Background(), "85291234567", "星期日休息", "k"); err != nil {
			b.Fatal(err)
		}
	}
}
