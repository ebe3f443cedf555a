package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/harbordesk/harbordesk/internal/apiclient"
	"github.com/harbordesk/harbordesk/internal/kpi"
)

// Options configure a demo run.
type Options struct {
	// URL is the base URL of a running Harbordesk, e.g. http://127.0.0.1:8080.
	URL string
	// Key is an API key with the supervisor role or above: it posts the
	// contacts and the survey answers, reads contacts and fetches the KPIs.
	Key string
	// AgentKeys are the keys agents claim, reply and resolve with, in turn;
	// empty means Key.
	AgentKeys []string
	// Contacts is the number of contacts of the day.
	Contacts int
	// Seed chooses the plan; the same seed gives the same day.
	Seed uint64
	// Mix sets the worked and survey shares; zero means DefaultMix.
	Mix Mix
	// RunID keeps the conversations of this run apart from earlier runs on
	// the same instance; empty means one made from the clock.
	RunID string
	// Wait bounds how long the demo waits for the desk's answer to one
	// contact and for one survey; zero means 30 s.
	Wait time.Duration
	// Concurrency is how many agents work handoffs at once; zero means 4.
	Concurrency int
	// Progress receives one line per step (nil: discarded).
	Progress io.Writer
	// HTTPClient is the client to use; nil means one with a 40 s timeout.
	HTTPClient *http.Client
}

// Summary is what a demo run did.
type Summary struct {
	RunID string `json:"run_id"`
	// Posted is the number of contacts the API accepted.
	Posted int `json:"posted"`
	// Answered is the number that got a first reply within Wait.
	Answered int `json:"answered"`
	// HandedOff is the number the desk handed to a person.
	HandedOff int `json:"handed_off"`
	// Claimed, Resolved: handoffs the demo agents took and closed.
	Claimed  int `json:"claimed"`
	Resolved int `json:"resolved"`
	// ClaimedByOthers are handoffs someone else had claimed first (409).
	ClaimedByOthers int `json:"claimed_by_others"`
	// SurveysAnswered are survey answers posted; SurveysMissing are surveys
	// that did not arrive within Wait.
	SurveysAnswered int `json:"surveys_answered"`
	SurveysMissing  int `json:"surveys_missing"`
	// ByLanguage counts posted contacts by demo language (e.g. "yue-Hant").
	ByLanguage map[string]int `json:"by_language"`
	// ByKind counts posted contacts by demo kind.
	ByKind map[string]int `json:"by_kind"`
	// KPIs is GET /v1/kpis?by=language,channel,arm after the run.
	KPIs kpi.Report `json:"kpis"`
}

// ErrOptions is returned for options a run cannot start with.
var ErrOptions = errors.New("demo: invalid options")

func (o *Options) normalize() error {
	switch {
	case o.URL == "":
		return fmt.Errorf("%w: URL is required", ErrOptions)
	case !strings.HasPrefix(o.URL, "http://") && !strings.HasPrefix(o.URL, "https://"):
		return fmt.Errorf("%w: URL must start with http:// or https://", ErrOptions)
	case o.Key == "":
		return fmt.Errorf("%w: Key is required", ErrOptions)
	case o.Wait < 0 || o.Concurrency < 0:
		return fmt.Errorf("%w: Wait and Concurrency must not be negative", ErrOptions)
	}
	o.URL = strings.TrimRight(o.URL, "/")
	if len(o.AgentKeys) == 0 {
		o.AgentKeys = []string{o.Key}
	}
	for _, k := range o.AgentKeys {
		if k == "" {
			return fmt.Errorf("%w: an agent key is empty", ErrOptions)
		}
	}
	if o.Mix == (Mix{}) {
		o.Mix = DefaultMix
	}
	if o.RunID == "" {
		o.RunID = fmt.Sprintf("d%x", time.Now().UnixNano()/int64(time.Millisecond))
	}
	if o.Wait == 0 {
		o.Wait = 30 * time.Second
	}
	if o.Concurrency == 0 {
		o.Concurrency = 4
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 40 * time.Second}
	}
	return nil
}

// posted is a visit the API accepted.
type posted struct {
	Visit
	contactID string
	handoffID string
}

// Run plays the demo day against o.URL: it posts the contacts in the order
// of the day, waits for the desk's answers, has agents claim, reply to and
// resolve the worked share of the handoffs, answers their surveys, and ends
// with the KPIs. An authentication failure, an unreachable server or a
// failed KPI fetch stops the run with an error; a single contact that is
// refused or slow is reported and skipped.
func Run(ctx context.Context, o Options) (Summary, error) {
	if err := o.normalize(); err != nil {
		return Summary{}, err
	}
	plan, err := Plan(o.Contacts, o.Seed, o.Mix)
	if err != nil {
		return Summary{}, err
	}
	c := apiclient.New(o.URL, o.Key, o.HTTPClient)
	s := Summary{RunID: o.RunID, ByLanguage: map[string]int{}, ByKind: map[string]int{}}
	say := func(format string, a ...any) { fmt.Fprintf(o.Progress, "demo: "+format+"\n", a...) }

	// The KPIs first: a key that cannot read them fails before anything is
	// posted, and the figures before the run tell when the run's survey
	// answers are counted.
	before, err := c.KPIs(ctx, kpiSplits...)
	if err != nil {
		return s, err
	}
	say("run %s: %d contacts over a simulated day (seed %d); times are stamped on arrival", o.RunID, len(plan), o.Seed)
	var ps []posted
	for _, v := range plan {
		id, err := c.PostContact(ctx, apiclient.NewContact{Channel: "web",
			CustomerID:     fmt.Sprintf("demo-%s-c%03d", o.RunID, v.Customer),
			ConversationID: fmt.Sprintf("demo-%s-%04d", o.RunID, v.Seq),
			MessageID:      fmt.Sprintf("demo-%s-%04d-1", o.RunID, v.Seq), Text: v.Text})
		if err != nil {
			if fatal(ctx, err) {
				return s, err
			}
			say("%s contact %d (%s, %s) refused: %v", v.Clock(), v.Seq, v.Language, v.Kind, err)
			continue
		}
		ps = append(ps, posted{Visit: v, contactID: id})
		s.Posted++
		s.ByLanguage[v.Language.String()]++
		s.ByKind[string(v.Kind)]++
		if s.Posted%10 == 0 || v.Seq == len(plan) {
			say("%s posted %d/%d", v.Clock(), s.Posted, len(plan))
		}
	}

	// The desk answers every contact, or hands it to a person.
	var (
		mu       sync.Mutex
		firstErr error
	)
	parallel(len(ps), o.Concurrency, func(i int) {
		p := &ps[i]
		v, err := waitFor(ctx, c, o, p.contactID, 0, func(v apiclient.ContactView) bool { return v.Answers() > 0 || v.Handoff != nil })
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			if fatal(ctx, err) && firstErr == nil {
				firstErr = err
			}
			say("contact %d: no answer: %v", p.Seq, err)
			return
		}
		s.Answered++
		if v.Handoff != nil && v.Handoff.ID != "" {
			p.handoffID = v.Handoff.ID
			s.HandedOff++
		}
	})
	if firstErr != nil {
		return s, firstErr
	}
	say("%d answered, %d handed off to a person", s.Answered, s.HandedOff)

	if err := work(ctx, c, o, ps, &s, say); err != nil {
		return s, err
	}
	say("agents resolved %d handoffs (%d already taken); %d surveys answered, %d missing",
		s.Resolved, s.ClaimedByOthers, s.SurveysAnswered, s.SurveysMissing)

	// Survey answers are counted when the desk has processed them; wait
	// (up to o.Wait) until the KPIs include this run's.
	deadline := time.Now().Add(o.Wait)
	for {
		k, err := c.KPIs(ctx, kpiSplits...)
		if err != nil {
			return s, err
		}
		s.KPIs = k
		if s.KPIs.CSAT.Count >= before.CSAT.Count+s.SurveysAnswered || !time.Now().Before(deadline) {
			break
		}
		select {
		case <-ctx.Done():
			return s, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	k := s.KPIs
	say("KPIs: %d contacts, first response p50 %d ms / p90 %d ms, FCR %.1f%%, handoff rate %.1f%%, CSAT %.2f (%d)",
		k.Contacts, k.FirstResponse.P50MS, k.FirstResponse.P90MS, 100*k.FCR.Rate, 100*k.HandoffRate.Rate, k.CSAT.Mean, k.CSAT.Count)
	return s, nil
}

// kpiSplits are the splits of the KPI report the run ends with.
var kpiSplits = []string{"language", "channel", "arm"}

// fatal reports whether err stops the whole run: the run was cancelled,
// the key is refused, or the server cannot be reached.
func fatal(ctx context.Context, err error) bool {
	switch {
	case ctx.Err() != nil || apiclient.IsStatus(err, http.StatusUnauthorized, http.StatusForbidden):
		return true
	case errors.Is(err, errTimeout):
		return false
	}
	var se *apiclient.StatusError
	return !errors.As(err, &se) // transport failure
}

// waitFor long-polls a contact until done holds or o.Wait is over.
func waitFor(ctx context.Context, c *apiclient.Client, o Options, contactID string, gt int, done func(apiclient.ContactView) bool) (apiclient.ContactView, error) {
	deadline := time.Now().Add(o.Wait)
	for {
		v, err := c.Contact(ctx, contactID, 5*time.Second, gt)
		if err != nil {
			return v, err
		}
		if done(v) {
			return v, nil
		}
		gt = v.Answers()
		if !time.Now().Before(deadline) {
			return v, errTimeout
		}
		select {
		case <-ctx.Done():
			return v, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// errTimeout is a contact that did not reach the awaited state within Wait.
var errTimeout = errors.New("demo: the wait is over")

// work has the agents take the worked handoffs, o.Concurrency at a time:
// claim, reply in the customer's language, resolve, then the customer
// answers the survey.
func work(ctx context.Context, c *apiclient.Client, o Options, ps []posted, s *Summary, say func(string, ...any)) error {
	var todo []posted
	for _, p := range ps {
		if p.handoffID != "" && p.Work {
			todo = append(todo, p)
		}
	}
	var (
		mu       sync.Mutex
		firstErr error
	)
	parallel(len(todo), o.Concurrency, func(i int) {
		p := todo[i]
		out, err := workOne(ctx, c, o, p, o.AgentKeys[i%len(o.AgentKeys)])
		mu.Lock()
		defer mu.Unlock()
		s.Claimed += out.claimed
		s.Resolved += out.resolved
		s.ClaimedByOthers += out.taken
		s.SurveysAnswered += out.surveyed
		s.SurveysMissing += out.missing
		if err != nil {
			if fatal(ctx, err) && firstErr == nil {
				firstErr = err
			}
			say("contact %d: agent work stopped: %v", p.Seq, err)
		}
	})
	return firstErr
}

// parallel calls f(0) … f(n-1), at most conc at a time, and waits for all.
func parallel(n, conc int, f func(i int)) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, conc)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			f(i)
		}()
	}
	wg.Wait()
}

type outcome struct{ claimed, resolved, taken, surveyed, missing int }

// workOne has the agent with key agent work one handoff.
func workOne(ctx context.Context, c *apiclient.Client, o Options, p posted, agent string) (outcome, error) {
	var out outcome
	a := c.WithKey(agent)
	if err := a.Claim(ctx, p.handoffID); err != nil {
		if apiclient.IsStatus(err, http.StatusConflict) {
			out.taken = 1
			return out, nil
		}
		return out, err
	}
	out.claimed = 1
	if err := a.Reply(ctx, p.handoffID, p.Reply); err != nil {
		return out, err
	}
	if err := a.Resolve(ctx, p.handoffID, apiclient.Resolution{
		Text: "demo: " + string(p.Kind) + " handled by an agent", Code: resolutionCodes[p.Kind]}); err != nil {
		return out, err
	}
	out.resolved = 1
	if p.Score == "" {
		return out, nil
	}
	if _, err := waitFor(ctx, c, o, p.contactID, 0, apiclient.ContactView.Surveyed); err != nil {
		if errors.Is(err, errTimeout) {
			out.missing = 1
			return out, nil
		}
		return out, err
	}
	if err := c.PostMessage(ctx, p.contactID, apiclient.FollowUp{
		MessageID: fmt.Sprintf("demo-%s-%04d-csat", o.RunID, p.Seq), Text: p.Score}); err != nil {
		return out, err
	}
	out.surveyed = 1
	return out, nil
}
