package llm

import (
	"context"
	"errors"
	"fmt"
)

// Provider phrases a grounded answer from retrieved articles. Any error means
// "do not use this answer": the caller falls back to retrieval.
type Provider interface {
	Answer(ctx context.Context, q Question) (Grounded, error)
}

// Article is one retrieved knowledge-base article, already rendered in the
// customer's locale.
type Article struct {
	ID    string // knowledge-base slug, e.g. "returns-policy"; cited by the model
	Title string
	Body  string
}

// Question is what the model sees.
type Question struct {
	// Text is the customer's MASKED message (internal/pii placeholders);
	// raw customer text must never be passed here.
	Text string
	// Locale is the reply locale as internal/kb names it: "yue-Hant",
	// "yue-Hans", "zh-Hant", "zh-Hans" or "en".
	Locale string
	// Articles are the only facts the model may use, best match first.
	Articles []Article
}

// Grounded is a checked model answer.
type Grounded struct {
	Text    string   // the answer, without the SOURCES line
	Sources []string // cited article IDs, in the order cited, each one of Question.Articles
}

// Reasons a model reply is rejected. They carry no reply text.
var (
	ErrNoAnswer      = errors.New("llm: model found no answer in the articles")
	ErrUncited       = errors.New("llm: answer cites no article")
	ErrUnknownSource = errors.New("llm: answer cites an article it was not given")
	ErrWrongScript   = errors.New("llm: answer is not in the customer's language or script")
	ErrEmpty         = errors.New("llm: empty answer")
	ErrTruncated     = errors.New("llm: answer cut off or filtered")
	ErrNoArticles    = errors.New("llm: no articles to ground the answer in")
)

// StatusError is a non-2xx reply from the chat-completions server. Type and
// Code are the server's machine-readable error fields when it sent them; the
// human-readable message is dropped because servers may echo the prompt.
type StatusError struct {
	Status     int
	Type, Code string
}

func (e *StatusError) Error() string {
	s := fmt.Sprintf("llm: chat completions: HTTP %d", e.Status)
	if e.Type != "" || e.Code != "" {
		s += fmt.Sprintf(" (%s %s)", e.Type, e.Code)
	}
	return s
}
