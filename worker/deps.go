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
		directory = rest
		features = append(features, "crm: REST + OAuth2")
	} else {
		features = append(features, "crm: built-in (PostgreSQL)")
	}
	acts := &activities.Activities{
		Store:     st,
		NLU:       NewUnderstander(),
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

// Understander adapts internal/nlu to the activities. The classifier is
// swapped atomically when an admin imports a new lexicon.
type Understander struct {
	Live *atomic.Pointer[nlu.Classifier]
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
func (u Understander) Understand(text string) contact.Reading {
	r := u.Live.Load().Understand(text)
	return contact.Reading{Language: r.Language, Script: r.Script, Intent: r.Intent, Confidence: r.Confidence,
		Sentiment: r.Sentiment, Negative: r.Negative, Priority: r.Priority, Normalized: r.Normalized,
		MaskedText: r.MaskedText, Signals: r.Signals}
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
