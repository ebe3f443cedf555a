package main

import (
	"log/slog"
	"os"

	"github.com/gin-gonic/gin"

	"github.com/harbordesk/harbordesk/api"
	"github.com/harbordesk/harbordesk/internal/channel/whatsapp"
	"github.com/harbordesk/harbordesk/internal/chatsession"
	"github.com/harbordesk/harbordesk/internal/codec"
	"github.com/harbordesk/harbordesk/internal/config"
)

// extras lists the optional parts of the API this configuration turns on.
func extras(cfg config.Config, ring *codec.Keyring, sessions *chatsession.Signer, log *slog.Logger) []func(*gin.Engine, *api.Server) {
	ws := workspace(cfg, ring)
	var wa *api.WhatsApp
	if cfg.WhatsAppAppSecret != "" && cfg.WhatsAppVerifyToken != "" {
		wa = &api.WhatsApp{VerifyToken: cfg.WhatsAppVerifyToken, AppSecret: cfg.WhatsAppAppSecret}
		if cfg.WhatsAppToken != "" {
			wa.Media = whatsapp.NewClient(cfg.WhatsAppAPIBase, cfg.WhatsAppToken, cfg.WhatsAppPhoneNumberID)
		}
		say("whatsapp  webhook at /webhooks/whatsapp")
	} else {
		say("whatsapp  off (HARBORDESK_WHATSAPP_VERIFY_TOKEN / _APP_SECRET unset)")
	}
	if cfg.DingTalkAppSecret != "" {
		say("dingtalk  inbound webhook at /webhooks/dingtalk")
	}
	mounts := []func(*gin.Engine, *api.Server){
		api.MountConsole, api.MountKPIs, api.MountCodec(codec.HTTPHandler(ring)),
		api.MountWebhooks(wa, cfg.DingTalkAppSecret),
		api.MountPrivacy(api.Privacy{SubjectKey: []byte(cfg.DataKey), AttachmentRing: ring}),
		api.MountWebChat(api.WebChat{Sessions: sessions, IdentitySecret: []byte(cfg.IdentitySecret),
			SubjectKey: []byte(cfg.DataKey), FrameAncestors: cfg.ChatFrameAncestors, Attachments: ws.Attachments}),
		api.MountContent, api.MountPlaybooks,
		api.MountProfile,
		api.MountWorkspace(ws),
		api.MountCorrections,
	}
	if os.Getenv("HARBORDESK_PPROF") == "1" {
		mounts = append(mounts, api.MountPprof)
	}
	return mounts
}
