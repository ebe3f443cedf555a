// Package statictest checks a handler built with package static against a
// table of requests; the console and web-chat tests share it.
package statictest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Case is one request and what its answer must be. An empty ContentType is
// not checked; Contains "" matches any body.
type Case struct {
	Name, Method, Path string
	Status             int
	ContentType        string
	Contains           string
}

// Run sends each case to h (host desk.test) and checks the status, the
// Content-Type, the body, that HEAD has no body and that 4xx/5xx bodies
// have the API error shape; headers, if not nil, checks the rest of the
// answer (security headers) for every case.
func Run(t *testing.T, h http.Handler, cases []Case, headers func(t *testing.T, rec *httptest.ResponseRecorder)) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.Name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tt.Method, "http://desk.test"+tt.Path, nil))
			if rec.Code != tt.Status {
				t.Fatalf("status %d, want %d", rec.Code, tt.Status)
			}
			if tt.ContentType != "" && rec.Header().Get("Content-Type") != tt.ContentType {
				t.Errorf("Content-Type %q, want %q", rec.Header().Get("Content-Type"), tt.ContentType)
			}
			if !strings.Contains(rec.Body.String(), tt.Contains) {
				t.Errorf("body lacks %q", tt.Contains)
			}
			if tt.Method == http.MethodHead && rec.Body.Len() != 0 {
				t.Error("HEAD answered with a body")
			}
			if headers != nil {
				headers(t, rec)
			}
			if tt.Status >= 400 {
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
