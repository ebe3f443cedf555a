package codec

import (
	"net/http"

	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
)

// DataConverter is the default Temporal data converter with payloads
// encrypted by the keyring. Use it on every client and worker
// (client.Options.DataConverter).
func DataConverter(k *Keyring) converter.DataConverter {
	return converter.NewCodecDataConverter(converter.GetDefaultDataConverter(), NewCodec(k))
}

// FailureConverter encodes error messages and stack traces through dc, so
// failure text (which can quote customer input) is encrypted too. Use it with
// DataConverter (client.Options.FailureConverter).
func FailureConverter(dc converter.DataConverter) converter.FailureConverter {
	return temporal.NewDefaultFailureConverter(temporal.DefaultFailureConverterOptions{
		DataConverter:          dc,
		EncodeCommonAttributes: true,
	})
}

// HTTPHandler is the Temporal codec server: POST …/encode and …/decode with
// a JSON-encoded Payloads body, as converter.NewPayloadCodecHTTPHandler defines.
// Point Temporal UI/CLI (--codec-endpoint) at it. It decrypts customer data, so
// mount it only behind admin authentication.
func HTTPHandler(k *Keyring) http.Handler {
	return converter.NewPayloadCodecHTTPHandler(NewCodec(k))
}
