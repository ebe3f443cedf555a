package console

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

// Prefix is where the console is mounted; Handler also accepts paths that
// already had it stripped.
const Prefix = "/console/"

//go:embed static
var staticFS embed.FS

// contentTypes is fixed here rather than taken from mime.TypeByExtension,
// whose answer depends on the host's /etc/mime.types; browsers refuse ES
// modules served with the wrong type.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".json": "application/json; charset=utf-8",
	".svg":  "image/svg+xml",
	".txt":  "text/plain; charset=utf-8",
}

// securityHeaders go on every answer. The CSP allows only same-origin
// scripts, styles and API calls: no inline script, no third-party code.
var securityHeaders = map[string]string{
	"Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
	"X-Content-Type-Options": "nosniff",
	"Referrer-Policy":        "no-referrer",
	"X-Frame-Options":        "DENY",
}

type asset struct {
	body        []byte
	contentType string
	etag        string
}

// Handler serves the embedded console. Mount it at Prefix (with net/http:
// mux.Handle("/console/", console.Handler()); with Gin:
// r.GET("/console/*any", gin.WrapH(h)) and r.HEAD likewise). "/console"
// redirects to "/console/", "/console/" is index.html, unknown paths are 404
// and methods other than GET and HEAD are 405.
func Handler() http.Handler {
	assets, err := load(staticFS)
	if err != nil {
		// The assets are compiled in; failing to read them is a build defect.
		panic("console: embedded assets unreadable: " + err.Error())
	}
	return &handler{assets: assets}
}

// load reads every embedded file once and computes its ETag.
func load(fsys fs.FS) (map[string]asset, error) {
	sub, err := fs.Sub(fsys, "static")
	if err != nil {
		return nil, err
	}
	out := map[string]asset{}
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ct, ok := contentTypes[path.Ext(p)]
		if !ok {
			return nil // READMEs, licences: not served
		}
		body, err := fs.ReadFile(sub, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		out[p] = asset{body: body, contentType: ct, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		return nil
	})
	return out, err
}

type handler struct {
	assets map[string]asset
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	for k, v := range securityHeaders {
		w.Header().Set(k, v)
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", "the console is read-only")
		return
	}
	p := r.URL.Path
	if p == strings.TrimSuffix(Prefix, "/") {
		http.Redirect(w, r, Prefix, http.StatusMovedPermanently)
		return
	}
	p = strings.TrimPrefix(p, Prefix[:len(Prefix)-1])
	p = strings.TrimPrefix(path.Clean("/"+p), "/")
	if p == "" {
		p = "index.html"
	}
	a, ok := h.assets[p]
	if !ok {
		writeError(w, http.StatusNotFound, "not_found", "no such console page")
		return
	}
	w.Header().Set("Content-Type", a.contentType)
	w.Header().Set("ETag", a.etag)
	w.Header().Set("Cache-Control", "no-cache")
	// ServeContent answers If-None-Match with 304 and handles HEAD and Range.
	http.ServeContent(w, r, p, time.Time{}, bytes.NewReader(a.body))
}

// writeError writes the API's error shape {"error":{"code","message"}}.
// code and message are constants from this file, so no escaping is needed.
func writeError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`{"error":{"code":"` + code + `","message":"` + message + `"}}` + "\n"))
}
