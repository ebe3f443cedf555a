// Package config reads Harbordesk's typed configuration from the environment,
// once, at start. A missing or invalid setting fails with one clear line that
// names it (and never echoes a secret).
package config

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/harbordesk/harbordesk/internal/sla"
)

// Role is what an API key may do.
type Role string

// Roles, each including the ones before it. A public key sits in a shop's
// web page: it may only open and use its own web-chat sessions. An intake
// key belongs to a trusted server (the shop's backend).
const (
	RolePublic     Role = "public"
	RoleIntake     Role = "intake"
	RoleAgent      Role = "agent"
	RoleSupervisor Role = "supervisor"
	RoleAdmin      Role = "admin"
)

var roleRank = map[Role]int{RolePublic: 1, RoleIntake: 2, RoleAgent: 3, RoleSupervisor: 4, RoleAdmin: 5}

// Allows reports whether a key with role r may act as role need.
// Public keys only use web-chat sessions, intake keys post contacts; every
// higher role includes the lower ones.
func (r Role) Allows(need Role) bool { return roleRank[r] >= roleRank[need] }

// APIKey is one configured key; Identity names the person or system using it
// in audit entries and handoff claims.
type APIKey struct {
	Key      string
	Role     Role
	Identity string
}

// Config is the whole of Harbordesk's settings.
type Config struct {
	DatabaseURL       string
	HTTPAddr          string
	APIKeys           map[string]APIKey
	DevAdminKey       string // set only in dev when HARBORDESK_API_KEYS is empty
	TemporalAddress   string
	TemporalNamespace string
	// Secured Temporal (api and worker; dev's embedded server is plain):
	// TEMPORAL_TLS_CA, TEMPORAL_TLS_CERT + TEMPORAL_TLS_KEY (mTLS),
	// TEMPORAL_TLS_SERVER_NAME, TEMPORAL_API_KEY (Temporal Cloud). Files are
	// read and checked by internal/temporalx when dialling, at start.
	TemporalTLSCA, TemporalTLSCert, TemporalTLSKey, TemporalTLSServerName, TemporalAPIKey string
	TaskQueue                                                                             string
	DataKey                                                                               string // raw HARBORDESK_DATA_KEY (keyring syntax); parsed by internal/codec
	DataDir                                                                               string
	MaxBodyBytes                                                                          int64
	SLA                                                                                   string // HARBORDESK_SLA, parsed by internal/sla
	AIPercent                                                                             int
	IdleTimeout                                                                           time.Duration
	Retention                                                                             time.Duration
	PublicURL                                                                             string
	RateLimit                                                                             string // HARBORDESK_RATE_LIMIT, parsed by api.ParseRateLimit
	// PublicRateLimit (HARBORDESK_PUBLIC_RATE_LIMIT) limits each public key
	// per client address; same syntax as RateLimit, "off" turns it off.
	PublicRateLimit string
	// IdentitySecret (HARBORDESK_IDENTITY_SECRET) verifies customer_hash
	// on web-chat sessions; empty: every session is anonymous.
	IdentitySecret string
	// ChatSessionTTL (HARBORDESK_CHAT_SESSION_TTL) is how long a web-chat
	// session token is valid.
	ChatSessionTTL time.Duration
	// ChatFrameAncestors (HARBORDESK_CHAT_FRAME_ANCESTORS, space or comma
	// separated origins) may frame the chat page; empty: any site.
	ChatFrameAncestors []string
	// TrustedProxies (HARBORDESK_TRUSTED_PROXIES, CIDRs) may set
	// X-Forwarded-For; empty: the client address is the TCP peer.
	TrustedProxies []string
	// MetricsToken (HARBORDESK_METRICS_TOKEN): scrapers presenting it as a
	// bearer token also get the KPI gauges on /metrics; unset, none are served.
	MetricsToken string

	DingTalkWebhook   string
	DingTalkSecret    string
	DingTalkAppSecret string
	DingTalkMentions  []string // HARBORDESK_DINGTALK_AT: on-duty supervisors (mobiles or user IDs) to @
	// DingTalkThrottle (HARBORDESK_DINGTALK_THROTTLE) is how long pushes
	// wait after the robot answers "send too fast"; DingTalk's penalty is 10m.
	DingTalkThrottle time.Duration

	WhatsAppVerifyToken   string
	WhatsAppAppSecret     string
	WhatsAppToken         string
	WhatsAppPhoneNumberID string
	WhatsAppAPIBase       string

	ASRURL       string
	ASRModel     string
	ASRKey       string
	WhisperModel string
	LLMURL       string
	LLMModel     string
	LLMKey       string
	// LLMReading (HARBORDESK_LLM_READING, default on when HARBORDESK_LLM_URL
	// is set; "off" keeps the offline classifier) lets the model read
	// messages, bounded by LLMReadTimeout (HARBORDESK_LLM_READ_TIMEOUT, 3s).
	LLMReading     bool
	LLMReadTimeout time.Duration

	CRMURL          string
	CRMTokenURL     string
	CRMClientID     string
	CRMClientSecret string

	WorkerActivities int
	WorkerPollers    int
	WorkerCache      int // HARBORDESK_WORKER_CACHE: sticky workflow cache size

	// People's accounts (CONTRACT.md "Agents, routing and the workspace").
	SessionTTL       time.Duration // HARBORDESK_SESSION_TTL: a sign-in's lifetime
	AssignTimeout    time.Duration // HARBORDESK_ASSIGN_TIMEOUT: an assignee's time to claim
	OIDCIssuer       string        // HARBORDESK_OIDC_ISSUER: SSO provider (OpenID Connect)
	OIDCClientID     string
	OIDCClientSecret string
}

// DefaultPublicRateLimit is the rate limit of a public key per client
// address when HARBORDESK_PUBLIC_RATE_LIMIT is unset: a chat page makes a
// handful of requests a minute, a script opening sessions hundreds.
const DefaultPublicRateLimit = "5/s,burst=60"

// DevDataKey is the payload key `harbordesk dev` uses when none is given.
// It is printed at start and is not for production.
const DevDataKey = "ZGV2LW9ubHktZGF0YS1rZXktZm9yLWhhcmJvcmRlc2s="

// Load reads the environment. dev relaxes what a laptop may leave out.
func Load(dev bool) (Config, error) {
	c := Config{
		DatabaseURL:           env("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/harbordesk?sslmode=disable"),
		HTTPAddr:              env("HARBORDESK_HTTP_ADDR", "127.0.0.1:8080"),
		TemporalAddress:       env("TEMPORAL_ADDRESS", "127.0.0.1:7233"),
		TemporalNamespace:     env("TEMPORAL_NAMESPACE", "default"),
		TemporalTLSCA:         os.Getenv("TEMPORAL_TLS_CA"),
		TemporalTLSCert:       os.Getenv("TEMPORAL_TLS_CERT"),
		TemporalTLSKey:        os.Getenv("TEMPORAL_TLS_KEY"),
		TemporalTLSServerName: os.Getenv("TEMPORAL_TLS_SERVER_NAME"),
		TemporalAPIKey:        os.Getenv("TEMPORAL_API_KEY"),
		TaskQueue:             env("HARBORDESK_TASK_QUEUE", "harbordesk-contacts"),
		DataKey:               os.Getenv("HARBORDESK_DATA_KEY"),
		SLA:                   os.Getenv("HARBORDESK_SLA"),
		PublicURL:             os.Getenv("HARBORDESK_PUBLIC_URL"),
		RateLimit:             os.Getenv("HARBORDESK_RATE_LIMIT"),
		PublicRateLimit:       env("HARBORDESK_PUBLIC_RATE_LIMIT", DefaultPublicRateLimit),
		IdentitySecret:        os.Getenv("HARBORDESK_IDENTITY_SECRET"),
		ChatFrameAncestors: strings.FieldsFunc(os.Getenv("HARBORDESK_CHAT_FRAME_ANCESTORS"), func(r rune) bool {
			return r == ',' || r == ' '
		}),
		TrustedProxies: splitList(os.Getenv("HARBORDESK_TRUSTED_PROXIES")),
		MetricsToken:   os.Getenv("HARBORDESK_METRICS_TOKEN"),

		DingTalkWebhook:   os.Getenv("HARBORDESK_DINGTALK_WEBHOOK"),
		DingTalkSecret:    os.Getenv("HARBORDESK_DINGTALK_SECRET"),
		DingTalkAppSecret: os.Getenv("HARBORDESK_DINGTALK_APP_SECRET"),
		DingTalkMentions:  splitList(os.Getenv("HARBORDESK_DINGTALK_AT")),

		WhatsAppVerifyToken:   os.Getenv("HARBORDESK_WHATSAPP_VERIFY_TOKEN"),
		WhatsAppAppSecret:     os.Getenv("HARBORDESK_WHATSAPP_APP_SECRET"),
		WhatsAppToken:         os.Getenv("HARBORDESK_WHATSAPP_TOKEN"),
		WhatsAppPhoneNumberID: os.Getenv("HARBORDESK_WHATSAPP_PHONE_NUMBER_ID"),
		WhatsAppAPIBase:       env("HARBORDESK_WHATSAPP_API_BASE", "https://graph.facebook.com/v21.0"),

		ASRURL:       os.Getenv("HARBORDESK_ASR_URL"),
		ASRModel:     env("HARBORDESK_ASR_MODEL", "whisper-1"),
		ASRKey:       os.Getenv("HARBORDESK_ASR_KEY"),
		WhisperModel: os.Getenv("HARBORDESK_WHISPER_MODEL"),
		LLMURL:       os.Getenv("HARBORDESK_LLM_URL"),
		LLMModel:     env("HARBORDESK_LLM_MODEL", "gpt-4o-mini"),
		LLMKey:       os.Getenv("HARBORDESK_LLM_KEY"),

		CRMURL:          os.Getenv("HARBORDESK_CRM_URL"),
		CRMTokenURL:     os.Getenv("HARBORDESK_CRM_TOKEN_URL"),
		CRMClientID:     os.Getenv("HARBORDESK_CRM_CLIENT_ID"),
		CRMClientSecret: os.Getenv("HARBORDESK_CRM_CLIENT_SECRET"),
	}
	var err error
	if c.MaxBodyBytes, err = intEnv("HARBORDESK_MAX_BODY_BYTES", 16<<20, 1024, 1<<30); err != nil {
		return c, err
	}
	pct, err := intEnv("HARBORDESK_AI_PERCENT", 100, 0, 100)
	if err != nil {
		return c, err
	}
	c.AIPercent = int(pct)
	acts, err := intEnv("HARBORDESK_WORKER_ACTIVITIES", 200, 1, 10000)
	if err != nil {
		return c, err
	}
	c.WorkerActivities = int(acts)
	pollers, err := intEnv("HARBORDESK_WORKER_POLLERS", 8, 1, 256)
	if err != nil {
		return c, err
	}
	c.WorkerPollers = int(pollers)
	cache, err := intEnv("HARBORDESK_WORKER_CACHE", 600, 10, 100000)
	if err != nil {
		return c, err
	}
	c.WorkerCache = int(cache)
	if c.IdleTimeout, err = durEnv("HARBORDESK_IDLE_TIMEOUT", 30*time.Minute); err != nil {
		return c, err
	}
	if err := c.loadAccounts(); err != nil {
		return c, err
	}
	if _, err := sla.ParsePolicy(c.SLA); err != nil {
		return c, err // names HARBORDESK_SLA and the bad part
	}
	if c.ChatSessionTTL, err = durEnv("HARBORDESK_CHAT_SESSION_TTL", 24*time.Hour); err != nil {
		return c, err
	}
	for _, p := range c.TrustedProxies {
		if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
			return c, fmt.Errorf("HARBORDESK_TRUSTED_PROXIES entry %q: want an IP address or CIDR", p)
		}
	}
	if c.Retention, err = durEnv("HARBORDESK_RETENTION", 365*24*time.Hour); err != nil {
		return c, err
	}
	if c.DingTalkThrottle, err = durEnv("HARBORDESK_DINGTALK_THROTTLE", 10*time.Minute); err != nil {
		return c, err
	}
	switch v := strings.ToLower(env("HARBORDESK_LLM_READING", "on")); v {
	case "on", "true", "1":
		c.LLMReading = true
	case "off", "false", "0":
	default:
		return c, fmt.Errorf("HARBORDESK_LLM_READING must be on or off")
	}
	if c.LLMReadTimeout, err = durEnv("HARBORDESK_LLM_READ_TIMEOUT", 3*time.Second); err != nil {
		return c, err
	}
	if c.APIKeys, err = ParseAPIKeys(os.Getenv("HARBORDESK_API_KEYS")); err != nil {
		return c, err
	}
	if len(c.APIKeys) == 0 {
		if !dev {
			return c, fmt.Errorf("HARBORDESK_API_KEYS is not set (want key:role[:identity],...; roles public, intake, agent, supervisor, admin)")
		}
		c.DevAdminKey = "dev-admin-key"
		c.APIKeys = map[string]APIKey{c.DevAdminKey: {Key: c.DevAdminKey, Role: RoleAdmin, Identity: "dev-admin"}}
	}
	if c.DataKey == "" {
		if !dev {
			return c, fmt.Errorf("HARBORDESK_DATA_KEY is not set (want base64 of 32 random bytes: openssl rand -base64 32)")
		}
		c.DataKey = DevDataKey
	}
	if (c.DingTalkWebhook == "") != (c.DingTalkSecret == "") {
		return c, fmt.Errorf("HARBORDESK_DINGTALK_WEBHOOK and HARBORDESK_DINGTALK_SECRET must be set together")
	}
	if c.CRMURL != "" && (c.CRMTokenURL == "" || c.CRMClientID == "" || c.CRMClientSecret == "") {
		return c, fmt.Errorf("HARBORDESK_CRM_URL needs HARBORDESK_CRM_TOKEN_URL, HARBORDESK_CRM_CLIENT_ID and HARBORDESK_CRM_CLIENT_SECRET")
	}
	if c.PublicURL == "" {
		c.PublicURL = "http://" + c.HTTPAddr
	}
	return c, nil
}

func (c *Config) loadAccounts() error {
	var err error
	if c.SessionTTL, err = durEnv("HARBORDESK_SESSION_TTL", 12*time.Hour); err != nil {
		return err
	}
	if c.AssignTimeout, err = durEnv("HARBORDESK_ASSIGN_TIMEOUT", 2*time.Minute); err != nil {
		return err
	}
	c.OIDCIssuer = os.Getenv("HARBORDESK_OIDC_ISSUER")
	c.OIDCClientID = os.Getenv("HARBORDESK_OIDC_CLIENT_ID")
	c.OIDCClientSecret = os.Getenv("HARBORDESK_OIDC_CLIENT_SECRET")
	if c.OIDCIssuer != "" && c.OIDCClientID == "" {
		return fmt.Errorf("HARBORDESK_OIDC_ISSUER needs HARBORDESK_OIDC_CLIENT_ID (and HARBORDESK_OIDC_CLIENT_SECRET for a confidential client)")
	}
	return nil
}

// ParseAPIKeys parses `key:role[:identity],…`. The identity defaults to the
// role plus the key's position, so the raw key never shows up in audit logs.
func ParseAPIKeys(s string) (map[string]APIKey, error) {
	keys := map[string]APIKey{}
	if strings.TrimSpace(s) == "" {
		return keys, nil
	}
	for i, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		f := strings.Split(part, ":")
		if len(f) < 2 || len(f) > 3 || f[0] == "" {
			return nil, fmt.Errorf("HARBORDESK_API_KEYS entry %d: want key:role[:identity]", i+1)
		}
		role := Role(f[1])
		if _, ok := roleRank[role]; !ok {
			return nil, fmt.Errorf("HARBORDESK_API_KEYS entry %d: unknown role %q (public, intake, agent, supervisor, admin)", i+1, f[1])
		}
		id := fmt.Sprintf("%s-%d", role, i+1)
		if len(f) == 3 && f[2] != "" {
			id = f[2]
		}
		if _, dup := keys[f[0]]; dup {
			return nil, fmt.Errorf("HARBORDESK_API_KEYS entry %d: duplicate key", i+1)
		}
		keys[f[0]] = APIKey{Key: f[0], Role: role, Identity: id}
	}
	return keys, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func intEnv(name string, def, lo, hi int64) (int64, error) {
	v := os.Getenv(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%s=%q: want an integer from %d to %d", name, v, lo, hi)
	}
	return n, nil
}

func durEnv(name string, def time.Duration) (time.Duration, error) {
	v := os.Getenv(name)
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s=%q: want a positive duration such as 30m", name, v)
	}
	return d, nil
}
