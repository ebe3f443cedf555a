package webchat

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/harbordesk/harbordesk/internal/static/statictest"
)

func TestHandlerServesPageAndWidget(t *testing.T) {
	statictest.Run(t, Handler(Options{}), []statictest.Case{
		{Name: "page at prefix", Method: "GET", Path: "/chat/", Status: 200, ContentType: "text/html; charset=utf-8", Contains: `data-testid="webchat"`},
		{Name: "page by name", Method: "GET", Path: "/chat/index.html", Status: 200, ContentType: "text/html; charset=utf-8", Contains: `src="chat.js"`},
		{Name: "widget", Method: "GET", Path: "/chat/widget.js", Status: 200, ContentType: "text/javascript; charset=utf-8", Contains: "data-key"},
		{Name: "page script", Method: "GET", Path: "/chat/chat.js", Status: 200, ContentType: "text/javascript; charset=utf-8", Contains: "/v1/chat/sessions"},
		{Name: "i18n module", Method: "GET", Path: "/chat/i18n.js", Status: 200, ContentType: "text/javascript; charset=utf-8", Contains: "zh-Hant"},
		{Name: "sse module", Method: "GET", Path: "/chat/sse.js", Status: 200, ContentType: "text/javascript; charset=utf-8", Contains: "parseSSE"},
		{Name: "stylesheet", Method: "GET", Path: "/chat/chat.css", Status: 200, ContentType: "text/css; charset=utf-8", Contains: ".composer"},
		{Name: "prefix already stripped", Method: "GET", Path: "/widget.js", Status: 200, ContentType: "text/javascript; charset=utf-8", Contains: "data-key"},
		{Name: "root when stripped", Method: "GET", Path: "/", Status: 200, ContentType: "text/html; charset=utf-8", Contains: `data-testid="webchat"`},
		{Name: "head", Method: "HEAD", Path: "/chat/widget.js", Status: 200, ContentType: "text/javascript; charset=utf-8"},
		{Name: "unknown asset", Method: "GET", Path: "/chat/nope.js", Status: 404, ContentType: "application/json; charset=utf-8", Contains: `"code":"not_found"`},
		{Name: "traversal", Method: "GET", Path: "/chat/../../go.mod", Status: 404, ContentType: "application/json; charset=utf-8", Contains: `"code":"not_found"`},
		{Name: "static dir", Method: "GET", Path: "/chat/static/index.html", Status: 404, ContentType: "application/json; charset=utf-8", Contains: `"code":"not_found"`},
		{Name: "post", Method: "POST", Path: "/chat/", Status: 405, ContentType: "application/json; charset=utf-8", Contains: `"code":"method_not_allowed"`},
		{Name: "no trailing slash", Method: "GET", Path: "/chat", Status: 301},
	}, func(t *testing.T, rec *httptest.ResponseRecorder) {
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
	})
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
