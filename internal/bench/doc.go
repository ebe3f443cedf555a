// Package bench owns the load test of a running Harbordesk instance: it drives
// customer contacts through the public HTTP API at a target rate (or as fast
// as a pool of workers can), measures the client-side time to the first bot
// reply, checks that duplicate deliveries never produce a second reply, and,
// on request, runs the same load against the bare baseline workflow to report
// how much of Temporal's raw throughput Harbordesk keeps.
//
// It is what `harbordesk bench` calls; it talks only HTTP, never Temporal.
package bench
