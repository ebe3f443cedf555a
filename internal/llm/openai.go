package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/harbordesk/harbordesk/internal/pii"
)

// DefaultTimeout bounds one answer: the first reply must arrive within
// seconds, so a slow model loses to the retrieval answer.
const DefaultTimeout = 4 * time.Second

// maxReplyBytes caps how much of a server reply is read.
const maxReplyBytes = 1 << 20

// OpenAI is a Provider over an OpenAI-compatible chat-completions server
// (POST {base}/chat/completions). It makes exactly one request per answer:
// no retries, because a retry would only delay the fallback.
type OpenAI struct {
	base, model, key string
	timeout          time.Duration
	readTimeout      time.Duration
	maxTokens        int
	client           *http.Client
}

var _ Provider = (*OpenAI)(nil)

// Option configures NewOpenAI.
type Option func(*OpenAI)

// WithTimeout sets the time allowed for one answer (default 4 s).
func WithTimeout(d time.Duration) Option { return func(o *OpenAI) { o.timeout = d } }

// WithReadTimeout sets the time allowed for one reading (default
// DefaultReadTimeout).
func WithReadTimeout(d time.Duration) Option { return func(o *OpenAI) { o.readTimeout = d } }

// WithHTTPClient sets the HTTP client (default: a plain client; the
// per-answer timeout comes from WithTimeout).
func WithHTTPClient(c *http.Client) Option { return func(o *OpenAI) { o.client = c } }

// WithMaxTokens caps the reply length in tokens (default 400).
func WithMaxTokens(n int) Option { return func(o *OpenAI) { o.maxTokens = n } }

// NewOpenAI returns a client for the server at baseURL, which includes the
// API version, e.g. "http://127.0.0.1:9000/v1" or "https://api.openai.com/v1".
// apiKey may be empty for local servers.
func NewOpenAI(baseURL, model, apiKey string, opts ...Option) *OpenAI {
	o := &OpenAI{base: strings.TrimRight(baseURL, "/"), model: model, key: apiKey,
		timeout: DefaultTimeout, readTimeout: DefaultReadTimeout, maxTokens: 400, client: &http.Client{}}
	for _, opt := range opts {
		opt(o)
	}
	return o
}

type chatRequest struct {
	Model          string          `json:"model"`
	Messages       []message       `json:"messages"`
	Temperature    float64         `json:"temperature"`
	MaxTokens      int             `json:"max_tokens,omitempty"`
	Stream         bool            `json:"stream"`
	ResponseFormat *responseFormat `json:"response_format,omitempty"`
}

type chatResponse struct {
	Choices []struct {
		Message struct {
			Content string `json:"content"`
		} `json:"message"`
		FinishReason string `json:"finish_reason"`
	} `json:"choices"`
}

type errorResponse struct {
	Error struct {
		Type string          `json:"type"`
		Code json.RawMessage `json:"code"` // string or number, by server
	} `json:"error"`
}

// Answer implements Provider. The question text is masked again here, so
// even a caller that forgot to mask cannot send raw personal data out.
func (o *OpenAI) Answer(ctx context.Context, q Question) (Grounded, error) {
	if len(q.Articles) == 0 {
		return Grounded{}, ErrNoArticles
	}
	q.Text = pii.Mask(q.Text)
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	content, err := o.complete(ctx, messages(q))
	if err != nil {
		return Grounded{}, err
	}
	return Parse(q, content)
}

// complete sends one chat-completions request with the default settings.
func (o *OpenAI) complete(ctx context.Context, msgs []message) (string, error) {
	return o.completeRequest(ctx, chatRequest{Messages: msgs, MaxTokens: o.maxTokens})
}

// completeRequest sends cr (the model is filled in) and returns the first
// choice's content.
func (o *OpenAI) completeRequest(ctx context.Context, cr chatRequest) (string, error) {
	cr.Model = o.model
	body, err := json.Marshal(cr)
	if err != nil {
		return "", fmt.Errorf("llm: encode request: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.base+"/chat/completions", bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("llm: build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if o.key != "" {
		req.Header.Set("Authorization", "Bearer "+o.key)
	}
	resp, err := o.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return "", fmt.Errorf("llm: chat completions: %w", ctx.Err())
		}
		return "", fmt.Errorf("llm: chat completions: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxReplyBytes))
	if err != nil {
		if ctx.Err() != nil {
			return "", fmt.Errorf("llm: read reply: %w", ctx.Err())
		}
		return "", fmt.Errorf("llm: read reply: %w", err)
	}
	if resp.StatusCode/100 != 2 {
		se := &StatusError{Status: resp.StatusCode}
		var er errorResponse
		if json.Unmarshal(data, &er) == nil {
			se.Type = er.Error.Type
			se.Code = strings.Trim(string(er.Error.Code), `"`)
			if se.Code == "null" {
				se.Code = ""
			}
		}
		return "", se
	}
	var res chatResponse
	if err := json.Unmarshal(data, &res); err != nil {
		return "", errors.New("llm: reply is not a chat completion")
	}
	if len(res.Choices) == 0 {
		return "", ErrEmpty
	}
	c := res.Choices[0]
	if c.FinishReason == "length" || c.FinishReason == "content_filter" {
		return "", ErrTruncated
	}
	return c.Message.Content, nil
}
