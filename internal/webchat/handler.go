package webchat

import (
	"embed"
	"net/http"
	"strings"

	"github.com/harbordesk/harbordesk/internal/static"
)

// Prefix is where the chat page is mounted; the handler also accepts paths
// that already had it stripped.
const Prefix = "/chat/"

//go:embed static
var staticFS embed.FS

// contentTypes: the page, its modules and its stylesheet; nothing else in
// static/ is served.
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

// Handler serves the embedded page and widget: "/chat/" is the chat page,
// "/chat/widget.js" the script a shop embeds. "/chat" redirects to "/chat/",
// unknown paths are 404, methods other than GET and HEAD 405. Every answer
// carries a Content-Security-Policy allowing only same-origin scripts,
// styles and API calls; framing is allowed from o.FrameAncestors.
func Handler(o Options) http.Handler {
	h, err := static.Handler(staticFS, "static", static.Site{
		Prefix:       Prefix,
		ContentTypes: contentTypes,
		Headers: map[string]string{
			"Content-Security-Policy": csp(o.FrameAncestors),
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "no-referrer",
		},
		// Shops load the widget from their own pages.
		AssetHeaders: map[string]map[string]string{"widget.js": {"Cross-Origin-Resource-Policy": "cross-origin"}},
		ReadOnly:     "the chat page is read-only",
		NotFound:     "no such chat page",
	})
	if err != nil {
		// The assets are compiled in; failing to read them is a build defect.
		panic("webchat: embedded assets unreadable: " + err.Error())
	}
	return h
}

func csp(frameAncestors []string) string {
	fa := "*"
	if len(frameAncestors) > 0 {
		fa = strings.Join(frameAncestors, " ")
	}
	return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
		"base-uri 'none'; form-action 'none'; frame-ancestors " + fa
}
