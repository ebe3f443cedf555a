package console

import (
	"embed"
	"net/http"

	"github.com/harbordesk/harbordesk/internal/static"
)

// Prefix is where the console is mounted; Handler also accepts paths that
// already had it stripped.
const Prefix = "/console/"

//go:embed static
var staticFS embed.FS

// site is how the console is served: ES modules, styles, the i18n table.
// The CSP allows only same-origin scripts, styles and API calls: no inline
// script, no third-party code; the console may not be framed.
var site = static.Site{
	Prefix: Prefix,
	ContentTypes: map[string]string{
		".html": "text/html; charset=utf-8",
		".js":   "text/javascript; charset=utf-8",
		".css":  "text/css; charset=utf-8",
		".json": "application/json; charset=utf-8",
		".svg":  "image/svg+xml",
		".txt":  "text/plain; charset=utf-8",
	},
	Headers: map[string]string{
		"Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
			"connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "no-referrer",
		"X-Frame-Options":        "DENY",
	},
	ReadOnly: "the console is read-only",
	NotFound: "no such console page",
}

// Handler serves the embedded console. Mount it at Prefix (with net/http:
// mux.Handle("/console/", console.Handler()); with Gin:
// r.GET("/console/*any", gin.WrapH(h)) and r.HEAD likewise). "/console"
// redirects to "/console/", "/console/" is index.html, unknown paths are 404
// and methods other than GET and HEAD are 405.
func Handler() http.Handler {
	h, err := static.Handler(staticFS, "static", site)
	if err != nil {
		// The assets are compiled in; failing to read them is a build defect.
		panic("console: embedded assets unreadable: " + err.Error())
	}
	return h
}
