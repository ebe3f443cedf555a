package console

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/harbordesk/harbordesk/internal/static/statictest"
)

func TestHandlerServesAssets(t *testing.T) {
	statictest.Run(t, Handler(), []statictest.Case{
		{Name: "index at prefix", Method: "GET", Path: "/console/", Status: 200, ContentType: "text/html; charset=utf-8", Contains: "Handoff queue"},
		{Name: "index by name", Method: "GET", Path: "/console/index.html", Status: 200, ContentType: "text/html; charset=utf-8", Contains: `data-testid="login-key"`},
		{Name: "module script", Method: "GET", Path: "/console/app.js", Status: 200, ContentType: "text/javascript; charset=utf-8", Contains: "import"},
		{Name: "nested module", Method: "GET", Path: "/console/queue.js", Status: 200, ContentType: "text/javascript; charset=utf-8", Contains: "/v1/handoffs"},
		{Name: "stylesheet", Method: "GET", Path: "/console/app.css", Status: 200, ContentType: "text/css; charset=utf-8", Contains: ".panel"},
		{Name: "i18n table", Method: "GET", Path: "/console/i18n.json", Status: 200, ContentType: "application/json; charset=utf-8", Contains: "zh-Hant"},
		{Name: "prefix already stripped", Method: "GET", Path: "/app.js", Status: 200, ContentType: "text/javascript; charset=utf-8", Contains: "import"},
		{Name: "root when stripped", Method: "GET", Path: "/", Status: 200, ContentType: "text/html; charset=utf-8", Contains: "Handoff queue"},
		{Name: "head", Method: "HEAD", Path: "/console/", Status: 200, ContentType: "text/html; charset=utf-8"},
		{Name: "unknown asset", Method: "GET", Path: "/console/nope.js", Status: 404, ContentType: "application/json; charset=utf-8", Contains: `"code":"not_found"`},
		{Name: "traversal", Method: "GET", Path: "/console/../../go.mod", Status: 404, ContentType: "application/json; charset=utf-8", Contains: `"code":"not_found"`},
		{Name: "directory-like", Method: "GET", Path: "/console/static/", Status: 404, ContentType: "application/json; charset=utf-8", Contains: `"code":"not_found"`},
		{Name: "post", Method: "POST", Path: "/console/", Status: 405, ContentType: "application/json; charset=utf-8", Contains: `"code":"method_not_allowed"`},
		{Name: "no trailing slash", Method: "GET", Path: "/console", Status: 301},
	}, func(t *testing.T, rec *httptest.ResponseRecorder) {
		if !strings.Contains(rec.Header().Get("Content-Security-Policy"), "script-src 'self'") ||
			rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("security headers missing: %v", rec.Header())
		}
	})
}

func TestHandlerRedirectsAndAllow(t *testing.T) {
	h := Handler()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/console", nil))
	if loc := rec.Header().Get("Location"); loc != "/console/" {
		t.Errorf("redirect to %q, want /console/", loc)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("DELETE", "/console/app.js", nil))
	if allow := rec.Header().Get("Allow"); allow != "GET, HEAD" {
		t.Errorf("Allow = %q", allow)
	}
}

func TestHandlerETagRevalidation(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	res, err := http.Get(srv.URL + "/console/app.js")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	etag := res.Header.Get("ETag")
	if etag == "" || res.Header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("ETag %q, Cache-Control %q", etag, res.Header.Get("Cache-Control"))
	}
	req, _ := http.NewRequest("GET", srv.URL+"/console/app.js", nil)
	req.Header.Set("If-None-Match", etag)
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation status %d, want 304", res.StatusCode)
	}
}
