package nlu

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Item is one message with whatever gold labels a source gives: an empty
// Lang or Intent and a nil Negative mean "not labelled" and are not scored
// (nor trained on). Public sources rarely label everything: a review set
// knows the polarity, an intent set knows the intent.
type Item struct {
	Text     string
	Lang     string
	Script   string
	Intent   string
	Negative *bool
	// Source names where the item comes from (a file name without .jsonl).
	Source string
}

// itemJSON accepts both the corpus field name "lang" and "language".
type itemJSON struct {
	Text     *string `json:"text"`
	Lang     string  `json:"lang"`
	Language string  `json:"language"`
	Script   string  `json:"script"`
	Intent   string  `json:"intent"`
	Negative *bool   `json:"negative"`
}

// ItemsOf turns fully labelled examples into items.
func ItemsOf(exs []Example, source string) []Item {
	out := make([]Item, len(exs))
	for i, e := range exs {
		neg := e.Negative
		out[i] = Item{Text: e.Text, Lang: e.Lang, Script: e.Script, Intent: e.Intent, Negative: &neg, Source: source}
	}
	return out
}

// ParseItems reads labelled items, one JSON object per line with a "text"
// and any of "language" (or "lang"), "intent" and "negative". Blank lines
// are skipped. Errors name the line, never its text.
func ParseItems(data []byte, source string) ([]Item, error) {
	var out []Item
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), MaxLineBytes)
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var j itemJSON
		if err := json.Unmarshal(b, &j); err != nil || j.Text == nil {
			return nil, fmt.Errorf("line %d: not a JSON object with a text field", line)
		}
		it := Item{Text: *j.Text, Lang: j.Language, Script: j.Script, Intent: j.Intent, Negative: j.Negative, Source: source}
		if it.Lang == "" {
			it.Lang = j.Lang
		}
		if it.Lang != "" && it.Lang != "yue" && it.Lang != "zh" && it.Lang != "en" {
			return nil, fmt.Errorf("line %d: unknown language %q (want yue, zh or en)", line, it.Lang)
		}
		if it.Intent != "" && !isIntent(it.Intent) {
			return nil, fmt.Errorf("line %d: unknown intent %q", line, it.Intent)
		}
		out = append(out, it)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line too long or unreadable: %w", err)
	}
	return out, nil
}

// Source is a named set of labelled items.
type Source struct {
	Name  string
	Items []Item
}

// LoadSources reads every *.jsonl file in dir as one source named after
// the file, in name order.
func LoadSources(dir string) ([]Source, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	var out []Source
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		name := strings.TrimSuffix(filepath.Base(p), ".jsonl")
		items, err := ParseItems(data, name)
		if err != nil {
			return nil, fmt.Errorf("nlu: source %s: %w", name, err)
		}
		out = append(out, Source{Name: name, Items: items})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("nlu: no *.jsonl sources in %s", dir)
	}
	return out, nil
}
