package webchat

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

// Prefix is where the chat page is mounted; the handler also accepts paths
// that already had it stripped.
const Prefix = "/chat/"

//go:embed static
var staticFS embed.FS

// contentTypes is fixed here rather than taken from mime.TypeByExtension,
// whose answer depends on the host's /etc/mime.types; browsers refuse
// modules served with the wrong type.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
}

// Options tune the handler.
type Options struct {
	// FrameAncestors lists the origins allowed to frame the chat page
	// (CSP frame-ancestors), e.g. "https://shop.example". Empty: any site,
	// since the page is made to be embedded by the shop's widget.
	FrameAncestors []string
}

type asset struct {
	body        []byte
	contentType string
	etag        string
}

type handler struct {
	assets map[string]asset
	csp    string
}

// Handler serves the embedded page and widget: "/chat/" is the chat page,
// "/chat/widget.js" the script a shop embeds. "/chat" redirects to "/chat/",
// unknown paths are 404, methods other than GET and HEAD 405. Every answer
// carries a Content-Security-Policy allowing only same-origin scripts,
// styles and API calls; framing is allowed from o.FrameAncestors.
func Handler(o Options) http.Handler {
	assets, err := load(staticFS)
	if err != nil {
		// The assets are compiled in; failing to read them is a build defect.
		panic("webchat: embedded assets unreadable: " + err.Error())
	}
	return &handler{assets: assets, csp: csp(o.FrameAncestors)}
}

func csp(frameAncestors []string) string {
	fa := "*"
	if len(frameAncestors) > 0 {
		fa = strings.Join(frameAncestors, " ")
	}
	return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
		"base-uri 'none'; form-action 'none'; frame-ancestors " + fa
}

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
			return nil
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

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Security-Policy", h.csp)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "no-referrer")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", "the chat page is read-only")
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
		writeError(w, http.StatusNotFound, "not_found", "no such chat page")
		return
	}
	if p == "widget.js" {
		// Shops load the widget from their own pages.
		w.Header().Set("Cross-Origin-Resource-Policy", "cross-origin")
	}
	w.Header().Set("Content-Type", a.contentType)
	w.Header().Set("ETag", a.etag)
	w.Header().Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, p, time.Time{}, bytes.NewReader(a.body))
}

// writeError writes the API's error shape; code and message are constants.
func writeError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`{"error":{"code":"` + code + `","message":"` + message + `"}}` + "\n"))
}
