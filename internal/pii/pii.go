package pii

import (
	"sort"
	"strings"
)

// Kind is a category of personal data.
type Kind string

// The kinds of personal data Find detects. The placeholder Mask writes is the
// kind in brackets, e.g. "[HKID]".
const (
	KindHKID     Kind = "HKID"
	KindPhone    Kind = "PHONE"
	KindEmail    Kind = "EMAIL"
	KindCard     Kind = "CARD"
	KindAddress  Kind = "ADDRESS"
	KindPassport Kind = "PASSPORT"
)

// Placeholder is the text Mask puts in place of a value of this kind.
func (k Kind) Placeholder() string { return "[" + string(k) + "]" }

// Match is one personal-data value found in a text: text[Start:End] (byte
// offsets).
type Match struct {
	Kind       Kind
	Start, End int
}

// detectors run in this order; on equal spans the earlier kind wins.
var detectors = []struct {
	kind Kind
	find func(text string, add func(Match))
}{
	{KindCard, findCards},
	{KindEmail, findEmails},
	{KindHKID, findHKIDs},
	{KindPassport, findPassports},
	{KindPhone, findPhones},
	{KindAddress, findAddresses},
}

// Find returns the personal-data values in text, sorted by position and
// non-overlapping (where candidates overlap, the longer one wins). Full-width
// forms are found like their ASCII forms (see foldWidth); offsets are always
// into text as given.
func Find(text string) []Match {
	v := foldWidth(text)
	return v.toOrig(findASCII(v.text))
}

// findASCII runs the detectors, which know only ASCII forms.
func findASCII(text string) []Match {
	if !worthScanning(text) {
		return nil
	}
	var all []Match
	prio := map[Kind]int{}
	for i, d := range detectors {
		prio[d.kind] = i
		d.find(text, func(m Match) { all = append(all, m) })
	}
	if len(all) == 0 {
		return nil
	}
	sort.SliceStable(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		if a.End != b.End {
			return a.End > b.End
		}
		return prio[a.Kind] < prio[b.Kind]
	})
	out := all[:0:0]
	for _, m := range all {
		if n := len(out); n > 0 && m.Start < out[n-1].End {
			last := &out[n-1]
			switch {
			case m.Kind == last.Kind && m.Kind == KindAddress:
				// Address pieces found by different cores join up.
				if m.End > last.End {
					last.End = m.End
				}
			case m.End-m.Start > last.End-last.Start:
				*last = m
			}
			continue
		}
		out = append(out, m)
	}
	return out
}

// worthScanning is a cheap prefilter: every detector needs an ASCII digit
// (numbers, floors, street numbers) or an '@' (e-mail).
func worthScanning(text string) bool {
	return strings.ContainsAny(text, "0123456789@")
}

// Mask returns text with every personal-data value replaced by its typed
// placeholder. Invalid UTF-8 is replaced by U+FFFD first, so the result is
// always valid UTF-8. Masking is idempotent: Mask(Mask(s)) == Mask(s).
func Mask(text string) string {
	text = strings.ToValidUTF8(text, "\uFFFD")
	// Replacing a value can, rarely, bring two fragments together into a new
	// candidate; and a detected value's digits can also stand inside a longer
	// run that is not itself detected ("…21000000…" beside the phone number
	// 21000000). Repeat until nothing is found and no detected value's text
	// (in any width) is left anywhere (bounded: every pass removes text).
	var kinds []Kind
	var values []string // width-folded
	for range 8 {
		changed := false
		v := foldWidth(text)
		if ms := findASCII(v.text); len(ms) > 0 {
			for _, m := range ms {
				if m.End-m.Start >= minEchoLen {
					kinds, values = append(kinds, m.Kind), append(values, v.text[m.Start:m.End])
				}
			}
			text, changed = replace(text, v.toOrig(ms)), true
			v = foldWidth(text)
		}
		for i, val := range values {
			if ms := v.occurrences(val, kinds[i]); len(ms) > 0 {
				text, changed = replace(text, ms), true
				v = foldWidth(text)
			}
		}
		if !changed {
			return text
		}
	}
	return text
}

// minEchoLen is the shortest detected value whose other occurrences are
// masked too; shorter ones (a few digits) would eat ordinary numbers.
const minEchoLen = 7

func replace(text string, ms []Match) string {
	var b strings.Builder
	b.Grow(len(text))
	prev := 0
	for _, m := range ms {
		b.WriteString(text[prev:m.Start])
		b.WriteString(m.Kind.Placeholder())
		prev = m.End
	}
	b.WriteString(text[prev:])
	return b.String()
}

// Contains reports whether text holds any personal data.
func Contains(text string) bool { return len(Find(text)) > 0 }

// Redact is Mask, named for log and error call sites.
func Redact(s string) string { return Mask(s) }
