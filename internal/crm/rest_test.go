package crm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeOAuth is an OAuth2 token endpoint for the client-credentials grant
// (RFC 6749 §4.4): client authenticated by HTTP Basic, answers a bearer token
// with expires_in.
type fakeOAuth struct {
	srv       *httptest.Server
	mu        sync.Mutex
	fetches   int
	expiresIn int
	status    int // non-zero: answer this status instead
	issued    map[string]bool
}

func newFakeOAuth(t testing.TB) *fakeOAuth {
	o := &fakeOAuth{expiresIn: 3600, issued: map[string]bool{}}
	o.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, secret, ok := r.BasicAuth()
		if r.Method != http.MethodPost || r.ParseForm() != nil || r.PostForm.Get("grant_type") != "client_credentials" {
			w.WriteHeader(400)
			io.WriteString(w, `{"error":"unsupported_grant_type"}`)
			return
		}
		o.mu.Lock()
		defer o.mu.Unlock()
		if o.status != 0 {
			w.WriteHeader(o.status)
			io.WriteString(w, `{"error":"temporarily_unavailable"}`)
			return
		}
		if !ok || id != "desk" || secret != "s3cret" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(401)
			io.WriteString(w, `{"error":"invalid_client"}`)
			return
		}
		o.fetches++
		tok := fmt.Sprintf("tok-%d", o.fetches)
		o.issued[tok] = true
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": o.expiresIn})
	}))
	t.Cleanup(o.srv.Close)
	return o
}

func (o *fakeOAuth) valid(tok string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.issued[tok]
}

func (o *fakeOAuth) revoke(tok string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	delete(o.issued, tok)
}

func (o *fakeOAuth) count() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.fetches
}

// fakeERP serves customers and orders in its own field names (tier,
// profile.lang, marketing.training_opt_in, order_ref, …) behind the bearer
// tokens fakeOAuth issued.
type fakeERP struct {
	srv       *httptest.Server
	oauth     *fakeOAuth
	mu        sync.Mutex
	status    int           // non-zero: answer this status
	refuseAll bool          // answer 401 to every token
	stall     chan struct{} // non-nil: hang until closed
	calls     int
	tokens    []string
}

func newFakeERP(t testing.TB, o *fakeOAuth) *fakeERP {
	e := &fakeERP{oauth: o}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v2/customers/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") != "c-1" {
			w.WriteHeader(404)
			return
		}
		io.WriteString(w, `{"customer_no":"c-1","tier":"gold","profile":{"lang":"yue"},"marketing":{"training_opt_in":"yes"}}`)
	})
	mux.HandleFunc("GET /api/v2/orders/{no}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("no") != "HK20461" {
			w.WriteHeader(404)
			io.WriteString(w, `{"error":"order not found"}`)
			return
		}
		io.WriteString(w, erpOrder("HK20461", "2025-03-01T15:04:05+08:00"))
	})
	mux.HandleFunc("GET /api/v2/customers/{id}/orders", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") == "c-empty" {
			io.WriteString(w, `{"data":{}}`)
			return
		}
		io.WriteString(w, `{"data":{"orders":[`+erpOrder("HK1", "2025-01-01T00:00:00Z")+`,`+erpOrder("HK2", "2025-02-01T00:00:00Z")+`,"junk"]}}`)
	})
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		e.calls++
		status, stall, refuse := e.status, e.stall, e.refuseAll
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		e.tokens = append(e.tokens, tok)
		e.mu.Unlock()
		if stall != nil {
			<-stall
			return
		}
		if refuse || (o != nil && !o.valid(tok)) {
			w.WriteHeader(401)
			return
		}
		if status != 0 {
			w.WriteHeader(status)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(e.srv.Close)
	return e
}

func erpOrder(no, updated string) string {
	return `{"order_ref":"` + no + `","customer":{"id":"c-1"},"state":"shipped","shipment":{"carrier":"SF Express","tracking":"SF1234567890"},` +
		`"lines":[{"sku":"A-1","title":"Kettle","qty":2},{"sku":"B-2","title":"Mug","qty":"1"}],"modified":"` + updated + `"}`
}

var erpFields = FieldMap{
	FieldCustomerID: "customer_no", FieldVIPTier: "tier", FieldPreferredLanguage: "profile.lang",
	FieldTrainingConsent: "marketing.training_opt_in",
	FieldOrderNumber:     "order_ref", FieldOrderCustomerID: "customer.id", FieldOrderStatus: "state",
	FieldCarrier: "shipment.carrier", FieldTrackingNo: "shipment.tracking", FieldItems: "lines",
	FieldUpdatedAt: "modified", FieldItemName: "title", FieldItemQuantity: "qty", FieldOrders: "data.orders",
}

func newTestREST(t testing.TB, o *fakeOAuth, e *fakeERP) *REST {
	cfg := RESTConfig{
		BaseURL: e.srv.URL + "/api/v2/", ClientID: "desk", ClientSecret: "s3cret",
		Fields: erpFields, Timeout: 2 * time.Second,
	}
	if o != nil {
		cfg.TokenURL = o.srv.URL + "/oauth/token"
	}
	r, err := NewREST(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRESTFieldMapping(t *testing.T) {
	o := newFakeOAuth(t)
	e := newFakeERP(t, o)
	r := newTestREST(t, o, e)
	ctx := context.Background()

	c, err := r.Customer(ctx, "c-1")
	if err != nil {
		t.Fatal(err)
	}
	if want := (Customer{ID: "c-1", VIPTier: "gold", PreferredLanguage: "yue", TrainingConsent: true}); c != want {
		t.Fatalf("customer = %+v", c)
	}
	ord, err := r.Order(ctx, "HK20461")
	if err != nil {
		t.Fatal(err)
	}
	want := Order{
		Number: "HK20461", CustomerID: "c-1", Status: "shipped", Carrier: "SF Express", TrackingNo: "SF1234567890",
		Items:     []Item{{SKU: "A-1", Name: "Kettle", Quantity: 2}, {SKU: "B-2", Name: "Mug", Quantity: 1}},
		UpdatedAt: time.Date(2025, 3, 1, 7, 4, 5, 0, time.UTC),
	}
	if !reflect.DeepEqual(ord, want) {
		t.Fatalf("order = %+v\nwant    %+v", ord, want)
	}
	list, err := r.OrdersFor(ctx, "c-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Number != "HK2" || list[1].Number != "HK1" {
		t.Fatalf("orders = %+v", list)
	}
	if list, err := r.OrdersFor(ctx, "c-empty"); err != nil || len(list) != 0 {
		t.Fatalf("empty orders = %+v, %v", list, err)
	}
}

func TestRESTTokenCachedAndRefreshed(t *testing.T) {
	tests := []struct {
		name        string
		expiresIn   int
		wantFetches int
	}{
		// One token serves every lookup while it is valid.
		{"cached", 3600, 1},
		// A token inside oauth2's 10 s early-expiry margin counts as expired,
		// so each lookup refreshes it.
		{"refreshed after expiry", 5, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newFakeOAuth(t)
			o.expiresIn = tt.expiresIn
			e := newFakeERP(t, o)
			r := newTestREST(t, o, e)
			for range 3 {
				if _, err := r.Customer(context.Background(), "c-1"); err != nil {
					t.Fatal(err)
				}
			}
			if got := o.count(); got != tt.wantFetches {
				t.Fatalf("token fetched %d times, want %d", got, tt.wantFetches)
			}
		})
	}
}

func TestRESTRevokedTokenRefetchedOnce(t *testing.T) {
	o := newFakeOAuth(t)
	e := newFakeERP(t, o)
	r := newTestREST(t, o, e)
	ctx := context.Background()
	if _, err := r.Customer(ctx, "c-1"); err != nil {
		t.Fatal(err)
	}
	o.revoke("tok-1") // the ERP now refuses a token the desk still thinks valid
	if _, err := r.Customer(ctx, "c-1"); err != nil {
		t.Fatalf("after revocation: %v", err)
	}
	if o.count() != 2 || e.tokens[len(e.tokens)-1] != "tok-2" {
		t.Fatalf("fetches=%d tokens=%v", o.count(), e.tokens)
	}
	// An ERP that refuses every token: one fresh token, then ErrUnauthorized.
	e.mu.Lock()
	e.refuseAll = true
	e.mu.Unlock()
	_, err := r.Customer(ctx, "c-1")
	if !errors.Is(err, ErrUnauthorized) || IsRetryable(err) {
		t.Fatalf("err = %v, want ErrUnauthorized", err)
	}
	if o.count() != 3 {
		t.Fatalf("token fetched %d times, want 3 (one per 401, no loop)", o.count())
	}
}

func TestRESTErrors(t *testing.T) {
	tests := []struct {
		name      string
		setup     func(o *fakeOAuth, e *fakeERP)
		call      func(r *REST) error
		wantErr   error
		retryable bool
	}{
		{"customer 404", nil, func(r *REST) error { _, err := r.Customer(context.Background(), "nobody"); return err }, ErrNotFound, false},
		{"order 404", nil, func(r *REST) error { _, err := r.Order(context.Background(), "HK99999"); return err }, ErrNotFound, false},
		{"empty id", nil, func(r *REST) error { _, err := r.Customer(context.Background(), ""); return err }, ErrNotFound, false},
		{"empty number", nil, func(r *REST) error { _, err := r.Order(context.Background(), ""); return err }, ErrNotFound, false},
		{"empty customer for orders", nil, func(r *REST) error { _, err := r.OrdersFor(context.Background(), ""); return err }, ErrNotFound, false},
		{"ERP 503", func(o *fakeOAuth, e *fakeERP) { e.status = 503 }, func(r *REST) error { _, err := r.Order(context.Background(), "HK20461"); return err }, ErrUnavailable, true},
		{"ERP 429", func(o *fakeOAuth, e *fakeERP) { e.status = 429 }, func(r *REST) error { _, err := r.OrdersFor(context.Background(), "c-1"); return err }, ErrUnavailable, true},
		{"ERP 400", func(o *fakeOAuth, e *fakeERP) { e.status = 400 }, func(r *REST) error { _, err := r.Customer(context.Background(), "c-1"); return err }, ErrBadResponse, false},
		{"ERP 403", func(o *fakeOAuth, e *fakeERP) { e.status = 403 }, func(r *REST) error { _, err := r.Customer(context.Background(), "c-1"); return err }, ErrUnauthorized, false},
		{"ERP down", func(o *fakeOAuth, e *fakeERP) { e.srv.Close() }, func(r *REST) error { _, err := r.Order(context.Background(), "HK20461"); return err }, ErrUnavailable, true},
		{"token server 500", func(o *fakeOAuth, e *fakeERP) { o.status = 500 }, func(r *REST) error { _, err := r.Customer(context.Background(), "c-1"); return err }, ErrUnavailable, true},
		{"token server down", func(o *fakeOAuth, e *fakeERP) { o.srv.Close() }, func(r *REST) error { _, err := r.Customer(context.Background(), "c-1"); return err }, ErrUnavailable, true},
		{"bad client secret", func(o *fakeOAuth, e *fakeERP) {}, func(r *REST) error {
			r.oauth.ClientSecret = "wrong"
			r.ts = r.oauth.TokenSource(r.tokenCtx)
			_, err := r.Customer(context.Background(), "c-1")
			return err
		}, ErrUnauthorized, false},
		{"cancelled", nil, func(r *REST) error {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			_, err := r.Customer(ctx, "c-1")
			return err
		}, ErrUnavailable, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newFakeOAuth(t)
			e := newFakeERP(t, o)
			r := newTestREST(t, o, e)
			if tt.setup != nil {
				tt.setup(o, e)
			}
			err := tt.call(r)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if IsRetryable(err) != tt.retryable {
				t.Fatalf("IsRetryable(%v) = %v", err, !tt.retryable)
			}
			if strings.Contains(err.Error(), "nobody") || strings.Contains(err.Error(), "127.0.0.1") {
				t.Fatalf("error leaks id or URL: %v", err)
			}
		})
	}
}

func TestRESTTimeout(t *testing.T) {
	o := newFakeOAuth(t)
	e := newFakeERP(t, o)
	e.stall = make(chan struct{})
	defer close(e.stall)
	r := newTestREST(t, o, e)
	r.http.Timeout = 50 * time.Millisecond
	_, err := r.Order(context.Background(), "HK20461")
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "timeout") {
		t.Fatalf("err = %v", err)
	}
}

func TestRESTBadBodies(t *testing.T) {
	for name, body := range map[string]string{"not json": `<html>`, "array customer": `[1]`, "huge": `"` + strings.Repeat("x", maxResponseBytes) + `"`} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, body) }))
			defer srv.Close()
			r, err := NewREST(RESTConfig{BaseURL: srv.URL})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := r.Customer(context.Background(), "c-1"); !errors.Is(err, ErrBadResponse) {
				t.Fatalf("err = %v", err)
			}
		})
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, `{"orders":"x"}`) }))
	defer srv.Close()
	r, _ := NewREST(RESTConfig{BaseURL: srv.URL, Fields: FieldMap{FieldOrders: "orders"}})
	if _, err := r.OrdersFor(context.Background(), "c-1"); !errors.Is(err, ErrBadResponse) {
		t.Fatalf("non-array orders: %v", err)
	}
	// An order answer without a number field keeps the number asked for.
	if o, err := r.Order(context.Background(), "X1"); err != nil || o.Number != "X1" {
		t.Fatalf("order without number: %+v, %v", o, err)
	}
}

func TestNewRESTValidation(t *testing.T) {
	for name, cfg := range map[string]RESTConfig{
		"no base":          {},
		"relative base":    {BaseURL: "/api"},
		"ftp base":         {BaseURL: "ftp://erp"},
		"token without id": {BaseURL: "https://erp", TokenURL: "https://erp/token"},
	} {
		if _, err := NewREST(cfg); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func BenchmarkRESTOrder(b *testing.B) {
	o := newFakeOAuth(b)
	e := newFakeERP(b, o)
	r := newTestREST(b, o, e)
	for b.Loop() {
		if _, err := r.Order(context.Background(), "HK20461"); err != nil {
			b.Fatal(err)
		}
	}
}
