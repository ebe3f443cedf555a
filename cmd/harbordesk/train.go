package main

import "context"

// runTrain is owned by the NLU learning-loop work (internal/nlu).
func runTrain(ctx context.Context, args []string) error {
	return usageError("train: the learning loop is not wired yet")
}
