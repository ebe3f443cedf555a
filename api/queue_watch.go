package api

// The console's live queue: GET /v1/handoffs answers with a version of the
// list; a caller that sends it back with ?wait= gets the next different list
// (or the same one when the wait is over). Handoff changes and new customer
// messages signal "handoffs" on the reply hub (schema v14 triggers).

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/store/handoffs"
)

// queueHubKey is the reply hub key the schema's triggers notify.
const queueHubKey = "handoffs"

// mineLimit bounds the rows read per state for ?mine=1 (one person's work).
const mineLimit = 500

func (s *Server) watchHandoffs(c *gin.Context, state string) {
	mine := c.Query("mine")
	if mine != "" && mine != "0" && mine != "1" {
		abort(c, http.StatusUnprocessableEntity, "invalid", "mine must be 0 or 1")
		return
	}
	since := c.Query("version")
	if len(since) > 64 {
		abort(c, http.StatusUnprocessableEntity, "invalid", "version is not valid")
		return
	}
	wait, _, valid := waitParams(c)
	if !valid {
		return
	}
	ctx := c.Request.Context()
	me := agentOf(c).Identity
	type list struct {
		items   []handoffs.HandoffView
		version string
	}
	l, err := longPoll(s, ctx, queueHubKey, wait, func() (list, bool, error) {
		items, err := s.readHandoffs(ctx, state, mine == "1", me)
		if err != nil {
			return list{}, true, err
		}
		v := queueVersion(items)
		return list{items, v}, since == "" || v != since, nil
	})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": l.items, "next_cursor": "", "version": l.version})
}

// handoffStore is the handoffs store on the server's pool.
func (s *Server) handoffStore() *handoffs.Store { return handoffs.New(s.Store.Pool) }

// readHandoffs reads one state's rows, or (mine) the caller's assigned and
// claimed ones.
func (s *Server) readHandoffs(ctx context.Context, state string, mine bool, me string) ([]handoffs.HandoffView, error) {
	if !mine {
		return s.handoffStore().Handoffs(ctx, state, 0)
	}
	out := []handoffs.HandoffView{}
	for _, st := range []string{contact.HandoffAssigned, contact.HandoffClaimed} {
		if state != "" && state != st {
			continue
		}
		items, err := s.handoffStore().Handoffs(ctx, st, mineLimit)
		if err != nil {
			return nil, err
		}
		for _, h := range items {
			if h.Agent == me {
				out = append(out, h)
			}
		}
	}
	return out, nil
}

// queueVersion identifies a list's content: everything but the age, which
// changes every second without anything happening.
func queueVersion(items []handoffs.HandoffView) string {
	sum := sha256.New()
	enc := json.NewEncoder(sum)
	for _, h := range items {
		h.AgeSeconds = 0
		_ = enc.Encode(h) // writing to a hash cannot fail
	}
	return hex.EncodeToString(sum.Sum(nil)[:8])
}
