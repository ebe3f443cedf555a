package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/harbordesk/harbordesk/internal/demo"
)

const demoHelp = `usage: harbordesk demo --url URL --key KEY [--contacts 120] [--seed 1] [--agent-keys K1,K2]

Fills a running Harbordesk with a realistic day of customer contacts through
its public HTTP API, so the console and the KPI dashboard show real figures:
Cantonese, Mandarin (traditional and simplified script) and English customers
asking knowledge-base questions, chasing orders, complaining, reporting damaged
goods, asking for a person and making smalltalk. Agents then claim, answer and
resolve most of the handoffs (some stay open in the queue) and customers answer
the satisfaction survey with 5, 4 or 2.

The "simulated day" is the mix and the order of the contacts (quiet small
hours, lunch and evening peaks): the API stamps every message when it arrives,
so all contacts land within the minutes the demo runs and the KPI trend shows
them in the current hour. Re-running adds another day's worth alongside.

KEY needs the supervisor role or above (posting, reading contacts, KPIs); in
'harbordesk dev' the printed admin key works for everything.

`

// runDemo plays the demo day (internal/demo) against a running instance.
func runDemo(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), demoHelp)
		fs.PrintDefaults()
	}
	o := demo.Options{Progress: os.Stderr}
	var agents string
	fs.StringVar(&o.URL, "url", "http://127.0.0.1:8080", "base URL of a running Harbordesk")
	fs.StringVar(&o.Key, "key", os.Getenv("HARBORDESK_DEMO_KEY"), "API key, supervisor or admin (or HARBORDESK_DEMO_KEY)")
	fs.StringVar(&agents, "agent-keys", "", "comma-separated agent keys that work the handoffs in turn (default: --key)")
	fs.IntVar(&o.Contacts, "contacts", 120, "number of contacts in the day")
	fs.Uint64Var(&o.Seed, "seed", 1, "seed of the day's mix; the same seed plays the same day")
	fs.DurationVar(&o.Wait, "wait", 30*time.Second, "how long to wait for the desk's answer or a survey, per contact")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return nil
		}
		return usageError(err.Error())
	}
	if fs.NArg() > 0 {
		return usageError("demo: unexpected argument " + fs.Arg(0))
	}
	if o.Key == "" {
		return usageError("demo: --key is required (or HARBORDESK_DEMO_KEY)")
	}
	if agents != "" {
		o.AgentKeys = strings.Split(agents, ",")
	}
	s, err := demo.Run(ctx, o)
	if err != nil {
		return err
	}
	k := s.KPIs
	fmt.Printf("demo %s: %d contacts posted (%d answered, %d handed off); %d handoffs resolved, %d surveys answered\n",
		s.RunID, s.Posted, s.Answered, s.HandedOff, s.Resolved, s.SurveysAnswered)
	fmt.Printf("KPIs now: %d contacts, first response p50 %.1f s, FCR %.1f%%, handoff rate %.1f%%, CSAT %.2f (%d answers)\n",
		k.Contacts, float64(k.FirstResponse.P50MS)/1000, 100*k.FCR.Rate, 100*k.HandoffRate.Rate, k.CSAT.Mean, k.CSAT.Count)
	fmt.Printf("open the console: %s/console/\n", strings.TrimRight(o.URL, "/"))
	line, _ := json.Marshal(map[string]any{"run_id": s.RunID, "posted": s.Posted, "answered": s.Answered,
		"handed_off": s.HandedOff, "resolved": s.Resolved, "surveys_answered": s.SurveysAnswered,
		"by_language": s.ByLanguage, "by_kind": s.ByKind})
	fmt.Println(string(line))
	return nil
}
