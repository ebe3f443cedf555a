package temporalx

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strings"

	"go.temporal.io/sdk/client"
)

// Security is how the client proves itself to a secured Temporal cluster
// and checks the cluster (CONTRACT.md "Production topology").
type Security struct {
	CAFile     string // TEMPORAL_TLS_CA: PEM CA bundle that signed the frontend's certificate
	CertFile   string // TEMPORAL_TLS_CERT: client certificate (mTLS), with KeyFile
	KeyFile    string // TEMPORAL_TLS_KEY
	ServerName string // TEMPORAL_TLS_SERVER_NAME: name to verify instead of the address's host
	APIKey     string // TEMPORAL_API_KEY: Temporal Cloud API key (implies TLS)
}

// Enabled reports whether any TLS or API-key setting is given.
func (s Security) Enabled() bool {
	return s.CAFile != "" || s.CertFile != "" || s.KeyFile != "" || s.ServerName != "" || s.APIKey != ""
}

// TLS builds the client's TLS configuration, nil when no setting asks for
// TLS. Every error is one line naming the variable at fault.
func (s Security) TLS() (*tls.Config, error) {
	if !s.Enabled() {
		return nil, nil
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: s.ServerName}
	if s.CAFile != "" {
		pem, err := os.ReadFile(s.CAFile)
		if err != nil {
			return nil, fmt.Errorf("TEMPORAL_TLS_CA: cannot read %s: %v", s.CAFile, pathErr(err))
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("TEMPORAL_TLS_CA: %s holds no PEM certificate", s.CAFile)
		}
		cfg.RootCAs = pool
	}
	switch {
	case s.CertFile != "" && s.KeyFile == "":
		return nil, errors.New("TEMPORAL_TLS_KEY is not set: TEMPORAL_TLS_CERT needs its private key")
	case s.KeyFile != "" && s.CertFile == "":
		return nil, errors.New("TEMPORAL_TLS_CERT is not set: TEMPORAL_TLS_KEY needs its certificate")
	case s.CertFile != "":
		certPEM, err := os.ReadFile(s.CertFile)
		if err != nil {
			return nil, fmt.Errorf("TEMPORAL_TLS_CERT: cannot read %s: %v", s.CertFile, pathErr(err))
		}
		keyPEM, err := os.ReadFile(s.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("TEMPORAL_TLS_KEY: cannot read %s: %v", s.KeyFile, pathErr(err))
		}
		pair, err := tls.X509KeyPair(certPEM, keyPEM)
		if err != nil {
			if !strings.Contains(string(certPEM), "CERTIFICATE") {
				return nil, fmt.Errorf("TEMPORAL_TLS_CERT: %s holds no PEM certificate", s.CertFile)
			}
			return nil, fmt.Errorf("TEMPORAL_TLS_KEY: %s is not the private key of TEMPORAL_TLS_CERT (or not a PEM key)", s.KeyFile)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	return cfg, nil
}

// credentials is the API-key credential, nil without a key.
func (s Security) credentials() (client.Credentials, error) {
	if s.APIKey == "" {
		return nil, nil
	}
	for _, r := range s.APIKey {
		if r <= ' ' || r == 0x7f {
			return nil, errors.New("TEMPORAL_API_KEY is malformed: it holds whitespace or control characters")
		}
	}
	return client.NewAPIKeyStaticCredentials(s.APIKey), nil
}

// pathErr is the reason of a file error without repeating the path.
func pathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
