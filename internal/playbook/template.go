package playbook

import "github.com/harbordesk/harbordesk/internal/phrase"

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

// Render renders the template. Phrase keys go through phrase.Text; inline
// texts through phrase.Render, so they follow the same rules (yue-Hans is the
// yue-Hant text in Simplified characters, unknown locales get English,
// placeholders without a value are removed).
func (t Template) Render(locale string, args map[string]string) string {
	if t.Phrase != "" {
		return phrase.Text(phrase.Key(t.Phrase), locale, args)
	}
	return phrase.Render(t.Texts, locale, args)
}
