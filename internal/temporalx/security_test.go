package temporalx

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/peer"

	"github.com/harbordesk/harbordesk/internal/certs"
	"github.com/harbordesk/harbordesk/internal/codec"
)

// frontend is a TLS gRPC server speaking the one RPC a client dials with
// (GetSystemInfo); it records who called.
type frontend struct {
	workflowservice.UnimplementedWorkflowServiceServer
	mu       sync.Mutex
	clientCN []string
	auth     []string
}

func (f *frontend) GetSystemInfo(ctx context.Context, _ *workflowservice.GetSystemInfoRequest) (*workflowservice.GetSystemInfoResponse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if p, ok := peer.FromContext(ctx); ok {
		if ti, ok := p.AuthInfo.(credentials.TLSInfo); ok && len(ti.State.PeerCertificates) > 0 {
			f.clientCN = append(f.clientCN, ti.State.PeerCertificates[0].Subject.CommonName)
		}
	}
	md, _ := metadata.FromIncomingContext(ctx)
	f.auth = append(f.auth, md.Get("authorization")...)
	return &workflowservice.GetSystemInfoResponse{Capabilities: &workflowservice.GetSystemInfoResponse_Capabilities{}}, nil
}

// serve starts the frontend with the server pair; clientCA, when set,
// requires client certificates it signed (mTLS).
func serve(t *testing.T, server certs.Pair, clientCA *certs.CA) (string, *frontend) {
	t.Helper()
	pair, err := tls.X509KeyPair(server.CertPEM, server.KeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}
	if clientCA != nil {
		pool := x509.NewCertPool()
		pool.AddCert(clientCA.Cert)
		cfg.ClientCAs, cfg.ClientAuth = pool, tls.RequireAndVerifyClientCert
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &frontend{}
	g := grpc.NewServer(grpc.Creds(credentials.NewTLS(cfg)))
	workflowservice.RegisterWorkflowServiceServer(g, f)
	go func() { _ = g.Serve(l) }()
	t.Cleanup(g.Stop)
	return l.Addr().String(), f
}

type pki struct {
	dir                string
	ca, other          *certs.CA
	caFile, otherFile  string
	server, rogue      certs.Pair
	clientCert, client string // client cert and key files
}

func newPKI(t *testing.T) pki {
	t.Helper()
	p := pki{dir: t.TempDir()}
	var err error
	if p.ca, err = certs.NewCA("harbordesk test CA"); err != nil {
		t.Fatal(err)
	}
	if p.other, err = certs.NewCA("someone else's CA"); err != nil {
		t.Fatal(err)
	}
	if p.caFile, err = p.ca.WriteCert(p.dir, "ca"); err != nil {
		t.Fatal(err)
	}
	if p.otherFile, err = p.other.WriteCert(p.dir, "other-ca"); err != nil {
		t.Fatal(err)
	}
	if p.server, err = p.ca.Issue("temporal-frontend", "temporal.test", "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	if p.rogue, err = p.other.Issue("temporal-frontend", "temporal.test", "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	client, err := p.ca.Issue("harbordesk-worker")
	if err != nil {
		t.Fatal(err)
	}
	if p.clientCert, p.client, err = client.Write(p.dir, "client"); err != nil {
		t.Fatal(err)
	}
	return p
}

func dial(t *testing.T, conn Conn) error {
	t.Helper()
	ring, err := codec.ParseKeyring("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	start := time.Now()
	c, err := Dial(ctx, conn, ring, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err == nil {
		c.Close()
	} else if d := time.Since(start); d > 10*time.Second {
		t.Errorf("a TLS failure took %v: it must not be retried", d)
	}
	return err
}

// The client connects with mTLS to a frontend whose certificate the CA
// signed, presenting its own certificate.
func TestDialMTLS(t *testing.T) {
	p := newPKI(t)
	addr, f := serve(t, p.server, p.ca)
	err := dial(t, Conn{Address: addr, Namespace: "default", Security: Security{
		CAFile: p.caFile, CertFile: p.clientCert, KeyFile: p.client, ServerName: "temporal.test"}})
	if err != nil {
		t.Fatalf("mTLS dial: %v", err)
	}
	if len(f.clientCN) == 0 || f.clientCN[0] != "harbordesk-worker" {
		t.Errorf("frontend saw client certificates %v", f.clientCN)
	}
}

// The client refuses a frontend whose certificate the CA did not sign, and
// says which setting to look at.
func TestDialRefusesUnknownServer(t *testing.T) {
	p := newPKI(t)
	addr, f := serve(t, p.rogue, nil)
	err := dial(t, Conn{Address: addr, Namespace: "default", Security: Security{
		CAFile: p.caFile, CertFile: p.clientCert, KeyFile: p.client, ServerName: "temporal.test"}})
	if err == nil || !strings.HasPrefix(err.Error(), "TEMPORAL_TLS_CA: ") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("dial to a rogue frontend: %v", err)
	}
	if len(f.clientCN) != 0 {
		t.Errorf("the rogue frontend got a call")
	}
}

func TestDialTLSFailures(t *testing.T) {
	p := newPKI(t)
	mtls, _ := serve(t, p.server, p.ca)
	tests := []struct {
		name string
		addr string
		sec  Security
		want string
	}{
		{"no client certificate for an mTLS frontend", mtls, Security{CAFile: p.caFile, ServerName: "temporal.test"}, "TEMPORAL_TLS_CERT: "},
		{"wrong server name", mtls, Security{CAFile: p.caFile, CertFile: p.clientCert, KeyFile: p.client, ServerName: "elsewhere.test"}, "TEMPORAL_TLS_SERVER_NAME: "},
		{"other CA", mtls, Security{CAFile: p.otherFile, CertFile: p.clientCert, KeyFile: p.client, ServerName: "temporal.test"}, "TEMPORAL_TLS_CA: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := dial(t, Conn{Address: tt.addr, Namespace: "default", Security: tt.sec})
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("err = %v, want one line starting %q", err, tt.want)
			}
		})
	}
}

// The API key travels as a bearer token over TLS.
func TestDialAPIKey(t *testing.T) {
	p := newPKI(t)
	addr, f := serve(t, p.server, nil)
	if err := dial(t, Conn{Address: addr, Namespace: "ns.acct", Security: Security{CAFile: p.caFile, ServerName: "temporal.test", APIKey: "cloud-key-1"}}); err != nil {
		t.Fatal(err)
	}
	if len(f.auth) == 0 || f.auth[0] != "Bearer cloud-key-1" {
		t.Errorf("frontend saw authorization %v", f.auth)
	}
}

// Bad files and keys fail at once with one line naming the variable.
func TestSecuritySettingsErrors(t *testing.T) {
	p := newPKI(t)
	junk := filepath.Join(p.dir, "junk.pem")
	if err := os.WriteFile(junk, []byte("not a pem"), 0o600); err != nil {
		t.Fatal(err)
	}
	otherKey := filepath.Join(p.dir, "other.key")
	pair, err := p.ca.Issue("x")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(otherKey, pair.KeyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		sec  Security
		want string
	}{
		{"missing CA file", Security{CAFile: filepath.Join(p.dir, "nope.pem")}, "TEMPORAL_TLS_CA: cannot read"},
		{"CA not PEM", Security{CAFile: junk}, "TEMPORAL_TLS_CA: "},
		{"cert without key", Security{CertFile: p.clientCert}, "TEMPORAL_TLS_KEY is not set"},
		{"key without cert", Security{KeyFile: p.client}, "TEMPORAL_TLS_CERT is not set"},
		{"cert not PEM", Security{CertFile: junk, KeyFile: p.client}, "TEMPORAL_TLS_CERT: "},
		{"key of another cert", Security{CertFile: p.clientCert, KeyFile: otherKey}, "TEMPORAL_TLS_KEY: "},
		{"missing key file", Security{CertFile: p.clientCert, KeyFile: filepath.Join(p.dir, "none.key")}, "TEMPORAL_TLS_KEY: cannot read"},
		{"API key with a newline", Security{APIKey: "abc\ndef"}, "TEMPORAL_API_KEY is malformed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := dial(t, Conn{Address: "127.0.0.1:1", Namespace: "default", Security: tt.sec})
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("err = %v, want one line starting %q", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), "abc") {
				t.Errorf("error echoes the API key: %v", err)
			}
		})
	}
}
