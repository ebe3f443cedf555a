package main

import (
	"github.com/harbordesk/harbordesk/api"
	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/crm"
)

// workspace wires the agents' workspace routes: the REST CRM when one is
// configured (else the built-in PostgreSQL CRM, chosen at mount).
func workspace(cfg config.Config) api.Workspace {
	var ws api.Workspace
	if cfg.CRMURL != "" {
		if rest, err := crm.NewREST(crm.RESTConfig{BaseURL: cfg.CRMURL, TokenURL: cfg.CRMTokenURL,
			ClientID: cfg.CRMClientID, ClientSecret: cfg.CRMClientSecret}); err == nil {
			ws.CRM = rest // an invalid CRM config already stops the worker's start
		}
	}
	return ws
}
