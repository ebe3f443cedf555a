// Package activities holds the ContactWorkflow's activities: thin adapters
// from workflow calls to the domain packages under internal/ (understanding,
// knowledge base, store, notification, channels, speech). Activities are
// methods on one struct that holds their dependencies, so tests swap them.
package activities

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/crm"
	"github.com/harbordesk/harbordesk/internal/hkcal"
	"github.com/harbordesk/harbordesk/internal/kb"
	"github.com/harbordesk/harbordesk/internal/pii"
	"github.com/harbordesk/harbordesk/internal/playbook"
	"github.com/harbordesk/harbordesk/internal/sla"
	"github.com/harbordesk/harbordesk/internal/store"
)

// Error types the workflow's retry policies treat as final.
const (
	ErrPermanent = "permanent"
	ErrNoEngine  = "no_engine"
	ErrBadAudio  = "bad_audio"
)

// Understander reads a message (language, intent, sentiment, masking).
type Understander interface {
	Understand(text string) contact.Reading
}

// Answer is a knowledge-base answer in the customer's locale.
type Answer struct {
	ArticleID, Locale, Text string
	Confidence              float64
}

// Answerer answers from the knowledge base; ok=false means no confident
// answer. ctx bounds any network I/O (LLM phrasing) an implementation does.
type Answerer interface {
	Answer(ctx context.Context, query, intent, language, script string, now time.Time) (Answer, bool)
}

// Phrasebook renders fixed customer-facing texts per locale.
type Phrasebook interface {
	Text(key, language, script string, args map[string]string) string
}

// Notification is a supervisor push; Summary is already masked.
type Notification struct {
	Key, Priority, Title, Summary, ContactURL string
	Level                                     int
}

// Notifier pushes to supervisors. IsPermanent tells final failures apart.
type Notifier interface {
	Notify(ctx context.Context, n Notification) error
	IsPermanent(err error) bool
}

// Outbound is a reply to send on the contact's channel.
type Outbound struct {
	Channel, To, SessionWebhook, Text, Key string
	LastInbound                            time.Time
	Locale                                 string
}

// Sender delivers replies on a channel; web chat replies are delivered by
// being recorded, so its sender does nothing.
type Sender interface {
	Send(ctx context.Context, m Outbound) (ref string, err error)
	IsPermanent(err error) bool
}

// Activities holds every dependency the workflow's activities need.
type Activities struct {
	Store       *store.Store
	NLU         Understander
	KB          Answerer
	Phrases     Phrasebook
	Notifier    Notifier
	Sender      Sender
	Transcriber Transcriber
	Playbooks   *PlaybookLive // nil: the shipped playbooks
	CRM         crm.Directory
	Audio       AudioVault
	PublicURL   string
	NoticeVer   string
	Log         *slog.Logger
}

// PlaybookLive is the playbook set in force, swapped atomically when an
// admin activates another version. An activity loads it once per call, so a
// decision uses one version throughout, and Compose (a local activity)
// records its decision in history: a later swap never changes a running
// contact's past.
type PlaybookLive struct{ set atomic.Pointer[playbook.Set] }

// NewPlaybookLive starts with set (nil: the shipped playbooks).
func NewPlaybookLive(set *playbook.Set) *PlaybookLive {
	l := &PlaybookLive{}
	l.Store(set)
	return l
}

// Load returns the set in force; a nil PlaybookLive or an empty one serves
// the shipped playbooks.
func (l *PlaybookLive) Load() *playbook.Set {
	if l == nil {
		return playbook.Default()
	}
	if s := l.set.Load(); s != nil {
		return s
	}
	return playbook.Default()
}

// Store puts set in force for the next activity calls; nil restores the
// shipped playbooks.
func (l *PlaybookLive) Store(set *playbook.Set) { l.set.Store(set) }

// UnderstandInput is the text of one message plus voice cues.
type UnderstandInput struct {
	Text    string
	Arousal float64
	VIP     bool
}

// Understand reads a message. It is CPU-only and runs as a local activity.
func (a *Activities) Understand(ctx context.Context, in UnderstandInput) (contact.Reading, error) {
	r := a.NLU.Understand(in.Text)
	// Keep raw words out of everything that leaves this activity except the
	// masked text: the normalised form is recomputed on the masked text.
	r.Normalized = pii.Mask(r.Normalized)
	if in.Arousal >= 0.75 && !r.Negative {
		// An agitated voice raises urgency even when the words are mild.
		r.Negative = true
		r.Signals = append(r.Signals, "agitated_voice")
		if r.Sentiment > -0.3 {
			r.Sentiment = -0.3
		}
		if r.Priority > "P2" {
			r.Priority = "P2"
		}
	}
	if in.VIP && r.Priority > "P2" {
		r.Priority = "P2"
	}
	return r, nil
}

// TurnInput is one customer message with everything the workflow decided
// about it: the reading, the bot's replies and a handoff, if any.
type TurnInput struct {
	Params       contact.Params
	MessageID    string
	Kind         string
	Engine       string
	ReceivedAt   time.Time
	Reading      contact.Reading
	OptOut       bool
	CSAT         int
	Replies      []contact.Reply
	Handoff      *contact.Handoff
	TicketStatus string
	ReplyTo      contact.ReplyTo
	LastInbound  time.Time
}

// TurnResult tells the workflow what the record revealed.
type TurnResult struct {
	VIP             bool
	HandoffPriority string
}

// RecordTurn stores the (masked) message, its reading, the ticket, KPI facts,
// the privacy notice on a customer's first contact, the bot's replies and a
// handoff in one transaction, then sends what the customer has not yet
// received as one message. One history round trip per customer message
// keeps first replies fast; every part is idempotent, so a retry after a
// crash records nothing twice and sends only what was not marked delivered.
func (a *Activities) RecordTurn(ctx context.Context, in TurnInput) (TurnResult, error) {
	r := in.Reading
	now := time.Now()
	afterHours := !hkcal.ServiceDesk.IsOpen(in.ReceivedAt)
	turn := store.Turn{
		Intake: store.Intake{Params: in.Params, MessageID: in.MessageID, Kind: kindOr(in.Kind), Engine: in.Engine,
			ReceivedAt: in.ReceivedAt, Reading: r, TicketKind: contact.TicketKind(r.Intent),
			Summary: summary(r.MaskedText), AfterHours: afterHours, OptOut: in.OptOut, CSAT: in.CSAT,
			NoticeVer: a.NoticeVer},
		Notice: contact.Reply{Key: "notice", Author: contact.AuthorBot, Kind: contact.KindNotice,
			Text: a.Phrases.Text("privacy_notice", r.Language, r.Script, nil)},
		Status: in.TicketStatus,
		At:     now,
	}
	by := deliveredOnRecord(in.Params.Channel)
	for _, rep := range in.Replies {
		turn.Replies = append(turn.Replies, store.ReplyRecord{Params: in.Params, Reply: rep, MaskedText: rep.Text, At: now, DeliveredBy: by})
	}
	turn.NoticeDeliveredBy = by
	if in.Handoff != nil {
		policy, err := sla.ParsePolicy(in.Params.SLA)
		if err != nil {
			policy = sla.DefaultPolicy()
		}
		opened := in.Handoff.OpenedAt
		turn.Handoff = &store.HandoffRecord{Handoff: *in.Handoff, Language: r.Language, AfterHours: afterHours,
			Deadline: func(priority string) time.Time { return policy.Deadline(priority, opened) }}
	}
	out, err := a.Store.RecordTurn(ctx, turn)
	if err != nil {
		return TurnResult{}, retryable(err)
	}
	res := TurnResult{VIP: out.VIP, HandoffPriority: out.HandoffPriority}
	return res, a.send(ctx, in.Params, in.ReplyTo, in.LastInbound, out.Unsent)
}

// deliveredOnRecord names the channels whose replies reach the customer by
// being stored (web chat and API clients read them): no send, no second write.
func deliveredOnRecord(channel string) string {
	switch channel {
	case contact.ChannelWeb, contact.ChannelAPI:
		return channel
	}
	return ""
}

func kindOr(k string) string {
	if k == "" {
		return "text"
	}
	return k
}

func summary(masked string) string {
	r := []rune(masked)
	if len(r) > 140 {
		return string(r[:140]) + "…"
	}
	return masked
}

// What the workflow wants said in a turn.
const (
	WantAuto       = "auto"        // the bot answers or hands off, by playbook
	WantHandoff    = "handoff"     // tell the customer a person will follow up
	WantAck        = "ack"         // human-only arm: acknowledge
	WantOptOut     = "optout"      // confirm the opt-out
	WantCSATThanks = "csat_thanks" // thank for the survey answer
	WantOrderCheck = "order_check" // the ERP could not be asked: a colleague will check the order
)

// ComposeInput asks for the bot's words for one message.
type ComposeInput struct {
	ContactID  string
	CustomerID string
	Reading    contact.Reading
	Now        time.Time
	Want       string
	Order      string // WantOrderCheck: the order number
}

// Draft is the bot's reply. Handoff means a person must take over and Text
// tells the customer so.
type Draft struct {
	Kind         string
	Text         string
	ArticleID    string
	Locale       string
	Handoff      bool
	Reason       string
	TicketStatus string
	OrderNumber  string // set: look the order up before answering
}

// Compose drafts the bot's reply: a fixed text for what the workflow
// decided, or — for WantAuto — what the intent's playbook (internal/playbook)
// calls for: a knowledge-base answer, a question for the order number, an
// order lookup (done next by LookupOrder) or the handoff message. CPU only;
// it runs as a local activity, so its decision is recorded in history and a
// playbook change never alters a running contact's past.
func (a *Activities) Compose(ctx context.Context, in ComposeInput) (Draft, error) {
	r := in.Reading
	switch in.Want {
	case WantOptOut:
		return Draft{Kind: contact.KindNotice, Text: a.Phrases.Text("opt_out_confirm", r.Language, r.Script, nil)}, nil
	case WantCSATThanks:
		return Draft{Kind: contact.KindSurvey, Text: a.Phrases.Text("survey_thanks", r.Language, r.Script, nil)}, nil
	case WantAck:
		d := a.handoffDraft(r, in.Now, "human_arm")
		d.Kind, d.Text = contact.KindAck, a.Phrases.Text("human_arm_ack", r.Language, r.Script, nil)
		return d, nil
	case WantHandoff:
		return a.handoffDraft(r, in.Now, "requested"), nil
	case WantOrderCheck:
		return a.orderMissing(LookupInput{OrderNumber: in.Order, Intent: r.Intent, Now: in.Now}, kb.Locale(r.Language, r.Script)), nil
	}
	if r.Priority == "P1" {
		// Urgent (negative complaint, damage, threat): a person, at once.
		return a.handoffDraft(r, in.Now, "urgent_"+r.Intent), nil
	}
	locale := kb.Locale(r.Language, r.Script)
	pb := a.Playbooks.Load().For(r.Intent)
	orderNo, hasOrder := crm.ExtractOrderNumber(r.MaskedText)
	dec := pb.Decide(playbook.Input{Intent: r.Intent, Negative: r.Negative, Confidence: r.Confidence,
		Text: r.MaskedText, HasOrderNumber: hasOrder})
	if dec.Handoff {
		return a.handoffDraft(r, in.Now, dec.Reason), nil
	}
	switch dec.Action {
	case playbook.ActionAskOrder:
		// "Do you deliver to Sai Kung?" reads as order_status but is a
		// delivery question the knowledge base answers; only a customer
		// chasing an order without its number is asked for it.
		if !r.Negative {
			if ans, ok := a.KB.Answer(ctx, r.MaskedText, r.Intent, r.Language, r.Script, in.Now); ok {
				return Draft{Kind: contact.KindAnswer, Text: ans.Text, ArticleID: ans.ArticleID, Locale: ans.Locale}, nil
			}
		}
		text, _ := pb.Render(playbook.SlotAskOrder, locale, nil)
		return Draft{Kind: contact.KindAnswer, Text: text, Locale: locale, Reason: "ask_order", TicketStatus: waitingStatus(in.Now)}, nil
	case playbook.ActionLookupOrder:
		return Draft{Kind: contact.KindAnswer, OrderNumber: orderNo, Locale: locale, Reason: "order_lookup"}, nil
	case playbook.ActionSmalltalk:
		text, _ := pb.Render(playbook.SlotSmalltalk, locale, nil)
		return Draft{Kind: contact.KindAnswer, Text: text, Locale: locale}, nil
	}
	if ans, ok := a.KB.Answer(ctx, r.MaskedText, r.Intent, r.Language, r.Script, in.Now); ok {
		return Draft{Kind: contact.KindAnswer, Text: ans.Text, ArticleID: ans.ArticleID, Locale: ans.Locale}, nil
	}
	// The playbook never lets the bot guess: no KB answer → a person.
	return a.handoffDraft(r, in.Now, playbook.ReasonNoAnswer), nil
}

func waitingStatus(now time.Time) string {
	if hkcal.ServiceDesk.IsOpen(now) {
		return "pending_agent"
	}
	return "waiting"
}

func (a *Activities) handoffDraft(r contact.Reading, now time.Time, reason string) Draft {
	key := "handoff"
	if !hkcal.ServiceDesk.IsOpen(now) {
		key = "handoff_after_hours"
	}
	return Draft{Kind: contact.KindHandoff, Text: a.Phrases.Text(key, r.Language, r.Script, nil), Handoff: true, Reason: reason}
}

// DeliverInput sends replies outside a customer turn (agent replies, the
// survey), in order.
type DeliverInput struct {
	Params      contact.Params
	Replies     []contact.Reply
	ReplyTo     contact.ReplyTo
	LastInbound time.Time
}

// Deliver records each reply (once, by key) and sends the ones not yet
// delivered on the contact's channel as one message. The record comes first
// and carries the delivery state, so a worker that dies after sending but
// before marking resends at most that one message, and replies recorded as
// delivered are never sent again.
func (a *Activities) Deliver(ctx context.Context, in DeliverInput) error {
	var todo []contact.Reply
	for _, r := range in.Replies {
		stored := r.Text
		if r.Author == contact.AuthorAgent {
			// Agents may paste a customer's details; bot texts come from the
			// knowledge base and phrase book (shop addresses are not personal data).
			stored = pii.Mask(r.Text)
		}
		delivered, err := a.Store.RecordReply(ctx, store.ReplyRecord{Params: in.Params, Reply: r,
			MaskedText: stored, At: time.Now(), DeliveredBy: deliveredOnRecord(in.Params.Channel)})
		if err != nil {
			return retryable(err)
		}
		if !delivered {
			todo = append(todo, r)
		}
	}
	return a.send(ctx, in.Params, in.ReplyTo, in.LastInbound, todo)
}

// send delivers recorded replies on the contact's channel as one message
// (the privacy notice and the first answer arrive together, not as two
// pushes) and marks them delivered.
func (a *Activities) send(ctx context.Context, p contact.Params, to contact.ReplyTo, lastInbound time.Time, todo []contact.Reply) error {
	if len(todo) == 0 {
		return nil
	}
	texts := make([]string, len(todo))
	for i, r := range todo {
		texts[i] = r.Text
	}
	last := todo[len(todo)-1]
	ref, err := a.Sender.Send(ctx, Outbound{Channel: p.Channel, To: to.To, SessionWebhook: to.SessionWebhook,
		Text: strings.Join(texts, "\n\n"), Key: p.ContactID + "/" + last.Key, LastInbound: lastInbound, Locale: last.Locale})
	if err != nil {
		if a.Sender.IsPermanent(err) {
			for _, r := range todo {
				_ = a.Store.MarkUndeliverable(ctx, p.ContactID, r.Key, "permanent_channel_error")
			}
			a.Log.Error("channel refused a reply permanently", "contact_id", p.ContactID, "channel", p.Channel)
			return nil // recorded on the ticket; retrying cannot help
		}
		return retryable(err)
	}
	for _, r := range todo {
		if err := a.Store.MarkDelivered(ctx, p.ContactID, r.Key, ref); err != nil {
			return retryable(err)
		}
	}
	return nil
}

// CloseInput closes an idle contact.
type CloseInput struct {
	Params contact.Params
	At     time.Time
}

// CloseIdle resolves a bot-settled contact after the idle timeout.
func (a *Activities) CloseIdle(ctx context.Context, in CloseInput) error {
	return retryable(a.Store.CloseIdle(ctx, in.Params, in.At))
}

// retryable passes errors through for Temporal to retry; it exists so every
// activity says explicitly which failures are worth another attempt. What
// PostgreSQL refused for its content (store.Refused) is final.
func retryable(err error) error {
	if err == nil {
		return nil
	}
	var ae *temporal.ApplicationError
	if errors.As(err, &ae) {
		return err
	}
	if store.Refused(err) {
		return refused(err)
	}
	return temporal.NewApplicationError("temporary failure", "retryable", err)
}
