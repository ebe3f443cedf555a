package speech

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// Route is one engine and the languages it handles; no languages means any
// language (a multilingual whisper model behind the HTTP engine).
type Route struct {
	Engine    Transcriber
	Languages []string
}

func (r Route) handles(lang string) bool {
	return len(r.Languages) == 0 || slices.Contains(r.Languages, lang)
}

// Chain picks an engine for each voice note. Candidates are the routes that
// handle the hinted language, in the order given; a transient failure falls
// through to the next candidate. With no hint only any-language routes are
// candidates, unless WithUnknownLanguageAs says what to assume.
type Chain struct {
	routes  []Route
	unknown string
}

// ChainOption configures a Chain.
type ChainOption func(*Chain)

// WithUnknownLanguageAs makes a missing hint count as lang when no
// any-language engine is configured (e.g. "en" to let the English fallback
// try voice notes of unknown language). Off by default: a Cantonese voice
// note run through an English recogniser gives confident nonsense.
func WithUnknownLanguageAs(lang string) ChainOption {
	return func(c *Chain) { c.unknown = NormalizeLanguage(lang) }
}

// NewChain builds the selector. Routes with a nil engine are dropped, so
// optional engines can be passed unconditionally.
func NewChain(routes []Route, opts ...ChainOption) *Chain {
	c := &Chain{}
	for _, r := range routes {
		if r.Engine == nil {
			continue
		}
		langs := make([]string, len(r.Languages))
		for i, l := range r.Languages {
			langs[i] = NormalizeLanguage(l)
		}
		c.routes = append(c.routes, Route{Engine: r.Engine, Languages: langs})
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Name lists the configured engines.
func (c *Chain) Name() string {
	n := "chain("
	for i, r := range c.routes {
		if i > 0 {
			n += ","
		}
		n += r.Engine.Name()
	}
	return n + ")"
}

// Engines returns the names of the engines that would be tried for lang.
func (c *Chain) Engines(languageHint string) []string {
	var names []string
	for _, r := range c.candidates(NormalizeLanguage(languageHint)) {
		names = append(names, r.Engine.Name())
	}
	return names
}

func (c *Chain) candidates(lang string) []Route {
	var out []Route
	for _, r := range c.routes {
		if r.handles(lang) || (lang == "" && c.unknown != "" && r.handles(c.unknown)) {
			out = append(out, r)
		}
	}
	return out
}

// Transcribe tries the candidates in order. It returns ErrNoEngine when no
// engine handles the language; otherwise the first success, or the last
// failure (permanent only if every engine failed permanently).
func (c *Chain) Transcribe(ctx context.Context, a Audio, languageHint string) (Transcript, error) {
	lang := NormalizeLanguage(languageHint)
	cands := c.candidates(lang)
	if len(cands) == 0 {
		if lang == "" {
			return Transcript{}, fmt.Errorf("%w: language unknown and no multilingual engine configured", ErrNoEngine)
		}
		return Transcript{}, fmt.Errorf("%w %q", ErrNoEngine, lang)
	}
	var errs []error
	allPermanent := true
	for _, r := range cands {
		hint := languageHint
		if lang == "" && !r.handles("") {
			hint = c.unknown
		}
		t, err := r.Engine.Transcribe(ctx, a, hint)
		if err == nil {
			return t, nil
		}
		errs = append(errs, err)
		allPermanent = allPermanent && IsPermanent(err)
		if ctx.Err() != nil {
			return Transcript{}, ctx.Err()
		}
	}
	err := errors.Join(errs...)
	if allPermanent {
		return Transcript{}, Permanent(err)
	}
	return Transcript{}, &retryableError{err}
}
