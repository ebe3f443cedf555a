package webchat

import (
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

func readStatic(t *testing.T, name string) string {
	t.Helper()
	b, err := fs.ReadFile(staticFS, "static/"+name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The CSP forbids inline code, so the page must have none, and texts from
// customers and agents must never be parsed as HTML.
func TestStaticHasNoInlineCodeOrHTMLInjection(t *testing.T) {
	page := readStatic(t, "index.html")
	for _, m := range regexp.MustCompile(`<script[^>]*>`).FindAllString(page, -1) {
		if !strings.Contains(m, `src="`) {
			t.Errorf("inline script in index.html: %s", m)
		}
	}
	if regexp.MustCompile(`\son[a-z]+=`).MatchString(page) || strings.Contains(page, "style=") {
		t.Error("index.html has inline handlers or styles, which the CSP blocks")
	}
	for _, name := range []string{"chat.js", "widget.js", "sse.js", "i18n.js"} {
		src := readStatic(t, name)
		for _, bad := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("} {
			if strings.Contains(src, bad) {
				t.Errorf("%s uses %s", name, bad)
			}
		}
	}
}

func TestPageSpeaksTheContract(t *testing.T) {
	chat, widget := readStatic(t, "chat.js"), readStatic(t, "widget.js")
	for _, want := range []string{"'/v1/chat/sessions'", "chatPath + '/messages'", "'X-Chat-Session'", "/v1/chat/", "/events?after=", "&wait=25s",
		"localStorage", "crypto.getRandomValues", "Authorization: `Bearer ${KEY}`", "customer_hash"} {
		if !strings.Contains(chat, want) {
			t.Errorf("chat.js lacks %q", want)
		}
	}
	// The key goes to the iframe in the fragment, never in a URL a server sees.
	if strings.Contains(chat, "/v1/contacts") {
		t.Error("chat.js posts to /v1/contacts: the page must use its session")
	}
	for _, want := range []string{"getAttribute('data-key')", "getAttribute('data-customer-hash')", "'#' + hash", "document.currentScript", "harbordesk:close"} {
		if !strings.Contains(widget, want) {
			t.Errorf("widget.js lacks %q", want)
		}
	}
}

// TestModulesInNode runs the page's pure modules (locale choice, SSE
// parsing) under Node when it is installed.
func TestModulesInNode(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed")
	}
	dir := t.TempDir()
	for _, name := range []string{"i18n.js", "sse.js"} {
		if err := os.WriteFile(filepath.Join(dir, strings.TrimSuffix(name, ".js")+".mjs"), []byte(readStatic(t, name)), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	script := `
import { TEXTS, pickLocale } from './i18n.mjs';
import { parseSSE } from './sse.mjs';
const locales = {};
for (const tags of [["zh-HK"], ["zh-TW"], ["zh-MO"], ["zh-Hant-HK"], ["yue"], ["zh-CN"], ["zh"], ["zh-SG"], ["zh-Hans-HK"],
  ["en-GB"], ["fr", "zh-HK"], ["fr"], [], ["en-US", "zh-CN"]]) locales[tags.join(",")] = pickLocale(tags);
const chunks = ': connected\n\nid: 1\nevent: reply\ndata: {"text":"a"}\n\n: heartbeat\n\nid: 2\nevent: reply\nda';
const first = parseSSE(chunks);
const second = parseSSE(first.rest + 'ta: {"text":"b"}\r\n\r\n');
const keys = Object.fromEntries(Object.entries(TEXTS).map(([k, v]) => [k, Object.keys(v).sort()]));
console.log(JSON.stringify({ locales, first: first.events, second: second.events, rest: second.rest, keys }));
`
	if err := os.WriteFile(filepath.Join(dir, "test.mjs"), []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(node, filepath.Join(dir, "test.mjs")).CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	type event struct{ Event, Data, ID string }
	var got struct {
		Locales       map[string]string
		First, Second []event
		Rest          string
		Keys          map[string][]string
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("node output %q: %v", out, err)
	}
	wantLocales := map[string]string{"zh-HK": "zh-Hant", "zh-TW": "zh-Hant", "zh-MO": "zh-Hant", "zh-Hant-HK": "zh-Hant",
		"yue": "zh-Hant", "zh-CN": "zh-Hans", "zh": "zh-Hans", "zh-SG": "zh-Hans", "zh-Hans-HK": "zh-Hans",
		"en-GB": "en", "fr,zh-HK": "zh-Hant", "fr": "en", "": "en", "en-US,zh-CN": "en"}
	for tags, want := range wantLocales {
		if got.Locales[tags] != want {
			t.Errorf("pickLocale(%s) = %q, want %q", tags, got.Locales[tags], want)
		}
	}
	if len(got.First) != 1 || got.First[0] != (event{"reply", `{"text":"a"}`, "1"}) {
		t.Errorf("first chunk events = %+v", got.First)
	}
	if len(got.Second) != 1 || got.Second[0] != (event{"reply", `{"text":"b"}`, "2"}) || got.Rest != "" {
		t.Errorf("second chunk events = %+v rest %q", got.Second, got.Rest)
	}
	// Every locale has every text, and the page uses only texts that exist.
	en := got.Keys["en"]
	for _, loc := range []string{"zh-Hant", "zh-Hans"} {
		if strings.Join(got.Keys[loc], ",") != strings.Join(en, ",") {
			t.Errorf("%s texts %v differ from en %v", loc, got.Keys[loc], en)
		}
	}
	used := map[string]bool{}
	for _, m := range regexp.MustCompile(`data-i18n(?:-[a-z-]+)?="([^"]+)"`).FindAllStringSubmatch(readStatic(t, "index.html"), -1) {
		used[m[1]] = true
	}
	for _, m := range regexp.MustCompile(`\bt\.([a-zA-Z]+)`).FindAllStringSubmatch(readStatic(t, "chat.js"), -1) {
		used[m[1]] = true
	}
	var missing []string
	for k := range used {
		if i := sort.SearchStrings(en, k); i == len(en) || en[i] != k {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		t.Errorf("texts used but not defined: %v", missing)
	}
}
