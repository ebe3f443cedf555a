// Package codec owns encryption of Temporal workflow payloads at rest.
//
// Customer text travels through workflow inputs, activity results, signals and
// failures. Temporal stores those payloads in its history, so this package wraps
// them in AES-256-GCM before they leave the client or worker: the history then
// only holds ciphertext, a key ID and the "binary/encrypted" encoding marker.
//
// Keys come from HARBORDESK_DATA_KEY (see ParseKeyring). The active key
// encrypts; every key in the ring can decrypt, which is how keys rotate: add
// the new key at the front, keep the old ones until no workflow history
// references them any more.
//
// HTTPHandler serves the codec-server protocol (POST …/encode, …/decode) so
// Temporal UI and CLI can show decrypted payloads to authorised users; mount it
// behind the admin authentication.
package codec
