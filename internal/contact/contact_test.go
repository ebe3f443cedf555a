package contact

import (
	"regexp"
	"testing"
)

func TestKeyedIDIsOpaqueAndStable(t *testing.T) {
	wf := WorkflowID(ChannelWhatsApp, "85291234567")
	a, b := KeyedID([]byte("key-a"), wf), KeyedID([]byte("key-b"), wf)
	if a != KeyedID([]byte("key-a"), wf) {
		t.Error("KeyedID is not stable")
	}
	if a == b {
		t.Error("the key does not change the ID")
	}
	if a == ID(wf) {
		t.Error("KeyedID equals the unkeyed (guessable) ID")
	}
	if !regexp.MustCompile(`^ct_[0-9a-f]{24}$`).MatchString(a) {
		t.Errorf("KeyedID %q: want ct_ and 24 hex digits", a)
	}
	if KeyedID([]byte("key-a"), WorkflowID(ChannelWeb, "85291234567")) == a {
		t.Error("web and whatsapp conversations with the same ID share a contact")
	}
}

func TestWebhookOnly(t *testing.T) {
	for ch, want := range map[string]bool{ChannelWhatsApp: true, ChannelDingTalk: true, ChannelWeb: false, ChannelAPI: false} {
		if WebhookOnly(ch) != want {
			t.Errorf("WebhookOnly(%q) = %v, want %v", ch, !want, want)
		}
	}
}
