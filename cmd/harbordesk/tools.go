package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/harbordesk/harbordesk/activities"
	"github.com/harbordesk/harbordesk/internal/bench"
	"github.com/harbordesk/harbordesk/internal/codec"
	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/lexicon"
	"github.com/harbordesk/harbordesk/internal/nlu"
	"github.com/harbordesk/harbordesk/internal/speech"
	"github.com/harbordesk/harbordesk/internal/speech/audio"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/temporalx"
)

// dialTemporal connects the api or worker role to Temporal; dev's embedded
// server is plain, so the TLS settings apply to the production roles only.
func dialTemporal(ctx context.Context, cfg config.Config, dev bool, ring *codec.Keyring, log *slog.Logger) (client.Client, error) {
	conn := temporalx.Conn{Address: cfg.TemporalAddress, Namespace: cfg.TemporalNamespace}
	if !dev {
		conn.Security = temporalx.Security{CAFile: cfg.TemporalTLSCA, CertFile: cfg.TemporalTLSCert,
			KeyFile: cfg.TemporalTLSKey, ServerName: cfg.TemporalTLSServerName, APIKey: cfg.TemporalAPIKey}
	}
	return temporalx.Dial(ctx, conn, ring, log)
}

func newTranscriber(ctx context.Context, cfg config.Config, log *slog.Logger) activities.SpeechTranscriber {
	chain := speech.NewFromConfig(speech.Config{ASRURL: cfg.ASRURL, ASRModel: cfg.ASRModel, ASRKey: cfg.ASRKey,
		WhisperURL: startWhisper(ctx, cfg, log), OfflineEnglish: true})
	return activities.SpeechTranscriber{Reader: speech.Reader{Engines: chain}}
}

func checkAudio(data []byte, mime string) (int, string, string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	status, msg := speech.CheckNote(ctx, audio.Decoder{}, data, mime)
	if status == 0 {
		return 0, "", ""
	}
	code := "invalid_audio"
	if status == 413 {
		code = "too_large"
	}
	return status, code, msg
}

func runMigrate(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	create := fs.Bool("create-database", true, "create the database named in DATABASE_URL if it does not exist")
	if err := fs.Parse(args); err != nil {
		return usageError(err.Error())
	}
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		url = "postgres://postgres@127.0.0.1:5432/harbordesk?sslmode=disable"
	}
	st, err := store.Open(ctx, url, *create)
	if err != nil {
		return err
	}
	defer st.Close()
	v, err := st.Migrate(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("harbordesk: database %s at schema v%d\n", store.DatabaseName(url), v)
	return nil
}

func runClassify(ctx context.Context, args []string) error {
	if len(args) > 0 {
		return usageError("classify takes no arguments; it reads JSON lines on stdin")
	}
	out := bufio.NewWriterSize(os.Stdout, 64<<10)
	defer out.Flush()
	return nlu.RunClassify(os.Stdin, out, nlu.Default())
}

func runEval(ctx context.Context, args []string) error {
	return evalCommand(args, os.Stdout, os.Stderr)
}

// evalCommand implements `harbordesk eval`: the held-out split of the shipped
// corpus (or --file, any labelled JSON lines), and with --sources DIR (or
// HARBORDESK_NLU_SOURCES) leave-one-source-out figures for every *.jsonl
// source in DIR.
func evalCommand(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	file := fs.String("file", "", "JSON lines {text, language, intent, negative} (labels optional) to score instead of the shipped test split")
	sources := fs.String("sources", os.Getenv("HARBORDESK_NLU_SOURCES"), "directory of labelled public sources (*.jsonl) for leave-one-source-out figures")
	misses := fs.Int("misses", 0, "also print up to N misclassified items as JSON lines")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	engine := fs.String("engine", "offline", "reading engine to score: offline or llm (HARBORDESK_LLM_URL)")
	if err := fs.Parse(args); err != nil {
		return usageError("eval: " + err.Error())
	}
	if fs.NArg() > 0 {
		return usageError("eval: unexpected arguments")
	}
	var test []nlu.Item
	if *file != "" {
		data, err := os.ReadFile(*file)
		if err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		if test, err = nlu.ParseItems(data, ""); err != nil {
			return usageError("eval: " + *file + ": " + err.Error())
		}
	} else {
		exs, err := nlu.LoadCorpus("test")
		if err != nil {
			return err
		}
		test = nlu.ItemsOf(exs, "own-test")
	}
	reader, tally, err := evalReader(context.Background(), *engine)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "harbordesk: scoring %d items…\n", len(test))
	rep := nlu.EvaluateItems(reader, test)
	fmt.Fprintln(stderr, "harbordesk: "+tally())
	out := map[string]any{"report": rep}
	var ev *nlu.SourceEvaluation
	if *sources != "" && *file == "" {
		srcs, err := nlu.LoadSources(*sources)
		if err != nil {
			return err
		}
		own, err := nlu.LoadCorpus("train")
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "harbordesk: leave-one-source-out over %d sources…\n", len(srcs))
		e, err := nlu.LeaveOneSourceOut(lexicon.Default(), nlu.ItemsOf(own, "own"), srcs)
		if err != nil {
			return err
		}
		ev = &e
		out["sources"] = e
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(out)
	}
	if *file == "" {
		fmt.Fprintln(stdout, "held-out split of the own corpus (internal/nlu/corpus/test.jsonl):")
	}
	rep.WriteText(stdout)
	if ev != nil {
		fmt.Fprintln(stdout)
		ev.WriteText(stdout)
	}
	if *misses > 0 {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		all := rep.Misses
		if ev != nil {
			all = ev.Pooled.Misses
		}
		for i, m := range all {
			if i == *misses {
				break
			}
			enc.Encode(map[string]any{"text": m.Item.Text, "source": m.Item.Source, "gold_language": m.Item.Lang, "gold_intent": m.Item.Intent, "gold_negative": m.Item.Negative,
				"language": m.Got.Language, "intent": m.Got.Intent, "confidence": m.Got.Confidence, "negative": m.Got.Negative})
		}
	}
	return nil
}

func runBench(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "kpis" {
		return runBenchKPIs(ctx, args[1:])
	}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	o := bench.Options{Progress: os.Stderr}
	fs.StringVar(&o.URL, "url", "http://127.0.0.1:8080", "base URL of a running Harbordesk")
	fs.StringVar(&o.Key, "key", os.Getenv("HARBORDESK_BENCH_KEY"), "API key with the intake role")
	fs.DurationVar(&o.Duration, "duration", 20*time.Second, "how long to send contacts")
	fs.Float64Var(&o.Rate, "rate", 0, "contacts per second (0 = as fast as the concurrency allows)")
	fs.IntVar(&o.Concurrency, "concurrency", 16, "customers in flight at once (latency ≈ concurrency ÷ throughput)")
	fs.BoolVar(&o.Baseline, "baseline", false, "also run a bare Temporal workflow with the same activities and print the ratio")
	fs.IntVar(&o.Rounds, "rounds", 0, "with --baseline: alternate Harbordesk and baseline in this many pairs of slices (0 = one per 5 s, at most 4)")
	if err := fs.Parse(args); err != nil {
		return usageError(err.Error())
	}
	if o.Key == "" {
		return usageError("--key is required (or HARBORDESK_BENCH_KEY)")
	}
	res, err := bench.Run(ctx, o)
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(res)
}
