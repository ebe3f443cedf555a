package static

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"

	"github.com/harbordesk/harbordesk/internal/static/statictest"
)

var testTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
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
			"static/README.md":         {Data: []byte("not served")},
		}, []string{"index.html", "vendor/x.js"}, false},
		{"no static directory", fstest.MapFS{"other/index.html": {Data: []byte("<p>")}}, nil, true},
		{"empty FS", fstest.MapFS{}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Load(tt.fsys, "static", testTypes)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if len(got) != len(tt.want) {
				t.Errorf("loaded %d assets, want %v", len(got), tt.want)
			}
			for _, p := range tt.want {
				if a, ok := got[p]; !ok || a.ETag == "" || a.ContentType == "" {
					t.Errorf("asset %s = %+v, %v", p, a, ok)
				}
			}
		})
	}
	got, _ := Load(fstest.MapFS{"static/index.html": {Data: []byte("<p>hi</p>")}}, "static", testTypes)
	if got["index.html"].ContentType != "text/html; charset=utf-8" {
		t.Errorf("index.html served as %q", got["index.html"].ContentType)
	}
}

func testSite() Site {
	return Site{
		Prefix:       "/site/",
		ContentTypes: testTypes,
		Headers:      map[string]string{"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'"},
		AssetHeaders: map[string]map[string]string{"w.js": {"Cross-Origin-Resource-Policy": "cross-origin"}},
		ReadOnly:     "read-only",
		NotFound:     "no such page",
	}
}

func TestHandler(t *testing.T) {
	h, err := Handler(fstest.MapFS{
		"static/index.html": {Data: []byte("<p>home</p>")},
		"static/w.js":       {Data: []byte("widget()")},
		"static/notes.md":   {Data: []byte("internal")},
	}, "static", testSite())
	if err != nil {
		t.Fatal(err)
	}
	statictest.Run(t, h, []statictest.Case{
		{Name: "index", Method: "GET", Path: "/site/", Status: 200, ContentType: "text/html; charset=utf-8", Contains: "home"},
		{Name: "script", Method: "GET", Path: "/site/w.js", Status: 200, ContentType: "text/javascript; charset=utf-8", Contains: "widget()"},
		{Name: "stripped", Method: "GET", Path: "/w.js", Status: 200, ContentType: "text/javascript; charset=utf-8", Contains: "widget()"},
		{Name: "head", Method: "HEAD", Path: "/site/", Status: 200, ContentType: "text/html; charset=utf-8"},
		{Name: "untyped file", Method: "GET", Path: "/site/notes.md", Status: 404, ContentType: "application/json; charset=utf-8", Contains: `"message":"no such page"`},
		{Name: "traversal", Method: "GET", Path: "/site/../../go.mod", Status: 404, ContentType: "application/json; charset=utf-8", Contains: `"code":"not_found"`},
		{Name: "post", Method: "POST", Path: "/site/", Status: 405, ContentType: "application/json; charset=utf-8", Contains: `"message":"read-only"`},
		{Name: "no trailing slash", Method: "GET", Path: "/site", Status: 301},
	}, func(t *testing.T, rec *httptest.ResponseRecorder) {
		if rec.Header().Get("X-Content-Type-Options") != "nosniff" || rec.Header().Get("Content-Security-Policy") != "default-src 'none'" {
			t.Errorf("site headers missing: %v", rec.Header())
		}
	})

	for path, want := range map[string]string{"/site/w.js": "cross-origin", "/site/": "", "/site/nope.js": ""} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if got := rec.Header().Get("Cross-Origin-Resource-Policy"); got != want {
			t.Errorf("%s: CORP %q, want %q", path, got, want)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("DELETE", "/site/w.js", nil))
	if rec.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("Allow = %q", rec.Header().Get("Allow"))
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/site", nil))
	if loc := rec.Header().Get("Location"); loc != "/site/" {
		t.Errorf("redirect to %q", loc)
	}
}

func TestHandlerETag(t *testing.T) {
	h, err := Handler(fstest.MapFS{"static/index.html": {Data: []byte("<p>")}}, "static", testSite())
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/site/", nil))
	etag := rec.Header().Get("ETag")
	if etag == "" || rec.Header().Get("Cache-Control") != "no-cache" {
		t.Fatalf("ETag %q, Cache-Control %q", etag, rec.Header().Get("Cache-Control"))
	}
	req := httptest.NewRequest("GET", "/site/index.html", nil)
	req.Header.Set("If-None-Match", etag)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified {
		t.Errorf("conditional GET: status %d, want 304", rec.Code)
	}
}

func TestHandlerUnreadable(t *testing.T) {
	if _, err := Handler(fstest.MapFS{}, "static", testSite()); err == nil {
		t.Error("Handler over an FS without static/ succeeded")
	}
}
