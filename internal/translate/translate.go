// Package translate puts a message into another language or script for an
// agent: the customer's words in the agent's language, and the agent's draft
// in the customer's language and script. Offline, always: Traditional ↔
// Simplified Chinese (OpenCC) and colloquial Cantonese → standard written
// Chinese (the lexicon's normalisation). With a machine translator (an LLM)
// configured, any pair of Cantonese, Mandarin and English, on masked text,
// under a timeout; when it fails, the offline result (or none) stands. The
// original is always returned beside the translation, and nothing here
// sends anything: a translated draft reaches the customer only when the
// agent sends it.
package translate

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/harbordesk/harbordesk/internal/lexicon"
	"github.com/harbordesk/harbordesk/internal/nlu/script"
	"github.com/harbordesk/harbordesk/internal/pii"
)

// Locales a translation may go from or to (internal/kb's locale names).
var Locales = []string{"yue-Hant", "yue-Hans", "zh-Hant", "zh-Hans", "en"}

// Engines that made a translation.
const (
	EngineNone    = "none"    // same language and script: the text as it is
	EngineScript  = "opencc"  // Traditional ↔ Simplified only
	EngineLexicon = "lexicon" // Cantonese normalised to written Chinese (+ script)
	EngineLLM     = "llm"     // machine translation
)

// ErrLocale is an unknown locale.
var ErrLocale = errors.New("translate: unknown locale")

// Machine translates between any two Locales (an LLM). The text it gets is
// masked.
type Machine interface {
	Translate(ctx context.Context, text, from, to string) (string, error)
}

// Translator translates. The zero value works offline with the shipped
// lexicon.
type Translator struct {
	// Lexicon returns the live lexicon (nil: lexicon.Default()).
	Lexicon func() *lexicon.Lexicon
	// Machine is the optional machine translator (nil: offline only).
	Machine Machine
	// Timeout bounds one machine translation (default 5 s).
	Timeout time.Duration
}

// Result is a translation with its original. Text is empty and Available
// false when no engine can translate the pair (English without a machine
// translator).
type Result struct {
	Original  string `json:"original"`
	Text      string `json:"text"`
	From      string `json:"from"`
	To        string `json:"to"`
	Engine    string `json:"engine"`
	Machine   bool   `json:"machine"` // made by a machine translator: review before sending
	Available bool   `json:"available"`
	// Fallback names why the machine translation was not used, when it was
	// tried ("timeout", "failed"); no model or customer text.
	Fallback string `json:"fallback,omitempty"`
}

// ValidLocale reports whether l is one of Locales.
func ValidLocale(l string) bool {
	for _, x := range Locales {
		if x == l {
			return true
		}
	}
	return false
}

func split(l string) (lang, scr string) {
	lang, scr, _ = strings.Cut(l, "-")
	if scr == "" {
		scr = script.Latn
	}
	return lang, scr
}

// Translate puts text (already masked by the caller; masked again here)
// from one locale into another.
func (t Translator) Translate(ctx context.Context, text, from, to string) (Result, error) {
	if !ValidLocale(from) || !ValidLocale(to) {
		return Result{}, ErrLocale
	}
	text = pii.Mask(text)
	res := Result{Original: text, From: from, To: to}
	offline, engine, ok := t.offline(text, from, to)
	if ok {
		res.Text, res.Engine, res.Available = offline, engine, true
	}
	if t.Machine == nil || engine == EngineNone || (ok && !needsMachine(from, to)) {
		return res, nil
	}
	timeout := t.Timeout
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	mctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	out, err := t.Machine.Translate(mctx, text, from, to)
	if err != nil {
		res.Fallback = "failed"
		if errors.Is(mctx.Err(), context.DeadlineExceeded) {
			res.Fallback = "timeout"
		}
		return res, nil
	}
	res.Text, res.Engine, res.Machine, res.Available = pii.Mask(out), EngineLLM, true, true
	return res, nil
}

// needsMachine: pairs the offline engines cannot do well — anything with
// English, and written Chinese into colloquial Cantonese.
func needsMachine(from, to string) bool {
	fl, _ := split(from)
	tl, _ := split(to)
	return fl == "en" || tl == "en" || (fl == "zh" && tl == "yue")
}

// offline translates what needs no model: script conversion, and Cantonese
// into standard written Chinese. Written Chinese is what Cantonese readers
// read every day, so zh → yue offline is the script conversion alone.
func (t Translator) offline(text, from, to string) (string, string, bool) {
	fl, fs := split(from)
	tl, ts := split(to)
	if from == to {
		return text, EngineNone, true
	}
	if fl == "en" || tl == "en" {
		return "", "", false
	}
	out, engine := text, EngineScript
	if fl == "yue" && tl == "zh" {
		lex := lexicon.Default()
		if t.Lexicon != nil {
			if l := t.Lexicon(); l != nil {
				lex = l
			}
		}
		out, engine = lex.Normalize(out), EngineLexicon
	}
	switch {
	case ts == script.Hans && (fs == script.Hant || script.Detect(out) == script.Hant):
		out = script.ToSimplified(out)
	case ts == script.Hant && (fs == script.Hans || script.Detect(out) == script.Hans):
		out = script.ToTraditional(out)
	}
	return out, engine, true
}
