package console

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func TestHandlerServesAssets(t *testing.T) {
	h := Handler()
	tests := []struct {
		name, method, path string
		status             int
		contentType        string
		contains           string
	}{
		{"index at prefix", "GET", "/console/", 200, "text/html; charset=utf-8", "Handoff queue"},
		{"index by name", "GET", "/console/index.html", 200, "text/html; charset=utf-8", `data-testid="login-key"`},
		{"module script", "GET", "/console/app.js", 200, "text/javascript; charset=utf-8", "import"},
		{"nested module", "GET", "/console/queue.js", 200, "text/javascript; charset=utf-8", "/v1/handoffs"},
		{"stylesheet", "GET", "/console/app.css", 200, "text/css; charset=utf-8", ".panel"},
		{"i18n table", "GET", "/console/i18n.json", 200, "application/json; charset=utf-8", "zh-Hant"},
		{"prefix already stripped", "GET", "/app.js", 200, "text/javascript; charset=utf-8", "import"},
		{"root when stripped", "GET", "/", 200, "text/html; charset=utf-8", "Handoff queue"},
		{"head", "HEAD", "/console/", 200, "text/html; charset=utf-8", ""},
		{"unknown asset", "GET", "/console/nope.js", 404, "application/json; charset=utf-8", `"code":"not_found"`},
		{"traversal", "GET", "/console/../../go.mod", 404, "application/json; charset=utf-8", `"code":"not_found"`},
		{"directory-like", "GET", "/console/static/", 404, "application/json; charset=utf-8", `"code":"not_found"`},
		{"post", "POST", "/console/", 405, "application/json; charset=utf-8", `"code":"method_not_allowed"`},
		{"no trailing slash", "GET", "/console", 301, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, "http://desk.test"+tt.path, nil)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
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
				t.Errorf("HEAD answered with a body")
			}
			if !strings.Contains(rec.Header().Get("Content-Security-Policy"), "script-src 'self'") ||
				rec.Header().Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("security headers missing: %v", rec.Header())
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

func TestLoad(t *testing.T) {
	tests := []struct {
		name    string
		fsys    fstest.MapFS
		want    []string
		wantErr bool
	}{
		{"served and skipped files", fstest.MapFS{
			"static/index.html":        {Data: []byte("<p>")},
			"static/vendor/x.js":       {Data: []byte("1")},
			"static/vendor/LICENSE.md": {Data: []byte("MIT")},
		}, []string{"index.html", "vendor/x.js"}, false},
		{"no static directory", fstest.MapFS{"other/index.html": {Data: []byte("<p>")}}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := load(tt.fsys)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if len(got) != len(tt.want) {
				t.Errorf("loaded %d assets, want %v", len(got), tt.want)
			}
			for _, p := range tt.want {
				if a, ok := got[p]; !ok || a.etag == "" || a.contentType == "" {
					t.Errorf("asset %s = %+v, %v", p, a, ok)
				}
			}
		})
	}
}
