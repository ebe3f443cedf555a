package whisper

import (
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

// The fake whisper-server is this test binary re-executed with
// FAKE_WHISPER_SERVER=1: it takes whisper-server's flags, serves /health and
// the inference path like the real one, and misbehaves on demand
// (FAKE_WHISPER_MODE) so supervision can be tested without a model.
func runFakeWhisperServer() {
	fs := flag.NewFlagSet("whisper-server", flag.ContinueOnError)
	model := fs.String("m", "", "model")
	host := fs.String("host", "", "host")
	port := fs.Int("port", 0, "port")
	path := fs.String("inference-path", "/inference", "path")
	beams := fs.Int("bs", 5, "beam size")
	lang := fs.String("l", "en", "language")
	_ = fs.Int("t", 4, "threads")
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(3)
	}
	if _, err := os.Stat(*model); err != nil || *host != "127.0.0.1" || *beams != 1 || *path != InferencePath || *lang != "auto" {
		fmt.Fprintln(os.Stderr, "fake whisper-server: bad flags", os.Args[1:])
		os.Exit(3)
	}
	starts := 0
	if f := os.Getenv("FAKE_WHISPER_STARTS"); f != "" {
		prev, _ := os.ReadFile(f)
		starts = strings.Count(string(prev), "\n")
		_ = os.WriteFile(f, append(prev, '\n'), 0o600)
	}
	mode := os.Getenv("FAKE_WHISPER_MODE")
	first := starts == 0
	if mode == "exit-immediately" {
		os.Exit(1)
	}
	born := time.Now()
	l, err := net.Listen("tcp", net.JoinHostPort(*host, fmt.Sprint(*port)))
	if err != nil {
		os.Exit(4)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, r *http.Request) {
		switch {
		case mode == "never-healthy",
			mode == "hang-first" && first && time.Since(born) > 300*time.Millisecond:
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"status":"loading model"}`))
		default:
			_, _ = w.Write([]byte(`{"status":"ok"}`))
		}
	})
	mux.HandleFunc("POST "+*path, func(w http.ResponseWriter, r *http.Request) {
		if _, _, err := r.FormFile("file"); err != nil {
			http.Error(w, `{"error":"no file"}`, http.StatusBadRequest)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]string{"text": "fake transcript", "language": "en"})
	})
	if mode == "crash-first" && first {
		go func() { time.Sleep(300 * time.Millisecond); os.Exit(2) }()
	}
	_ = http.Serve(l, mux)
}
