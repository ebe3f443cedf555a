package llm

import (
	"context"
	"fmt"
	"strings"

	"github.com/harbordesk/harbordesk/internal/pii"
)

// Translate asks the chat-completions server for a translation of text from
// one locale to another (internal/kb locale names: yue-Hant, yue-Hans,
// zh-Hant, zh-Hans, en), for an agent to read or to review before sending.
// The text is masked here again, so raw personal data never leaves; the
// placeholders ([PHONE], …) must come back unchanged. The reply is checked
// to be in the target language's script (ErrWrongScript) and not cut off.
// One request, bounded by the client's timeout.
func (o *OpenAI) Translate(ctx context.Context, text, from, to string) (string, error) {
	text = pii.Mask(text)
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	content, err := o.complete(ctx, translationMessages(text, from, to))
	if err != nil {
		return "", err
	}
	out := strings.TrimSpace(content)
	if out == "" {
		return "", ErrEmpty
	}
	if !inScript(out, targetFor(to)) {
		return "", ErrWrongScript
	}
	return out, nil
}

// translationMessages puts the rules in the system message and the text as
// the only user message, so words in the text cannot pose as instructions.
func translationMessages(text, from, to string) []message {
	var sb strings.Builder
	sb.WriteString("You translate messages between a Hong Kong business's customer and its customer-service agent.\n")
	fmt.Fprintf(&sb, "Translate the user's message from %s into %s.\n", targetFor(from).lang, targetFor(to).lang)
	sb.WriteString("Output only the translation: no quotes, notes, explanations or alternatives. Keep the tone and meaning; do not answer the message.\n")
	sb.WriteString("Keep text in square brackets such as [PHONE], [HKID] or [EMAIL] exactly as it is; keep order numbers, codes and product names unchanged.\n")
	return []message{{Role: "system", Content: sb.String()}, {Role: "user", Content: text}}
}
