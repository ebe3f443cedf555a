package nlu

import (
	"slices"
	"testing"
)

// conceptsOf names the concepts the dictionary finds in text.
func conceptsOf(text string) []string {
	u, _ := units(fold(text), nil, nil)
	var out []string
	for mask, slot := concepts.match(u), 0; mask != 0; mask, slot = mask>>1, slot+1 {
		if name := conceptTable[slot/2].concept; mask&1 != 0 && !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

func TestConceptMatch(t *testing.T) {
	cases := []struct {
		text      string
		want, not []string
	}{
		{"my parcel arrived smashed", []string{"ORDER", "DAMAGE"}, nil},
		{"The shipment came DENTED", []string{"ORDER", "DAMAGE"}, nil},
		{"I still haven't got my money back", []string{"REFUND"}, nil},
		{"it doesn't work since yesterday", []string{"DAMAGE"}, nil},
		{"can't connect to the wi-fi", []string{"TECH"}, nil},
		{"is there a double charge on my bill", []string{"BILLING"}, nil},
		{"can I return it within 30 days", []string{"RETURNS"}, nil},
		{"I want to speak to a real person", []string{"HUMAN"}, nil},
		{"need to postpone the technician visit", []string{"RESCHEDULE"}, nil},
		{"thx, bye", []string{"SMALLTALK"}, nil},
		// whole words only: no HOURS in "reopened", no TECH in "database"
		{"the ticket was reopened", nil, []string{"HOURS"}},
		{"database", nil, []string{"TECH"}},
		{"個螢幕裂咗", []string{"DAMAGE"}, nil},
		{"几时退款", []string{"REFUND"}, nil},
		{"我想改期", []string{"RESCHEDULE"}, nil},
		{"轉人工", []string{"HUMAN"}, nil},
		{"你哋幾點開門", []string{"HOURS"}, nil},
		{"", nil, []string{"ORDER"}},
	}
	for _, c := range cases {
		got := conceptsOf(c.text)
		for _, w := range c.want {
			if !slices.Contains(got, w) {
				t.Errorf("%q: concepts %v, want %s", c.text, got, w)
			}
		}
		for _, n := range c.not {
			if slices.Contains(got, n) {
				t.Errorf("%q: concepts %v, must not have %s", c.text, got, n)
			}
		}
	}
}

func TestConceptTable(t *testing.T) {
	if 2*len(conceptTable) > 64 {
		t.Fatalf("%d concepts do not fit the 64-bit slot mask", len(conceptTable))
	}
	for _, e := range conceptTable {
		for _, p := range e.phrases {
			if u, _ := units(fold(p), nil, nil); len(u) == 0 {
				t.Errorf("%s: phrase %q has no tokens", e.concept, p)
			}
		}
	}
}

// TestConceptFeature checks a concept reaches the model's features.
func TestConceptFeature(t *testing.T) {
	f := &featurizer{}
	id := concepts.ids[0]
	has := func(text string) bool {
		return slices.ContainsFunc(f.extract(fold(text), nil, "en"), func(x feature) bool { return x.id == id })
	}
	if !has("where is my courier") {
		t.Error("ORDER concept feature missing")
	}
	if has("good morning") {
		t.Error("ORDER concept feature on a greeting")
	}
}
