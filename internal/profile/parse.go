package profile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Parse reads a profile document in YAML or JSON (JSON is read as YAML)
// and validates it. Errors name the field at fault ("texts.handoff.en:
// unknown placeholder {x}"); unknown fields are errors too.
func Parse(data []byte) (*Profile, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	// GET /v1/profile answers the document with its version and source:
	// what it answers imports again (both are ignored).
	var d struct {
		Document `yaml:",inline"`
		Version  any `yaml:"version"`
		Source   any `yaml:"source"`
	}
	if err := dec.Decode(&d); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("profile: empty document")
		}
		return nil, fmt.Errorf("profile: %s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	return New(d.Document)
}

// New validates d and prepares it for rendering.
func New(d Document) (*Profile, error) {
	if err := d.validate(); err != nil {
		return nil, err
	}
	p := &Profile{doc: d, texts: make(map[string]map[string]string, len(Keys)), fallback: d.Business.FallbackLocales}
	if len(p.fallback) == 0 {
		p.fallback = DefaultFallbackLocales
	}
	for k, v := range d.Texts {
		p.texts[k] = v
	}
	for _, k := range Optional {
		if len(p.texts[k]) == 0 {
			p.texts[k] = base().Texts[k]
		}
	}
	p.common = map[string]string{ArgBusinessName: d.Business.Name, ArgPrivacyURL: d.Business.PrivacyURL}
	if o := d.Business.OrderNumber; o != nil {
		p.order = regexp.MustCompile(orderRegexp(o.Pattern)) // validated
		p.common[ArgOrderExample] = o.Example
	}
	return p, nil
}

// orderRegexp is the pattern as matched in customer text: case-insensitive
// and standing on its own (not inside a longer Latin word or number; Chinese
// text may touch it, as in 預約編號KD123456).
func orderRegexp(pattern string) string {
	return `(?i)(?:^|[^A-Za-z0-9])(` + pattern + `)(?:$|[^A-Za-z0-9])`
}

func (d Document) validate() error {
	var errs []error
	bad := func(field, format string, a ...any) {
		errs = append(errs, fmt.Errorf("%s: "+format, append([]any{field}, a...)...))
	}
	b := d.Business
	switch {
	case strings.TrimSpace(b.Name) == "":
		bad("business.name", "is missing")
	case !printable(b.Name) || utf8.RuneCountInString(b.Name) > 120:
		bad("business.name", "must be printable text of at most 120 characters")
	}
	if u, err := url.Parse(b.PrivacyURL); b.PrivacyURL == "" {
		bad("business.privacy_url", "is missing")
	} else if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || !printable(b.PrivacyURL) {
		bad("business.privacy_url", "must be an http(s) URL")
	}
	if o := b.OrderNumber; o != nil {
		re, err := regexp.Compile(`^(?:` + o.Pattern + `)$`)
		switch {
		case strings.TrimSpace(o.Pattern) == "":
			bad("business.order_number.pattern", "is missing")
		case err != nil:
			bad("business.order_number.pattern", "is not a regular expression (RE2 syntax)")
		case re.MatchString(""):
			bad("business.order_number.pattern", "matches empty text")
		case o.Example == "":
			bad("business.order_number.example", "is missing")
		case !re.MatchString(o.Example):
			bad("business.order_number.example", "%q does not match the pattern", o.Example)
		}
	}
	checkLocales := func(field string, locs []string, required bool) {
		if required && len(locs) == 0 {
			bad(field, "is missing (want some of %s)", strings.Join(Locales, ", "))
		}
		for i, l := range locs {
			switch {
			case !slices.Contains(Locales, l):
				bad(fmt.Sprintf("%s[%d]", field, i), "unknown locale %q (want one of %s)", l, strings.Join(Locales, ", "))
			case slices.Index(locs, l) < i:
				bad(fmt.Sprintf("%s[%d]", field, i), "%q listed twice", l)
			}
		}
	}
	checkLocales("business.locales", b.Locales, true)
	checkLocales("business.fallback_locales", b.FallbackLocales, false)

	for _, k := range sortedKeys(d.Texts) {
		if !slices.Contains(Keys, k) {
			bad("texts."+k, "unknown text (want one of %s)", strings.Join(Keys, ", "))
		}
	}
	for _, k := range Keys {
		texts, given := d.Texts[k]
		if !given {
			if slices.Contains(Required, k) {
				bad("texts."+k, "is missing")
			}
			continue
		}
		field := "texts." + k
		allowed := Placeholders(k)
		nonEmpty := 0
		for _, loc := range sortedKeys(texts) {
			f := field + "." + loc
			t := texts[loc]
			if !slices.Contains(Locales, loc) {
				bad(f, "unknown locale (want one of %s)", strings.Join(Locales, ", "))
				continue
			}
			if strings.TrimSpace(t) == "" {
				continue
			}
			nonEmpty++
			if !printableText(t) || utf8.RuneCountInString(t) > 2000 {
				bad(f, "must be printable text of at most 2000 characters")
				continue
			}
			names, ok := placeholders(t)
			if !ok {
				bad(f, "has an unclosed {")
			}
			for _, n := range names {
				if !slices.Contains(allowed, n) {
					bad(f, "unknown placeholder {%s} (allowed: {%s})", n, strings.Join(allowed, "}, {"))
				}
			}
			if slices.Contains(names, ArgOrderExample) && b.OrderNumber == nil {
				bad(f, "uses {order_example} but business.order_number is not set")
			}
		}
		if nonEmpty == 0 {
			bad(field, "has no text in any locale")
		}
	}
	return errors.Join(errs...)
}

// placeholders returns the {names} in s; ok is false for an unclosed brace.
func placeholders(s string) (names []string, ok bool) {
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			return names, true
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return names, false
		}
		names = append(names, s[i+1:i+j])
		s = s[i+j+1:]
	}
}

// printable: valid UTF-8 without control characters.
func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// printableText is printable but allows line breaks.
func printableText(s string) bool {
	return printable(strings.NewReplacer("\n", "", "\r", "").Replace(s))
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
