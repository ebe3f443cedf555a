package worker

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/harbordesk/harbordesk/activities"
	"github.com/harbordesk/harbordesk/internal/channel/whatsapp"
	"github.com/harbordesk/harbordesk/internal/codec"
	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/pgtest"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/contacts"
)

// fakeGraph speaks the Cloud API's media protocol: GET /{version}/{media-id}
// with the bearer token → {"url","mime_type","file_size"}, then GET url with
// the same token → the bytes. failFirst answers the first n info requests
// with a 500, as Graph does under load.
type fakeGraph struct {
	srv       *httptest.Server
	media     map[string][]byte
	failFirst atomic.Int32
	infos     atomic.Int32
}

func newFakeGraph(t *testing.T, media map[string][]byte) *fakeGraph {
	g := &fakeGraph{media: media}
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer graph-token" {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"error":{"message":"Invalid OAuth access token.","type":"OAuthException","code":190}}`))
			return
		}
		if id, ok := strings.CutPrefix(r.URL.Path, "/v21.0/"); ok {
			if n := g.infos.Add(1); n <= g.failFirst.Load() {
				w.WriteHeader(http.StatusInternalServerError)
				_, _ = w.Write([]byte(`{"error":{"message":"Service temporarily unavailable","type":"OAuthException","code":2}}`))
				return
			}
			data, ok := g.media[id]
			if !ok {
				w.WriteHeader(http.StatusNotFound)
				_, _ = w.Write([]byte(`{"error":{"message":"Unsupported get request.","type":"GraphMethodException","code":100}}`))
				return
			}
			_ = json.NewEncoder(w).Encode(map[string]any{"url": g.srv.URL + "/media/" + id, "mime_type": "image/jpeg", "file_size": len(data), "id": id})
			return
		}
		if id, ok := strings.CutPrefix(r.URL.Path, "/media/"); ok {
			_, _ = w.Write(g.media[id])
			return
		}
		w.WriteHeader(http.StatusNotFound)
	}))
	t.Cleanup(g.srv.Close)
	return g
}

func TestFetchMediaFromGraph(t *testing.T) {
	st := pgtest.New(t)
	ctx := context.Background()
	ring, _ := codec.ParseKeyring(base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{5}, 32)))
	var img bytes.Buffer
	_ = png.Encode(&img, image.NewGray(image.Rect(0, 0, 5, 5)))
	g := newFakeGraph(t, map[string][]byte{"m-photo": img.Bytes(), "m-html": []byte("<html><body>hi</body></html>"), "m-voice": []byte("OggS\x00voice")})
	if _, _, err := contacts.New(st.Pool).EnsureContact(ctx, contacts.NewContact{ID: "ct_wa", WorkflowID: "contact/whatsapp/wa_1", Channel: "whatsapp",
		ConversationID: "wa_1", CustomerID: "wa_c", Arm: "ai"}); err != nil {
		t.Fatal(err)
	}
	acts := &activities.Activities{
		Media:     WhatsAppMedia{Client: whatsapp.NewClient(g.srv.URL+"/v21.0", "graph-token", "pn")},
		MediaSink: MediaVault{Audio: store.AudioVault{Store: st, Ring: ring}, Attachments: store.AttachmentVault{Store: st, Ring: ring}},
	}
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestActivityEnvironment()
	env.RegisterActivity(acts)
	fetch := func(id, kind string) (activities.MediaResult, error) {
		v, err := env.ExecuteActivity(acts.FetchMedia, activities.MediaInput{ContactID: "ct_wa", CustomerID: "wa_c", MessageID: "wamid." + id,
			Media: contact.Media{ID: id, Kind: kind}})
		var res activities.MediaResult
		if err == nil {
			err = v.Get(&res)
		}
		return res, err
	}

	// A photo: downloaded with the token, sniffed as PNG (the Graph's "image/jpeg" is not trusted), sealed.
	res, err := fetch("m-photo", contact.MediaImage)
	if err != nil || res.AttachmentID == "" || res.MIME != "image/png" {
		t.Fatalf("photo: %+v %v", res, err)
	}
	if _, data, err := (store.AttachmentVault{Store: st, Ring: ring}).Open(ctx, res.AttachmentID); err != nil || !bytes.Equal(data, img.Bytes()) {
		t.Fatalf("stored photo: %v", err)
	}
	// A voice note goes to the audio vault for Transcribe.
	if res, err := fetch("m-voice", contact.MediaVoice); err != nil || !strings.HasPrefix(res.AudioRef, "au_") {
		t.Fatalf("voice: %+v %v", res, err)
	}
	// Not an accepted type, and media the Graph no longer has: final, no retry.
	for _, id := range []string{"m-html", "m-gone"} {
		_, err := fetch(id, contact.MediaImage)
		var ae *temporal.ApplicationError
		if !errors.As(err, &ae) || ae.Type() != activities.ErrBadMedia || !ae.NonRetryable() {
			t.Errorf("%s: %v, want non-retryable %s", id, err, activities.ErrBadMedia)
		}
	}
	// A Graph 500 is retryable.
	g.failFirst.Store(g.infos.Load() + 1)
	_, err = fetch("m-photo", contact.MediaImage)
	var ae *temporal.ApplicationError
	if err == nil || (errors.As(err, &ae) && ae.NonRetryable()) {
		t.Errorf("graph 500: %v, want a retryable error", err)
	}
}
