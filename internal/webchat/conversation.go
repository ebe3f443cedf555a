package webchat

// Conversation ID limits. The ID is the only thing that separates one
// customer's conversation from another's under a shared public key, so it
// must be unguessable: 22 URL-safe base64 characters carry 132 bits.
const (
	MinConversationIDLen = 22
	MaxConversationIDLen = 200
)

// ValidConversationID reports whether id may name a web-chat conversation on
// the customer endpoints: 22..200 characters from [A-Za-z0-9_-]. IDs that
// integrators chose by hand for channel "web" ("k1", an order number) are
// refused there, because anyone holding the public key could guess them.
func ValidConversationID(id string) bool {
	if len(id) < MinConversationIDLen || len(id) > MaxConversationIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_':
		default:
			return false
		}
	}
	return true
}
