// Package webchat owns the web-chat channel's customer side: the embeddable
// chat page and the widget script a shop puts on its site (plain HTML, CSS
// and JavaScript embedded in the binary, no build step), the rules for a
// web-chat conversation ID, and the customer's view of a conversation (the
// transcript a customer may read: their own messages and the replies, masked,
// without agent identities or internal fields).
//
// Security model: the page authenticates with a shop's public-role key,
// which can only open web-chat sessions (internal/chatsession): a signed,
// expiring token bound to one server-made conversation and customer, which
// the page keeps in the customer's browser and sends with every request.
// It cannot post into other contacts or read contacts, tickets, handoffs or
// anything else. The HTTP endpoints live in package api (api/webchat.go).
package webchat
