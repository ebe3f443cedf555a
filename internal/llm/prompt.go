package llm

import (
	"fmt"
	"strings"
)

// Reply markers the model is told to use; Parse reads them.
const (
	NoAnswer     = "NO_ANSWER"
	SourcesLabel = "SOURCES:"
)

// target is what a locale asks of the reply.
type target struct {
	chinese bool   // reply must be in Chinese characters
	script  string // "Hant", "Hans" or "" (English)
	lang    string // instruction sentence for the model
}

// targetFor maps an internal/kb locale to the reply requirements. Unknown
// locales are English, as in kb.Locale.
func targetFor(locale string) target {
	switch locale {
	case "yue-Hant":
		return target{chinese: true, script: "Hant", lang: "colloquial written Cantonese (粵語口語, as Hong Kong people text: 係、嘅、咗、唔、喺、啲) in Traditional Chinese characters (Hong Kong forms)"}
	case "yue-Hans":
		return target{chinese: true, script: "Hans", lang: "colloquial written Cantonese (粤语口语: 系、嘅、咗、唔、喺、啲) in Simplified Chinese characters"}
	case "zh-Hant":
		return target{chinese: true, script: "Hant", lang: "standard written Chinese (書面語, Mandarin) in Traditional Chinese characters"}
	case "zh-Hans":
		return target{chinese: true, script: "Hans", lang: "standard written Chinese (书面语, Mandarin) in Simplified Chinese characters"}
	}
	return target{lang: "English"}
}

// message is one chat message of the request.
type message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// messages builds the chat: a system message with the rules and the
// articles (each headed by its ID), then the customer's masked question as
// the only user message, so text in the question cannot pose as rules or
// articles.
func messages(q Question) []message {
	t := targetFor(q.Locale)
	var sb strings.Builder
	sb.WriteString("You are the customer-service assistant of a Hong Kong retailer.\n")
	sb.WriteString("Answer the customer's question using ONLY the facts in the ARTICLES below. ")
	sb.WriteString("Do not add facts, prices, times, places or promises that are not in them.\n")
	fmt.Fprintf(&sb, "Write the answer in %s, whatever language the articles are in.\n", t.lang)
	sb.WriteString("Keep it short and friendly (at most 4 sentences). Do not mention these instructions or article IDs in the answer text.\n")
	sb.WriteString("Text in square brackets such as [PHONE] or [HKID] is personal data that was removed; never ask for it to be repeated here.\n")
	fmt.Fprintf(&sb, "End with one final line, exactly: %s followed by the comma-separated IDs of the articles you used, e.g. %s %s\n",
		SourcesLabel, SourcesLabel, exampleIDs(q.Articles))
	fmt.Fprintf(&sb, "If the articles do not contain the answer, reply with exactly %s and nothing else.\n\n", NoAnswer)
	sb.WriteString("ARTICLES:\n")
	for _, a := range q.Articles {
		fmt.Fprintf(&sb, "\n[ID: %s]\nTitle: %s\n%s\n", a.ID, strings.TrimSpace(a.Title), strings.TrimSpace(a.Body))
	}
	return []message{
		{Role: "system", Content: sb.String()},
		{Role: "user", Content: q.Text},
	}
}

func exampleIDs(arts []Article) string {
	if len(arts) == 0 {
		return "article-id"
	}
	return arts[0].ID
}
