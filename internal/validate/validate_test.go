package validate

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClean(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"hello", true},
		{"你哋幾點收舖？", true},
		{"line1\nline2\tx", true},
		{"emoji 👋🏽 and ZWJ 👨‍👩‍👧", true},
		{"", true},
		{"a\x00b", false},
		{"\x1b[31mred", false},
		{"a\rb", false},
		{"del\x7f", false},
		{"c1\u0085", false},
		{"bad \xff utf8", false},
		{"half \xe4\xbd", false},
	}
	for _, tt := range tests {
		if got := Clean(tt.in); got != tt.want {
			t.Errorf("Clean(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestText(t *testing.T) {
	if msg := Text("text", "hi"); msg != "" {
		t.Errorf("hi: %q", msg)
	}
	if msg := Text("text", strings.Repeat("字", MaxTextRunes)); msg != "" {
		t.Errorf("4000 chars: %q", msg)
	}
	for in, want := range map[string]string{
		"hel\x00lo":                         "text contains control characters or invalid UTF-8",
		"  \n ":                             "text is required",
		strings.Repeat("a", MaxTextRunes+1): "text is over 4000 characters",
	} {
		if got := Text("text", in); got != want {
			t.Errorf("Text(%.20q) = %q, want %q", in, got, want)
		}
	}
}

func TestID(t *testing.T) {
	good := []string{"c-1", "cust_1001", "a@b.example", "wamid.HBgL+abc==", "85291234567", "wc-AbCdEfGhIjKlMnOpQrStUv", strings.Repeat("x", MaxIDLen)}
	bad := []string{"", "c-\x1b[31m", "a b", "a/b", "a\x00", "對話", "x'; drop", strings.Repeat("x", MaxIDLen+1), "a\nb", "%00"}
	for _, s := range good {
		if msg := ID("id", s); msg != "" || !ValidID(s) {
			t.Errorf("ID(%q) = %q", s, msg)
		}
	}
	for _, s := range bad {
		if msg := ID("id", s); msg == "" || ValidID(s) {
			t.Errorf("ID(%q) accepted", s)
		}
	}
	if got := ID("customer_id", ""); got != "customer_id is required" {
		t.Errorf("empty: %q", got)
	}
}

func TestTruncate(t *testing.T) {
	s, cut := Truncate("short", 10)
	if s != "short" || cut {
		t.Errorf("short: %q %v", s, cut)
	}
	long := strings.Repeat("字", 4005)
	s, cut = Truncate(long, MaxTextRunes)
	if !cut || !strings.HasSuffix(s, CutMark) || utf8.RuneCountInString(strings.TrimSuffix(s, CutMark)) != MaxTextRunes || !utf8.ValidString(s) {
		t.Errorf("long: cut=%v len=%d", cut, utf8.RuneCountInString(s))
	}
	s, cut = Truncate(strings.Repeat("a", MaxTextRunes), MaxTextRunes)
	if cut || len(s) != MaxTextRunes {
		t.Errorf("exactly max: cut=%v", cut)
	}
}

func TestStrings(t *testing.T) {
	type inner struct {
		Note string `json:"note"`
	}
	type req struct {
		Name  string            `json:"name"`
		Tags  []string          `json:"tags"`
		Meta  map[string]string `json:"meta"`
		In    *inner            `json:"inner"`
		Raw   []byte            `json:"raw"`
		Count int               `json:"count"`
		skip  string
	}
	ok := req{Name: "n", Tags: []string{"a"}, Meta: map[string]string{"k": "v\r\n"}, In: &inner{Note: "x"}, Raw: []byte{0}, skip: "\x00"}
	if bad := Strings(&ok); bad != "" {
		t.Errorf("clean request: %q", bad)
	}
	cases := map[string]req{
		"name": {Name: "a\x00"},
		"tags": {Tags: []string{"ok", "\x1b"}},
		"meta": {Meta: map[string]string{"k\x00": "v"}},
		"note": {In: &inner{Note: "\xff"}},
	}
	for want, r := range cases {
		if got := Strings(&r); got != want {
			t.Errorf("Strings = %q, want %q", got, want)
		}
	}
	var anyMap map[string]any = map[string]any{"x": []any{"ok", "b\x00"}}
	if got := Strings(anyMap); got != "body" {
		t.Errorf("map[string]any: %q", got)
	}
}
