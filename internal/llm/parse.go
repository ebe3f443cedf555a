package llm

import (
	"regexp"
	"slices"
	"strings"

	"github.com/harbordesk/harbordesk/internal/nlu/script"
)

// sourcesRE matches the citation line, tolerating case, markdown emphasis
// and a full-width colon (models writing Chinese often switch to "：").
var sourcesRE = regexp.MustCompile(`(?i)^[*_\s]*sources[*_\s]*[:：][*_\s]*(.*)$`)

// idSep splits the cited IDs (ASCII or full-width commas, 、, spaces).
var idSep = regexp.MustCompile(`[,，、;；\s]+`)

// Parse checks a model reply against the question and returns the answer
// text without the SOURCES line. It rejects replies that say NO_ANSWER,
// cite no article, cite an article not in q.Articles, or are not in the
// locale's language and script.
func Parse(q Question, reply string) (Grounded, error) {
	reply = strings.TrimSpace(reply)
	if reply == "" {
		return Grounded{}, ErrEmpty
	}
	lines := strings.Split(reply, "\n")
	for _, l := range lines {
		if strings.Trim(strings.TrimSpace(l), "*_`.") == NoAnswer {
			return Grounded{}, ErrNoAnswer
		}
	}
	// The citation line is the last one that looks like it; anything after
	// it is ignored only when blank.
	at := -1
	var cited string
	for i := len(lines) - 1; i >= 0; i-- {
		if m := sourcesRE.FindStringSubmatch(strings.TrimSpace(lines[i])); m != nil {
			at, cited = i, m[1]
			break
		}
		if strings.TrimSpace(lines[i]) != "" {
			break // the citation must be the final line
		}
	}
	if at < 0 {
		return Grounded{}, ErrUncited
	}
	given := make(map[string]bool, len(q.Articles))
	for _, a := range q.Articles {
		given[a.ID] = true
	}
	var sources []string
	for _, id := range idSep.Split(cited, -1) {
		id = strings.Trim(id, "[]()<>\"'`*_.")
		id = strings.TrimPrefix(strings.TrimPrefix(id, "ID:"), "id:")
		if id == "" || slices.Contains(sources, id) {
			continue
		}
		if !given[id] {
			return Grounded{}, ErrUnknownSource
		}
		sources = append(sources, id)
	}
	if len(sources) == 0 {
		return Grounded{}, ErrUncited
	}
	text := strings.Join(lines[:at], "\n")
	for id := range given { // inline "[returns-policy]" markers some models add anyway
		text = strings.ReplaceAll(text, "[ID: "+id+"]", "")
		text = strings.ReplaceAll(text, "["+id+"]", "")
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return Grounded{}, ErrEmpty
	}
	if !inScript(text, targetFor(q.Locale)) {
		return Grounded{}, ErrWrongScript
	}
	return Grounded{Text: text, Sources: sources}, nil
}

// inScript reports whether text suits the target. Chinese targets need
// mainly Han text that is not mostly in the other script, by the majority
// rule internal/nlu/script uses to label the customer's own message: a Hant
// answer may contain characters such as 台 or 里 that double as Simplified
// forms, but not more Simplified-only than Traditional-only characters
// (and vice versa); text with no distinguishing character suits both. English is lenient: shop names and
// addresses in Chinese are fine as long as the answer is mainly Latin text.
func inScript(text string, t target) bool {
	c := script.Count(text)
	if !t.chinese {
		return c.Latin > 0 && c.Han <= c.Latin/4
	}
	if c.Han == 0 || c.Han < c.Latin/4 {
		return false
	}
	if t.script == script.Hans {
		return c.TradOnly <= c.SimpOnly
	}
	return c.SimpOnly <= c.TradOnly
}
