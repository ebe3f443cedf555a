package lexicon

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// TestDefaultEntries is the per-entry test: every shipped entry's example must
// contain a hit for that entry.
func TestDefaultEntries(t *testing.T) {
	l := Default()
	if len(l.Entries) < 80 {
		t.Fatalf("default lexicon has %d entries, want >= 80", len(l.Entries))
	}
	for i := range l.Entries {
		e := &l.Entries[i]
		t.Run(e.Term, func(t *testing.T) {
			if e.Example == "" {
				t.Fatal("entry has no example")
			}
			for _, h := range l.Match(e.Example) {
				if h.Entry == e {
					return
				}
			}
			t.Errorf("example %q does not match term %q (hits: %v)", e.Example, e.Term, hitTerms(l.Match(e.Example)))
		})
	}
}

func hitTerms(hs []Hit) []string {
	var out []string
	for _, h := range hs {
		out = append(out, h.Entry.Term)
	}
	return out
}

func TestRequiredMeanings(t *testing.T) {
	l := Default()
	cases := []struct {
		text, term string
		want, not  []string
	}{
		{"出糧先落單", "落單", []string{"place_order"}, nil},
		{"出糧先落單", "出糧", []string{"payday"}, nil},
		{"唔該催下貨，我張單等咗成個禮拜", "唔該催下貨", []string{"negative", "urge"}, []string{"thanks"}},
		{"得閒再睇啦", "得閒再睇", []string{"stalling"}, []string{"negative"}},
		{"實時搞掂佢", "實時搞掂", []string{"immediate"}, nil},
		{"爛咗", "爛咗", []string{"damaged"}, nil},
		{"壞咗", "壞咗", []string{"damaged"}, nil},
		{"搞乜鬼呀", "搞乜鬼", []string{"anger"}, nil},
		{"我去消委會", "消委會", []string{"threat"}, nil},
		// Simplified spellings match the Traditional entry.
		{"出粮先落单", "落單", []string{"place_order"}, nil},
		{"我去消委会", "消委會", []string{"threat"}, nil},
		{"唔该催下货", "唔該催下貨", []string{"urge"}, []string{"thanks"}},
		// Code-mixed and case-insensitive Latin terms.
		{"唔該CHECK下我張Order", "check下", nil, nil},
		{"I want REFUNDS now", "refund", []string{"refund"}, nil},
	}
	for _, c := range cases {
		var hit *Hit
		for _, h := range l.Match(c.text) {
			if h.Entry.Term == c.term {
				hit = &h
				break
			}
		}
		if hit == nil {
			t.Errorf("%q: no hit for %q (got %v)", c.text, c.term, hitTerms(l.Match(c.text)))
			continue
		}
		for _, s := range c.want {
			if !slices.Contains(hit.Entry.Signals, s) {
				t.Errorf("%q: %q lacks signal %s", c.text, c.term, s)
			}
		}
		for _, s := range c.not {
			if slices.Contains(hit.Entry.Signals, s) {
				t.Errorf("%q: %q must not carry %s", c.text, c.term, s)
			}
		}
	}
}

func TestMatchBoundaries(t *testing.T) {
	l := Default()
	cases := []struct {
		text string
		want []string
	}{
		{"see you on monday", nil},        // "mon" inside a word
		{"個mon裂咗", []string{"mon", "裂咗"}}, // code-mixed
		{"reorder please", nil},           // "order" inside a word
		{"唔該晒！", []string{"唔該晒"}},         // longest match beats 唔該
		{"", nil},
	}
	for _, c := range cases {
		if got := hitTerms(l.Match(c.text)); !slices.Equal(got, c.want) {
			t.Errorf("Match(%q) = %v, want %v", c.text, got, c.want)
		}
	}
	var nilLex *Lexicon
	if nilLex.Match("落單") != nil {
		t.Error("nil lexicon matched")
	}
}

func TestNormalize(t *testing.T) {
	l := Default()
	cases := map[string]string{
		"出糧先落單":           "發工資先下單",
		"出粮先落单":           "发工资先下单",
		"你哋幾點開門？":         "你們幾點開門？",
		"I want a refund": "I want a refund",
		"完全標準嘅句子":         "完全標準的句子",
		"abc":             "abc",
	}
	for in, want := range cases {
		if got := l.Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, doc, want string
	}{
		{"empty", "  ", "empty document"},
		{"bad yaml", "version: [", "invalid lexicon"},
		{"bad json", `{"version": 1,`, "invalid lexicon"},
		{"no version", "entries: [{term: a, meaning: b}]", "missing version"},
		{"no entries", "version: v1\nentries: []", "no entries"},
		{"empty term", "version: v1\nentries: [{term: ' ', meaning: b}]", "empty term"},
		{"empty meaning", "version: v1\nentries: [{term: a}]", "empty meaning"},
		{"unknown signal", "version: v1\nentries: [{term: a, meaning: b, signals: [happy]}]", `unknown signal "happy"`},
		{"unknown intent", "version: v1\nentries: [{term: a, meaning: b, intent: chat}]", `unknown intent "chat"`},
		{"sentiment range", "version: v1\nentries: [{term: a, meaning: b, sentiment: 2}]", "outside [-1,1]"},
		{"duplicate", "version: v1\nentries: [{term: 落單, meaning: b}, {term: 落单, meaning: c}]", "duplicate of entry 1"},
		{"duplicate case", "version: v1\nentries: [{term: Order, meaning: b}, {term: order, meaning: c}]", "duplicate"},
	}
	for _, c := range cases {
		_, err := Parse([]byte(c.doc))
		if err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want ErrInvalid containing %q", c.name, err, c.want)
		}
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	l := Default()
	data, err := l.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(data)
	if err != nil {
		t.Fatalf("Parse(Marshal()) = %v", err)
	}
	if back.Version != l.Version || len(back.Entries) != len(l.Entries) {
		t.Fatalf("round trip lost data: %s/%d vs %s/%d", back.Version, len(back.Entries), l.Version, len(l.Entries))
	}
	if got := back.Match("出糧先落單"); len(got) != 2 {
		t.Errorf("round-tripped lexicon matches %v", hitTerms(got))
	}
	js := `{"version":"v2","entries":[{"term":"冲服务","meaning":"rush a service","signals":["urge"],"example":"帮我冲服务"}]}`
	jl, err := Parse([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	if h := jl.Match("幫我沖服務"); len(h) != 1 {
		t.Errorf("JSON lexicon Traditional match = %v", hitTerms(h))
	}
}

func BenchmarkMatch(b *testing.B) {
	l := Default()
	for i := 0; i < b.N; i++ {
		l.Match("唔該催下貨，我張單等咗成個禮拜，再唔到我就去消委會投訴")
	}
}
