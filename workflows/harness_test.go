package workflows

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/harbordesk/harbordesk/activities"
	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/profile"
	"github.com/harbordesk/harbordesk/internal/sla"
)

// Fixed texts the fake activities return, so tests can tell which reply went out.
const (
	noticeText     = "NOTICE: how we use your data"
	answerText     = "We open 09:00-21:00."
	handoffText    = "A colleague will be with you shortly."
	ackText        = "Thanks, a colleague will reply."
	optOutText     = "You will not hear from us again."
	thanksText     = "Thanks for rating us."
	surveyText     = "How did we do? Reply 1-5."
	orderFoundText = "Order HK20461 is out for delivery."
	orderCheckText = "A colleague will check order "
)

// Customer texts with fixed readings.
const (
	hoursQuestion = "你哋幾點收舖？"
	wantHuman     = "同我轉真人客服啦"
	complaintText = "你哋啲貨爛晒，我要投訴！"
	anyoneThere   = "仲有冇人喺度？"
	orderQuestion = "我張單 HK20461 到咗未？"
)

// hkt is Hong Kong time; the desk calendar is HKT.
var hkt = time.FixedZone("HKT", 8*3600)

// acts is the nil receiver the mocks are keyed by (method values name the activity).
var acts *activities.Activities

// firedEscalation is one Escalate call and the env clock when it ran.
type firedEscalation struct {
	In activities.EscalateInput
	At time.Time
}

// firedReopen is one RecordReopen call and the env clock when it ran.
type firedReopen struct {
	In activities.ClaimInput
	At time.Time
}

// handoffCall is a handoff opened by RecordTurn, with the SLA deadline the
// real activity would store for it.
type handoffCall struct {
	Handoff     contact.Handoff
	Language    string
	SLADeadline time.Time
}

// discard is a logger that drops the SDK's debug chatter.
func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

// desk is a set of fake activities that record every call. Readings are
// chosen by customer text; everything else returns the fixed texts above.
type desk struct {
	t   *testing.T
	env *testsuite.TestWorkflowEnvironment

	mu          sync.Mutex
	readings    map[string]contact.Reading
	noticeSent  bool
	transcribe  error
	failTurn    func(activities.TurnInput) error    // non-nil error: RecordTurn fails so
	failCompose func(activities.ComposeInput) error // non-nil error: Compose fails so
	lookupErr   error
	lookups     []activities.LookupInput
	understands []activities.UnderstandInput
	intakes     []activities.TurnInput
	composes    []activities.ComposeInput
	delivers    []activities.DeliverInput
	handoffs    []handoffCall
	claims      []activities.ClaimInput
	releases    []activities.ClaimInput
	reopens     []firedReopen
	transfers   []activities.TransferInput
	resolves    []activities.ResolveInput
	escalations []firedEscalation
	notifies    []activities.NotifyInput
	// inlinePushFails: RecordTurn could not make the turn's push, so the
	// NotifySupervisor activity must.
	inlinePushFails bool
	pushActivities  int // NotifySupervisor activity calls
	transcribes     []activities.TranscribeInput
	closes          []activities.CloseInput
	// router answers AssignAgent (nil: nobody is eligible); assigns records
	// its calls with the env clock.
	router  func(in activities.AssignInput) string
	assigns []firedAssign
}

// firedAssign is one AssignAgent call, its answer and the env clock.
type firedAssign struct {
	In    activities.AssignInput
	Agent string
	At    time.Time
}

func newDesk(t *testing.T) *desk {
	t.Helper()
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(log.NewStructuredLogger(discard()))
	env := suite.NewTestWorkflowEnvironment()
	env.SetTestTimeout(30 * time.Second)
	env.RegisterWorkflow(ContactWorkflow)
	env.RegisterActivity(&activities.Activities{})
	d := &desk{t: t, env: env, readings: map[string]contact.Reading{
		hoursQuestion: {Language: "yue", Script: "Hant", Intent: "business_hours", Confidence: 0.92, Priority: "P4", MaskedText: hoursQuestion},
		wantHuman:     {Language: "yue", Script: "Hant", Intent: "human_agent", Confidence: 0.95, Priority: "P3", MaskedText: wantHuman},
		anyoneThere:   {Language: "yue", Script: "Hant", Intent: "other", Confidence: 0.5, Priority: "P4", MaskedText: anyoneThere},
		orderQuestion: {Language: "yue", Script: "Hant", Intent: "order_status", Confidence: 0.9, Priority: "P3", MaskedText: orderQuestion},
		complaintText: {Language: "yue", Script: "Hant", Intent: "complaint", Confidence: 0.9, Priority: "P1", Negative: true, Sentiment: -0.8, MaskedText: complaintText},
	}}
	d.mockAll()
	return d
}

func (d *desk) mockAll() {
	env := d.env
	env.OnActivity(acts.Understand, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.UnderstandInput) (contact.Reading, error) {
			d.mu.Lock()
			defer d.mu.Unlock()
			d.understands = append(d.understands, in)
			if r, ok := d.readings[in.Text]; ok {
				return r, nil
			}
			return contact.Reading{Language: "en", Script: "Latn", Intent: "other", Confidence: 0.6, Priority: "P4", MaskedText: in.Text}, nil
		})
	env.OnActivity(acts.RecordTurn, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.TurnInput) (activities.TurnResult, error) {
			d.mu.Lock()
			defer d.mu.Unlock()
			if d.failTurn != nil {
				if err := d.failTurn(in); err != nil {
					return activities.TurnResult{}, err
				}
			}
			d.intakes = append(d.intakes, in)
			var replies []contact.Reply
			if !d.noticeSent {
				d.noticeSent = true
				replies = append(replies, contact.Reply{Key: "notice", Author: contact.AuthorBot, Kind: contact.KindNotice, Text: noticeText})
			}
			replies = append(replies, in.Replies...)
			if len(replies) > 0 {
				d.delivers = append(d.delivers, activities.DeliverInput{Params: in.Params, Replies: replies, ReplyTo: in.ReplyTo, LastInbound: in.LastInbound})
			}
			var res activities.TurnResult
			if h := in.Handoff; h != nil {
				policy, err := sla.ParsePolicy(in.Params.SLA)
				if err != nil {
					policy = sla.DefaultPolicy()
				}
				d.handoffs = append(d.handoffs, handoffCall{Handoff: *h, Language: in.Reading.Language,
					SLADeadline: policy.Deadline(h.Priority, h.OpenedAt)})
				res.HandoffPriority = h.Priority
			}
			if n := in.Notify; n != nil && !d.inlinePushFails {
				// RecordTurn made the push itself, after the reply.
				d.notifies = append(d.notifies, *n)
				res.Notified = true
			}
			return res, nil
		})
	// Compose is the real activity (package decide and the playbooks) over
	// the harness profile, whose texts are the fixed texts above, and a
	// knowledge base that answers every question.
	composer := &activities.Activities{KB: hoursKB{}, Profile: activities.NewProfileLive(harnessProfile(d.t))}
	env.OnActivity(acts.Compose, mock.Anything, mock.Anything).Return(
		func(ctx context.Context, in activities.ComposeInput) (activities.Draft, error) {
			if err := func() error {
				d.mu.Lock()
				defer d.mu.Unlock()
				if d.failCompose != nil {
					if err := d.failCompose(in); err != nil {
						return err
					}
				}
				d.composes = append(d.composes, in)
				return nil
			}(); err != nil {
				return activities.Draft{}, err
			}
			return composer.Compose(ctx, in)
		})
	env.OnActivity(acts.LookupOrder, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.LookupInput) (activities.Draft, error) {
			d.mu.Lock()
			defer d.mu.Unlock()
			d.lookups = append(d.lookups, in)
			if d.lookupErr != nil {
				return activities.Draft{}, d.lookupErr
			}
			return activities.Draft{Kind: contact.KindAnswer, Text: orderFoundText}, nil
		})
	env.OnActivity(acts.Deliver, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.DeliverInput) error {
			d.mu.Lock()
			defer d.mu.Unlock()
			d.delivers = append(d.delivers, in)
			return nil
		})
	env.OnActivity(acts.RecordClaim, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.ClaimInput) error {
			d.mu.Lock()
			defer d.mu.Unlock()
			d.claims = append(d.claims, in)
			return nil
		})
	env.OnActivity(acts.AssignAgent, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.AssignInput) (string, error) {
			now := env.Now()
			d.mu.Lock()
			defer d.mu.Unlock()
			agent := ""
			if d.router != nil {
				agent = d.router(in)
			}
			d.assigns = append(d.assigns, firedAssign{In: in, Agent: agent, At: now})
			return agent, nil
		})
	env.OnActivity(acts.RecordRelease, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.ClaimInput) error {
			d.mu.Lock()
			defer d.mu.Unlock()
			d.releases = append(d.releases, in)
			return nil
		})
	env.OnActivity(acts.RecordReopen, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.ClaimInput) error {
			now := env.Now()
			d.mu.Lock()
			defer d.mu.Unlock()
			d.reopens = append(d.reopens, firedReopen{In: in, At: now})
			return nil
		})
	env.OnActivity(acts.RecordTransfer, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.TransferInput) error {
			d.mu.Lock()
			defer d.mu.Unlock()
			d.transfers = append(d.transfers, in)
			return nil
		})
	env.OnActivity(acts.Resolve, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.ResolveInput) (string, error) {
			d.mu.Lock()
			defer d.mu.Unlock()
			d.resolves = append(d.resolves, in)
			return surveyText, nil
		})
	env.OnActivity(acts.Escalate, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.EscalateInput) error {
			now := env.Now()
			d.mu.Lock()
			defer d.mu.Unlock()
			d.escalations = append(d.escalations, firedEscalation{In: in, At: now})
			return nil
		})
	env.OnActivity(acts.NotifySupervisor, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.NotifyInput) error {
			d.mu.Lock()
			defer d.mu.Unlock()
			d.notifies = append(d.notifies, in)
			d.pushActivities++
			return nil
		})
	env.OnActivity(acts.CloseIdle, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.CloseInput) error {
			d.mu.Lock()
			defer d.mu.Unlock()
			d.closes = append(d.closes, in)
			return nil
		})
	env.OnActivity(acts.Transcribe, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.TranscribeInput) (activities.TranscribeResult, error) {
			d.mu.Lock()
			defer d.mu.Unlock()
			d.transcribes = append(d.transcribes, in)
			if d.transcribe != nil {
				return activities.TranscribeResult{}, d.transcribe
			}
			return activities.TranscribeResult{Text: hoursQuestion, Engine: "fake", Arousal: 0.1}, nil
		})
}

// hoursKB is a knowledge base that answers every question with the
// opening hours.
type hoursKB struct{}

func (hoursKB) Answer(_ context.Context, query, intent, language, script string, now time.Time) (activities.Answer, bool) {
	return activities.Answer{ArticleID: "kb_hours", Locale: "zh-HK", Text: answerText, Confidence: 0.9}, true
}

// harnessProfile is a business profile whose texts are the fixed texts the
// tests look for, in every locale.
func harnessProfile(t *testing.T) *profile.Profile {
	t.Helper()
	all := func(s string) map[string]string {
		return map[string]string{"yue-Hant": s, "zh-Hant": s, "zh-Hans": s, "en": s}
	}
	p, err := profile.New(profile.Document{
		Business: profile.Business{Name: "Test Desk", PrivacyURL: "https://desk.example/privacy",
			OrderNumber: &profile.OrderNumber{Pattern: `HK\d{5}`, Example: "HK12345"}, Locales: []string{"yue-Hant", "zh-Hant", "zh-Hans", "en"}},
		Texts: map[string]map[string]string{
			profile.PrivacyNotice: all(noticeText), profile.Handoff: all(handoffText), profile.HandoffAfterHours: all(handoffText),
			profile.HumanArmAck: all(ackText), profile.AskOrderNumber: all("Your order number?"), profile.OrderMissing: all(orderCheckText + "{order_id}"),
			profile.OptOut: all(optOutText), profile.CSATSurvey: all(surveyText), profile.CSATThanks: all(thanksText),
			profile.VoiceUnreadable: all(handoffText),
		}})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// params are a web contact on the AI arm with a 10-minute P1 target.
func params() contact.Params {
	return contact.Params{ContactID: "ct_test", Channel: contact.ChannelWeb, ConversationID: "k1",
		CustomerID: "c1", Arm: "ai", SLA: "P1=10m", IdleTimeout: 30 * time.Minute}
}

// at runs fn when the env clock is delay past the workflow start.
func (d *desk) at(delay time.Duration, fn func()) { d.env.RegisterDelayedCallback(fn, delay) }

// say signals a customer text message at delay.
func (d *desk) say(delay time.Duration, id, text string) {
	d.at(delay, func() {
		d.env.SignalWorkflow(contact.SignalMessage, contact.Inbound{MessageID: id, Kind: "text", Text: text,
			ReceivedAt: d.env.Now(), ReplyTo: contact.ReplyTo{To: "85291234567"}})
	})
}

// updateResult is what one Update ended with.
type updateResult struct {
	accepted bool
	rejected error
	done     bool
	value    any
	err      error
}

// update sends an Update at delay; the returned result is filled in as it runs.
func (d *desk) update(delay time.Duration, name, id string, arg any) *updateResult {
	res := &updateResult{}
	d.at(delay, func() {
		d.env.UpdateWorkflow(name, id, &testsuite.TestUpdateCallback{
			OnAccept:   func() { res.accepted = true },
			OnReject:   func(err error) { res.rejected = err },
			OnComplete: func(v any, err error) { res.done, res.value, res.err = true, v, err },
		}, arg)
	})
	return res
}

// run executes the workflow to its end.
func (d *desk) run(p contact.Params) {
	d.env.ExecuteWorkflow(ContactWorkflow, p)
	if !d.env.IsWorkflowCompleted() {
		d.t.Fatal("workflow did not complete")
	}
}

// botDelivers are the Deliver calls that carry at least one bot reply.
func (d *desk) botDelivers() []activities.DeliverInput {
	var out []activities.DeliverInput
	for _, in := range d.delivers {
		for _, r := range in.Replies {
			if r.Author == contact.AuthorBot {
				out = append(out, in)
				break
			}
		}
	}
	return out
}

// errType is the ApplicationError type of err, or "".
func errType(err error) string {
	var ae *temporal.ApplicationError
	if errors.As(err, &ae) {
		return ae.Type()
	}
	return ""
}

// wantReplies checks one Deliver call's replies by kind, author and text.
func wantReplies(t *testing.T, in activities.DeliverInput, want ...contact.Reply) {
	t.Helper()
	if len(in.Replies) != len(want) {
		t.Fatalf("Deliver carried %d replies %+v, want %d %+v", len(in.Replies), in.Replies, len(want), want)
	}
	for i, w := range want {
		g := in.Replies[i]
		if g.Kind != w.Kind || g.Author != w.Author || g.Text != w.Text || (w.Key != "" && g.Key != w.Key) || g.Agent != w.Agent {
			t.Errorf("reply %d = %+v, want %+v", i, g, w)
		}
	}
}
