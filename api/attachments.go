package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/harbordesk/harbordesk/internal/attach"
	"github.com/harbordesk/harbordesk/internal/codec"
	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/desk"
	"github.com/harbordesk/harbordesk/internal/store"
)

// Attachments configures customers' photos and documents in the workspace.
type Attachments struct {
	// Ring seals and opens the files (internal/codec, HARBORDESK_DATA_KEY).
	Ring *codec.Keyring
	// Objects is where the sealed bytes live (nil: PostgreSQL).
	Objects attach.ObjectStore
	// Links signs the short-lived links agents open attachments with.
	Links attach.Signer
	// Receive hands the upload's message to the contact's workflow (nil:
	// the Server's Desk), so a person sees that something arrived.
	Receive func(ctx context.Context, m desk.Message) (desk.Accepted, error)
	// Now is the clock links are signed and checked against (nil: time.Now).
	Now func() time.Time
}

func (a *Attachments) vault(s *Server) store.AttachmentVault {
	return store.AttachmentVault{Store: s.Store, Ring: a.Ring, Objects: a.Objects}
}

// maxCaptionRunes bounds an upload's caption.
const maxCaptionRunes = 1000

func (a *Attachments) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// mount serves the agents' side (the customer's upload,
// POST /v1/chat/:conversation_id/attachments, is mounted by MountWebChat
// under the chat session):
//
//	GET  /v1/contacts/:id/attachments           agent        metadata with a signed link each (expires_at)
//	GET  /v1/attachments/:id/content?exp=&sig=  signed link  the decrypted file (no key: the link is the permission)
func (a *Attachments) mount(r *gin.Engine, s *Server) {
	r.GET("/v1/contacts/:id/attachments", s.auth(config.RoleAgent), func(c *gin.Context) { a.list(c, s) })
	r.GET("/v1/attachments/:id/content", func(c *gin.Context) { a.content(c, s) })
}

// attachmentItem is an attachment with its signed link.
type attachmentItem struct {
	store.AttachmentView
	Kind      string    `json:"kind"`
	URL       string    `json:"url"`
	ExpiresAt time.Time `json:"expires_at"`
}

func (a *Attachments) item(v store.AttachmentView) attachmentItem {
	exp, sig := a.Links.Sign(v.ID, a.now())
	u := "/v1/attachments/" + url.PathEscape(v.ID) + "/content?exp=" + strconv.FormatInt(exp, 10) + "&sig=" + sig
	return attachmentItem{AttachmentView: v, Kind: attach.Kind(v.MIME), URL: u, ExpiresAt: time.Unix(exp, 0).UTC()}
}

func (a *Attachments) list(c *gin.Context, s *Server) {
	id, ok := pathID(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	if _, err := s.contactStore().ContactRef(ctx, id); err != nil {
		s.fail(c, err)
		return
	}
	atts, err := s.Store.Attachments(ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	items := make([]attachmentItem, 0, len(atts))
	for _, v := range atts {
		items = append(items, a.item(v))
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"items": items, "next_cursor": ""})
}

// content serves one attachment to whoever holds a valid, unexpired link
// for it. The bytes were sniffed at intake; they are served with their
// type, never sniffed again by the browser, never cached, sandboxed, and
// PDFs as downloads.
func (a *Attachments) content(c *gin.Context, s *Server) {
	id, ok := pathID(c)
	if !ok {
		return
	}
	switch err := a.Links.Verify(id, c.Query("exp"), c.Query("sig"), a.now()); {
	case errors.Is(err, attach.ErrExpiredLink):
		abort(c, http.StatusForbidden, "link_expired", "this link has expired; open the attachment again from the console")
		return
	case err != nil:
		abort(c, http.StatusForbidden, "forbidden", "this link is not valid for this attachment")
		return
	}
	v, data, err := a.vault(s).Open(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Referrer-Policy", "no-referrer")
	disposition := "inline"
	if v.MIME == attach.PDF {
		disposition = "attachment"
	}
	h.Set("Content-Disposition", disposition+`; filename="`+v.ID+extension(v.MIME)+`"`)
	c.Data(http.StatusOK, v.MIME, data)
}

func extension(mime string) string {
	switch mime {
	case attach.JPEG:
		return ".jpg"
	case attach.PNG:
		return ".png"
	case attach.WebP:
		return ".webp"
	case attach.PDF:
		return ".pdf"
	}
	return ""
}

// upload takes a photo or document from a web-chat customer on their
// session (conversation and customer come from the token): the body is the
// file itself. It is sniffed (the declared Content-Type is not trusted),
// handed to the conversation's workflow as a message ("[image]",
// "[document]" or the caption) so a person sees it, then sealed and stored
// against that message. The message ID is derived from the content, so a
// retried upload is one message and one attachment.
func (a *Attachments) upload(c *gin.Context, s *Server, conversationID, customerID string) {
	if c.Request.ContentLength > attach.MaxBytes {
		abort(c, http.StatusRequestEntityTooLarge, "too_large", "attachments are limited to 10 MiB")
		return
	}
	caption := strings.TrimSpace(c.Query("caption"))
	if caption != "" {
		if status, code, msg := checkFreeText("caption", caption); status != 0 {
			abort(c, status, code, msg)
			return
		}
		if utf8.RuneCountInString(caption) > maxCaptionRunes {
			abort(c, http.StatusRequestEntityTooLarge, "too_large", "caption is over 1000 characters")
			return
		}
	}
	data, err := io.ReadAll(io.LimitReader(c.Request.Body, attach.MaxBytes+1))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			abort(c, http.StatusRequestEntityTooLarge, "too_large", "attachments are limited to 10 MiB")
		} else {
			abort(c, http.StatusBadRequest, "malformed", "could not read the request body")
		}
		return
	}
	mime, err := attach.Sniff(data)
	if err != nil {
		switch {
		case errors.Is(err, attach.ErrTooLarge):
			abort(c, http.StatusRequestEntityTooLarge, "too_large", "attachments are limited to 10 MiB")
		case errors.Is(err, attach.ErrEmpty):
			abort(c, http.StatusUnprocessableEntity, "invalid", "the body must be the file")
		default:
			abort(c, http.StatusUnprocessableEntity, "unsupported_type", "only JPEG, PNG, WebP and PDF files are accepted")
		}
		return
	}
	ctx := c.Request.Context()
	sum := sha256.Sum256(data)
	msgID := "att-" + hex.EncodeToString(sum[:12])
	text := caption
	if text == "" {
		text = "[" + attach.Kind(mime) + "]"
	}
	receive := a.Receive
	if receive == nil {
		receive = s.Desk.Receive
	}
	acc, err := receive(ctx, desk.Message{Channel: contact.ChannelWeb, CustomerID: customerID, ConversationID: conversationID,
		MessageID: msgID, Text: text, ReceivedAt: time.Now().UTC()})
	if err != nil {
		s.fail(c, err)
		return
	}
	v, err := a.vault(s).Put(ctx, store.NewAttachment{ContactID: acc.ContactID, CustomerID: customerID, MessageID: msgID, Source: "web"}, data)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"attachment_id": v.ID, "contact_id": v.ContactID, "message_id": msgID, "mime": v.MIME, "size": v.Size})
}
