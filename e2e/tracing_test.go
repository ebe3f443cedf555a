package e2e

import (
	"compress/gzip"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

// otlpCollector is a faithful local fake of an OpenTelemetry collector's
// OTLP/HTTP traces receiver: POST /v1/traces, body an
// ExportTraceServiceRequest in binary protobuf, optionally gzip-encoded;
// answers an ExportTraceServiceResponse. Every request it sees is counted,
// including ones to other paths, so "nothing arrived" means nothing at all.
type otlpCollector struct {
	*httptest.Server
	mu       sync.Mutex
	requests int
	stray    []string // requests that were not a valid OTLP/HTTP export
	spans    []collected
}

// collected is one received span with the service that sent it.
type collected struct {
	service string
	span    *tracepb.Span
}

func newOTLPCollector(t *testing.T, l net.Listener) *otlpCollector {
	t.Helper()
	c := &otlpCollector{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(c.export))
	if l != nil {
		srv.Listener.Close()
		srv.Listener = l
	}
	srv.Start()
	c.Server = srv
	t.Cleanup(srv.Close)
	return c
}

func (c *otlpCollector) export(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	c.requests++
	c.mu.Unlock()
	reject := func(code int, why string) {
		c.mu.Lock()
		c.stray = append(c.stray, fmt.Sprintf("%s %s: %s", r.Method, r.URL.Path, why))
		c.mu.Unlock()
		http.Error(w, why, code)
	}
	if r.Method != http.MethodPost || r.URL.Path != "/v1/traces" {
		reject(http.StatusNotFound, "not an OTLP traces export")
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-protobuf" {
		reject(http.StatusUnsupportedMediaType, "content type "+ct)
		return
	}
	var body io.Reader = r.Body
	switch enc := r.Header.Get("Content-Encoding"); enc {
	case "", "identity":
	case "gzip":
		gz, err := gzip.NewReader(r.Body)
		if err != nil {
			reject(http.StatusBadRequest, "bad gzip")
			return
		}
		defer gz.Close()
		body = gz
	default:
		reject(http.StatusUnsupportedMediaType, "content encoding "+enc)
		return
	}
	raw, err := io.ReadAll(body)
	if err != nil {
		reject(http.StatusBadRequest, "unreadable body")
		return
	}
	var req coltracepb.ExportTraceServiceRequest
	if err := proto.Unmarshal(raw, &req); err != nil {
		reject(http.StatusBadRequest, "not an ExportTraceServiceRequest")
		return
	}
	c.mu.Lock()
	for _, rs := range req.GetResourceSpans() {
		service := attrString(rs.GetResource().GetAttributes(), "service.name")
		for _, ss := range rs.GetScopeSpans() {
			for _, sp := range ss.GetSpans() {
				c.spans = append(c.spans, collected{service: service, span: sp})
			}
		}
	}
	c.mu.Unlock()
	out, _ := proto.Marshal(&coltracepb.ExportTraceServiceResponse{})
	w.Header().Set("Content-Type", "application/x-protobuf")
	_, _ = w.Write(out)
}

func (c *otlpCollector) snapshot() (requests int, stray []string, spans []collected) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.requests, append([]string(nil), c.stray...), append([]collected(nil), c.spans...)
}

func attrString(kvs []*commonpb.KeyValue, key string) string {
	for _, kv := range kvs {
		if kv.GetKey() == key {
			return kv.GetValue().GetStringValue()
		}
	}
	return ""
}

// anyValueStrings flattens an attribute value to every string it holds.
func anyValueStrings(v *commonpb.AnyValue) []string {
	switch x := v.GetValue().(type) {
	case *commonpb.AnyValue_StringValue:
		return []string{x.StringValue}
	case *commonpb.AnyValue_BytesValue:
		return []string{string(x.BytesValue)}
	case *commonpb.AnyValue_ArrayValue:
		var out []string
		for _, e := range x.ArrayValue.GetValues() {
			out = append(out, anyValueStrings(e)...)
		}
		return out
	case *commonpb.AnyValue_KvlistValue:
		var out []string
		for _, kv := range x.KvlistValue.GetValues() {
			out = append(out, kv.GetKey())
			out = append(out, anyValueStrings(kv.GetValue())...)
		}
		return out
	}
	return nil
}

// spanText is everything a span carries as text: name, status message,
// attributes, events and links.
func spanText(sp *tracepb.Span) []string {
	out := []string{sp.GetName(), sp.GetStatus().GetMessage()}
	add := func(kvs []*commonpb.KeyValue) {
		for _, kv := range kvs {
			out = append(out, kv.GetKey())
			out = append(out, anyValueStrings(kv.GetValue())...)
		}
	}
	add(sp.GetAttributes())
	for _, ev := range sp.GetEvents() {
		out = append(out, ev.GetName())
		add(ev.GetAttributes())
	}
	for _, l := range sp.GetLinks() {
		add(l.GetAttributes())
	}
	return out
}

// traceSet indexes received spans for the assertions below.
type traceSet struct {
	spans []collected
	byID  map[string]*tracepb.Span
}

func newTraceSet(spans []collected) traceSet {
	ts := traceSet{spans: spans, byID: map[string]*tracepb.Span{}}
	for _, c := range spans {
		ts.byID[hex.EncodeToString(c.span.GetSpanId())] = c.span
	}
	return ts
}

// named returns the spans whose name has prefix and, if traceID is not
// empty, that belong to that trace.
func (ts traceSet) named(prefix, traceID string) []*tracepb.Span {
	var out []*tracepb.Span
	for _, c := range ts.spans {
		if strings.HasPrefix(c.span.GetName(), prefix) &&
			(traceID == "" || hex.EncodeToString(c.span.GetTraceId()) == traceID) {
			out = append(out, c.span)
		}
	}
	return out
}

// descendsFrom reports whether sp has ancestor in its parent chain.
func (ts traceSet) descendsFrom(sp, ancestor *tracepb.Span) bool {
	for i := 0; sp != nil && i < 64; i++ {
		parent := hex.EncodeToString(sp.GetParentSpanId())
		if parent == hex.EncodeToString(ancestor.GetSpanId()) {
			return true
		}
		sp = ts.byID[parent]
	}
	return false
}

func (ts traceSet) names() string {
	seen := map[string]int{}
	for _, c := range ts.spans {
		seen[c.span.GetName()]++
	}
	var out []string
	for n, k := range seen {
		out = append(out, fmt.Sprintf("%s×%d", n, k))
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// missing says what the trace of one contact still lacks; empty when the
// whole chain HTTP → Temporal client → workflow → activity → pgx is there in
// one trace.
func (ts traceSet) missing() string {
	https := ts.named("POST /v1/contacts", "")
	var httpSpan *tracepb.Span
	for _, sp := range https {
		if sp.GetName() == "POST /v1/contacts" && sp.GetKind() == tracepb.Span_SPAN_KIND_SERVER {
			httpSpan = sp
		}
	}
	if httpSpan == nil {
		return "no server span POST /v1/contacts"
	}
	trace := hex.EncodeToString(httpSpan.GetTraceId())
	signal := ts.named("SignalWithStartWorkflow:ContactWorkflow", trace)
	if len(signal) == 0 {
		return "no SignalWithStartWorkflow:ContactWorkflow span in the HTTP request's trace"
	}
	if !ts.descendsFrom(signal[0], httpSpan) {
		return "SignalWithStartWorkflow span is not a child of the HTTP span"
	}
	handle := ts.named("HandleSignal:message", trace)
	if len(handle) == 0 || !ts.descendsFrom(handle[0], signal[0]) {
		return "no HandleSignal:message span under the SignalWithStart span (propagation through the Temporal header)"
	}
	// The RunWorkflow span ends, and is exported, only when the workflow
	// returns, and a contact workflow lives until its idle close (or waits
	// for an agent): what a live contact shows is its activities, whose
	// parent is that RunWorkflow span, in the request's trace.
	acts := map[string]*tracepb.Span{}
	for _, name := range []string{"StartActivity:Understand", "RunActivity:Understand", "StartActivity:RecordTurn", "RunActivity:RecordTurn"} {
		found := ts.named(name, trace)
		if len(found) == 0 {
			return "no " + name + " span in the HTTP request's trace"
		}
		acts[name] = found[0]
	}
	for _, op := range []string{"Understand", "RecordTurn"} {
		if !ts.descendsFrom(acts["RunActivity:"+op], acts["StartActivity:"+op]) {
			return "RunActivity:" + op + " is not a child of StartActivity:" + op + " (activity header propagation)"
		}
	}
	var dbInActivity bool
	for _, db := range ts.named("db ", trace) {
		if attrString(db.GetAttributes(), "db.system") == "postgresql" && ts.descendsFrom(db, acts["RunActivity:RecordTurn"]) {
			dbInActivity = true
		}
	}
	if !dbInActivity {
		return "no pgx db span under the RunActivity:RecordTurn span"
	}
	// One interceptor, one span per operation: a span nested in a parent of
	// the same name means the tracing interceptor is installed twice.
	for _, c := range ts.spans {
		if p := ts.byID[hex.EncodeToString(c.span.GetParentSpanId())]; p != nil && p.GetName() == c.span.GetName() {
			return "span " + c.span.GetName() + " is nested in a span of the same name (tracing interceptor installed twice)"
		}
	}
	return ""
}

// TestTracingEndToEnd: with the standard OTEL_* variables pointing at a
// collector, one contact yields one trace from the Gin request through the
// Temporal client and worker interceptors to the activities' pgx queries,
// and no span carries the customer's text.
func TestTracingEndToEnd(t *testing.T) {
	t.Parallel()
	col := newOTLPCollector(t, nil)
	in := start(t, "OTEL_EXPORTER_OTLP_ENDPOINT="+col.URL, "OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
		"OTEL_BSP_SCHEDULE_DELAY=200")

	a := in.post("web", "cust-trace", "conv-trace", "m-trace-1", "你好，我電話係 9123 4567，你哋幾點收舖？")
	in.waitContact(a.ContactID, 60*time.Second, func(v contactView) bool { return v.botAnswers() >= 1 })

	var ts traceSet
	why := "nothing received"
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		_, _, spans := col.snapshot()
		ts = newTraceSet(spans)
		if why = ts.missing(); why == "" {
			break
		}
	}
	if why != "" {
		t.Fatalf("trace incomplete: %s\nreceived: %s", why, ts.names())
	}
	t.Logf("received spans: %s", ts.names())

	_, stray, spans := col.snapshot()
	if len(stray) > 0 {
		t.Errorf("collector got requests that are not OTLP/HTTP protobuf exports: %q", stray)
	}
	for _, c := range spans {
		if c.service != "harbordesk-dev" {
			t.Errorf("span %q from service %q, want harbordesk-dev", c.span.GetName(), c.service)
		}
		for _, s := range spanText(c.span) {
			for _, secret := range []string{"9123", "4567", "收舖"} {
				if strings.Contains(s, secret) {
					t.Errorf("span %q carries customer text (%q)", c.span.GetName(), secret)
				}
			}
		}
	}
}

// TestTracingOff: tracing is off unless the OTEL_* environment asks for it,
// and the standard switches that turn it off are honoured. Each case runs a
// contact to its answer, stops the binary (which flushes any batch) and
// requires that the collector saw no request at all.
func TestTracingOff(t *testing.T) {
	fast := []string{"OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf", "OTEL_BSP_SCHEDULE_DELAY=200"}
	cases := []struct {
		name string
		// listen returns the collector's listener (nil: any port) or skips.
		listen func(t *testing.T) net.Listener
		env    func(url string) []string
	}{
		{
			// Without an endpoint a wrongly-on exporter would send to the
			// OTLP/HTTP default, localhost:4318: the collector listens there.
			name: "no OTEL endpoint",
			listen: func(t *testing.T) net.Listener {
				l, err := net.Listen("tcp", "127.0.0.1:4318")
				if err != nil {
					t.Skipf("the OTLP default port 4318 is taken (%v); cannot observe a default export", err)
				}
				return l
			},
			env: func(string) []string { return fast },
		},
		{
			name: "OTEL_SDK_DISABLED=true",
			env: func(url string) []string {
				return append([]string{"OTEL_EXPORTER_OTLP_ENDPOINT=" + url, "OTEL_SDK_DISABLED=true"}, fast...)
			},
		},
		{
			name: "OTEL_TRACES_EXPORTER=none",
			env: func(url string) []string {
				return append([]string{"OTEL_EXPORTER_OTLP_ENDPOINT=" + url, "OTEL_TRACES_EXPORTER=none"}, fast...)
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var l net.Listener
			if tc.listen != nil {
				l = tc.listen(t)
			}
			col := newOTLPCollector(t, l)
			in := start(t, tc.env(col.URL)...)
			conv := "conv-off-" + strings.ReplaceAll(tc.name, " ", "-")
			a := in.post("web", "cust-off", conv, "m-off-1", "你哋幾點收舖？")
			in.waitContact(a.ContactID, 60*time.Second, func(v contactView) bool { return v.botAnswers() >= 1 })
			in.stop() // graceful: a configured batcher would flush now
			if n, stray, spans := col.snapshot(); n != 0 {
				t.Fatalf("collector got %d requests (%d spans, stray %q); tracing should be off", n, len(spans), stray)
			}
		})
	}
}
