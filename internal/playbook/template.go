package playbook

import (
	"strings"
	"sync"

	"github.com/longbridgeapp/opencc"

	"github.com/harbordesk/harbordesk/internal/phrase"
)

// Render returns the playbook's template for slot in locale (yue-Hant,
// yue-Hans, zh-Hant, zh-Hans, en; others fall back to en) with {name}
// placeholders filled from args; ok is false when the playbook has no such
// template.
func (p Playbook) Render(slot, locale string, args map[string]string) (string, bool) {
	t, ok := p.Templates[slot]
	if !ok {
		return "", false
	}
	return t.Render(locale, args), true
}

// Render renders the template. Phrase keys go through internal/phrase;
// inline texts follow the same rules (yue-Hans is the yue-Hant text in
// Simplified characters, unknown locales get English, placeholders without a
// value are removed).
func (t Template) Render(locale string, args map[string]string) string {
	if t.Phrase != "" {
		return phrase.Text(phrase.Key(t.Phrase), locale, args)
	}
	toHans := locale == "yue-Hans"
	if toHans {
		locale = "yue-Hant"
	}
	txt, ok := t.Texts[locale]
	if !ok {
		txt = t.Texts["en"]
	}
	out := fill(txt, args)
	if toHans {
		if s, err := t2s(out); err == nil {
			out = s
		}
	}
	return out
}

// fill replaces {name} with args[name]; a placeholder without a value is
// removed so a customer never sees braces. (internal/phrase does the same
// but does not export it.)
func fill(tpl string, args map[string]string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(tpl, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(tpl[i:], '}')
		if j < 0 {
			break
		}
		b.WriteString(tpl[:i])
		b.WriteString(args[tpl[i+1:i+j]])
		tpl = tpl[i+j+1:]
	}
	b.WriteString(tpl)
	return b.String()
}

var (
	ccOnce sync.Once
	cc     *opencc.OpenCC
	ccErr  error
)

func t2s(s string) (string, error) {
	ccOnce.Do(func() { cc, ccErr = opencc.New("t2s") })
	if ccErr != nil {
		return "", ccErr
	}
	return cc.Convert(s)
}
