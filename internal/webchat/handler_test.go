package webchat

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func TestHandlerServesPageAndWidget(t *testing.T) {
	h := Handler(Options{})
	tests := []struct {
		name, method, path string
		status             int
		contentType        string
		contains           string
	}{
		{"page at prefix", "GET", "/chat/", 200, "text/html; charset=utf-8", `data-testid="webchat"`},
		{"page by name", "GET", "/chat/index.html", 200, "text/html; charset=utf-8", `src="chat.js"`},
		{"widget", "GET", "/chat/widget.js", 200, "text/javascript; charset=utf-8", "data-key"},
		{"page script", "GET", "/chat/chat.js", 200, "text/javascript; charset=utf-8", "/v1/contacts"},
		{"i18n module", "GET", "/chat/i18n.js", 200, "text/javascript; charset=utf-8", "zh-Hant"},
		{"sse module", "GET", "/chat/sse.js", 200, "text/javascript; charset=utf-8", "parseSSE"},
		{"stylesheet", "GET", "/chat/chat.css", 200, "text/css; charset=utf-8", ".composer"},
		{"prefix already stripped", "GET", "/widget.js", 200, "text/javascript; charset=utf-8", "data-key"},
		{"root when stripped", "GET", "/", 200, "text/html; charset=utf-8", `data-testid="webchat"`},
		{"head", "HEAD", "/chat/widget.js", 200, "text/javascript; charset=utf-8", ""},
		{"unknown asset", "GET", "/chat/nope.js", 404, "application/json; charset=utf-8", `"code":"not_found"`},
		{"traversal", "GET", "/chat/../../go.mod", 404, "application/json; charset=utf-8", `"code":"not_found"`},
		{"static dir", "GET", "/chat/static/index.html", 404, "application/json; charset=utf-8", `"code":"not_found"`},
		{"post", "POST", "/chat/", 405, "application/json; charset=utf-8", `"code":"method_not_allowed"`},
		{"no trailing slash", "GET", "/chat", 301, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tt.method, "http://desk.test"+tt.path, nil))
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d", rec.Code, tt.status)
			}
			if tt.contentType != "" && rec.Header().Get("Content-Type") != tt.contentType {
				t.Errorf("Content-Type %q, want %q", rec.Header().Get("Content-Type"), tt.contentType)
			}
			if !strings.Contains(rec.Body.String(), tt.contains) {
				t.Errorf("body lacks %q", tt.contains)
			}
			if tt.method == "HEAD" && rec.Body.Len() != 0 {
				t.Error("HEAD answered with a body")
			}
			csp := rec.Header().Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors *"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") {
				t.Errorf("CSP allows inline code: %q", csp)
			}
			if rec.Header().Get("X-Frame-Options") != "" {
				t.Error("X-Frame-Options set: the page must be embeddable")
			}
			if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
				t.Error("nosniff missing")
			}
			if tt.status >= 400 {
				var e struct {
					Error struct{ Code, Message string }
				}
				if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error.Code == "" {
					t.Errorf("error body %q is not the API error shape: %v", rec.Body.String(), err)
				}
			}
		})
	}
}

func TestWidgetIsCrossOriginLoadable(t *testing.T) {
	h := Handler(Options{})
	for path, want := range map[string]string{"/chat/widget.js": "cross-origin", "/chat/": ""} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if got := rec.Header().Get("Cross-Origin-Resource-Policy"); got != want {
			t.Errorf("%s: CORP %q, want %q", path, got, want)
		}
	}
}

func TestHandlerETag(t *testing.T) {
	h := Handler(Options{})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/chat/widget.js", nil))
	etag := rec.Header().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	req := httptest.NewRequest("GET", "/chat/widget.js", nil)
	req.Header.Set("If-None-Match", etag)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 304 {
		t.Fatalf("conditional GET: status %d, want 304", rec.Code)
	}
}

func TestFrameAncestorsOption(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want string
	}{
		{"any site by default", nil, "frame-ancestors *"},
		{"one shop", []string{"https://shop.example"}, "frame-ancestors https://shop.example"},
		{"two shops", []string{"https://a.example", "https://b.example"}, "frame-ancestors https://a.example https://b.example"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			Handler(Options{FrameAncestors: tt.in}).ServeHTTP(rec, httptest.NewRequest("GET", "/chat/", nil))
			if csp := rec.Header().Get("Content-Security-Policy"); !strings.HasSuffix(csp, tt.want) {
				t.Errorf("CSP %q, want it to end with %q", csp, tt.want)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	got, err := load(fstest.MapFS{
		"static/index.html": {Data: []byte("<p>hi</p>")},
		"static/README.md":  {Data: []byte("not served")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got["index.html"].contentType != "text/html; charset=utf-8" || got["index.html"].etag == "" {
		t.Errorf("load = %+v, want only index.html with type and ETag", got)
	}
	if _, err := load(fstest.MapFS{}); err == nil {
		t.Error("load of an FS without static/ succeeded")
	}
}
