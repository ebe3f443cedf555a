package bench

import (
	"net/http"
	"time"
)

// longPoll is how long one status request may wait on the server: it
// answers as soon as the first reply commits (or after the wait), so
// measuring costs no busy polling on either side.
const longPoll = 5 * time.Second

// httpClient is the HTTP client of a run.
func httpClient(o Options) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	// Every worker keeps its own connection alive; without this Go keeps 2
	// idle connections per host and the rest are re-dialled on every request.
	tr.MaxIdleConns = 4 * o.Concurrency
	tr.MaxIdleConnsPerHost = 4 * o.Concurrency
	tr.IdleConnTimeout = 90 * time.Second
	return &http.Client{Transport: tr, Timeout: o.ReplyTimeout}
}
