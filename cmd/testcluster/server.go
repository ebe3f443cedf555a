package main

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/dynamicconfig"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/membership/static"
	_ "go.temporal.io/server/common/persistence/sql/sqlplugin/postgresql" // PostgreSQL persistence
	"go.temporal.io/server/common/primitives"
	"go.temporal.io/server/temporal"
)

// serverSpec is what `testcluster server` needs: PostgreSQL databases,
// ports, and the TLS files of the run.
type serverSpec struct {
	PGHost, PGUser       string
	PGPort               int
	DB, VisibilityDB     string
	Ports                map[string][2]int // service → gRPC, membership
	CA, Cert, Key        string
	FrontendAddress      string
	NumHistoryShards     int32
	ServerName           string
	RequireClientCertTLS bool
	PProfPort            int `json:",omitempty"` // 0: no pprof
}

const clusterName = "harbordesk-test"

// runServer runs a Temporal server in this process until SIGTERM/SIGINT:
// PostgreSQL persistence and visibility, TLS (mTLS) on the frontend and
// between services.
func runServer(specJSON string) error {
	var sp serverSpec
	if err := json.Unmarshal([]byte(specJSON), &sp); err != nil {
		return err
	}
	sql := func(db string) *config.SQL {
		return &config.SQL{PluginName: "postgres12", DatabaseName: db, User: sp.PGUser,
			ConnectAddr: net.JoinHostPort(sp.PGHost, strconv.Itoa(sp.PGPort)), ConnectProtocol: "tcp",
			MaxConns: 4, MaxIdleConns: 4, MaxConnLifetime: time.Hour}
	}
	hosts := map[primitives.ServiceName]static.Hosts{}
	services := map[string]config.Service{}
	for _, name := range []primitives.ServiceName{primitives.FrontendService, primitives.HistoryService, primitives.MatchingService, primitives.WorkerService} {
		p := sp.Ports[string(name)]
		services[string(name)] = config.Service{RPC: config.RPC{GRPCPort: p[0], MembershipPort: p[1], BindOnIP: "127.0.0.1"}}
		hosts[name] = static.SingleLocalHost(net.JoinHostPort("127.0.0.1", strconv.Itoa(p[0])))
	}
	client := config.ClientTLS{ServerName: sp.ServerName, RootCAFiles: []string{sp.CA}}
	server := config.ServerTLS{CertFile: sp.Cert, KeyFile: sp.Key, ClientCAFiles: []string{sp.CA}, RequireClientAuth: sp.RequireClientCertTLS}
	var conf config.Config
	conf.Global.Membership = config.Membership{MaxJoinDuration: 30 * time.Second, BroadcastAddress: "127.0.0.1"}
	conf.Global.PProf.Port = sp.PProfPort
	conf.Global.TLS = config.RootTLS{
		Internode:    config.GroupTLS{Server: server, Client: client},
		Frontend:     config.GroupTLS{Server: server, Client: client},
		SystemWorker: config.WorkerTLS{CertFile: sp.Cert, KeyFile: sp.Key, Client: client},
	}
	conf.Persistence = config.Persistence{
		DefaultStore: "default", VisibilityStore: "visibility", NumHistoryShards: sp.NumHistoryShards,
		DataStores: map[string]config.DataStore{"default": {SQL: sql(sp.DB)}, "visibility": {SQL: sql(sp.VisibilityDB)}},
	}
	conf.ClusterMetadata = &cluster.Config{
		FailoverVersionIncrement: 10, MasterClusterName: clusterName, CurrentClusterName: clusterName,
		ClusterInformation: map[string]cluster.ClusterInformation{
			clusterName: {Enabled: true, InitialFailoverVersion: 1, RPCAddress: sp.FrontendAddress},
		},
	}
	conf.DCRedirectionPolicy.Policy = "noop"
	conf.Services = services
	conf.Archival.History.State, conf.Archival.Visibility.State = "disabled", "disabled"
	conf.NamespaceDefaults.Archival.History.State = "disabled"
	conf.NamespaceDefaults.Archival.Visibility.State = "disabled"
	conf.PublicClient.HostPort = sp.FrontendAddress

	dc := dynamicconfig.NewMemoryClient()
	dc.OverrideValue(dynamicconfig.MakeKey("frontend.enableUpdateWorkflowExecution"), true)
	dc.OverrideValue(dynamicconfig.MakeKey("frontend.enableUpdateWorkflowExecutionAsyncAccepted"), true)
	dc.OverrideValue(dynamicconfig.MakeKey("system.enableEagerWorkflowStart"), true)
	dc.OverrideValue(dynamicconfig.MakeKey("system.enableActivityEagerExecution"), true)
	dc.OverrideValue(dynamicconfig.MakeKey("system.forceSearchAttributesCacheRefreshOnRead"), true)

	srv, err := temporal.NewServer(
		temporal.WithConfig(&conf),
		temporal.ForServices(temporal.DefaultServices),
		temporal.WithStaticHosts(hosts),
		temporal.WithDynamicConfigClient(dc),
		temporal.WithLogger(log.NewZapLogger(log.BuildZapLogger(log.Config{Level: "error", Format: "json"}))),
	)
	if err != nil {
		return fmt.Errorf("temporal server: %w", err)
	}
	if err := srv.Start(); err != nil {
		return fmt.Errorf("temporal server start: %w", err)
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	<-sig
	return srv.Stop()
}
