package activities

import (
	"context"
	"errors"

	"go.temporal.io/sdk/temporal"

	"github.com/harbordesk/harbordesk/internal/attach"
	"github.com/harbordesk/harbordesk/internal/contact"
)

// ErrBadMedia marks channel media the desk does not accept (wrong type,
// too large, or gone at the channel): retrying cannot help.
const ErrBadMedia = "bad_media"

// MaxVoiceBytes bounds a downloaded voice note (as the intake API's).
const MaxVoiceBytes = 10 << 20

// MediaSource downloads a channel's media by ID (WhatsApp Graph API:
// GET /{media-id} → url, then GET url with the bearer token).
type MediaSource interface {
	DownloadMedia(ctx context.Context, mediaID string, maxBytes int64) ([]byte, string, error)
	IsPermanent(err error) bool
}

// MediaSink keeps fetched media: voice notes in the audio vault until they
// are transcribed, photos and documents as the contact's attachments
// (sniffed there: attach.ErrUnsupported / ErrTooLarge / ErrEmpty).
type MediaSink interface {
	PutAudio(ctx context.Context, contactID, mime string, data []byte) (ref string, err error)
	PutAttachment(ctx context.Context, contactID, customerID, messageID string, data []byte) (id, mime string, err error)
}

// MediaInput names the media of one customer message.
type MediaInput struct {
	ContactID, CustomerID, MessageID string
	Media                            contact.Media
}

// MediaResult is where the fetched media went.
type MediaResult struct {
	AudioRef, AudioMIME string `json:",omitempty"` // voice
	AttachmentID, MIME  string `json:",omitempty"` // image, document
}

// FetchMedia downloads a message's media from the channel and stores it
// sealed: a voice note for Transcribe, a photo or document as an attachment
// agents open through signed links. Transport failures and 5xx are retried
// by the workflow's policy; a refused, missing, oversized or unaccepted file
// is ErrBadMedia (non-retryable). The raw bytes never enter workflow history.
func (a *Activities) FetchMedia(ctx context.Context, in MediaInput) (MediaResult, error) {
	if a.Media == nil || a.MediaSink == nil {
		return MediaResult{}, temporal.NewNonRetryableApplicationError("no media download configured", ErrBadMedia, nil)
	}
	limit := int64(attach.MaxBytes)
	if in.Media.Kind == contact.MediaVoice {
		limit = MaxVoiceBytes
	}
	data, mime, err := a.Media.DownloadMedia(ctx, in.Media.ID, limit)
	if err != nil {
		if a.Media.IsPermanent(err) {
			return MediaResult{}, temporal.NewNonRetryableApplicationError("media refused by the channel", ErrBadMedia, nil)
		}
		return MediaResult{}, retryable(err)
	}
	if len(data) == 0 {
		return MediaResult{}, temporal.NewNonRetryableApplicationError("empty media", ErrBadMedia, nil)
	}
	if in.Media.Kind == contact.MediaVoice {
		ref, err := a.MediaSink.PutAudio(ctx, in.ContactID, mime, data)
		if err != nil {
			return MediaResult{}, retryable(err)
		}
		return MediaResult{AudioRef: ref, AudioMIME: mime}, nil
	}
	id, sniffed, err := a.MediaSink.PutAttachment(ctx, in.ContactID, in.CustomerID, in.MessageID, data)
	switch {
	case errors.Is(err, attach.ErrUnsupported), errors.Is(err, attach.ErrTooLarge), errors.Is(err, attach.ErrEmpty):
		return MediaResult{}, temporal.NewNonRetryableApplicationError("media type or size not accepted", ErrBadMedia, nil)
	case err != nil:
		return MediaResult{}, retryable(err)
	}
	return MediaResult{AttachmentID: id, MIME: sniffed}, nil
}
