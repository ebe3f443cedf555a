package store_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"image"
	"image/png"
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/internal/codec"
	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/pgtest"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/privacy"
	"github.com/harbordesk/harbordesk/internal/store/workspace"
)

// Notes and attachments follow their contact through retention: an expired
// contact's notes become the retention marker and its files are deleted
// (row and sealed object); a recent contact keeps both.
func TestRetentionCoversNotesAndAttachments(t *testing.T) {
	st := pgtest.New(t)
	ctx := context.Background()
	ring, err := codec.ParseKeyring(base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{3}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	vault := store.AttachmentVault{Store: st, Ring: ring}
	ws := workspace.New(st.Pool)
	var img bytes.Buffer
	_ = png.Encode(&img, image.NewGray(image.Rect(0, 0, 2, 2)))

	old := seed(t, st, "cust-old", "7000", time.Now().Add(-400*24*time.Hour), true)
	recent := seed(t, st, "cust-new", "7100", time.Now(), true)
	for _, s := range []seeded{old, recent} {
		if _, err := ws.AddNote(ctx, contact.HandoffID(s.ContactID, 1), "agent-1", "secret-note-"+s.Customer); err != nil {
			t.Fatal(err)
		}
		if _, err := vault.Put(ctx, store.NewAttachment{ContactID: s.ContactID, CustomerID: s.Customer, MessageID: "m-img", Source: "whatsapp"}, img.Bytes()); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.Pool.Exec(ctx, `UPDATE contacts SET updated_at = received_at + interval '1 hour' WHERE customer_id = 'cust-old'`); err != nil {
		t.Fatal(err)
	}
	n, _, err := privacy.New(st.Pool).PurgeExpired(ctx, time.Now().Add(-365*24*time.Hour), 10)
	if err != nil || n.Contacts != 1 || n.Attachments != 1 {
		t.Fatalf("purge: %+v %v", n, err)
	}
	oldNotes, _ := ws.Notes(ctx, old.ContactID)
	newNotes, _ := ws.Notes(ctx, recent.ContactID)
	if oldNotes[0].Text != store.RetentionMarker || newNotes[0].Text != "secret-note-cust-new" {
		t.Fatalf("notes after retention: %+v %+v", oldNotes, newNotes)
	}
	oldAtt, _ := st.Attachments(ctx, old.ContactID)
	newAtt, _ := st.Attachments(ctx, recent.ContactID)
	var objects int
	_ = st.Pool.QueryRow(ctx, `SELECT count(*) FROM attachment_objects`).Scan(&objects)
	if len(oldAtt) != 0 || len(newAtt) != 1 || objects != 1 {
		t.Fatalf("attachments after retention: %d old, %d new, %d objects", len(oldAtt), len(newAtt), objects)
	}
	if _, data, err := vault.Open(ctx, newAtt[0].ID); err != nil || !bytes.Equal(data, img.Bytes()) {
		t.Fatalf("open: %v", err)
	}
	// Search no longer finds the expired note.
	if hits, _ := ws.Search(ctx, "secret-note", 10); len(hits) != 1 || hits[0].ContactID != recent.ContactID {
		t.Fatalf("search after retention: %+v", hits)
	}
}
