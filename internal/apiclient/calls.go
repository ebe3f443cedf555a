package apiclient

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/kpi"
)

// NewContact is a customer's first message, POST /v1/contacts.
type NewContact struct {
	Channel        string `json:"channel"`
	CustomerID     string `json:"customer_id"`
	ConversationID string `json:"conversation_id"`
	MessageID      string `json:"message_id"`
	Text           string `json:"text"`
}

// FollowUp is a customer's further message on a contact.
type FollowUp struct {
	MessageID string `json:"message_id"`
	Text      string `json:"text"`
}

// ContactView is the part of GET /v1/contacts/{id} the callers read.
type ContactView struct {
	State    string      `json:"state"`
	Language string      `json:"language"`
	Script   string      `json:"script"`
	Intent   string      `json:"intent"`
	Replies  []Reply     `json:"replies"`
	Handoff  *HandoffRef `json:"handoff"`
}

// Reply is one message to the customer: its author (bot, agent) and kind
// (answer, notice, handoff, survey, ack).
type Reply struct {
	Author string `json:"author"`
	Kind   string `json:"kind"`
}

// HandoffRef is a contact's latest handoff to a person.
type HandoffRef struct {
	ID    string `json:"id"`
	State string `json:"state"`
}

// Answers counts the replies other than the privacy notice, agents' too:
// what the API's long poll (replies_gt) counts.
func (v ContactView) Answers() int {
	n := 0
	for _, r := range v.Replies {
		if r.Kind != contact.KindNotice {
			n++
		}
	}
	return n
}

// BotAnswers counts the bot's replies other than the privacy notice:
// answers, handoff messages, acknowledgements, surveys. Unlike Answers it
// leaves out the replies of a person who works a handed-off contact.
func (v ContactView) BotAnswers() int {
	n := 0
	for _, r := range v.Replies {
		if r.Author == contact.AuthorBot && r.Kind != contact.KindNotice {
			n++
		}
	}
	return n
}

// Surveyed reports whether the customer has been sent the satisfaction
// survey.
func (v ContactView) Surveyed() bool {
	for _, r := range v.Replies {
		if r.Kind == contact.KindSurvey {
			return true
		}
	}
	return false
}

// PostContact delivers a customer's first message and returns the contact
// it landed on; a re-delivery lands on the same contact.
func (c *Client) PostContact(ctx context.Context, m NewContact) (contactID string, err error) {
	var a struct {
		ContactID string `json:"contact_id"`
	}
	if err := c.do(ctx, http.MethodPost, "/v1/contacts", "/v1/contacts", m, &a); err != nil {
		return "", err
	}
	if a.ContactID == "" {
		return "", errors.New("apiclient: POST /v1/contacts: answer has no contact_id")
	}
	return a.ContactID, nil
}

// PostMessage delivers a customer's further message on a contact.
func (c *Client) PostMessage(ctx context.Context, contactID string, m FollowUp) error {
	return c.do(ctx, http.MethodPost, "/v1/contacts/"+url.PathEscape(contactID)+"/messages",
		"/v1/contacts/{id}/messages", m, nil)
}

// Contact reads a contact. It long-polls: the server answers as soon as the
// contact has more than gt Answers, or once wait (at most 30 s) is over.
func (c *Client) Contact(ctx context.Context, contactID string, wait time.Duration, gt int) (ContactView, error) {
	var v ContactView
	q := "?wait=" + wait.String() + "&replies_gt=" + strconv.Itoa(gt)
	err := c.do(ctx, http.MethodGet, "/v1/contacts/"+url.PathEscape(contactID)+q, "/v1/contacts/{id}", nil, &v)
	return v, err
}

// Resolution closes a handoff: what was done, and the resolution code.
type Resolution struct {
	Text string `json:"resolution"`
	Code string `json:"code"`
}

// Claim takes a handoff for the caller's agent; a StatusError 409 means
// someone else has it.
func (c *Client) Claim(ctx context.Context, handoffID string) error {
	return c.handoff(ctx, handoffID, "claim", nil)
}

// Reply sends the customer an agent's text on a claimed handoff.
func (c *Client) Reply(ctx context.Context, handoffID, text string) error {
	return c.handoff(ctx, handoffID, "reply", map[string]string{"text": text})
}

// Resolve closes a claimed handoff; the desk then sends the survey.
func (c *Client) Resolve(ctx context.Context, handoffID string, r Resolution) error {
	return c.handoff(ctx, handoffID, "resolve", r)
}

func (c *Client) handoff(ctx context.Context, handoffID, action string, body any) error {
	return c.do(ctx, http.MethodPost, "/v1/handoffs/"+url.PathEscape(handoffID)+"/"+action,
		"/v1/handoffs/{id}/"+action, body, nil)
}

// KPIs reads the KPI report, split by the given dimensions (e.g. language,
// channel, arm).
func (c *Client) KPIs(ctx context.Context, by ...string) (kpi.Report, error) {
	var r kpi.Report
	path := "/v1/kpis"
	if len(by) > 0 {
		path += "?by=" + strings.Join(by, ",")
	}
	err := c.do(ctx, http.MethodGet, path, "/v1/kpis", nil, &r)
	return r, err
}

// StartBaseline starts one run of the bare baseline workflow under id,
// which must be new.
func (c *Client) StartBaseline(ctx context.Context, id string) error {
	return c.do(ctx, http.MethodPost, "/v1/bench/baseline", "/v1/bench/baseline", map[string]string{"id": id}, nil)
}

// BaselineDone reports whether the baseline run id is done. It long-polls
// for up to wait.
func (c *Client) BaselineDone(ctx context.Context, id string, wait time.Duration) (bool, error) {
	var v struct {
		Done bool `json:"done"`
	}
	err := c.do(ctx, http.MethodGet, "/v1/bench/baseline/"+url.PathEscape(id)+"?wait="+wait.String(),
		"/v1/bench/baseline/{id}", nil, &v)
	return v.Done, err
}
