package whisper

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/internal/speech"
	"github.com/harbordesk/harbordesk/internal/speech/audio"
)

func TestMain(m *testing.M) {
	if os.Getenv("FAKE_WHISPER_SERVER") == "1" {
		runFakeWhisperServer()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// fakeSupervisor runs the test binary as whisper-server in the given mode.
func fakeSupervisor(t *testing.T, mode string, tweak func(*Config)) (*Supervisor, string) {
	t.Helper()
	dir := t.TempDir()
	model := filepath.Join(dir, "ggml-fake.bin")
	if err := os.WriteFile(model, []byte("ggml"), 0o600); err != nil {
		t.Fatal(err)
	}
	starts := filepath.Join(dir, "starts")
	cfg := Config{
		Binary: os.Args[0], Model: model,
		Env:            []string{"FAKE_WHISPER_SERVER=1", "FAKE_WHISPER_MODE=" + mode, "FAKE_WHISPER_STARTS=" + starts},
		StartTimeout:   5 * time.Second,
		HealthInterval: 50 * time.Millisecond,
		MinBackoff:     10 * time.Millisecond,
		MaxBackoff:     40 * time.Millisecond,
		StopGrace:      time.Second,
	}
	if tweak != nil {
		tweak(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s, starts
}

// run starts the supervisor and returns a stop function that waits for Run.
func run(t *testing.T, s *Supervisor) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	return func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run = %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Run did not return after cancel")
		}
	}
}

func waitReady(t *testing.T, s *Supervisor) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.WaitReady(ctx); err != nil {
		t.Fatalf("never ready: %v", err)
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func starts(t *testing.T, path string) int {
	b, _ := os.ReadFile(path)
	return strings.Count(string(b), "\n")
}

func clip() audio.Clip {
	s := make([]float32, audio.SampleRate/2)
	for i := range s {
		s[i] = float32(0.2 * math.Sin(float64(i)/10))
	}
	return audio.Clip{Samples: s}
}

func TestSupervisorServesTheHTTPEngine(t *testing.T) {
	s, _ := fakeSupervisor(t, "ok", nil)
	stop := run(t, s)
	defer stop()
	waitReady(t, s)
	if !s.Healthy() {
		t.Error("not healthy after ready")
	}
	engine := speech.NewHTTP(s.BaseURL(), "whisper.cpp", "")
	tr, err := engine.Transcribe(context.Background(), clip(), "en")
	if err != nil || tr.Text != "fake transcript" {
		t.Fatalf("transcript %+v err %v", tr, err)
	}
	if !strings.HasPrefix(s.BaseURL(), "http://127.0.0.1:") || !strings.HasSuffix(s.BaseURL(), "/v1") {
		t.Errorf("BaseURL = %q", s.BaseURL())
	}
}

func TestSupervisorRestartsAfterCrash(t *testing.T) {
	s, startsFile := fakeSupervisor(t, "crash-first", nil)
	stop := run(t, s)
	defer stop()
	waitReady(t, s)
	waitFor(t, "a restart after the crash", func() bool { return s.Restarts() >= 1 && s.Healthy() })
	if n := starts(t, startsFile); n != 2 {
		t.Errorf("server started %d times, want 2", n)
	}
}

func TestSupervisorRestartsAHungServer(t *testing.T) {
	s, startsFile := fakeSupervisor(t, "hang-first", func(c *Config) { c.HealthFailures = 2 })
	stop := run(t, s)
	defer stop()
	waitReady(t, s)
	waitFor(t, "a restart after the hang", func() bool { return s.Restarts() >= 1 && s.Healthy() })
	if n := starts(t, startsFile); n != 2 {
		t.Errorf("server started %d times, want 2", n)
	}
}

func TestSupervisorBacksOffOnRepeatedFailure(t *testing.T) {
	for _, mode := range []string{"exit-immediately", "never-healthy"} {
		t.Run(mode, func(t *testing.T) {
			s, startsFile := fakeSupervisor(t, mode, func(c *Config) {
				c.StartTimeout = 200 * time.Millisecond
				c.MinBackoff, c.MaxBackoff = 50*time.Millisecond, 100*time.Millisecond
			})
			stop := run(t, s)
			waitFor(t, "three restarts", func() bool { return s.Restarts() >= 3 })
			stop()
			if s.Healthy() {
				t.Error("healthy although the server never was")
			}
			if n := starts(t, startsFile); n < 3 {
				t.Errorf("started %d times", n)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
			defer cancel()
			if err := s.WaitReady(ctx); !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("WaitReady = %v", err)
			}
		})
	}
}

func TestSupervisorStopsServerOnCancel(t *testing.T) {
	s, _ := fakeSupervisor(t, "ok", nil)
	stop := run(t, s)
	waitReady(t, s)
	stop()
	if s.Healthy() {
		t.Error("still healthy after stop")
	}
	// The port is free again: nothing is left listening.
	if s.get(context.Background(), strings.TrimSuffix(s.BaseURL(), "/v1")+"/health") != 0 {
		t.Error("server still answering after stop")
	}
}

func TestNewValidates(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "m.bin")
	_ = os.WriteFile(model, []byte("x"), 0o600)
	for _, tc := range []struct {
		name string
		cfg  Config
		want error
	}{
		{"no binary", Config{Binary: filepath.Join(dir, "missing-server"), Model: model}, ErrNoBinary},
		{"no model", Config{Binary: os.Args[0], Model: filepath.Join(dir, "none.bin")}, ErrNoModel},
		{"model is a directory", Config{Binary: os.Args[0], Model: dir}, ErrNoModel},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := New(tc.cfg); !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
	s, err := New(Config{Binary: os.Args[0], Model: model, Port: 18123, Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"-m", model, "--host", "127.0.0.1", "--port", "18123", "--inference-path", "/v1/audio/transcriptions", "-bs", "1", "-l", "auto", "-t", "2"}
	if got := s.Args(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Args = %v", got)
	}
}
