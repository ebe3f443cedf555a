package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/harbordesk/harbordesk/internal/bench"
	"github.com/harbordesk/harbordesk/internal/codec"
	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/nlu"
	"github.com/harbordesk/harbordesk/internal/speech"
	"github.com/harbordesk/harbordesk/internal/speech/audio"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/temporalx"
	"github.com/harbordesk/harbordesk/internal/voice"
)

func dialTemporal(ctx context.Context, cfg config.Config, ring *codec.Keyring, log *slog.Logger) (client.Client, error) {
	return temporalx.Dial(ctx, cfg.TemporalAddress, cfg.TemporalNamespace, ring, log)
}

func newTranscriber(ctx context.Context, cfg config.Config, log *slog.Logger) voice.Reader {
	chain := speech.NewFromConfig(speech.Config{ASRURL: cfg.ASRURL, ASRModel: cfg.ASRModel, ASRKey: cfg.ASRKey,
		WhisperURL: startWhisper(ctx, cfg, log), OfflineEnglish: true})
	return voice.Reader{Engines: chain}
}

func checkAudio(data []byte, mime string) (int, string, string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	status, msg := voice.Check(ctx, audio.Decoder{}, data, mime)
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
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	file := fs.String("file", "", "JSON lines {text, lang, intent, negative} to score instead of the shipped test split")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := fs.Parse(args); err != nil {
		return usageError(err.Error())
	}
	var test []nlu.Example
	var err error
	if *file != "" {
		data, rerr := os.ReadFile(*file)
		if rerr != nil {
			return rerr
		}
		test, err = nlu.ParseExamples(data)
	} else {
		test, err = nlu.LoadCorpus("test")
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "harbordesk: training on the shipped corpus, scoring %d examples…\n", len(test))
	rep := nlu.Evaluate(nlu.Default(), test)
	if *asJSON {
		return json.NewEncoder(os.Stdout).Encode(rep)
	}
	rep.WriteText(os.Stdout)
	return nil
}

func runBench(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	o := bench.Options{Progress: os.Stderr}
	fs.StringVar(&o.URL, "url", "http://127.0.0.1:8080", "base URL of a running Harbordesk")
	fs.StringVar(&o.Key, "key", os.Getenv("HARBORDESK_BENCH_KEY"), "API key with the intake role")
	fs.DurationVar(&o.Duration, "duration", 20*time.Second, "how long to send contacts")
	fs.Float64Var(&o.Rate, "rate", 0, "contacts per second (0 = as fast as the concurrency allows)")
	fs.IntVar(&o.Concurrency, "concurrency", 16, "customers in flight at once (latency ≈ concurrency ÷ throughput)")
	fs.BoolVar(&o.Baseline, "baseline", false, "also run a bare Temporal workflow with the same activities and print the ratio")
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
