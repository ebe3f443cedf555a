package console

import (
	"encoding/json"
	"io/fs"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/harbordesk/harbordesk/internal/static"
)

// languages the console must speak.
var languages = []string{"en", "zh-Hant", "zh-Hans"}

func readStatic(t *testing.T, name string) string {
	t.Helper()
	b, err := fs.ReadFile(staticFS, "static/"+name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func scripts(t *testing.T) map[string]string {
	t.Helper()
	names, err := fs.Glob(staticFS, "static/*.js")
	if err != nil || len(names) == 0 {
		t.Fatalf("no scripts: %v", err)
	}
	out := map[string]string{}
	for _, n := range names {
		out[strings.TrimPrefix(n, "static/")] = readStatic(t, strings.TrimPrefix(n, "static/"))
	}
	return out
}

func i18nTable(t *testing.T) map[string]map[string]string {
	t.Helper()
	var table map[string]map[string]string
	if err := json.Unmarshal([]byte(readStatic(t, "i18n.json")), &table); err != nil {
		t.Fatalf("i18n.json: %v", err)
	}
	return table
}

var placeholder = regexp.MustCompile(`\{(\w+)\}`)

func placeholders(s string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	sort.Strings(out)
	return out
}

func TestI18nEveryKeyInEveryLanguage(t *testing.T) {
	table := i18nTable(t)
	if len(table) != len(languages) {
		t.Errorf("i18n.json has languages %v, want %v", keysOf(table), languages)
	}
	en := table["en"]
	if len(en) == 0 {
		t.Fatal("no English texts")
	}
	for _, lang := range languages {
		texts, ok := table[lang]
		if !ok {
			t.Errorf("language %s missing", lang)
			continue
		}
		for key, s := range en {
			got, ok := texts[key]
			switch {
			case !ok:
				t.Errorf("%s lacks %s", lang, key)
			case strings.TrimSpace(got) == "":
				t.Errorf("%s.%s is empty", lang, key)
			case !slices.Equal(placeholders(got), placeholders(s)):
				t.Errorf("%s.%s placeholders %v, English has %v", lang, key, placeholders(got), placeholders(s))
			}
		}
		for key := range texts {
			if _, ok := en[key]; !ok {
				t.Errorf("%s has %s, English does not", lang, key)
			}
		}
	}
}

var (
	htmlKey      = regexp.MustCompile(`data-i18n(?:-[a-z-]+)?="([^"]+)"`)
	jsLiteral    = regexp.MustCompile(`'([a-z]+\.[A-Za-z0-9_]+)'`)
	jsTemplate   = regexp.MustCompile("t(?:Or)?\\(`([a-z]+)\\.\\$\\{")
	testID       = regexp.MustCompile(`data-testid="([^"]+)"|'data-testid': '([^']+)'|card\('([a-z-]+)'`)
	assetRef     = regexp.MustCompile(`(?:src|href)="([^"]+)"`)
	importRef    = regexp.MustCompile(`from '\./([^']+)'`)
	readmeTestID = regexp.MustCompile("`([a-z0-9-]+)`")
)

func TestI18nKeysUsedExist(t *testing.T) {
	en := i18nTable(t)["en"]
	namespaces := map[string]bool{}
	for k := range en {
		namespaces[strings.SplitN(k, ".", 2)[0]] = true
	}
	check := func(where, key string) {
		if _, ok := en[key]; !ok {
			t.Errorf("%s uses %s, not in i18n.json", where, key)
		}
	}
	for _, m := range htmlKey.FindAllStringSubmatch(readStatic(t, "index.html"), -1) {
		check("index.html", m[1])
	}
	for name, src := range scripts(t) {
		for _, m := range jsLiteral.FindAllStringSubmatch(src, -1) {
			if ns := strings.SplitN(m[1], ".", 2)[0]; namespaces[ns] {
				check(name, m[1])
			}
		}
		// t(`ns.${x}`): the namespace must have texts.
		for _, m := range jsTemplate.FindAllStringSubmatch(src, -1) {
			if !namespaces[m[1]] {
				t.Errorf("%s builds keys in namespace %s, which has no texts", name, m[1])
			}
		}
	}
}

func TestIndexRendersQueueBeforeLogin(t *testing.T) {
	// The acceptance check dumps the DOM before anyone logs in: the queue
	// heading and the login form must be in the static markup.
	index := readStatic(t, "index.html")
	for _, want := range []string{"Handoff queue", `id="login-form"`, `<label for="login-key"`} {
		if !strings.Contains(index, want) {
			t.Errorf("index.html lacks %s", want)
		}
	}
	if strings.Contains(index, "<script>") || strings.Contains(index, "onclick=") {
		t.Error("index.html has inline script, which the CSP forbids")
	}
}

func TestReferencedAssetsExist(t *testing.T) {
	assets, err := static.Load(staticFS, "static", site.ContentTypes)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range assetRef.FindAllStringSubmatch(readStatic(t, "index.html"), -1) {
		if _, ok := assets[m[1]]; !ok {
			t.Errorf("index.html references %s, which is not served", m[1])
		}
	}
	for name, src := range scripts(t) {
		for _, m := range importRef.FindAllStringSubmatch(src, -1) {
			if _, ok := assets[m[1]]; !ok {
				t.Errorf("%s imports %s, which is not served", name, m[1])
			}
		}
		if strings.Contains(src, "innerHTML") || strings.Contains(src, "insertAdjacentHTML") {
			t.Errorf("%s renders HTML; use textContent", name)
		}
	}
}

func TestTestIDsDocumented(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	section := string(readme)
	if i := strings.Index(section, "## Test ids"); i >= 0 {
		section = section[i:]
	} else {
		t.Fatal("README.md has no '## Test ids' section")
	}
	for _, line := range strings.Split(section, "\n") {
		if !strings.HasPrefix(line, "| ") || strings.HasPrefix(line, "| where") {
			continue // only the table rows list ids
		}
		for _, m := range readmeTestID.FindAllStringSubmatch(line, -1) {
			documented[m[1]] = true
		}
	}
	used := map[string]bool{}
	sources := []string{readStatic(t, "index.html")}
	for _, src := range scripts(t) {
		sources = append(sources, src)
	}
	for _, src := range sources {
		for _, m := range testID.FindAllStringSubmatch(src, -1) {
			used[m[1]+m[2]+m[3]] = true
		}
	}
	for id := range used {
		if !documented[id] {
			t.Errorf("data-testid %q is not listed in README.md", id)
		}
	}
	for id := range documented {
		if !used[id] {
			t.Errorf("README.md lists data-testid %q, which the console does not have", id)
		}
	}
}

func keysOf[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
