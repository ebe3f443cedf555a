package config

import (
	"strings"
	"testing"
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
		{map[string]string{"HARBORDESK_IDLE_TIMEOUT": "soon"}, "HARBORDESK_IDLE_TIMEOUT"},
		{map[string]string{"HARBORDESK_RETENTION": "-1h"}, "HARBORDESK_RETENTION"},
		{map[string]string{"HARBORDESK_API_KEYS": "secretkey:root"}, "HARBORDESK_API_KEYS"},
		{map[string]string{"HARBORDESK_DINGTALK_WEBHOOK": "https://oapi.dingtalk.com/robot/send?access_token=x"}, "HARBORDESK_DINGTALK_SECRET"},
		{map[string]string{"HARBORDESK_CRM_URL": "https://erp.example"}, "HARBORDESK_CRM_TOKEN_URL"},
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
