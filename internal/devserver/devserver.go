// Package devserver runs an in-process Temporal server backed by SQLite for
// `harbordesk dev`. It is the only package that imports go.temporal.io/server,
// so that unit and workflow test binaries do not pay for linking it.
package devserver

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/dynamicconfig"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/membership/static"
	sqliteplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/sqlite"
	"go.temporal.io/server/common/primitives"
	sqliteschema "go.temporal.io/server/schema/sqlite"
	"go.temporal.io/server/temporal"
)

const clusterName = "harbordesk-dev"

// Config says where the embedded server listens and keeps its state.
type Config struct {
	// FrontendAddress is host:port of the frontend gRPC service (TEMPORAL_ADDRESS).
	FrontendAddress string
	// DataDir holds the SQLite files. Created if missing.
	DataDir string
	// Namespace is created at start if it does not exist.
	Namespace string
	// LogLevel of the server's own logger ("error" keeps it quiet).
	LogLevel string
}

// Server is a running embedded Temporal server.
type Server struct {
	srv  temporal.Server
	addr string
}

// devHistoryCache is how many workflows' mutable state the embedded
// history service keeps in memory.
const devHistoryCache = 512

// Start creates the SQLite store (idempotent), registers the namespace and
// starts frontend, history, matching and the internal worker service.
func Start(cfg Config) (*Server, error) {
	host, portStr, err := net.SplitHostPort(cfg.FrontendAddress)
	if err != nil {
		return nil, fmt.Errorf("TEMPORAL_ADDRESS %q: %w", cfg.FrontendAddress, err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		return nil, fmt.Errorf("TEMPORAL_ADDRESS %q: bad port", cfg.FrontendAddress)
	}
	if err := checkPortFree(host, port); err != nil {
		return nil, fmt.Errorf("TEMPORAL_ADDRESS %s is in use (another instance?): %w", cfg.FrontendAddress, err)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	if cfg.Namespace == "" {
		cfg.Namespace = "default"
	}
	if cfg.LogLevel == "" {
		cfg.LogLevel = "error"
	}
	sqlConf := &config.SQL{
		PluginName:   sqliteplugin.PluginName,
		DatabaseName: filepath.Join(cfg.DataDir, "temporal.db"),
		// "setup" creates the schema in a new file and is a no-op otherwise;
		// the other keys become PRAGMAs. WAL + synchronous=normal: a default
		// SQLite fsyncs every commit and drops to a few workflows per second.
		ConnectAttributes: map[string]string{
			"mode": "rwc", "setup": "true",
			"journal_mode": "wal", "synchronous": "normal",
		},
	}
	ns, err := sqliteschema.NewNamespaceConfig(clusterName, cfg.Namespace, false, nil)
	if err != nil {
		return nil, fmt.Errorf("namespace config: %w", err)
	}
	if err := sqliteschema.CreateNamespaces(sqlConf, ns); err != nil {
		return nil, fmt.Errorf("create namespace: %w", err)
	}

	hosts := map[primitives.ServiceName]static.Hosts{}
	services := map[string]config.Service{}
	for _, name := range []primitives.ServiceName{primitives.FrontendService, primitives.HistoryService, primitives.MatchingService, primitives.WorkerService} {
		p := port
		if name != primitives.FrontendService {
			if p, err = freePort(host); err != nil {
				return nil, err
			}
		}
		mp, err := freePort(host)
		if err != nil {
			return nil, err
		}
		services[string(name)] = config.Service{RPC: config.RPC{GRPCPort: p, MembershipPort: mp, BindOnIP: host}}
		hosts[name] = static.SingleLocalHost(net.JoinHostPort(host, strconv.Itoa(p)))
	}

	var conf config.Config
	conf.Global.Membership = config.Membership{MaxJoinDuration: 30 * time.Second, BroadcastAddress: host}
	conf.Persistence = config.Persistence{
		DefaultStore: "sqlite", VisibilityStore: "sqlite", NumHistoryShards: 1,
		DataStores: map[string]config.DataStore{"sqlite": {SQL: sqlConf}},
	}
	conf.ClusterMetadata = &cluster.Config{
		FailoverVersionIncrement: 10, MasterClusterName: clusterName, CurrentClusterName: clusterName,
		ClusterInformation: map[string]cluster.ClusterInformation{
			clusterName: {Enabled: true, InitialFailoverVersion: 1, RPCAddress: cfg.FrontendAddress},
		},
	}
	conf.DCRedirectionPolicy.Policy = "noop"
	conf.Services = services
	conf.Archival.History.State, conf.Archival.Visibility.State = "disabled", "disabled"
	conf.NamespaceDefaults.Archival.History.State = "disabled"
	conf.NamespaceDefaults.Archival.Visibility.State = "disabled"
	conf.PublicClient.HostPort = cfg.FrontendAddress // the server panics without it

	dc := dynamicconfig.NewMemoryClient()
	// One task-queue partition: no forwarding hops between partitions, which
	// is what a single-process server wants for low first-reply latency.
	dc.OverrideValue(dynamicconfig.MakeKey("matching.numTaskqueueReadPartitions"), 1)
	dc.OverrideValue(dynamicconfig.MakeKey("matching.numTaskqueueWritePartitions"), 1)
	dc.OverrideValue(dynamicconfig.MakeKey("frontend.enableUpdateWorkflowExecution"), true)
	dc.OverrideValue(dynamicconfig.MakeKey("frontend.enableUpdateWorkflowExecutionAsyncAccepted"), true)
	dc.OverrideValue(dynamicconfig.MakeKey("system.enableEagerWorkflowStart"), true)
	// Eager activities: the activity task comes back in the workflow-task
	// completion instead of a trip through matching — one hop less per step.
	dc.OverrideValue(dynamicconfig.MakeKey("system.enableActivityEagerExecution"), true)
	dc.OverrideValue(dynamicconfig.MakeKey("frontend.workerVersioningDataAPIs"), true)
	dc.OverrideValue(dynamicconfig.MakeKey("system.forceSearchAttributesCacheRefreshOnRead"), true)
	// The history service keeps each open workflow's mutable state cached
	// (up to 128,000, an hour each): a contact idles up to 30 minutes between
	// messages, so a busy dev instance held every one of them. Keep the
	// recently busy ones; an evicted contact's state reloads from SQLite on
	// its next message (a few small reads).
	dc.OverrideValue(dynamicconfig.MakeKey("history.hostLevelCacheMaxSize"), devHistoryCache)

	srv, err := temporal.NewServer(
		temporal.WithConfig(&conf),
		temporal.ForServices(temporal.DefaultServices),
		temporal.WithStaticHosts(hosts),
		temporal.WithDynamicConfigClient(dc),
		temporal.WithLogger(log.NewZapLogger(log.BuildZapLogger(log.Config{Level: cfg.LogLevel, Format: "json"}))),
	)
	if err != nil {
		return nil, fmt.Errorf("temporal server: %w", err)
	}
	if err := srv.Start(); err != nil {
		return nil, fmt.Errorf("temporal server start: %w", err)
	}
	return &Server{srv: srv, addr: cfg.FrontendAddress}, nil
}

// Address is the frontend host:port.
func (s *Server) Address() string { return s.addr }

// Stop shuts the server down; state stays in the data dir.
func (s *Server) Stop() error { return s.srv.Stop() }

func freePort(host string) (int, error) {
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return 0, fmt.Errorf("free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func checkPortFree(host string, port int) error {
	l, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		return err
	}
	return l.Close()
}
