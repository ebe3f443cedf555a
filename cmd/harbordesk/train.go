package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/harbordesk/harbordesk/internal/lexicon"
	"github.com/harbordesk/harbordesk/internal/nlu"
)

// errFromDB explains where database corrections come from: the lead's
// export endpoint writes the JSON lines this command reads.
var errFromDB = errors.New("train: --from-db is not read here; export consented corrections with GET /v1/training/export and pass the file with --corrections")

// runTrain implements `harbordesk train [--corrections FILE] [--out DIR]`:
// the learning loop. It retrains the classifier on the shipped corpus plus
// agent corrections (only those with training consent are used), prints the
// test-split evaluation before and after, and with --out writes the combined
// training set (train.jsonl) and the report (report.txt) to DIR.
func runTrain(ctx context.Context, args []string) error {
	return trainCommand(args, os.Stdout)
}

func trainCommand(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	corrFile := fs.String("corrections", "", "JSON lines of agent corrections {text, lang, script, intent, negative, training_consent}")
	outDir := fs.String("out", "", "directory to write the combined training set (train.jsonl) and report (report.txt)")
	file := fs.String("file", "", "also score before/after on these labelled JSON lines {text, language?, intent?, negative?}")
	fromDB := fs.Bool("from-db", false, "read corrections from the database (not supported here; see GET /v1/training/export)")
	if err := fs.Parse(args); err != nil {
		return usageError("train: " + err.Error())
	}
	if fs.NArg() > 0 {
		return usageError("train: unexpected arguments")
	}
	if *fromDB {
		return errFromDB
	}
	var corrections []nlu.Correction
	if *corrFile != "" {
		f, err := os.Open(*corrFile)
		if err != nil {
			return fmt.Errorf("train: open corrections: %w", err)
		}
		corrections, err = nlu.ReadCorrections(f)
		f.Close()
		if err != nil {
			return err
		}
	}
	train, err := nlu.LoadCorpus("train")
	if err != nil {
		return err
	}
	test, err := nlu.LoadCorpus("test")
	if err != nil {
		return err
	}
	var items []nlu.Item
	if *file != "" {
		data, err := os.ReadFile(*file)
		if err != nil {
			return fmt.Errorf("train: %w", err)
		}
		if items, err = nlu.ParseItems(data, ""); err != nil {
			return usageError("train: " + *file + ": " + err.Error())
		}
	}
	before, err := nlu.New(lexicon.Default(), train)
	if err != nil {
		return err
	}
	res, err := nlu.Retrain(lexicon.Default(), train, test, corrections, before)
	if err != nil {
		return err
	}
	res.WriteText(stdout)
	if items != nil {
		b, a := res.BeforeAfter(before, items)
		nlu.WriteComparison(stdout, "on "+filepath.Base(*file), b, a)
	}
	if *outDir == "" {
		return nil
	}
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		return fmt.Errorf("train: %w", err)
	}
	if err := writeFileWith(filepath.Join(*outDir, "train.jsonl"), func(w io.Writer) error { return nlu.WriteExamples(w, res.Training) }); err != nil {
		return err
	}
	if err := writeFileWith(filepath.Join(*outDir, "report.txt"), func(w io.Writer) error { res.WriteText(w); return nil }); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nwrote %s and %s\n", filepath.Join(*outDir, "train.jsonl"), filepath.Join(*outDir, "report.txt"))
	return nil
}

func writeFileWith(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("train: write %s: %w", filepath.Base(path), err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("train: %w", err)
	}
	return nil
}
