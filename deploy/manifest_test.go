package deploy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// doc is one parsed YAML document.
type doc = map[string]any

// readDocs parses every document of a (multi-document) YAML file.
func readDocs(path string) ([]doc, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseDocs(b)
}

func parseDocs(b []byte) ([]doc, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var out []doc
	for {
		var d doc
		err := dec.Decode(&d)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if d != nil {
			out = append(out, d)
		}
	}
}

// at walks nested maps (string keys) and lists (int indexes).
func at(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func str(v any, path ...any) string {
	s, _ := at(v, path...).(string)
	return s
}

func list(v any, path ...any) []any {
	l, _ := at(v, path...).([]any)
	return l
}

func mapAt(v any, path ...any) map[string]any {
	m, _ := at(v, path...).(map[string]any)
	return m
}

// envNamePattern matches the settings Harbordesk reads from the environment.
var envNamePattern = regexp.MustCompile(`"((?:HARBORDESK|TEMPORAL|DATABASE|OTEL)_[A-Z0-9_]+)"`)

// binaryEnvNames scans the module's non-test Go sources for the environment
// variable names they mention: the names the binary can read. Scanning keeps
// the manifests honest as settings are added, without a second list to drift.
func binaryEnvNames(root string) (map[string]bool, error) {
	names := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "deploy", "vendor", "testdata", "node_modules", ".harbordesk":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range envNamePattern.FindAllSubmatch(b, -1) {
			names[string(m[1])] = true
		}
		return nil
	})
	return names, err
}

// requiredEnv must reach every api, worker and migrate process
// (CONTRACT.md: production roles fail at start without them).
var requiredEnv = []string{"DATABASE_URL", "TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE", "HARBORDESK_API_KEYS", "HARBORDESK_DATA_KEY"}

// problems collects what a check found wrong.
type problems []string

func (p *problems) addf(format string, args ...any) { *p = append(*p, fmt.Sprintf(format, args...)) }

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func hasAll(t *testing.T, got problems, wants ...string) {
	t.Helper()
	for _, w := range wants {
		found := false
		for _, g := range got {
			if strings.Contains(g, w) {
				found = true
			}
		}
		if !found {
			t.Errorf("no problem mentioning %q; got %q", w, got)
		}
	}
}

func TestParseDocsSkipsEmptyAndReportsBroken(t *testing.T) {
	docs, err := parseDocs([]byte("a: 1\n---\n---\nb: 2\n"))
	if err != nil || len(docs) != 2 {
		t.Fatalf("docs = %v, err = %v; want 2 documents", docs, err)
	}
	if _, err := parseDocs([]byte("a: [1\n")); err == nil {
		t.Fatal("broken YAML parsed")
	}
	if _, err := readDocs("no-such-file.yaml"); err == nil {
		t.Fatal("missing file read")
	}
}

func TestBinaryEnvNames(t *testing.T) {
	names, err := binaryEnvNames("..")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range requiredEnv {
		if !names[n] {
			t.Errorf("the binary's sources never mention %s", n)
		}
	}
	if _, err := binaryEnvNames("no-such-dir"); err == nil {
		t.Fatal("walking a missing directory did not fail")
	}
}
