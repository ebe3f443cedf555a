package crm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// Default REST paths; {id} and {number} are replaced (path-escaped).
const (
	DefaultCustomerPath  = "/customers/{id}"
	DefaultOrderPath     = "/orders/{number}"
	DefaultOrdersForPath = "/customers/{id}/orders"
	DefaultTimeout       = 10 * time.Second
	maxResponseBytes     = 1 << 20
)

// RESTConfig configures the REST Directory.
type RESTConfig struct {
	BaseURL string // e.g. "https://erp.example.com/api/v1"
	// OAuth2 client credentials; an empty TokenURL sends no Authorization.
	TokenURL     string
	ClientID     string
	ClientSecret string
	Scopes       []string
	// Paths under BaseURL; empty means the Default… constant.
	CustomerPath  string
	OrderPath     string
	OrdersForPath string
	Fields        FieldMap
	// Timeout bounds each ERP call and each token fetch; 0 = DefaultTimeout.
	Timeout time.Duration
	// Transport for ERP and token calls; nil = http.DefaultTransport.
	Transport http.RoundTripper
}

// REST is a Directory over a CRM/ERP REST API with OAuth2 client credentials.
type REST struct {
	cfg  RESTConfig
	http *http.Client
	// Token handling: clientcredentials' source caches the token and fetches
	// a new one when it expires. A 401 from the ERP means it revoked a token
	// that still looks valid, so the cached source is replaced once.
	oauth    *clientcredentials.Config
	tokenCtx context.Context
	mu       sync.Mutex
	ts       oauth2.TokenSource
}

var _ Directory = (*REST)(nil)

// NewREST validates cfg and returns the REST Directory.
func NewREST(cfg RESTConfig) (*REST, error) {
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, errors.New("crm: base URL must be an absolute http(s) URL")
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.CustomerPath == "" {
		cfg.CustomerPath = DefaultCustomerPath
	}
	if cfg.OrderPath == "" {
		cfg.OrderPath = DefaultOrderPath
	}
	if cfg.OrdersForPath == "" {
		cfg.OrdersForPath = DefaultOrdersForPath
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	transport := cfg.Transport
	if transport == nil {
		transport = http.DefaultTransport
	}
	r := &REST{cfg: cfg, http: &http.Client{Timeout: cfg.Timeout, Transport: transport}}
	if cfg.TokenURL != "" {
		if cfg.ClientID == "" {
			return nil, errors.New("crm: client id required with a token URL")
		}
		r.oauth = &clientcredentials.Config{
			ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret,
			TokenURL: cfg.TokenURL, Scopes: cfg.Scopes,
		}
		// Token fetches outlive any one lookup, so they get their own
		// context carrying the bounded HTTP client.
		r.tokenCtx = context.WithValue(context.Background(), oauth2.HTTPClient,
			&http.Client{Timeout: cfg.Timeout, Transport: transport})
		r.ts = r.oauth.TokenSource(r.tokenCtx)
	}
	return r, nil
}

// Customer fetches one customer profile.
func (r *REST) Customer(ctx context.Context, id string) (Customer, error) {
	if id == "" {
		return Customer{}, fmt.Errorf("%w: empty customer id", ErrNotFound)
	}
	doc, err := r.get(ctx, "customer", strings.ReplaceAll(r.cfg.CustomerPath, "{id}", url.PathEscape(id)))
	if err != nil {
		return Customer{}, err
	}
	if _, ok := doc.(map[string]any); !ok {
		return Customer{}, fmt.Errorf("%w: customer is not an object", ErrBadResponse)
	}
	return r.cfg.Fields.customer(doc, id), nil
}

// Order fetches one order by number.
func (r *REST) Order(ctx context.Context, number string) (Order, error) {
	if number == "" {
		return Order{}, fmt.Errorf("%w: empty order number", ErrNotFound)
	}
	doc, err := r.get(ctx, "order", strings.ReplaceAll(r.cfg.OrderPath, "{number}", url.PathEscape(number)))
	if err != nil {
		return Order{}, err
	}
	if _, ok := doc.(map[string]any); !ok {
		return Order{}, fmt.Errorf("%w: order is not an object", ErrBadResponse)
	}
	o := r.cfg.Fields.order(doc)
	if o.Number == "" {
		o.Number = number
	}
	return o, nil
}

// OrdersFor lists a customer's orders, most recently updated first.
func (r *REST) OrdersFor(ctx context.Context, customerID string) ([]Order, error) {
	if customerID == "" {
		return nil, fmt.Errorf("%w: empty customer id", ErrNotFound)
	}
	doc, err := r.get(ctx, "orders", strings.ReplaceAll(r.cfg.OrdersForPath, "{id}", url.PathEscape(customerID)))
	if err != nil {
		return nil, err
	}
	list, ok := lookup(doc, r.cfg.Fields.path(FieldOrders)).([]any)
	if !ok {
		if lookup(doc, r.cfg.Fields.path(FieldOrders)) == nil {
			return nil, nil // no orders
		}
		return nil, fmt.Errorf("%w: order list is not an array", ErrBadResponse)
	}
	orders := make([]Order, 0, len(list))
	for _, d := range list {
		if _, ok := d.(map[string]any); ok {
			orders = append(orders, r.cfg.Fields.order(d))
		}
	}
	sortByUpdated(orders)
	return orders, nil
}

// get performs an authorised GET and decodes the JSON answer. Errors name
// the operation and status only: ids may be personal data.
func (r *REST) get(ctx context.Context, op, path string) (any, error) {
	for attempt := 0; ; attempt++ {
		tok, err := r.token()
		if err != nil {
			return nil, fmt.Errorf("crm: %s: %w", op, err)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.cfg.BaseURL+path, nil)
		if err != nil {
			return nil, fmt.Errorf("crm: %s: %w: bad request URL", op, ErrBadResponse)
		}
		req.Header.Set("Accept", "application/json")
		if tok != nil {
			tok.SetAuthHeader(req)
		}
		resp, err := r.http.Do(req)
		if err != nil {
			return nil, fmt.Errorf("crm: %s: %w: %s", op, ErrUnavailable, transportKind(err))
		}
		body, readErr := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
		resp.Body.Close()
		switch {
		case resp.StatusCode == http.StatusUnauthorized && tok != nil && attempt == 0:
			r.invalidate(tok)
			continue
		case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
			return nil, fmt.Errorf("crm: %s: %w (status %d)", op, ErrUnauthorized, resp.StatusCode)
		case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
			return nil, fmt.Errorf("crm: %s: %w", op, ErrNotFound)
		case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 || resp.StatusCode == http.StatusRequestTimeout:
			return nil, fmt.Errorf("crm: %s: %w (status %d)", op, ErrUnavailable, resp.StatusCode)
		case resp.StatusCode < 200 || resp.StatusCode > 299:
			return nil, fmt.Errorf("crm: %s: %w (status %d)", op, ErrBadResponse, resp.StatusCode)
		}
		if readErr != nil {
			return nil, fmt.Errorf("crm: %s: %w: %s", op, ErrUnavailable, transportKind(readErr))
		}
		if len(body) > maxResponseBytes {
			return nil, fmt.Errorf("crm: %s: %w: answer over %d bytes", op, ErrBadResponse, maxResponseBytes)
		}
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		var doc any
		if err := dec.Decode(&doc); err != nil {
			return nil, fmt.Errorf("crm: %s: %w: body is not JSON", op, ErrBadResponse)
		}
		return doc, nil
	}
}

// token returns the cached token, fetching one when none is valid; nil when
// OAuth2 is not configured.
func (r *REST) token() (*oauth2.Token, error) {
	if r.oauth == nil {
		return nil, nil
	}
	r.mu.Lock()
	ts := r.ts
	r.mu.Unlock()
	tok, err := ts.Token()
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.Response != nil {
			st := re.Response.StatusCode
			if st == http.StatusTooManyRequests || st >= 500 {
				return nil, fmt.Errorf("%w: token server status %d", ErrUnavailable, st)
			}
			return nil, fmt.Errorf("%w: token server status %d", ErrUnauthorized, st)
		}
		return nil, fmt.Errorf("%w: token server: %s", ErrUnavailable, transportKind(err))
	}
	return tok, nil
}

// invalidate drops the cached token after the ERP refused it, unless a
// concurrent caller already replaced it.
func (r *REST) invalidate(bad *oauth2.Token) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if cur, err := r.ts.Token(); err == nil && cur.AccessToken != bad.AccessToken {
		return
	}
	r.ts = r.oauth.TokenSource(r.tokenCtx)
}

// transportKind names a transport failure without echoing URLs.
func transportKind(err error) string {
	var ne interface{ Timeout() bool }
	if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded) {
		return "timeout"
	}
	if errors.Is(err, context.Canceled) {
		return "canceled"
	}
	return "connection failed"
}
