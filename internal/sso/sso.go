// Package sso signs people in through an OpenID Connect provider with the
// authorization code flow and PKCE (github.com/coreos/go-oidc/v3 and
// golang.org/x/oauth2). The flow's state, nonce and PKCE verifier travel in
// a short-lived cookie sealed with HMAC-SHA256, so any API process can
// finish a sign-in another one started. A verified ID token yields the
// person's e-mail address, which the caller maps to an account login.
package sso

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// CookieName holds the sealed flow state between start and callback.
const CookieName = "hd_sso"

// FlowTTL bounds how long a sign-in may take at the provider.
const FlowTTL = 10 * time.Minute

// Errors the callback maps to answers.
var (
	// ErrFlow is a callback that does not belong to a flow this server
	// started (missing, forged or expired cookie, state mismatch).
	ErrFlow = errors.New("sign-in flow not recognised")
	// ErrToken is a provider answer that fails verification (code refused,
	// ID token signature, issuer, audience, expiry or nonce).
	ErrToken = errors.New("identity not verified")
	// ErrNoEmail is a verified identity without a verified e-mail address.
	ErrNoEmail = errors.New("no verified e-mail address")
)

// Provider is one configured OpenID Connect provider.
type Provider struct {
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
	key      []byte
	now      func() time.Time
}

// Config names the provider and this client.
type Config struct {
	Issuer, ClientID, ClientSecret string
	RedirectURL                    string // this server's callback URL
	Key                            []byte // seals the flow cookie (32 random bytes or a derived key)
}

// New discovers the provider (its /.well-known/openid-configuration).
func New(ctx context.Context, c Config) (*Provider, error) {
	if len(c.Key) < 16 {
		return nil, errors.New("sso: sealing key too short")
	}
	op, err := oidc.NewProvider(ctx, c.Issuer)
	if err != nil {
		return nil, err
	}
	return &Provider{
		oauth: oauth2.Config{ClientID: c.ClientID, ClientSecret: c.ClientSecret, RedirectURL: c.RedirectURL,
			Endpoint: op.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "email", "profile"}},
		verifier: op.Verifier(&oidc.Config{ClientID: c.ClientID}),
		key:      c.Key,
		now:      time.Now,
	}, nil
}

// flow is what the cookie carries.
type flow struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Expires  int64  `json:"e"`
}

// Start begins a sign-in: the URL to send the browser to and the sealed
// cookie value to set.
func (p *Provider) Start() (authURL, cookie string, err error) {
	f := flow{State: random(), Nonce: random(), Verifier: oauth2.GenerateVerifier(), Expires: p.now().Add(FlowTTL).Unix()}
	cookie, err = p.seal(f)
	if err != nil {
		return "", "", err
	}
	authURL = p.oauth.AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier))
	return authURL, cookie, nil
}

// Finish completes a sign-in from the callback's state and code and the
// cookie Start set; it returns the verified, lower-cased e-mail address.
func (p *Provider) Finish(ctx context.Context, cookie, state, code string) (string, error) {
	f, err := p.open(cookie)
	if err != nil || state == "" || !hmac.Equal([]byte(f.State), []byte(state)) || code == "" {
		return "", ErrFlow
	}
	tok, err := p.oauth.Exchange(ctx, code, oauth2.VerifierOption(f.Verifier))
	if err != nil {
		return "", errors.Join(ErrToken, err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return "", ErrToken
	}
	idt, err := p.verifier.Verify(ctx, raw)
	if err != nil {
		return "", errors.Join(ErrToken, err)
	}
	if !hmac.Equal([]byte(idt.Nonce), []byte(f.Nonce)) {
		return "", ErrToken
	}
	var claims struct {
		Email         string `json:"email"`
		EmailVerified *bool  `json:"email_verified"`
	}
	if err := idt.Claims(&claims); err != nil {
		return "", ErrToken
	}
	if claims.Email == "" || (claims.EmailVerified != nil && !*claims.EmailVerified) {
		return "", ErrNoEmail
	}
	return strings.ToLower(strings.TrimSpace(claims.Email)), nil
}

func (p *Provider) seal(f flow) (string, error) {
	b, err := json.Marshal(f)
	if err != nil {
		return "", err
	}
	body := base64.RawURLEncoding.EncodeToString(b)
	return body + "." + base64.RawURLEncoding.EncodeToString(p.mac(body)), nil
}

func (p *Provider) open(cookie string) (flow, error) {
	var f flow
	body, sig, ok := strings.Cut(cookie, ".")
	if !ok {
		return f, ErrFlow
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, p.mac(body)) {
		return f, ErrFlow
	}
	b, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil || json.Unmarshal(b, &f) != nil || p.now().Unix() > f.Expires {
		return f, ErrFlow
	}
	return f, nil
}

func (p *Provider) mac(body string) []byte {
	m := hmac.New(sha256.New, p.key)
	m.Write([]byte("harbordesk-sso-flow/v1\x00" + body))
	return m.Sum(nil)
}

func random() string {
	var b [24]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}
