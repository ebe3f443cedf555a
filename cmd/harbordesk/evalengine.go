package main

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"time"

	"github.com/harbordesk/harbordesk/internal/llm"
	"github.com/harbordesk/harbordesk/internal/nlu"
)

// evalReader is the reader `harbordesk eval --engine` scores: "offline"
// (the shipped classifier) or "llm" — the model at HARBORDESK_LLM_URL
// reading the offline reading's masked text, exactly as the worker does,
// with the offline reading kept when the model errs, times out or answers
// outside the schema. tally reports how many items each engine read.
func evalReader(ctx context.Context, engine string) (r nlu.Reader, tally func() string, err error) {
	offline := nlu.Default()
	switch engine {
	case "", "offline":
		return offline, func() string { return "engine offline" }, nil
	case "llm":
	default:
		return nil, nil, usageError("eval: --engine must be offline or llm")
	}
	url := os.Getenv("HARBORDESK_LLM_URL")
	if url == "" {
		return nil, nil, usageError("eval: --engine llm needs HARBORDESK_LLM_URL (and HARBORDESK_LLM_MODEL, HARBORDESK_LLM_KEY)")
	}
	timeout := llm.DefaultReadTimeout
	if v := os.Getenv("HARBORDESK_LLM_READ_TIMEOUT"); v != "" {
		if timeout, err = time.ParseDuration(v); err != nil || timeout <= 0 {
			return nil, nil, usageError("eval: HARBORDESK_LLM_READ_TIMEOUT must be a positive duration, e.g. 3s")
		}
	}
	model := os.Getenv("HARBORDESK_LLM_MODEL")
	if model == "" {
		model = "gpt-4o-mini"
	}
	client := llm.NewOpenAI(url, model, os.Getenv("HARBORDESK_LLM_KEY"), llm.WithReadTimeout(timeout))
	var byLLM, fellBack atomic.Int64
	read := nlu.ReaderFunc(func(text string) nlu.Result {
		res := offline.Understand(text)
		got, err := client.Read(ctx, res.MaskedText)
		if err != nil {
			fellBack.Add(1)
			return res
		}
		byLLM.Add(1)
		res.Language, res.Script, res.Intent, res.Confidence = got.Language, got.Script, got.Intent, got.Confidence
		res.Negative, res.Sentiment, res.Priority = got.Negative, got.Sentiment, got.Priority
		return res
	})
	return read, func() string {
		return fmt.Sprintf("engine llm (%s): %d items read by the model, %d fell back to the offline classifier",
			model, byLLM.Load(), fellBack.Load())
	}, nil
}
