package worker

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/harbordesk/harbordesk/activities"
	"github.com/harbordesk/harbordesk/internal/channel"
	"github.com/harbordesk/harbordesk/internal/channel/dingtalkbot"
	"github.com/harbordesk/harbordesk/internal/channel/whatsapp"
	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/crm"
	"github.com/harbordesk/harbordesk/internal/kb"
	"github.com/harbordesk/harbordesk/internal/lexicon"
	"github.com/harbordesk/harbordesk/internal/llm"
	"github.com/harbordesk/harbordesk/internal/nlu"
	"github.com/harbordesk/harbordesk/internal/notify"
	"github.com/harbordesk/harbordesk/internal/playbook"
	"github.com/harbordesk/harbordesk/internal/store"
)

// NoticeVersion identifies the privacy notice text customers consent to.
const NoticeVersion = "pdpo-notice-2026-11"

// Dependencies builds the activities' dependencies from configuration. It
// trains the classifier once (about a second) so the first contact does not
// pay for it.
func Dependencies(cfg config.Config, st *store.Store, articles *kb.Live, log *slog.Logger) (*activities.Activities, []string, error) {
	var features []string
	n, kind := notify.FromConfig(cfg.DingTalkWebhook, cfg.DingTalkSecret, log, notify.WithLogger(log), notify.WithThrottle(cfg.DingTalkThrottle))
	features = append(features, "supervisor pushes: "+kind)
	senders := map[string]channel.Sender{channel.Web: channel.WebSender{}, contact.ChannelAPI: channel.WebSender{}}
	if cfg.WhatsAppToken != "" && cfg.WhatsAppPhoneNumberID != "" {
		senders[channel.WhatsApp] = channel.WhatsAppSender{Client: whatsapp.NewClient(cfg.WhatsAppAPIBase, cfg.WhatsAppToken, cfg.WhatsAppPhoneNumberID)}
		features = append(features, "whatsapp replies: on")
	} else {
		// Contacts can still arrive as "whatsapp" through the API; their
		// replies are recorded for agents and the console.
		senders[channel.WhatsApp] = channel.WebSender{}
		features = append(features, "whatsapp replies: off (HARBORDESK_WHATSAPP_TOKEN/PHONE_NUMBER_ID unset)")
	}
	senders[channel.DingTalk] = channel.DingTalkSender{Replier: &dingtalkbot.Replier{}}
	var answerer activities.Answerer = Answerer{Live: articles}
	if cfg.LLMURL != "" {
		answerer = GroundedAnswerer{KB: articles, LLM: llm.NewOpenAI(cfg.LLMURL, cfg.LLMModel, cfg.LLMKey), Log: log}
		features = append(features, "llm answers: on ("+cfg.LLMModel+", grounded, fallback to retrieval)")
	} else {
		features = append(features, "llm answers: off (HARBORDESK_LLM_URL unset)")
	}
	var directory crm.Directory = crm.NewPostgres(st.Pool)
	if cfg.CRMURL != "" {
		rest, err := crm.NewREST(crm.RESTConfig{BaseURL: cfg.CRMURL, TokenURL: cfg.CRMTokenURL,
			ClientID: cfg.CRMClientID, ClientSecret: cfg.CRMClientSecret})
		if err != nil {
			return nil, nil, fmt.Errorf("HARBORDESK_CRM_URL: %w", err)
		}
		// The first reply asks the CRM for the customer's VIP tier; a remote
		// CRM is asked once per customer per restCustomerTTL, not per message.
		directory = &crm.Cached{Directory: rest, TTL: restCustomerTTL}
		features = append(features, "crm: REST + OAuth2 (customers cached "+restCustomerTTL.String()+")")
	} else {
		features = append(features, "crm: built-in (PostgreSQL)")
	}
	understander := NewUnderstander()
	if cfg.LLMURL != "" && cfg.LLMReading {
		understander.LLM = llm.NewOpenAI(cfg.LLMURL, cfg.LLMModel, cfg.LLMKey, llm.WithReadTimeout(cfg.LLMReadTimeout))
		understander.Log = log
		features = append(features, fmt.Sprintf("llm reading: on (%s, %s timeout, fallback to the offline classifier)", cfg.LLMModel, cfg.LLMReadTimeout))
	} else {
		features = append(features, "llm reading: off (offline classifier)")
	}
	acts := &activities.Activities{
		Store:     st,
		NLU:       understander,
		KB:        answerer,
		Profile:   activities.NewProfileLive(nil),
		Notifier:  Notifier{N: n, Mentions: cfg.DingTalkMentions},
		Sender:    Sender{R: channel.NewRouter(senders)},
		PublicURL: cfg.PublicURL,
		NoticeVer: NoticeVersion,
		Playbooks: activities.NewPlaybookLive(playbook.Default()),
		CRM:       directory,
		Log:       log,
	}
	return acts, features, nil
}

// restCustomerTTL is how long a REST CRM's answer about a customer (VIP
// tier, consent) is reused: a VIP upgrade takes effect within it.
const restCustomerTTL = 5 * time.Minute

// Understander adapts internal/nlu to the activities. The classifier is
// swapped atomically when an admin imports a new lexicon.
//
// With LLM set (HARBORDESK_LLM_URL) the reading's labels — language,
// script, intent, negative, sentiment, priority — come from the model,
// which sees only the masked text; the offline classifier still masks,
// normalises and finds signals, and its reading is used whenever the model
// errs, times out or answers outside the schema. Reading.ReadBy records
// which engine read each message.
type Understander struct {
	Live *atomic.Pointer[nlu.Classifier]
	LLM  llm.Reader   // nil: offline only
	Log  *slog.Logger // fallback reasons (never text)
}

// NewUnderstander starts with the shipped lexicon and corpus.
func NewUnderstander() Understander {
	u := Understander{Live: &atomic.Pointer[nlu.Classifier]{}}
	u.Live.Store(nlu.Default())
	return u
}

// Rebuild retrains the classifier with lex; on failure the previous one stays.
func (u Understander) Rebuild(lex *lexicon.Lexicon) error {
	train, err := nlu.LoadCorpus("train")
	if err != nil {
		return err
	}
	c, err := nlu.New(lex, train)
	if err != nil {
		return err
	}
	u.Live.Store(c)
	return nil
}

// Understand implements activities.Understander.
func (u Understander) Understand(ctx context.Context, text string) contact.Reading {
	r := u.Live.Load().Understand(text)
	out := contact.Reading{Language: r.Language, Script: r.Script, Intent: r.Intent, Confidence: r.Confidence,
		Sentiment: r.Sentiment, Negative: r.Negative, Priority: r.Priority, Normalized: r.Normalized,
		MaskedText: r.MaskedText, Signals: r.Signals, ReadBy: contact.ReadByOffline}
	if u.LLM == nil {
		return out
	}
	got, err := u.LLM.Read(ctx, out.MaskedText)
	if err != nil {
		// err carries a reason and status, never customer or model text.
		u.log().Warn("llm reading not used; offline reading kept", "reason", err.Error())
		return out
	}
	return withLLMReading(out, got)
}

// withLLMReading puts the model's labels on the offline reading, keeping its
// masking, normalised text and signals.
func withLLMReading(r contact.Reading, got llm.Reading) contact.Reading {
	r.Language, r.Script, r.Intent, r.Confidence = got.Language, got.Script, got.Intent, got.Confidence
	r.Negative, r.Sentiment, r.Priority = got.Negative, got.Sentiment, got.Priority
	r.ReadBy = contact.ReadByLLM
	return r
}

func (u Understander) log() *slog.Logger {
	if u.Log != nil {
		return u.Log
	}
	return slog.Default()
}

// Answerer adapts the live knowledge-base index.
type Answerer struct{ Live *kb.Live }

// Answer implements activities.Answerer.
func (a Answerer) Answer(_ context.Context, query, intent, language, script string, now time.Time) (activities.Answer, bool) {
	ans, ok := a.Live.Index().Answer(query, intent, language, script, now)
	return activities.Answer{ArticleID: ans.ArticleID, Locale: ans.Locale, Text: ans.Text, Confidence: ans.Confidence}, ok
}

// Notifier adapts internal/notify; Mentions are the on-duty supervisors
// every push @-mentions.
type Notifier struct {
	N        notify.Notifier
	Mentions []string
}

// Notify implements activities.Notifier.
func (n Notifier) Notify(ctx context.Context, x activities.Notification) error {
	return n.N.Notify(ctx, notify.Notification{Key: x.Key, Priority: x.Priority, Title: x.Title,
		Summary: x.Summary, ContactURL: x.ContactURL, Level: x.Level, Mentions: n.Mentions})
}

// IsPermanent implements activities.Notifier.
func (Notifier) IsPermanent(err error) bool { return notify.IsPermanent(err) }

// Sender adapts the channel router.
type Sender struct{ R *channel.Router }

// Send implements activities.Sender.
func (s Sender) Send(ctx context.Context, m activities.Outbound) (string, error) {
	return s.R.Send(ctx, channel.Outbound{Channel: m.Channel, To: m.To, Text: m.Text, Key: m.Key,
		SessionWebhook: m.SessionWebhook, LastInbound: m.LastInbound, Locale: m.Locale})
}

// IsPermanent implements activities.Sender.
func (Sender) IsPermanent(err error) bool { return channel.IsPermanent(err) }
