// Package macro is agents' canned replies: a title and one text per locale,
// with {placeholder} fields that are checked when a supervisor writes the
// macro and filled from the contact when an agent uses it. It is pure: no
// storage, no HTTP.
package macro

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/harbordesk/harbordesk/internal/validate"
)

// Locales a macro text may be written for (internal/kb's locale names).
var Locales = []string{"yue-Hant", "yue-Hans", "zh-Hant", "zh-Hans", "en"}

// Placeholders are the fields a macro text may use.
var Placeholders = []string{"customer_name", "agent_name", "ticket_id", "order_number"}

// Limits on what a macro holds.
const (
	MaxTitleRunes = 120
	MaxTextRunes  = 4000
)

// ErrInvalid wraps every validation failure; the message names the field.
var ErrInvalid = errors.New("invalid macro")

// Macro is a canned reply.
type Macro struct {
	Title string            `json:"title"`
	Text  map[string]string `json:"text"`
}

var placeholderRE = regexp.MustCompile(`\{([^{}]*)\}`)

// Validate checks a macro: a title, at least one text, known locales, no
// control characters, and only known placeholders.
func (m Macro) Validate() error {
	if msg := checkText("title", m.Title, MaxTitleRunes); msg != "" {
		return fmt.Errorf("%w: %s", ErrInvalid, msg)
	}
	if len(m.Text) == 0 {
		return fmt.Errorf("%w: text needs at least one locale (%s)", ErrInvalid, strings.Join(Locales, ", "))
	}
	known := map[string]bool{}
	for _, p := range Placeholders {
		known[p] = true
	}
	for _, loc := range sortedKeys(m.Text) {
		if !isLocale(loc) {
			return fmt.Errorf("%w: text: unknown locale %q (want one of %s)", ErrInvalid, loc, strings.Join(Locales, ", "))
		}
		field := "text." + loc
		if msg := checkText(field, m.Text[loc], MaxTextRunes); msg != "" {
			return fmt.Errorf("%w: %s", ErrInvalid, msg)
		}
		for _, sub := range placeholderRE.FindAllStringSubmatch(m.Text[loc], -1) {
			if !known[sub[1]] {
				return fmt.Errorf("%w: %s: unknown placeholder {%s} (known: %s)", ErrInvalid, field, sub[1], strings.Join(Placeholders, ", "))
			}
		}
	}
	return nil
}

// checkText returns a message naming field when v is empty, too long, not
// UTF-8 or holds control characters other than newline and tab.
func checkText(field, v string, max int) string {
	switch {
	case strings.TrimSpace(v) == "":
		return field + " is required"
	case !utf8.ValidString(v):
		return field + " is not valid UTF-8"
	case utf8.RuneCountInString(v) > max:
		return fmt.Sprintf("%s is over %d characters", field, max)
	case !validate.Clean(v): // valid UTF-8 by now: a control character
		return field + " contains control characters"
	}
	return ""
}

func isLocale(l string) bool {
	for _, x := range Locales {
		if x == l {
			return true
		}
	}
	return false
}

func sortedKeys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// Pick chooses the text for the contact's locale: the exact locale, then
// the same language in the other script, then the other Chinese language
// (zh ↔ yue, same script first), then English, then any. It returns the
// locale it used; the caller converts the script when it differs.
func (m Macro) Pick(locale string) (string, string) {
	lang, scr, _ := strings.Cut(locale, "-")
	tries := []string{locale}
	for _, l := range Locales {
		if strings.HasPrefix(l, lang+"-") {
			tries = append(tries, l)
		}
	}
	if lang == "yue" || lang == "zh" {
		for _, same := range []bool{true, false} {
			for _, l := range Locales {
				if l != "en" && strings.HasSuffix(l, "-"+scr) == same {
					tries = append(tries, l)
				}
			}
		}
	}
	tries = append(tries, "en")
	tries = append(tries, Locales...)
	for _, l := range tries {
		if t, ok := m.Text[l]; ok {
			return t, l
		}
	}
	return "", ""
}

// fallbackName stands in for an unknown customer name, per language.
var fallbackName = map[string]string{"en": "customer", "yue-Hant": "客戶", "zh-Hant": "客戶", "yue-Hans": "客户", "zh-Hans": "客户"}

// Render fills a text's placeholders from vals. A placeholder without a
// value becomes a neutral word for customer_name and is dropped otherwise,
// so the customer never sees a raw {field}.
func Render(text, locale string, vals map[string]string) string {
	return placeholderRE.ReplaceAllStringFunc(text, func(p string) string {
		name := p[1 : len(p)-1]
		if v := strings.TrimSpace(vals[name]); v != "" {
			return v
		}
		if name == "customer_name" {
			if f, ok := fallbackName[locale]; ok {
				return f
			}
			return fallbackName["en"]
		}
		return ""
	})
}
