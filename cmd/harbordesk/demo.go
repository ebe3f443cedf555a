package main

import "context"

// runDemo is owned by the console/demo work (issue 9).
func runDemo(ctx context.Context, args []string) error {
	return usageError("demo: not wired yet")
}
