package webchat

import (
	"strings"
	"testing"
)

func TestValidConversationID(t *testing.T) {
	tests := []struct {
		id   string
		want bool
	}{
		{"wc-AbCdEfGhIjKlMnOpQrStUv", true},
		{"0123456789abcdefABCD_-", true}, // exactly 22
		{"0123456789abcdefABCD_", false}, // 21
		{"k1", false},
		{"", false},
		{strings.Repeat("a", 200), true},
		{strings.Repeat("a", 201), false},
		{"wc-AbCdEfGhIjKlMnOpQrSt/v", false},
		{"wc-AbCdEfGhIjKlMnOpQrSt.v", false},
		{"wc-AbCdEfGhIjKlMnOpQrSt v", false},
		{"wc-AbCdEfGhIjKlMnOpQrSt\x00v", false},
		{"wc-AbCdEfGhIjKlMnOpQrSt對話", false},
	}
	for _, tt := range tests {
		if got := ValidConversationID(tt.id); got != tt.want {
			t.Errorf("ValidConversationID(%q) = %v, want %v", tt.id, got, tt.want)
		}
	}
}
