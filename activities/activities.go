// Package activities holds the ContactWorkflow's activities: thin adapters
// from workflow calls to the domain packages under internal/ (understanding,
// knowledge base, store, notification, channels, speech). Activities are
// methods on one struct that holds their dependencies, so tests swap them.
package activities

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync/atomic"
	"time"
	"unicode"

	"go.temporal.io/sdk/temporal"

	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/crm"
	"github.com/harbordesk/harbordesk/internal/decide"
	"github.com/harbordesk/harbordesk/internal/hkcal"
	"github.com/harbordesk/harbordesk/internal/kb"
	"github.com/harbordesk/harbordesk/internal/pii"
	"github.com/harbordesk/harbordesk/internal/playbook"
	"github.com/harbordesk/harbordesk/internal/priority"
	"github.com/harbordesk/harbordesk/internal/profile"
	"github.com/harbordesk/harbordesk/internal/sla"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/contacts"
)

// Error types the workflow's retry policies treat as final.
const (
	ErrPermanent = "permanent"
	ErrNoEngine  = "no_engine"
	ErrBadAudio  = "bad_audio"
)

// Understander reads a message (language, intent, sentiment, masking). ctx
// bounds any network I/O (the optional LLM engine); an implementation that
// cannot finish in time falls back to its offline reading, never errors.
type Understander interface {
	Understand(ctx context.Context, text string) contact.Reading
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
	Profile     *ProfileLive // nil: the shipped profile
	Notifier    Notifier
	Sender      Sender
	Transcriber Transcriber
	Playbooks   *PlaybookLive // nil: the shipped playbooks
	CRM         crm.Directory
	Audio       AudioVault
	Media       MediaSource // nil: channel media is not fetched
	MediaSink   MediaSink
	PublicURL   string
	NoticeVer   string
	Log         *slog.Logger
}

// contactStore is the contacts store on the activities' pool.
func (a *Activities) contactStore() *contacts.Store { return contacts.New(a.Store.Pool) }

// ProfileLive is the business profile in force, swapped atomically when an
// admin imports or activates another version; like PlaybookLive, an
// activity loads it once per call.
type ProfileLive struct {
	p atomic.Pointer[profile.Profile]
}

// NewProfileLive starts with p (nil: the shipped profile).
func NewProfileLive(p *profile.Profile) *ProfileLive {
	l := &ProfileLive{}
	l.Store(p)
	return l
}

// Load returns the profile in force; a nil or empty ProfileLive serves the
// shipped profile.
func (l *ProfileLive) Load() *profile.Profile {
	if l == nil {
		return profile.Default()
	}
	if p := l.p.Load(); p != nil {
		return p
	}
	return profile.Default()
}

// Store puts p in force for the next activity calls; nil restores the
// shipped profile.
func (l *ProfileLive) Store(p *profile.Profile) { l.p.Store(p) }

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

// UnderstandInput is the text of one message plus voice cues. (The VIP
// rule is package decide's.)
type UnderstandInput struct {
	Text    string
	Arousal float64
}

// Understand reads a message. It is CPU-only and runs as a local activity.
func (a *Activities) Understand(ctx context.Context, in UnderstandInput) (contact.Reading, error) {
	r := a.NLU.Understand(ctx, in.Text)
	if !hasLetters(in.Text) {
		// A sticker, emoji or bare punctuation says nothing of the
		// customer's language: the reply follows the contact's language, or
		// the profile's fallback locales.
		r.Language, r.Script = "", ""
	}
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
		r.Priority = string(priority.Level(r.Priority).Floor(priority.P2))
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
	TicketKind   string // the playbook's; "" (contacts from before package decide): by intent
	// Decided: the turn was decided by package decide, which knew VIP (the
	// CRM's word). Turns of older contacts ask the CRM here.
	Decided     bool
	VIP         bool
	ReplyTo     contact.ReplyTo
	LastInbound time.Time
	// Notify, when set, is the turn's urgent supervisor push, sent once
	// the reply is out (TurnResult.Notified says whether it went).
	Notify *NotifyInput `json:",omitempty"`
}

// TurnResult tells the workflow what the record revealed.
type TurnResult struct {
	VIP             bool
	HandoffPriority string
	// Notified: the turn's push went out; false leaves it to the
	// NotifySupervisor activity and its retries.
	Notified bool `json:",omitempty"`
}

// inlinePushTimeout bounds the push RecordTurn makes after the reply: a
// slow DingTalk must not hold the turn; the activity retries instead.
const inlinePushTimeout = 5 * time.Second

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
	vip := in.VIP
	if !in.Decided {
		vip = a.isVIP(ctx, in.Params.CustomerID)
		if in.Handoff != nil {
			h := *in.Handoff
			h.Priority = string(priority.Level(h.Priority).ForVIP(vip))
			in.Handoff = &h
		}
	}
	turn := contacts.Turn{
		Intake: contacts.Intake{Params: in.Params, MessageID: in.MessageID, Kind: kindOr(in.Kind), Engine: in.Engine,
			ReceivedAt: in.ReceivedAt, Reading: r, TicketKind: ticketKind(in), VIP: vip,
			Summary: summary(r.MaskedText), AfterHours: afterHours, OptOut: in.OptOut, CSAT: in.CSAT,
			NoticeVer: a.NoticeVer},
		Notice: a.notice(r),
		Status: in.TicketStatus,
		At:     now,
	}
	by := deliveredOnRecord(in.Params.Channel)
	for _, rep := range in.Replies {
		turn.Replies = append(turn.Replies, contacts.ReplyRecord{Params: in.Params, Reply: rep, MaskedText: rep.Text, At: now, DeliveredBy: by})
	}
	turn.NoticeDeliveredBy = by
	if in.Handoff != nil {
		policy, err := sla.ParsePolicy(in.Params.SLA)
		if err != nil {
			policy = sla.DefaultPolicy()
		}
		opened := in.Handoff.OpenedAt
		turn.Handoff = &contacts.HandoffRecord{Handoff: *in.Handoff, Language: r.Language, AfterHours: afterHours,
			Deadline: func(priority string) time.Time { return policy.Deadline(priority, opened) }}
	}
	out, err := a.contactStore().RecordTurn(ctx, turn)
	if err != nil {
		return TurnResult{}, retryable(err)
	}
	res := TurnResult{VIP: out.VIP, HandoffPriority: out.HandoffPriority}
	if err := a.send(ctx, in.Params, in.ReplyTo, in.LastInbound, out.Unsent); err != nil {
		return res, err
	}
	if n := in.Notify; n != nil {
		push := *n
		push.VIP = push.VIP || out.VIP
		pctx, cancel := context.WithTimeout(ctx, inlinePushTimeout)
		err := a.NotifySupervisor(pctx, push)
		cancel()
		if err != nil {
			a.Log.Warn("urgent push with the turn failed; the workflow retries it", "contact_id", in.Params.ContactID, "err", err.Error())
		}
		res.Notified = err == nil
	}
	return res, nil
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

func ticketKind(in TurnInput) string {
	if in.TicketKind != "" {
		return in.TicketKind
	}
	return contact.TicketKind(in.Reading.Intent)
}

// hasLetters reports whether text has a letter of any script.
func hasLetters(text string) bool {
	for _, c := range text {
		if unicode.IsLetter(c) {
			return true
		}
	}
	return false
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
	// WantDecide: package decide makes the whole decision from State; the
	// other wants are the workflow's decisions of contacts that began
	// before it (GetVersion "decide").
	WantDecide = "decide"
)

// ComposeInput asks for the bot's words for one message.
type ComposeInput struct {
	ContactID  string
	CustomerID string
	Reading    contact.Reading
	Now        time.Time
	Want       string
	Order      string       // WantOrderCheck: the order number
	Reason     string       // WantHandoff: why ("voice_unreadable", …)
	State      decide.State // WantDecide: the contact as the message finds it
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
	// Set by WantDecide (Decided true): the ticket's kind, the message's
	// priority after the playbook's floors and the VIP rule, and whether a
	// supervisor hears of it at once.
	Decided    bool
	TicketKind string
	Priority   string
	Notify     bool
	VIP        bool // the CRM (crm.Directory) says the customer is a VIP
}

// crmTimeout bounds the CRM's answer on the way to a first reply; a CRM
// that cannot answer in time leaves the customer without VIP handling for
// this message rather than delaying it.
const crmTimeout = 800 * time.Millisecond

// isVIP asks the CRM (crm.Directory: built-in or REST) whether the customer
// is a VIP. A customer the CRM does not know, or a CRM that is down, is not.
func (a *Activities) isVIP(ctx context.Context, customerID string) bool {
	if a.CRM == nil || customerID == "" {
		return false
	}
	ctx, cancel := context.WithTimeout(ctx, crmTimeout)
	defer cancel()
	c, err := a.CRM.Customer(ctx, customerID)
	if err != nil {
		if !errors.Is(err, crm.ErrNotFound) && a.Log != nil {
			a.Log.Warn("crm customer lookup failed; no VIP handling this message", "err", crmErrKind(err))
		}
		return false
	}
	return c.VIPTier != ""
}

// crmErrKind names a CRM failure without its text (which may carry an ID).
func crmErrKind(err error) string {
	for _, e := range []error{crm.ErrUnavailable, crm.ErrUnauthorized, crm.ErrBadResponse} {
		if errors.Is(err, e) {
			return e.Error()
		}
	}
	return "crm error"
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
	case WantDecide:
		return a.decided(ctx, in), nil
	case WantOptOut:
		text, locale := a.say(profile.OptOut, r, nil)
		return Draft{Kind: contact.KindNotice, Text: text, Locale: locale}, nil
	case WantCSATThanks:
		text, locale := a.say(profile.CSATThanks, r, nil)
		return Draft{Kind: contact.KindSurvey, Text: text, Locale: locale}, nil
	case WantAck:
		d := a.handoffDraft(r, in.Now, "human_arm")
		d.Kind = contact.KindAck
		d.Text, d.Locale = a.say(profile.HumanArmAck, r, nil)
		return d, nil
	case WantHandoff:
		d := a.handoffDraft(r, in.Now, "requested")
		if strings.HasPrefix(in.Reason, "voice_") {
			// Nobody could read the voice note: say so, a person listens.
			d.Text, d.Locale = a.say(profile.VoiceUnreadable, r, nil)
		}
		return d, nil
	case WantOrderCheck:
		return a.orderMissing(LookupInput{OrderNumber: in.Order, Intent: r.Intent, Language: r.Language, Script: r.Script, Now: in.Now}), nil
	}
	if r.Priority == "P1" {
		// Urgent (negative complaint, damage, threat): a person, at once.
		return a.handoffDraft(r, in.Now, "urgent_"+r.Intent), nil
	}
	locale := replyLocale(r)
	prof := a.Profile.Load()
	pb := a.Playbooks.Load().For(r.Intent)
	orderNo, hasOrder := prof.FindOrderNumber(r.MaskedText)
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
		if !prof.OrderNumbers() {
			// The business has no order numbers to look up: a person helps.
			return a.handoffDraft(r, in.Now, "no_order_lookup"), nil
		}
		text, loc := a.render(pb, playbook.SlotAskOrder, r, nil)
		return Draft{Kind: contact.KindAnswer, Text: text, Locale: loc, Reason: "ask_order", TicketStatus: waitingStatus(in.Now)}, nil
	case playbook.ActionLookupOrder:
		if !hasOrder {
			return a.handoffDraft(r, in.Now, "no_order_lookup"), nil
		}
		return Draft{Kind: contact.KindAnswer, OrderNumber: orderNo, Locale: locale, Reason: "order_lookup"}, nil
	case playbook.ActionSmalltalk:
		text, loc := a.render(pb, playbook.SlotSmalltalk, r, nil)
		return Draft{Kind: contact.KindAnswer, Text: text, Locale: loc}, nil
	}
	if ans, ok := a.KB.Answer(ctx, r.MaskedText, r.Intent, r.Language, r.Script, in.Now); ok {
		return Draft{Kind: contact.KindAnswer, Text: ans.Text, ArticleID: ans.ArticleID, Locale: ans.Locale}, nil
	}
	// The playbook never lets the bot guess: no KB answer → a person.
	return a.handoffDraft(r, in.Now, playbook.ReasonNoAnswer), nil
}

// decided asks package decide what to do with the message and puts it into
// words: a profile text, a playbook template, a knowledge-base answer (none:
// a person takes over) or, for an order, the number LookupOrder looks up
// next.
func (a *Activities) decided(ctx context.Context, in ComposeInput) Draft {
	r := in.Reading
	prof := a.Profile.Load()
	st := in.State
	st.VIP = st.VIP || a.isVIP(ctx, in.CustomerID)
	din := decide.Input{Reading: r, State: st, Playbook: a.Playbooks.Load().For(r.Intent), Profile: prof,
		AfterHours: !hkcal.ServiceDesk.IsOpen(in.Now)}
	d := decide.Decide(din)
	out := Draft{Decided: true, Kind: d.Kind, Handoff: d.Handoff, Reason: d.Reason, TicketStatus: d.TicketStatus,
		TicketKind: d.TicketKind, Priority: string(d.Priority), Notify: d.Notify, VIP: st.VIP}
	if d.Say == decide.SayAnswer || d.KBFirst {
		if ans, ok := a.KB.Answer(ctx, r.MaskedText, r.Intent, r.Language, r.Script, in.Now); ok {
			out.Kind, out.Text, out.ArticleID, out.Locale, out.TicketStatus = contact.KindAnswer, ans.Text, ans.ArticleID, ans.Locale, ""
			return out
		}
		if d.Say == decide.SayAnswer {
			d = decide.NoAnswer(din, d)
			out.Kind, out.Handoff, out.Reason, out.Notify = d.Kind, d.Handoff, d.Reason, d.Notify
		}
	}
	var args map[string]string
	if d.Text == profile.HandoffAfterHours {
		args = profile.BackArgs(in.Now, hkcal.ServiceDesk.NextOpen(in.Now))
	}
	switch d.Say {
	case decide.SayText:
		out.Text, out.Locale = sayIn(prof, d.Text, replyLocale(r), args)
	case decide.SaySlot:
		out.Text, out.Locale = renderIn(prof, din.Playbook, d.Slot, replyLocale(r), args)
	case decide.SayOrder:
		out.OrderNumber, out.Locale = d.Order, replyLocale(r)
	}
	return out
}

func waitingStatus(now time.Time) string {
	if hkcal.ServiceDesk.IsOpen(now) {
		return "pending_agent"
	}
	return "waiting"
}

func (a *Activities) handoffDraft(r contact.Reading, now time.Time, reason string) Draft {
	key, args := profile.Handoff, map[string]string(nil)
	if !hkcal.ServiceDesk.IsOpen(now) {
		key, args = profile.HandoffAfterHours, profile.BackArgs(now, hkcal.ServiceDesk.NextOpen(now))
	}
	text, locale := a.say(key, r, args)
	return Draft{Kind: contact.KindHandoff, Text: text, Locale: locale, Handoff: true, Reason: reason}
}

// notice is the privacy notice in the reader's locale (or the fallback
// locales when the language is unknown).
func (a *Activities) notice(r contact.Reading) contact.Reply {
	text, locale := a.say(profile.PrivacyNotice, r, nil)
	return contact.Reply{Key: "notice", Author: contact.AuthorBot, Kind: contact.KindNotice, Text: text, Locale: locale}
}

// replyLocale is the locale of a reply to r; "" when the language is
// unknown (an unreadable voice note, a sticker, only emoji).
func replyLocale(r contact.Reading) string {
	if r.Language == "" {
		return ""
	}
	return kb.Locale(r.Language, r.Script)
}

// say renders the profile text key for the customer of r: in their locale,
// or — language unknown — in the profile's fallback locales in one message.
// locale is the reply's locale (the first fallback locale for the latter).
func (a *Activities) say(key string, r contact.Reading, args map[string]string) (text, locale string) {
	return sayIn(a.Profile.Load(), key, replyLocale(r), args)
}

func sayIn(p *profile.Profile, key, locale string, args map[string]string) (string, string) {
	if locale == "" {
		return p.Fallback(key, args), p.FallbackLocales()[0]
	}
	return p.Text(key, locale, args), locale
}

// render renders a playbook slot like say renders a profile text.
func (a *Activities) render(pb playbook.Playbook, slot string, r contact.Reading, args map[string]string) (string, string) {
	return renderIn(a.Profile.Load(), pb, slot, replyLocale(r), args)
}

func renderIn(p *profile.Profile, pb playbook.Playbook, slot, locale string, args map[string]string) (string, string) {
	if locale != "" {
		text, _ := pb.Render(p, slot, locale, args)
		return text, locale
	}
	var parts []string
	for _, loc := range p.FallbackLocales() {
		if t, _ := pb.Render(p, slot, loc, args); t != "" && !slices.Contains(parts, t) {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, "\n"), p.FallbackLocales()[0]
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
		delivered, err := a.contactStore().RecordReply(ctx, contacts.ReplyRecord{Params: in.Params, Reply: r,
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
				_ = a.contactStore().MarkUndeliverable(ctx, p.ContactID, r.Key, "permanent_channel_error")
			}
			a.Log.Error("channel refused a reply permanently", "contact_id", p.ContactID, "channel", p.Channel)
			return nil // recorded on the ticket; retrying cannot help
		}
		return retryable(err)
	}
	for _, r := range todo {
		if err := a.contactStore().MarkDelivered(ctx, p.ContactID, r.Key, ref); err != nil {
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
	return retryable(a.contactStore().CloseIdle(ctx, in.Params, in.At))
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
