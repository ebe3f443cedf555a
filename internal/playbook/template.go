package playbook

import "github.com/harbordesk/harbordesk/internal/profile"

// Render returns the playbook's template for slot in locale, in the words
// of the business profile prof, with {name} placeholders filled from args;
// ok is false when the playbook has no such template.
func (p Playbook) Render(prof *profile.Profile, slot, locale string, args map[string]string) (string, bool) {
	t, ok := p.Templates[slot]
	if !ok {
		return "", false
	}
	return t.Render(prof, locale, args), true
}

// Render renders the template: a profile text key through prof.Text,
// inline texts through prof.RenderTexts, so both follow the profile's rules
// (locale fallback within the business's own words, yue-Hans converted from
// yue-Hant, the profile's {business_name}-style placeholders).
func (t Template) Render(prof *profile.Profile, locale string, args map[string]string) string {
	if t.Phrase != "" {
		return prof.Text(profile.Canonical(t.Phrase), locale, args)
	}
	return prof.RenderTexts(t.Texts, locale, args)
}
