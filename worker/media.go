package worker

import (
	"context"

	"github.com/harbordesk/harbordesk/activities"
	"github.com/harbordesk/harbordesk/internal/channel/whatsapp"
	"github.com/harbordesk/harbordesk/internal/store"
)

// WhatsAppMedia adapts the Cloud API client to activities.MediaSource.
type WhatsAppMedia struct{ Client *whatsapp.Client }

var _ activities.MediaSource = WhatsAppMedia{}

// DownloadMedia implements activities.MediaSource.
func (w WhatsAppMedia) DownloadMedia(ctx context.Context, id string, maxBytes int64) ([]byte, string, error) {
	return w.Client.DownloadMedia(ctx, id, maxBytes)
}

// IsPermanent implements activities.MediaSource: refusals, expired or
// unknown media (4xx) and oversized files do not heal on retry.
func (WhatsAppMedia) IsPermanent(err error) bool { return whatsapp.IsPermanent(err) }

// MediaVault stores fetched media: voice notes in the audio vault,
// photos and documents in the attachment vault (both sealed).
type MediaVault struct {
	Audio       store.AudioVault
	Attachments store.AttachmentVault
}

var _ activities.MediaSink = MediaVault{}

// PutAudio implements activities.MediaSink.
func (v MediaVault) PutAudio(ctx context.Context, contactID, mime string, data []byte) (string, error) {
	return v.Audio.Put(ctx, contactID, mime, data)
}

// PutAttachment implements activities.MediaSink.
func (v MediaVault) PutAttachment(ctx context.Context, contactID, customerID, messageID string, data []byte) (string, string, error) {
	a, err := v.Attachments.Put(ctx, store.NewAttachment{ContactID: contactID, CustomerID: customerID, MessageID: messageID, Source: "whatsapp"}, data)
	return a.ID, a.MIME, err
}
