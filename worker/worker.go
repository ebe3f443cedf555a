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
}

// New builds a worker with the ContactWorkflow, the benchmark baseline and
// every activity registered.
func New(c client.Client, acts *activities.Activities, o Options) (sdkworker.Worker, error) {
	// Tracing: the client from temporalx.Dial carries the SDK's OpenTelemetry
	// interceptor, and a client interceptor that is also a worker interceptor
	// applies to every worker built on that client. Setting it here as well
	// would wrap each workflow, signal and activity in two nested spans.
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
