package main

import (
	"time"

	"crypto/hmac"
	"crypto/sha256"

	"github.com/harbordesk/harbordesk/api"
	"github.com/harbordesk/harbordesk/internal/attach"
	"github.com/harbordesk/harbordesk/internal/codec"
	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/crm"
	"github.com/harbordesk/harbordesk/internal/llm"
)

// translationTimeout bounds one machine translation for an agent: longer
// than an answer's, since an agent waits for it, not a customer.
const translationTimeout = 8 * time.Second

// workspace wires the agents' workspace routes: the REST CRM when one is
// configured (else the built-in PostgreSQL CRM, chosen at mount), and
// machine translation through the LLM when HARBORDESK_LLM_URL is set.
func workspace(cfg config.Config, ring *codec.Keyring) api.Workspace {
	ws := api.Workspace{Attachments: &api.Attachments{Ring: ring, Links: attach.Signer{Key: linkKey(ring)}}}
	if cfg.CRMURL != "" {
		if rest, err := crm.NewREST(crm.RESTConfig{BaseURL: cfg.CRMURL, TokenURL: cfg.CRMTokenURL,
			ClientID: cfg.CRMClientID, ClientSecret: cfg.CRMClientSecret}); err == nil {
			ws.CRM = rest // an invalid CRM config already stops the worker's start
		}
	}
	ws.Translator.Timeout = translationTimeout
	if cfg.LLMURL != "" {
		ws.Translator.Machine = llm.NewOpenAI(cfg.LLMURL, cfg.LLMModel, cfg.LLMKey, llm.WithTimeout(translationTimeout))
	}
	return ws
}

// linkKey derives the attachment-link signing key from the deployment's
// data key, so every API replica signs and checks the same links.
func linkKey(ring *codec.Keyring) []byte {
	m := hmac.New(sha256.New, ring.PseudonymKey())
	m.Write([]byte("harbordesk attachment links v1"))
	return m.Sum(nil)
}
