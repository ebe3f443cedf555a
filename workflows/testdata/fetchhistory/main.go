// Command fetchhistory writes the event histories of running or finished
// ContactWorkflows as JSON files for TestReplayContactHistories. It dials
// the Temporal frontend with Harbordesk's payload codec so the client is
// configured exactly like the worker, but it stores the events as Temporal
// keeps them (payloads stay encrypted): the replay test decodes them with
// the same data converter, which is what a real worker does.
//
//	go run ./workflows/testdata/fetchhistory -address 127.0.0.1:7233 \
//	    -out workflows/testdata contact_kb=contact/web/replay-kb ...
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/harbordesk/harbordesk/internal/codec"
	"github.com/harbordesk/harbordesk/internal/config"
)

func main() {
	addr := flag.String("address", os.Getenv("TEMPORAL_ADDRESS"), "Temporal frontend host:port")
	ns := flag.String("namespace", "default", "Temporal namespace")
	key := flag.String("data-key", config.DevDataKey, "HARBORDESK_DATA_KEY the workflows ran with")
	out := flag.String("out", "workflows/testdata", "directory for the JSON files")
	flag.Parse()
	if err := run(*addr, *ns, *key, *out, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "fetchhistory:", err)
		os.Exit(1)
	}
}

// run fetches each NAME=WORKFLOW_ID argument into OUT/NAME.json.
func run(addr, ns, key, out string, args []string) error {
	if addr == "" || len(args) == 0 {
		return fmt.Errorf("usage: fetchhistory -address HOST:PORT NAME=WORKFLOW_ID ...")
	}
	ring, err := codec.ParseKeyring(key)
	if err != nil {
		return err
	}
	dc := codec.DataConverter(ring)
	c, err := client.Dial(client.Options{HostPort: addr, Namespace: ns, DataConverter: dc,
		FailureConverter: codec.FailureConverter(dc)})
	if err != nil {
		return err
	}
	defer c.Close()
	for _, arg := range args {
		name, id, ok := strings.Cut(arg, "=")
		if !ok || name == "" || id == "" {
			return fmt.Errorf("argument %q: want NAME=WORKFLOW_ID", arg)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		h := &historypb.History{}
		it := c.GetWorkflowHistory(ctx, id, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		for it.HasNext() {
			ev, err := it.Next()
			if err != nil {
				cancel()
				return fmt.Errorf("%s: %w", id, err)
			}
			h.Events = append(h.Events, ev)
		}
		cancel()
		b, err := protojson.MarshalOptions{Indent: "  "}.Marshal(h)
		if err != nil {
			return err
		}
		path := filepath.Join(out, name+".json")
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			return err
		}
		fmt.Printf("%s: %d events from %s\n", path, len(h.Events), id)
	}
	return nil
}
