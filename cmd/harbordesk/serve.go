package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/harbordesk/harbordesk/api"
	"github.com/harbordesk/harbordesk/internal/channel/whatsapp"
	"github.com/harbordesk/harbordesk/internal/chatsession"
	"github.com/harbordesk/harbordesk/internal/codec"
	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/desk"
	"github.com/harbordesk/harbordesk/internal/devserver"
	"github.com/harbordesk/harbordesk/internal/kb"
	"github.com/harbordesk/harbordesk/internal/lexicon"
	"github.com/harbordesk/harbordesk/internal/sso"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/kpis"
	"github.com/harbordesk/harbordesk/internal/telemetry"
	"github.com/harbordesk/harbordesk/worker"
	"github.com/harbordesk/harbordesk/workflows"
)

type role int

const (
	roleDev role = iota
	roleAPI
	roleWorker
)

func (r role) name() string { return [...]string{"dev", "api", "worker"}[r] }

// runServe runs one of the long-lived roles until ctx is cancelled (Ctrl-C,
// SIGTERM), then shuts down in order: stop taking HTTP requests, let the
// worker finish in-flight activities (Temporal retries the rest on the next
// start), close the Temporal client, stop the embedded server.
func runServe(ctx context.Context, args []string, r role) error {
	fs := flag.NewFlagSet(r.name(), flag.ContinueOnError)
	dataDir := fs.String("data-dir", "./.harbordesk", "dev: where the embedded Temporal server keeps its SQLite files")
	httpAddr := fs.String("http-addr", "", "HTTP listen address (overrides HARBORDESK_HTTP_ADDR)")
	if err := fs.Parse(args); err != nil {
		return usageError(err.Error())
	}
	cfg, err := config.Load(r == roleDev)
	if err != nil {
		return err
	}
	if *httpAddr != "" {
		cfg.HTTPAddr = *httpAddr
		cfg.PublicURL = "http://" + cfg.HTTPAddr
	}
	log := telemetry.Logger(os.Stderr, slog.LevelInfo).With("role", r.name())
	stopTracing, err := telemetry.SetupTracing(ctx, "harbordesk-"+r.name())
	if err != nil {
		return fmt.Errorf("OTEL_* tracing setup: %w", err)
	}
	defer stopTracing(context.Background())
	ring, err := codec.ParseKeyring(cfg.DataKey)
	if err != nil {
		return err
	}

	st, err := store.Open(ctx, cfg.DatabaseURL, r == roleDev)
	if err != nil {
		return err
	}
	defer st.Close()
	// Before anything in this process starts an SDK worker (the embedded
	// server's own system workers do, in dev).
	worker.SizeStickyCache(cfg.WorkerCache)
	if r == roleDev {
		v, err := st.Migrate(ctx)
		if err != nil {
			return err
		}
		say("database  %s (schema v%d)", store.DatabaseName(cfg.DatabaseURL), v)
		var dev *devserver.Server
		if dev, err = startDevServer(cfg, *dataDir); err != nil {
			return err
		}
		defer func() {
			if err := dev.Stop(); err != nil {
				log.Warn("embedded temporal stop", "err", err.Error())
			}
		}()
		say("temporal  %s (embedded, data in %s)", cfg.TemporalAddress, *dataDir)
	}

	tc, err := dialTemporal(ctx, cfg, r == roleDev, ring, log)
	if err != nil {
		return err
	}
	defer tc.Close()

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	articles := kb.NewLive(kb.DefaultArticles())

	var w sdkworker.Worker
	if r != roleAPI {
		acts, features, err := worker.Dependencies(cfg, st, articles, log)
		if err != nil {
			return err
		}
		nluLive := acts.NLU.(worker.Understander)
		reloader := &worker.Reloader{Store: st, KB: articles, Log: log, Interval: worker.DefaultReloadInterval,
			OnLexicon: func(lex *lexicon.Lexicon) {
				if err := nluLive.Rebuild(lex); err != nil {
					log.Warn("lexicon reload: classifier rebuild failed; keeping the previous one", "err", err.Error())
				}
			},
			OnPlaybooks: acts.Playbooks.Store, OnProfile: acts.Profile.Store}
		if err := reloader.Check(ctx); err != nil {
			log.Warn("content reload at start; serving defaults", "err", err.Error())
		}
		go reloader.Run(ctx)
		go kpis.Folder{Store: kpis.New(st.Pool), Log: log}.Run(ctx)
		acts.Audio = store.AudioVault{Store: st, Ring: ring}
		acts.MediaSink = worker.MediaVault{Audio: store.AudioVault{Store: st, Ring: ring}, Attachments: store.AttachmentVault{Store: st, Ring: ring}}
		if cfg.WhatsAppToken != "" && cfg.WhatsAppPhoneNumberID != "" {
			acts.Media = worker.WhatsAppMedia{Client: whatsapp.NewClient(cfg.WhatsAppAPIBase, cfg.WhatsAppToken, cfg.WhatsAppPhoneNumberID)}
		}
		acts.Transcriber = newTranscriber(ctx, cfg, log)
		w, err = worker.New(tc, acts, worker.Options{TaskQueue: cfg.TaskQueue,
			ConcurrentActivities: cfg.WorkerActivities, Pollers: cfg.WorkerPollers, StickyCache: cfg.WorkerCache})
		if err != nil {
			return err
		}
		if err := w.Start(); err != nil {
			return fmt.Errorf("worker start: %w", err)
		}
		say("worker    task queue %s (%s)", cfg.TaskQueue, strings.Join(features, "; "))
		if err := workflows.EnsureSchedule(ctx, tc, cfg.TaskQueue, cfg.Retention); err != nil {
			return fmt.Errorf("retention schedule: %w", err)
		}
		say("retention %s, daily 03:00 Asia/Hong_Kong (schedule %s)", cfg.Retention, workflows.RetentionScheduleID)
	}

	var srv *http.Server
	errc := make(chan error, 1)
	if r != roleWorker {
		d := &desk.Desk{Temporal: tc, Store: st, Audio: store.AudioVault{Store: st, Ring: ring},
			TaskQueue: cfg.TaskQueue, SLA: cfg.SLA, AIPercent: cfg.AIPercent, IdleTimeout: cfg.IdleTimeout, AssignTimeout: cfg.AssignTimeout, Log: log,
			ContactKey: ring.SubKey("contact-id/v1")}
		rps, burst, err := api.ParseRateLimit(cfg.RateLimit)
		if err != nil {
			return fmt.Errorf("HARBORDESK_RATE_LIMIT=%q: %w", cfg.RateLimit, err)
		}
		prps, pburst, err := api.ParseRateLimit(cfg.PublicRateLimit)
		if err != nil {
			return fmt.Errorf("HARBORDESK_PUBLIC_RATE_LIMIT=%q: %w", cfg.PublicRateLimit, err)
		}
		sessions, err := chatsession.New(ring.SubKey("chat-session/v1"), cfg.ChatSessionTTL)
		if err != nil {
			return err
		}
		server := &api.Server{Limiter: api.RateLimit(rps, burst), PublicLimiter: api.PublicRateLimit(prps, pburst),
			TrustedProxies: cfg.TrustedProxies, PseudonymKey: ring.PseudonymKey(), Desk: d, Store: st, Keys: cfg.APIKeys, MaxBody: cfg.MaxBodyBytes,
			Temporal: temporalPinger{tc}, Log: log, Registry: reg, MetricsToken: cfg.MetricsToken, CheckAudio: checkAudio, SessionTTL: cfg.SessionTTL,
			Replies: store.NewReplyHub(ctx, st, log)}
		if server.SSO, err = newSSO(ctx, cfg, ring.SubKey("sso-flow/v1")); err != nil {
			return err
		}
		server.Extra = extras(cfg, ring, sessions, log)
		ln, err := net.Listen("tcp", cfg.HTTPAddr)
		if err != nil {
			return fmt.Errorf("HARBORDESK_HTTP_ADDR %s: %w", cfg.HTTPAddr, err)
		}
		srv = &http.Server{Handler: server.Handler(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
		go func() { errc <- srv.Serve(ln) }()
		say("api       http://%s (console at /console/)", ln.Addr())
		if cfg.DevAdminKey != "" {
			say("admin key %s (dev only; set HARBORDESK_API_KEYS in production)", cfg.DevAdminKey)
		} else {
			say("api keys  %d configured", len(cfg.APIKeys))
		}
	}
	say("ready     %s (Ctrl-C to stop)", r.name())

	select {
	case <-ctx.Done():
	case err := <-errc:
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	}
	say("stopping  draining requests and in-flight activities…")
	if srv != nil {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_ = srv.Shutdown(sctx)
		cancel()
	}
	if w != nil {
		w.Stop()
	}
	return nil
}

// newSSO discovers the OpenID Connect provider when HARBORDESK_OIDC_ISSUER
// is set (nil otherwise); the callback is HARBORDESK_PUBLIC_URL's.
func newSSO(ctx context.Context, cfg config.Config, key []byte) (*sso.Provider, error) {
	if cfg.OIDCIssuer == "" {
		return nil, nil
	}
	dctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	p, err := sso.New(dctx, sso.Config{Issuer: cfg.OIDCIssuer, ClientID: cfg.OIDCClientID, ClientSecret: cfg.OIDCClientSecret,
		RedirectURL: strings.TrimRight(cfg.PublicURL, "/") + "/v1/auth/sso/callback", Key: key})
	if err != nil {
		return nil, fmt.Errorf("HARBORDESK_OIDC_ISSUER %s: OpenID Connect discovery failed: %w", cfg.OIDCIssuer, err)
	}
	say("sso       OpenID Connect via %s", cfg.OIDCIssuer)
	return p, nil
}

func startDevServer(cfg config.Config, dataDir string) (*devserver.Server, error) {
	dir, err := filepath.Abs(dataDir)
	if err != nil {
		return nil, err
	}
	return devserver.Start(devserver.Config{FrontendAddress: cfg.TemporalAddress, DataDir: filepath.Join(dir, "temporal"),
		Namespace: cfg.TemporalNamespace})
}

func say(format string, args ...any) {
	fmt.Fprintf(os.Stdout, "harbordesk: "+format+"\n", args...)
}

// temporalPinger checks the Temporal frontend for readiness.
type temporalPinger struct{ c client.Client }

func (p temporalPinger) Ping(ctx context.Context) error {
	_, err := p.c.CheckHealth(ctx, &client.CheckHealthRequest{})
	return err
}
