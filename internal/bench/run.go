package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	mrand "math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/harbordesk/harbordesk/internal/apiclient"
)

const (
	// duplicateShare of contacts is delivered twice, as channels do when an
	// acknowledgement is lost.
	duplicateShare = 0.05
	// maxDuplicateSample bounds how many re-delivered contacts are re-read
	// at the end of the run.
	maxDuplicateSample = 500
	// customers is the pool of bench customer IDs, so some customers have
	// several contacts, as real ones do.
	customers = 2000
)

// Run drives the instance at o.URL for o.Duration and, with o.Baseline, runs
// the bare baseline workflow the same way for as long, in o.Rounds
// alternating slices. On cancellation it returns what was measured so far
// together with ctx's error.
func Run(ctx context.Context, o Options) (Result, error) {
	o, err := o.withDefaults()
	if err != nil {
		return Result{}, err
	}
	hc := httpClient(o)
	defer hc.CloseIdleConnections()
	c := apiclient.New(o.URL, o.Key, hc)
	run, err := runID()
	if err != nil {
		return Result{}, err
	}

	cj := &contactJob{c: c, o: o, run: run}
	bj := &baselineJob{c: c, o: o, run: run}
	slice := o
	slice.Duration = o.Duration / time.Duration(o.Rounds)
	var seq atomic.Int64 // IDs stay unique across slices
	var st, bst stats
	for i := range o.Rounds {
		// A B B A …: whichever side a drift favours in one round, it
		// favours the other in the next.
		sides := []bool{false, true}
		if i%2 == 1 {
			sides = []bool{true, false}
		}
		for _, baseline := range sides {
			if !o.Baseline && baseline {
				continue
			}
			label, do, into := "bench", job(cj.do), &st
			if baseline {
				label, do, into = "bench baseline", bj.do, &bst
			}
			if o.Rounds > 1 {
				label = fmt.Sprintf("%s %d/%d", label, i+1, o.Rounds)
			}
			into.add(runPhase(ctx, slice, label, &seq, do))
			if ctx.Err() != nil {
				res := result(&st)
				res.Duplicates = cj.misrouted()
				return res, ctx.Err()
			}
		}
	}
	res := result(&st)
	res.Duplicates = cj.misrouted() + cj.verify(ctx)
	if ctx.Err() != nil {
		return res, ctx.Err()
	}
	if !o.Baseline {
		return res, nil
	}
	bres := result(&bst)
	res.Errors += bres.Errors
	res.BaselineContactsPerS = &bres.ContactsPerS
	res.BaselineP50, res.BaselineP99 = &bres.P50, &bres.P99
	if bres.ContactsPerS > 0 {
		ratio := round3(res.ContactsPerS / bres.ContactsPerS)
		res.Ratio = &ratio
	}
	return res, nil
}

func result(st *stats) Result {
	n, errs, sum := st.snapshot()
	return Result{
		Contacts: n, Seconds: round3(st.elapsed.Seconds()), ContactsPerS: st.perSecond(),
		P50: sum.p50, P90: sum.p90, P99: sum.p99, Errors: errs,
	}
}

// runID makes IDs unique per run: the server dedupes by message ID forever,
// so a second run with the same IDs would measure nothing.
func runID() (string, error) {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("bench: run id: %w", err)
	}
	return "bench-" + hex.EncodeToString(b[:]), nil
}

// contactJob sends one customer message per call and waits for its reply.
type contactJob struct {
	c   *apiclient.Client
	o   Options
	run string

	mu     sync.Mutex
	sample []string // contacts that were delivered twice
	moved  int      // re-deliveries answered with another contact
}

func (j *contactJob) do(ctx context.Context, n int64) (time.Duration, error) {
	r := mrand.New(mrand.NewPCG(uint64(j.o.Seed), uint64(n)))
	msg := pick(r)
	id := j.run + "-" + strconv.FormatInt(n, 10)
	req := apiclient.NewContact{
		Channel:        "web",
		CustomerID:     "bench-customer-" + strconv.Itoa(r.IntN(customers)),
		ConversationID: id,
		MessageID:      id + "-m1",
		Text:           msg.Text,
	}
	ctx, cancel := context.WithTimeout(ctx, j.o.ReplyTimeout)
	defer cancel()

	t0 := time.Now()
	contactID, err := j.c.PostContact(ctx, req)
	if err != nil {
		return 0, err
	}
	// The re-delivery runs alongside the wait for the reply, so it does not
	// delay the poll that measures the first reply.
	var dupErr error
	var wg sync.WaitGroup
	if r.Float64() < duplicateShare {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dupErr = j.redeliver(ctx, req, contactID)
		}()
	}
	d, err := waitFor(ctx, j.o.PollInterval, t0, func(ctx context.Context) (bool, error) {
		v, err := j.c.Contact(ctx, contactID, longPoll, 0)
		if apiclient.IsStatus(err, http.StatusNotFound) {
			return false, nil // not visible yet; the reply timeout bounds this
		}
		return err == nil && v.BotAnswers() > 0, err
	})
	wg.Wait()
	if err != nil {
		return 0, err
	}
	return d, dupErr
}

// redeliver posts the same message again; it must land on the same contact.
func (j *contactJob) redeliver(ctx context.Context, req apiclient.NewContact, contactID string) error {
	again, err := j.c.PostContact(ctx, req)
	if err != nil {
		return err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if again != contactID {
		j.moved++ // a second contact means a second reply to the customer
		return nil
	}
	if len(j.sample) < maxDuplicateSample {
		j.sample = append(j.sample, contactID)
	}
	return nil
}

func (j *contactJob) misrouted() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.moved
}

// verify re-reads every re-delivered contact once and counts bot replies
// beyond the first: each is a reply the customer got twice.
func (j *contactJob) verify(ctx context.Context) int {
	j.mu.Lock()
	ids := append([]string(nil), j.sample...)
	j.mu.Unlock()
	dupes := 0
	for _, id := range ids {
		v, err := j.c.Contact(ctx, id, longPoll, 0)
		if err != nil {
			continue // the contact was already counted; a failed re-read proves nothing
		}
		dupes += max(v.BotAnswers()-1, 0)
	}
	return dupes
}

// baselineJob starts one bare baseline workflow per call and waits for it.
type baselineJob struct {
	c   *apiclient.Client
	o   Options
	run string
}

func (j *baselineJob) do(ctx context.Context, n int64) (time.Duration, error) {
	id := j.run + "-b" + strconv.FormatInt(n, 10)
	ctx, cancel := context.WithTimeout(ctx, j.o.ReplyTimeout)
	defer cancel()
	t0 := time.Now()
	if err := j.c.StartBaseline(ctx, id); err != nil {
		return 0, err
	}
	return waitFor(ctx, j.o.PollInterval, t0, func(ctx context.Context) (bool, error) {
		done, err := j.c.BaselineDone(ctx, id, longPoll)
		return err == nil && done, err
	})
}

// waitFor polls check every interval until it reports done, and returns the
// time since t0 at that poll. ctx carries the reply timeout.
func waitFor(ctx context.Context, interval time.Duration, t0 time.Time, check func(context.Context) (bool, error)) (time.Duration, error) {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return 0, fmt.Errorf("bench: no reply in time: %w", ctx.Err())
		case <-t.C:
		}
		ok, err := check(ctx)
		if err != nil {
			return 0, err
		}
		if ok {
			return time.Since(t0), nil
		}
		t.Reset(interval)
	}
}
