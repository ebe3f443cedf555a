// Package static serves a compiled-in set of web assets (the agent console,
// the web-chat page) the way every Harbordesk page is served: fixed content
// types, an ETag per file with 304 revalidation, security headers on every
// answer, and 404/405 in the API's error shape {"error":{"code","message"}}.
// net/http's FileServer does not fit: it lists directories, takes content
// types from the host's mime tables and answers errors in plain text.
package static

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

// Site describes one set of assets and how to serve it.
type Site struct {
	// Prefix is where the site is mounted, with a trailing slash
	// ("/console/"). Paths that already had it stripped are accepted too.
	Prefix string
	// ContentTypes maps a file extension (".js") to its Content-Type.
	// It is fixed rather than taken from mime.TypeByExtension, whose answer
	// depends on the host's /etc/mime.types; browsers refuse ES modules
	// served with the wrong type. Files with other extensions (READMEs,
	// licences) are not served.
	ContentTypes map[string]string
	// Headers go on every answer (CSP, nosniff, ...).
	Headers map[string]string
	// AssetHeaders go, in addition, on the answers for one asset, by its
	// path below Prefix ("widget.js").
	AssetHeaders map[string]map[string]string
	// ReadOnly and NotFound are the messages of the 405 and 404 answers;
	// they are constants, so no JSON escaping is done.
	ReadOnly, NotFound string
}

// Asset is one loaded file.
type Asset struct {
	Body        []byte
	ContentType string
	ETag        string
}

// Load reads every file below dir in fsys whose extension has a content
// type, once, and computes its ETag. The keys are paths relative to dir.
func Load(fsys fs.FS, dir string, contentTypes map[string]string) (map[string]Asset, error) {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		return nil, err
	}
	out := map[string]Asset{}
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
		out[p] = Asset{Body: body, ContentType: ct, ETag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		return nil
	})
	return out, err
}

// Handler serves the files below dir in fsys as s says: Prefix without its
// slash redirects to Prefix, Prefix is index.html, unknown paths are 404
// and methods other than GET and HEAD are 405. Answers carry the ETag and
// Cache-Control: no-cache, so browsers revalidate and get 304.
func Handler(fsys fs.FS, dir string, s Site) (http.Handler, error) {
	assets, err := Load(fsys, dir, s.ContentTypes)
	if err != nil {
		return nil, err
	}
	return &handler{site: s, assets: assets}, nil
}

type handler struct {
	site   Site
	assets map[string]Asset
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	for k, v := range h.site.Headers {
		w.Header().Set(k, v)
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", h.site.ReadOnly)
		return
	}
	prefix := h.site.Prefix
	p := r.URL.Path
	if p == strings.TrimSuffix(prefix, "/") {
		http.Redirect(w, r, prefix, http.StatusMovedPermanently)
		return
	}
	p = strings.TrimPrefix(p, prefix[:len(prefix)-1])
	p = strings.TrimPrefix(path.Clean("/"+p), "/")
	if p == "" {
		p = "index.html"
	}
	a, ok := h.assets[p]
	if !ok {
		writeError(w, http.StatusNotFound, "not_found", h.site.NotFound)
		return
	}
	for k, v := range h.site.AssetHeaders[p] {
		w.Header().Set(k, v)
	}
	w.Header().Set("Content-Type", a.ContentType)
	w.Header().Set("ETag", a.ETag)
	w.Header().Set("Cache-Control", "no-cache")
	// ServeContent answers If-None-Match with 304 and handles HEAD and Range.
	http.ServeContent(w, r, p, time.Time{}, bytes.NewReader(a.Body))
}

// writeError writes the API's error shape {"error":{"code","message"}}.
// code and message must be constants: no escaping is done.
func writeError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`{"error":{"code":"` + code + `","message":"` + message + `"}}` + "\n"))
}
