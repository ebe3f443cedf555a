// Package webchat owns the web-chat channel's customer side: the embeddable
// chat page and the widget script a shop puts on its site (plain HTML, CSS
// and JavaScript embedded in the binary, no build step), the rules for a
// web-chat conversation ID, and the customer's view of a conversation (the
// transcript a customer may read: their own messages and the replies, masked,
// without agent identities or internal fields).
//
// Security model: the page authenticates with a shop's public intake-role
// key. Such a key can post contacts and messages and read a web-chat
// conversation only by its conversation ID, which the page generates at
// random (ValidConversationID demands at least 128 bits' worth of characters)
// and keeps in the customer's browser; it cannot read contacts, tickets,
// handoffs or anything else. The HTTP endpoints live in package api
// (api/webchat.go).
package webchat
