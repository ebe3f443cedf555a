package whatsapp

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

type mediaInfo struct {
	URL      string `json:"url"`
	MimeType string `json:"mime_type"`
	FileSize int64  `json:"file_size"`
}

// DownloadMedia fetches an inbound attachment: GET /{media-id} returns a
// short-lived URL, which is then fetched with the same bearer token. Media
// larger than maxBytes is refused (ErrMediaTooLarge, permanent) without
// reading more than maxBytes+1 bytes.
func (c *Client) DownloadMedia(ctx context.Context, mediaID string, maxBytes int64) ([]byte, string, error) {
	if mediaID == "" || maxBytes <= 0 {
		return nil, "", fmt.Errorf("%w: empty media id or size limit", ErrBadRequest)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.BaseURL+"/"+url.PathEscape(mediaID), nil)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %v", ErrBadRequest, err)
	}
	raw, err := c.do(req, "media", 64<<10)
	if err != nil {
		return nil, "", err
	}
	var info mediaInfo
	if err := json.Unmarshal(raw, &info); err != nil || info.URL == "" {
		return nil, "", &TransportError{Op: "media", Err: fmt.Errorf("media info without url")}
	}
	if info.FileSize > maxBytes {
		return nil, "", ErrMediaTooLarge
	}
	u, err := url.Parse(info.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, "", &TransportError{Op: "media", Err: fmt.Errorf("media url unusable")}
	}
	req, err = http.NewRequestWithContext(ctx, http.MethodGet, info.URL, nil)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %v", ErrBadRequest, err)
	}
	data, err := c.do(req, "media", maxBytes)
	if err != nil {
		return nil, "", err
	}
	mime := info.MimeType
	if mime == "" {
		mime = "application/octet-stream"
	}
	return data, mime, nil
}
