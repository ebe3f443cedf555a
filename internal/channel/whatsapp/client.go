package whatsapp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxTextRunes is the Cloud API limit on a text message body.
const MaxTextRunes = 4096

// maxCallbackData is the Cloud API limit on biz_opaque_callback_data.
const maxCallbackData = 512

// DefaultTimeout bounds one Graph API call when Client.HTTP is nil.
const DefaultTimeout = 15 * time.Second

// Client calls the Graph API for one business phone number.
type Client struct {
	// BaseURL includes the API version, e.g. "https://graph.facebook.com/v21.0"
	// (tests point it at a local fake).
	BaseURL       string
	Token         string // system-user access token, sent as a bearer token
	PhoneNumberID string
	// HTTP is used for every call; nil means a client with DefaultTimeout.
	HTTP *http.Client
}

// NewClient returns a Client with a default HTTP client (DefaultTimeout).
func NewClient(baseURL, token, phoneNumberID string) *Client {
	return &Client{
		BaseURL:       strings.TrimRight(baseURL, "/"),
		Token:         token,
		PhoneNumberID: phoneNumberID,
		HTTP:          &http.Client{Timeout: DefaultTimeout},
	}
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return &http.Client{Timeout: DefaultTimeout}
}

type textBody struct {
	PreviewURL bool   `json:"preview_url"`
	Body       string `json:"body"`
}

type templateParam struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

type templateComponent struct {
	Type       string          `json:"type"`
	Parameters []templateParam `json:"parameters"`
}

type templateBody struct {
	Name     string `json:"name"`
	Language struct {
		Code string `json:"code"`
	} `json:"language"`
	Components []templateComponent `json:"components,omitempty"`
}

type sendRequest struct {
	MessagingProduct string        `json:"messaging_product"`
	RecipientType    string        `json:"recipient_type"`
	To               string        `json:"to"`
	Type             string        `json:"type"`
	Text             *textBody     `json:"text,omitempty"`
	Template         *templateBody `json:"template,omitempty"`
	CallbackData     string        `json:"biz_opaque_callback_data,omitempty"`
}

type sendResponse struct {
	Messages []struct {
		ID string `json:"id"`
	} `json:"messages"`
}

// SendText sends a free-form text (only allowed inside the 24-hour window).
// The Cloud API has no idempotency header, so idempotencyKey travels as
// biz_opaque_callback_data and comes back on the message's status webhooks,
// which lets the caller reconcile a send whose outcome it did not record.
func (c *Client) SendText(ctx context.Context, to, text, idempotencyKey string) (messageID string, err error) {
	to = normalizeRecipient(to)
	if to == "" || strings.TrimSpace(text) == "" {
		return "", fmt.Errorf("%w: empty recipient or text", ErrBadRequest)
	}
	if utf8.RuneCountInString(text) > MaxTextRunes {
		return "", fmt.Errorf("%w: text longer than %d characters", ErrBadRequest, MaxTextRunes)
	}
	return c.send(ctx, sendRequest{
		To: to, Type: "text",
		Text:         &textBody{Body: text},
		CallbackData: callbackData(idempotencyKey),
	})
}

// SendTemplate sends a pre-approved template (required outside the 24-hour
// window). params fill the template body's {{1}}, {{2}}, … in order.
func (c *Client) SendTemplate(ctx context.Context, to, templateName, lang string, params []string) (messageID string, err error) {
	return c.SendTemplateKeyed(ctx, to, templateName, lang, params, "")
}

// SendTemplateKeyed is SendTemplate carrying an idempotency key like SendText.
func (c *Client) SendTemplateKeyed(ctx context.Context, to, templateName, lang string, params []string, idempotencyKey string) (string, error) {
	to = normalizeRecipient(to)
	if to == "" || templateName == "" || lang == "" {
		return "", fmt.Errorf("%w: empty recipient, template or language", ErrBadRequest)
	}
	tb := &templateBody{Name: templateName}
	tb.Language.Code = lang
	if len(params) > 0 {
		comp := templateComponent{Type: "body"}
		for _, p := range params {
			comp.Parameters = append(comp.Parameters, templateParam{Type: "text", Text: TemplateParam(p)})
		}
		tb.Components = []templateComponent{comp}
	}
	return c.send(ctx, sendRequest{To: to, Type: "template", Template: tb, CallbackData: callbackData(idempotencyKey)})
}

func (c *Client) send(ctx context.Context, r sendRequest) (string, error) {
	r.MessagingProduct, r.RecipientType = "whatsapp", "individual"
	body, err := json.Marshal(r)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrBadRequest, err)
	}
	endpoint := c.BaseURL + "/" + url.PathEscape(c.PhoneNumberID) + "/messages"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrBadRequest, err)
	}
	req.Header.Set("Content-Type", "application/json")
	raw, err := c.do(req, "send", 1<<20)
	if err != nil {
		return "", err
	}
	var sr sendResponse
	if err := json.Unmarshal(raw, &sr); err != nil || len(sr.Messages) == 0 || sr.Messages[0].ID == "" {
		return "", ErrNoMessageID
	}
	return sr.Messages[0].ID, nil
}

// do performs req with the bearer token and returns the body of a 2xx
// answer (at most limit bytes, else ErrMediaTooLarge).
func (c *Client) do(req *http.Request, op string, limit int64) ([]byte, error) {
	req.Header.Set("Authorization", "Bearer "+c.Token)
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return nil, &TransportError{Op: op, Err: unwrapURL(err)}
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, apiError(op, resp)
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, &TransportError{Op: op, Err: unwrapURL(err)}
	}
	if int64(len(raw)) > limit {
		return nil, ErrMediaTooLarge
	}
	return raw, nil
}

func apiError(op string, resp *http.Response) error {
	var ge struct {
		Error struct {
			Message   string `json:"message"`
			Type      string `json:"type"`
			Code      int    `json:"code"`
			Subcode   int    `json:"error_subcode"`
			FBTraceID string `json:"fbtrace_id"`
		} `json:"error"`
	}
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	_ = json.Unmarshal(raw, &ge) // a non-JSON error page still yields the status
	return &APIError{
		Op: op, HTTPStatus: resp.StatusCode,
		Code: ge.Error.Code, Subcode: ge.Error.Subcode, Type: ge.Error.Type,
		Message: redact(ge.Error.Message), FBTraceID: ge.Error.FBTraceID,
	}
}

// unwrapURL drops the request URL from transport errors: media URLs carry
// access parameters and must not end up in logs.
func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if ue.Timeout() {
			return fmt.Errorf("timeout: %w", context.DeadlineExceeded)
		}
		return ue.Err
	}
	return err
}

func normalizeRecipient(to string) string {
	to = strings.TrimSpace(to)
	return strings.TrimPrefix(to, "+")
}

func callbackData(key string) string {
	if len(key) > maxCallbackData {
		return key[:maxCallbackData]
	}
	return key
}

// TemplateParam makes text acceptable as a template body parameter, which
// the Cloud API rejects when it contains newlines, tabs or more than four
// consecutive spaces.
func TemplateParam(text string) string {
	f := strings.Fields(text)
	return strings.Join(f, " ")
}
