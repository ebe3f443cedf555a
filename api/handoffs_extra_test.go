package api

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/harbordesk/harbordesk/internal/config"
)

// The transfer and reply handlers turn away bad bodies and unknown targets
// before anything reaches the contact's workflow (Desk is nil here: reaching
// it would panic and fail the test with a 500).
func TestHandoffExtraValidation(t *testing.T) {
	s := &Server{Log: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(), MaxBody: 1 << 16,
		Keys: map[string]config.APIKey{
			"ag": {Key: "ag", Role: config.RoleAgent, Identity: "alice"},
			"in": {Key: "in", Role: config.RoleIntake, Identity: "bot"},
		}}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	tests := []struct {
		name, path, key, body string
		want                  int
	}{
		{"transfer without target", "/v1/handoffs/ho_1/transfer", "ag", `{}`, 422},
		{"transfer to blank", "/v1/handoffs/ho_1/transfer", "ag", `{"to":"  "}`, 422},
		{"transfer to unknown identity", "/v1/handoffs/ho_1/transfer", "ag", `{"to":"mallory"}`, 422},
		{"transfer to a non-agent key", "/v1/handoffs/ho_1/transfer", "ag", `{"to":"bot"}`, 422},
		{"transfer not JSON", "/v1/handoffs/ho_1/transfer", "ag", `to=bob`, 400},
		{"transfer by intake key", "/v1/handoffs/ho_1/transfer", "in", `{"to":"alice"}`, 403},
		{"transfer without key", "/v1/handoffs/ho_1/transfer", "", `{"to":"alice"}`, 401},
		{"reply awaiting with no text", "/v1/handoffs/ho_1/reply", "ag", `{"text":"","await_customer":true}`, 422},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", ts.URL+tt.path, strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/json")
			if tt.key != "" {
				req.Header.Set("Authorization", "Bearer "+tt.key)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("%s = %d, want %d", tt.path, resp.StatusCode, tt.want)
			}
		})
	}
}
