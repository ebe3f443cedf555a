package config

import (
	"strings"
	"testing"
	"time"
)

// Every invalid setting fails Load with one line that names it and never
// echoes a secret.
func TestLoadRejectsBadSettings(t *testing.T) {
	cases := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"HARBORDESK_SLA": "P1=abc"}, "HARBORDESK_SLA"},
		{map[string]string{"HARBORDESK_AI_PERCENT": "150"}, "HARBORDESK_AI_PERCENT"},
		{map[string]string{"HARBORDESK_WORKER_CACHE": "1"}, "HARBORDESK_WORKER_CACHE"},
		{map[string]string{"HARBORDESK_IDLE_TIMEOUT": "soon"}, "HARBORDESK_IDLE_TIMEOUT"},
		{map[string]string{"HARBORDESK_RETENTION": "-1h"}, "HARBORDESK_RETENTION"},
		{map[string]string{"HARBORDESK_API_KEYS": "secretkey:root"}, "HARBORDESK_API_KEYS"},
		{map[string]string{"HARBORDESK_DINGTALK_WEBHOOK": "https://oapi.dingtalk.com/robot/send?access_token=x"}, "HARBORDESK_DINGTALK_SECRET"},
		{map[string]string{"HARBORDESK_CRM_URL": "https://erp.example"}, "HARBORDESK_CRM_TOKEN_URL"},
		{map[string]string{"HARBORDESK_CHAT_SESSION_TTL": "0s"}, "HARBORDESK_CHAT_SESSION_TTL"},
		{map[string]string{"HARBORDESK_TRUSTED_PROXIES": "10.0.0.0/8,not-an-ip"}, "HARBORDESK_TRUSTED_PROXIES"},
		{map[string]string{"HARBORDESK_API_KEYS": "secretkey:anonymous"}, "HARBORDESK_API_KEYS"},
	}
	for _, c := range cases {
		for k, v := range c.env {
			t.Setenv(k, v)
		}
		_, err := Load(true)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: err = %v, want one line naming %s", c.env, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "secretkey") {
			t.Errorf("error echoes a key: %v", err)
		}
		for k := range c.env {
			t.Setenv(k, "")
		}
	}
}

func TestLoadProductionNeedsKeys(t *testing.T) {
	t.Setenv("HARBORDESK_API_KEYS", "")
	if _, err := Load(false); err == nil || !strings.Contains(err.Error(), "HARBORDESK_API_KEYS") {
		t.Errorf("api/worker without keys: %v", err)
	}
	t.Setenv("HARBORDESK_API_KEYS", "k:agent:alice,i:intake")
	if _, err := Load(false); err == nil || !strings.Contains(err.Error(), "HARBORDESK_DATA_KEY") {
		t.Errorf("api/worker without data key: %v", err)
	}
	c, err := Load(true)
	if err != nil || c.APIKeys["k"].Identity != "alice" || c.APIKeys["i"].Role != RoleIntake || c.DataKey != DevDataKey {
		t.Errorf("dev load = %+v, %v", c.APIKeys, err)
	}
	if !RoleAdmin.Allows(RoleAgent) || RoleIntake.Allows(RoleAgent) {
		t.Error("role ranks")
	}
}

func TestPublicRoleAndChatSettings(t *testing.T) {
	t.Setenv("HARBORDESK_API_KEYS", "pk:public:web-chat,i:intake")
	t.Setenv("HARBORDESK_CHAT_FRAME_ANCESTORS", "https://a.example, https://b.example")
	t.Setenv("HARBORDESK_TRUSTED_PROXIES", "10.0.0.0/8,192.0.2.7")
	c, err := Load(true)
	if err != nil {
		t.Fatal(err)
	}
	if c.APIKeys["pk"].Role != RolePublic || c.PublicRateLimit != DefaultPublicRateLimit || c.ChatSessionTTL != 24*time.Hour ||
		strings.Join(c.ChatFrameAncestors, "|") != "https://a.example|https://b.example" || len(c.TrustedProxies) != 2 {
		t.Errorf("config = %+v", c)
	}
	for need, want := range map[Role]bool{RolePublic: true, RoleIntake: false, RoleAgent: false} {
		if got := RolePublic.Allows(need); got != want {
			t.Errorf("public allows %s = %v, want %v", need, got, want)
		}
	}
	if !RoleIntake.Allows(RolePublic) || !RoleAdmin.Allows(RolePublic) {
		t.Error("higher roles must include public")
	}
}
