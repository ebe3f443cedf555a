package codec

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

func TestDataConverterRoundTrip(t *testing.T) {
	dc := DataConverter(ring(t, b64(1)))
	p, err := dc.ToPayload(customerText)
	if err != nil {
		t.Fatal(err)
	}
	if string(p.Metadata[converter.MetadataEncoding]) != EncodingEncrypted {
		t.Fatalf("payload not encrypted: %v", p.Metadata)
	}
	if bytes.Contains(p.Data, []byte("C246810")) {
		t.Error("raw text in encrypted payload")
	}
	var got string
	if err := dc.FromPayload(p, &got); err != nil {
		t.Fatal(err)
	}
	if got != customerText {
		t.Errorf("got %q", got)
	}
}

func TestFailureConverterEncryptsMessage(t *testing.T) {
	dc := DataConverter(ring(t, b64(1)))
	fc := FailureConverter(dc)
	f := fc.ErrorToFailure(temporal.NewApplicationError("customer said "+customerText, "Bad"))
	raw, err := proto.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("C246810")) {
		t.Error("failure message stored in clear")
	}
	back := fc.FailureToError(f)
	var app *temporal.ApplicationError
	if !errors.As(back, &app) || !strings.Contains(app.Error(), "C246810") {
		t.Errorf("failure did not decode back: %v", back)
	}
}

func postPayloads(t *testing.T, srv *httptest.Server, path string, ps []*commonpb.Payload) (int, []*commonpb.Payload, string) {
	t.Helper()
	body, err := protojson.Marshal(&commonpb.Payloads{Payloads: ps})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(srv.URL+path, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, nil, string(out)
	}
	var got commonpb.Payloads
	if err := protojson.Unmarshal(out, &got); err != nil {
		// The SDK handler writes with encoding/json; fall back to it.
		var generic struct{ Payloads []*commonpb.Payload }
		if err2 := json.Unmarshal(out, &generic); err2 != nil {
			t.Fatalf("response not payloads: %v / %v", err, err2)
		}
		return resp.StatusCode, generic.Payloads, string(out)
	}
	return resp.StatusCode, got.Payloads, string(out)
}

func TestHTTPHandlerRoundTrip(t *testing.T) {
	srv := httptest.NewServer(HTTPHandler(ring(t, "v1:"+b64(1))))
	defer srv.Close()
	in := plainPayloads(t)
	code, enc, body := postPayloads(t, srv, "/encode", in)
	if code != http.StatusOK {
		t.Fatalf("/encode status %d: %s", code, body)
	}
	if strings.Contains(body, "C246810") {
		t.Error("/encode response holds raw text")
	}
	if string(enc[0].Metadata[MetadataKeyID]) != "v1" {
		t.Errorf("encoded metadata %v", enc[0].Metadata)
	}
	code, dec, body := postPayloads(t, srv, "/decode", enc)
	if code != http.StatusOK {
		t.Fatalf("/decode status %d: %s", code, body)
	}
	for i := range in {
		if !proto.Equal(in[i], dec[i]) {
			t.Errorf("payload %d differs after HTTP round trip", i)
		}
	}
}

func TestHTTPHandlerErrors(t *testing.T) {
	srv := httptest.NewServer(HTTPHandler(ring(t, "v1:"+b64(1))))
	defer srv.Close()
	enc, _ := NewCodec(ring(t, "other:"+b64(3))).Encode(plainPayloads(t))
	if code, _, body := postPayloads(t, srv, "/decode", enc); code != http.StatusBadRequest || !strings.Contains(body, "not in HARBORDESK_DATA_KEY") {
		t.Errorf("unknown key: status %d body %q", code, body)
	}
	resp, err := http.Get(srv.URL + "/decode")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /decode status %d, want 404", resp.StatusCode)
	}
	resp, err = http.Post(srv.URL+"/decode", "application/json", strings.NewReader("{not json"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("bad body status %d, want 400", resp.StatusCode)
	}
}
