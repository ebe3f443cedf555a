package whisper

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// InferencePath is where whisper-server is told to answer, so its base URL
// is OpenAI-shaped: BaseURL() + "/audio/transcriptions".
const InferencePath = "/v1/audio/transcriptions"

// DefaultBinary is where scripts/whisper/build.sh installs the server,
// relative to the project root.
const DefaultBinary = ".tools/whisper/bin/whisper-server"

// Config says what to run and how patiently.
type Config struct {
	Binary string // path to whisper-server
	Model  string // ggml model file
	Port   int    // loopback port; 0 picks a free one once, kept across restarts
	// Threads for inference; 0 leaves whisper-server's default.
	Threads   int
	ExtraArgs []string
	Env       []string // extra environment for the process
	// StartTimeout bounds model loading until the first healthy answer (60 s).
	StartTimeout time.Duration
	// HealthInterval between checks of a running server (5 s); HealthFailures
	// consecutive failures (3) count as a hang and trigger a restart.
	HealthInterval time.Duration
	HealthFailures int
	// Restart backoff, doubling from MinBackoff (1 s) to MaxBackoff (30 s),
	// back to MinBackoff after a run that stayed healthy for 2×MaxBackoff.
	MinBackoff, MaxBackoff time.Duration
	StopGrace              time.Duration // SIGTERM → SIGKILL (5 s)
	Logger                 *slog.Logger
}

// Supervisor keeps one whisper-server alive.
type Supervisor struct {
	cfg    Config
	port   int
	client *http.Client

	mu       sync.Mutex
	healthy  bool
	restarts int
	ready    chan struct{}
	once     sync.Once
}

var (
	// ErrNoBinary: whisper-server is missing; run scripts/whisper/build.sh.
	ErrNoBinary = errors.New("whisper: whisper-server not found (run scripts/whisper/build.sh)")
	// ErrNoModel: the model file is missing or unreadable.
	ErrNoModel = errors.New("whisper: model file not found")
)

// New validates the configuration and reserves the port.
func New(cfg Config) (*Supervisor, error) {
	if cfg.Binary == "" {
		cfg.Binary = DefaultBinary
	}
	bin, err := exec.LookPath(cfg.Binary)
	if err != nil {
		return nil, fmt.Errorf("%w: %s", ErrNoBinary, cfg.Binary)
	}
	cfg.Binary = bin
	if st, err := os.Stat(cfg.Model); err != nil || st.IsDir() {
		return nil, fmt.Errorf("%w: %s", ErrNoModel, filepath.Base(cfg.Model))
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&cfg.StartTimeout, 60*time.Second)
	def(&cfg.HealthInterval, 5*time.Second)
	def(&cfg.MinBackoff, time.Second)
	def(&cfg.MaxBackoff, 30*time.Second)
	def(&cfg.StopGrace, 5*time.Second)
	if cfg.HealthFailures <= 0 {
		cfg.HealthFailures = 3
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	port := cfg.Port
	if port == 0 {
		if port, err = freePort(); err != nil {
			return nil, fmt.Errorf("whisper: no free loopback port: %w", err)
		}
	}
	return &Supervisor{
		cfg: cfg, port: port, ready: make(chan struct{}),
		client: &http.Client{Timeout: 2 * time.Second},
	}, nil
}

// BaseURL is the OpenAI-style base for speech.NewHTTP.
func (s *Supervisor) BaseURL() string {
	return "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)) + "/v1"
}

// Healthy reports whether the server answered its last health check.
func (s *Supervisor) Healthy() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.healthy
}

// Restarts counts how often the server was started again after a crash,
// hang or failed start.
func (s *Supervisor) Restarts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.restarts
}

// WaitReady blocks until the server first becomes healthy or ctx ends.
func (s *Supervisor) WaitReady(ctx context.Context) error {
	select {
	case <-s.ready:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Supervisor) setHealthy(h bool) {
	s.mu.Lock()
	s.healthy = h
	s.mu.Unlock()
	if h {
		s.once.Do(func() { close(s.ready) })
	}
}

// Args is the command line the server is started with: greedy decoding
// (-bs 1) for speed, loopback only, OpenAI-shaped inference path, and
// language auto-detection when a request names none (whisper-server's own
// default is English, which would turn Cantonese into an English guess).
func (s *Supervisor) Args() []string {
	args := []string{"-m", s.cfg.Model, "--host", "127.0.0.1", "--port", strconv.Itoa(s.port),
		"--inference-path", InferencePath, "-bs", "1", "-l", "auto"}
	if s.cfg.Threads > 0 {
		args = append(args, "-t", strconv.Itoa(s.cfg.Threads))
	}
	return append(args, s.cfg.ExtraArgs...)
}

// Run supervises until ctx ends, then stops the server and returns nil.
func (s *Supervisor) Run(ctx context.Context) error {
	backoff := s.cfg.MinBackoff
	for {
		started := time.Now()
		reason := s.runOnce(ctx)
		s.setHealthy(false)
		if ctx.Err() != nil {
			return nil
		}
		if time.Since(started) > 2*s.cfg.MaxBackoff {
			backoff = s.cfg.MinBackoff
		}
		s.mu.Lock()
		s.restarts++
		s.mu.Unlock()
		s.cfg.Logger.Warn("whisper-server restarting", "reason", reason, "backoff", backoff)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, s.cfg.MaxBackoff)
	}
}

// runOnce starts the server and watches it until it dies, hangs or ctx
// ends; it returns why it stopped. Output is discarded: whisper-server
// prints what it transcribed, which is customer speech.
func (s *Supervisor) runOnce(ctx context.Context) string {
	cmd := exec.Command(s.cfg.Binary, s.Args()...)
	cmd.Env = append(os.Environ(), s.cfg.Env...)
	// Pdeathsig: if harbordesk itself is killed (SIGKILL), the kernel ends
	// the server too, so no orphaned whisper-server holds the port and RAM.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return "start failed: " + err.Error()
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(s.cfg.StopGrace):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
	}

	// Loading: poll quickly until the first healthy answer.
	deadline := time.After(s.cfg.StartTimeout)
	poll := time.NewTicker(100 * time.Millisecond)
	defer poll.Stop()
loading:
	for {
		select {
		case <-ctx.Done():
			stop()
			return "stopped"
		case err := <-exited:
			return fmt.Sprintf("exited while loading: %v", err)
		case <-deadline:
			stop()
			return "not healthy within start timeout"
		case <-poll.C:
			if s.check(ctx) {
				break loading
			}
		}
	}
	s.setHealthy(true)
	s.cfg.Logger.Info("whisper-server ready", "port", s.port)

	tick := time.NewTicker(s.cfg.HealthInterval)
	defer tick.Stop()
	failures := 0
	for {
		select {
		case <-ctx.Done():
			stop()
			return "stopped"
		case err := <-exited:
			return fmt.Sprintf("crashed: %v", err)
		case <-tick.C:
			if s.check(ctx) {
				failures = 0
				s.setHealthy(true)
				continue
			}
			failures++
			s.setHealthy(false)
			if failures >= s.cfg.HealthFailures {
				stop()
				return fmt.Sprintf("hung: %d failed health checks", failures)
			}
		}
	}
}

// check asks GET /health (whisper.cpp servers answer 200 once the model is
// loaded, 503 while loading); servers without that route count as healthy
// when their root page answers 200.
func (s *Supervisor) check(ctx context.Context) bool {
	base := "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port))
	code := s.get(ctx, base+"/health")
	if code == http.StatusNotFound {
		code = s.get(ctx, base+"/")
	}
	return code == http.StatusOK
}

func (s *Supervisor) get(ctx context.Context, url string) int {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
