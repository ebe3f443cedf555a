package profile

import (
	"strings"
	"sync"

	"github.com/longbridgeapp/opencc"
)

// Text renders key for locale with {placeholders} filled: the common ones
// from the profile, the rest from args (placeholders without a value are
// removed, so a customer never sees braces). A locale the text lacks falls
// back within the business's own words: the same language in the other
// script (converted, so yue-Hans is yue-Hant in Simplified characters), then
// the other written Chinese, then the profile's locales in order. An
// unknown key gives "".
func (p *Profile) Text(key, locale string, args map[string]string) string {
	return p.render(p.texts[key], locale, args)
}

// RenderTexts renders texts given per locale (a playbook's inline template)
// by the same rules as Text, with the profile's common placeholders.
func (p *Profile) RenderTexts(texts map[string]string, locale string, args map[string]string) string {
	return p.render(texts, locale, args)
}

// Fallback renders key in each of the profile's fallback locales and joins
// them in one message, one locale per paragraph: what a customer whose
// language is unknown gets. Locales that render the same words appear once.
func (p *Profile) Fallback(key string, args map[string]string) string {
	var parts []string
	for _, loc := range p.fallback {
		t := p.Text(key, loc, args)
		if t != "" && !contains(parts, t) {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, "\n")
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func (p *Profile) render(texts map[string]string, locale string, args map[string]string) string {
	if len(texts) == 0 {
		return ""
	}
	from, tpl := p.pick(texts, locale)
	out := fill(tpl, p.common, localArgs(args, from, locale))
	if conv := converter(from, locale); conv != "" {
		if c, err := convert(conv, out); err == nil {
			out = c
		}
	}
	return out
}

// pick chooses the text for locale and returns the locale it is written in.
func (p *Profile) pick(texts map[string]string, locale string) (string, string) {
	if t := texts[locale]; t != "" {
		return locale, t
	}
	lang, script := split(locale)
	other := "Hant"
	if script == "Hant" {
		other = "Hans"
	}
	var cands []string
	switch lang {
	case "yue", "zh":
		sibling := "zh"
		if lang == "zh" {
			sibling = "yue"
		}
		cands = []string{lang + "-" + other, sibling + "-" + script, sibling + "-" + other}
	}
	cands = append(cands, p.doc.Business.Locales...)
	cands = append(cands, Locales...)
	for _, c := range cands {
		if t := texts[c]; t != "" {
			return c, t
		}
	}
	return "", ""
}

func split(locale string) (lang, script string) {
	lang, script, _ = strings.Cut(locale, "-")
	return lang, script
}

// converter names the OpenCC conversion from a text written in from to the
// script of locale, or "" when none is needed.
func converter(from, locale string) string {
	_, fs := split(from)
	_, ts := split(locale)
	switch {
	case fs == "Hant" && ts == "Hans":
		return "t2s"
	case fs == "Hans" && ts == "Hant":
		return "s2hk"
	}
	return ""
}

// fill replaces {name} with common[name] or args[name]; unknown names are
// removed.
func fill(tpl string, common, args map[string]string) string {
	if strings.IndexByte(tpl, '{') < 0 {
		return tpl
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(tpl, '{')
		if i < 0 {
			b.WriteString(tpl)
			return b.String()
		}
		j := strings.IndexByte(tpl[i:], '}')
		if j < 0 {
			b.WriteString(tpl)
			return b.String()
		}
		b.WriteString(tpl[:i])
		name := tpl[i+1 : i+j]
		if v, ok := args[name]; ok {
			b.WriteString(v)
		} else {
			b.WriteString(common[name])
		}
		tpl = tpl[i+j+1:]
	}
}

var converters sync.Map // name → *ccOnce

type ccOnce struct {
	once sync.Once
	cc   *opencc.OpenCC
	err  error
}

func convert(name, s string) (string, error) {
	v, _ := converters.LoadOrStore(name, &ccOnce{})
	c := v.(*ccOnce)
	c.once.Do(func() { c.cc, c.err = opencc.New(name) })
	if c.err != nil {
		return "", c.err
	}
	return c.cc.Convert(s)
}
