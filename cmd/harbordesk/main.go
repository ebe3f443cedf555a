// Command harbordesk is Harbordesk's one binary: `dev` (everything in one
// process on an embedded Temporal server), `api` and `worker` (the production
// roles), `migrate`, and the offline tools `classify`, `eval`, `train` and
// `bench`.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

const usage = `usage: harbordesk <command> [flags]

commands:
  dev        run everything in one process (embedded Temporal, worker, API, console)
  api        serve the HTTP API against an external Temporal cluster
  worker     run the Temporal worker against an external Temporal cluster
  migrate    apply the embedded PostgreSQL migrations
  classify   read {"text": ...} JSON lines on stdin, write understanding results
  eval       score the classifier on the repo's labelled test split
  train      rebuild the classifier from the corpus plus agents' corrections
  bench      load-test a running instance
  demo       fill a running instance with a simulated day of contacts
  lexicon    import|export the Hong Kong slang lexicon
  kb         import|export knowledge-base articles
  playbooks  import|export the per-intent playbooks
  profile    import|export the business profile and its customer-facing texts
  init       ask for the business's name, privacy URL and locales; write its profile

Configuration is by environment; see README.md.`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1], os.Args[2:])
	if err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintln(os.Stderr, "harbordesk:", err)
			fmt.Fprintln(os.Stderr, usage)
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "harbordesk:", err)
		os.Exit(1)
	}
}

type usageError string

func (u usageError) Error() string { return string(u) }

func run(ctx context.Context, cmd string, args []string) error {
	switch cmd {
	case "dev":
		return runServe(ctx, args, roleDev)
	case "api":
		return runServe(ctx, args, roleAPI)
	case "worker":
		return runServe(ctx, args, roleWorker)
	case "migrate":
		return runMigrate(ctx, args)
	case "classify":
		return runClassify(ctx, args)
	case "eval":
		return runEval(ctx, args)
	case "train":
		return runTrain(ctx, args)
	case "bench":
		return runBench(ctx, args)
	case "demo":
		return runDemo(ctx, args)
	case "lexicon":
		return runLexicon(ctx, args)
	case "kb":
		return runKB(ctx, args)
	case "playbooks":
		return runPlaybooks(ctx, args)
	case "profile":
		return runProfile(ctx, args)
	case "init":
		return runInit(ctx, args)
	case "-h", "--help", "help":
		fmt.Println(usage)
		return nil
	}
	return usageError(fmt.Sprintf("unknown command %q", cmd))
}
