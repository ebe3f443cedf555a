// Package worker registers Harbordesk's workflows and activities on a
// Temporal worker. Tuning (pollers, concurrent activities) is configuration.
package worker

import (
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/harbordesk/harbordesk/activities"
	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/workflows"
)

// Options tune the worker.
type Options struct {
	TaskQueue            string
	ConcurrentActivities int
	Pollers              int
	// StickyCache is how many workflows the process keeps in memory between
	// tasks (HARBORDESK_WORKER_CACHE; 0 keeps the SDK's 10,000). A contact
	// waits up to HARBORDESK_IDLE_TIMEOUT for its next message, so the
	// default holds thousands of idle workflows; an evicted one is replayed
	// from history on its next message, which costs a little latency, not
	// correctness. The size is process-wide: set before any worker starts.
	StickyCache int
}

// SizeStickyCache sets the process's sticky workflow cache (n > 0). The
// SDK creates that cache once, when the first worker of the process starts,
// and ignores the size after that — and the embedded Temporal server of
// `harbordesk dev` starts its own SDK workers first, so that role must call
// this before starting the server (it held every open contact, 10,000 by
// default, instead of HARBORDESK_WORKER_CACHE).
func SizeStickyCache(n int) {
	if n > 0 {
		sdkworker.SetStickyWorkflowCacheSize(n)
	}
}

// New builds a worker with the ContactWorkflow, the benchmark baseline and
// every activity registered.
func New(c client.Client, acts *activities.Activities, o Options) (sdkworker.Worker, error) {
	// Tracing: the client from temporalx.Dial carries the SDK's OpenTelemetry
	// interceptor when OTEL_* asks for traces, and a client interceptor that
	// is also a worker interceptor applies to every worker built on that
	// client. Setting it here as well
	// would wrap each workflow, signal and activity in two nested spans.
	SizeStickyCache(o.StickyCache)
	w := sdkworker.New(c, o.TaskQueue, sdkworker.Options{
		MaxConcurrentActivityExecutionSize:      o.ConcurrentActivities,
		MaxConcurrentLocalActivityExecutionSize: o.ConcurrentActivities,
		MaxConcurrentActivityTaskPollers:        o.Pollers,
		MaxConcurrentWorkflowTaskPollers:        o.Pollers,
		// Finish in-flight activities on shutdown; what does not finish is
		// retried by Temporal on the next worker.
		WorkerStopTimeout: 10_000_000_000,
		// A panicking activity is a bug: fail it for good rather than retry it.
		Interceptors: []interceptor.WorkerInterceptor{&activities.PanicsArePermanent{Log: acts.Log}},
	})
	w.RegisterWorkflowWithOptions(workflows.ContactWorkflow, workflow.RegisterOptions{Name: contact.WorkflowName})
	w.RegisterWorkflowWithOptions(workflows.BaselineWorkflow, workflow.RegisterOptions{Name: workflows.BaselineName})
	w.RegisterWorkflowWithOptions(workflows.RetentionWorkflow, workflow.RegisterOptions{Name: workflows.RetentionName})
	w.RegisterActivity(acts)
	return w, nil
}
