// Package whispertest writes whisper.cpp model files for tests: the real
// "tiny" shape with (almost) all weights zero, so that whisper-server loads
// and runs them like the real model without a 75 MB download. It lives in a
// non-test package so that internal/speech/whisper's tests and the e2e suite
// share one generator.
package whispertest

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"os"
)

// The shape of whisper "tiny" (multilingual) and the ggml tensor types.
const (
	nVocab, nAudioCtx, nState, nHead, nLayer, nMels = 51865, 1500, 384, 6, 4, 80
	tinyTextCtx                                     = 448
	f32, f16                                        = 0, 1
	textTokens                                      = 50257
	f16One                                          = 0x3C00
)

// WriteZeroTiny writes a ggml whisper model file with the real shape of
// whisper "tiny" (multilingual: 51865 tokens, 4+4 layers, 384 wide, f16)
// and every weight zero. It loads and runs in whisper.cpp exactly like the
// real model, so loading, the HTTP protocol, timeouts and supervision are
// exercised; what it "hears" is meaningless.
func WriteZeroTiny(path string) error {
	return write(path, tinyTextCtx, -1)
}

// WriteOneTokenTiny writes a model of the tiny shape whose weights are zero
// except the decoder's final layer-norm bias and token's embedding row, so
// greedy decoding emits token (a single byte) at every step: deterministic,
// non-empty, meaningless text. The text context is 32 instead of tiny's
// 448: a constant-output model runs to the context limit, which at 448
// takes minutes on a busy 2-core machine.
func WriteOneTokenTiny(path string, token byte) error {
	return write(path, 32, int(token))
}

// write lays the file out as whisper_model_load in whisper.cpp reads it:
// magic, 11 int32 hparams, mel filters, vocabulary, then tensors (n_dims,
// name length, type, dims, name, data). token < 0 writes all-zero weights.
func write(path string, nTextCtx int32, token int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	put := func(vs ...int32) {
		for _, v := range vs {
			_ = binary.Write(w, binary.LittleEndian, v)
		}
	}
	put(0x67676d6c) // "ggml"
	put(nVocab, nAudioCtx, nState, nHead, nLayer, nTextCtx, nState, nHead, nLayer, nMels, f16)
	put(nMels, 201)                           // mel filters: n_mel × n_fft
	_, _ = w.Write(make([]byte, nMels*201*4)) // zero filters
	// Text vocabulary: the 50257 byte-level BPE slots of the multilingual
	// tokenizer (the loader adds the special tokens itself). Slots 0-255
	// are the single bytes, so the decoder's " " lookups succeed; the BPE
	// merges are placeholders, since zero weights never prefer one.
	put(textTokens)
	for i := range textTokens {
		tok := []byte{byte(i)}
		if i >= 256 {
			tok = fmt.Appendf(nil, "<%d>", i)
		}
		put(int32(len(tok)))
		_, _ = w.Write(tok)
	}
	zero := make([]byte, 1<<16)
	tensor := func(name string, typ int32, dims ...int32) {
		put(int32(len(dims)), int32(len(name)), typ)
		put(dims...)
		_, _ = w.WriteString(name)
		n := int64(2)
		if typ == f32 {
			n = 4
		}
		for _, d := range dims {
			n *= int64(d)
		}
		if token >= 0 {
			switch name {
			case "decoder.ln.bias": // f32 ones
				for range nState {
					_ = binary.Write(w, binary.LittleEndian, float32(1))
				}
				return
			case "decoder.token_embedding.weight": // rows of nState f16; token's row is ones
				row := int64(nState) * 2
				for off := int64(0); off < n; off += row {
					if off == int64(token)*row {
						for range nState {
							_ = binary.Write(w, binary.LittleEndian, uint16(f16One))
						}
						continue
					}
					_, _ = w.Write(zero[:row])
				}
				return
			}
		}
		for ; n > 0; n -= int64(len(zero)) {
			_, _ = w.Write(zero[:min(n, int64(len(zero)))])
		}
	}
	block := func(prefix string, cross bool) {
		attn := func(p string) {
			tensor(p+"_ln.weight", f32, nState)
			tensor(p+"_ln.bias", f32, nState)
			tensor(p+".query.weight", f16, nState, nState)
			tensor(p+".query.bias", f32, nState)
			tensor(p+".key.weight", f16, nState, nState)
			tensor(p+".value.weight", f16, nState, nState)
			tensor(p+".value.bias", f32, nState)
			tensor(p+".out.weight", f16, nState, nState)
			tensor(p+".out.bias", f32, nState)
		}
		tensor(prefix+".mlp_ln.weight", f32, nState)
		tensor(prefix+".mlp_ln.bias", f32, nState)
		tensor(prefix+".mlp.0.weight", f16, nState, 4*nState)
		tensor(prefix+".mlp.0.bias", f32, 4*nState)
		tensor(prefix+".mlp.2.weight", f16, 4*nState, nState)
		tensor(prefix+".mlp.2.bias", f32, nState)
		attn(prefix + ".attn")
		if cross {
			attn(prefix + ".cross_attn")
		}
	}
	tensor("encoder.positional_embedding", f32, nState, nAudioCtx)
	tensor("encoder.conv1.weight", f16, 3, nMels, nState)
	tensor("encoder.conv1.bias", f32, 1, nState)
	tensor("encoder.conv2.weight", f16, 3, nState, nState)
	tensor("encoder.conv2.bias", f32, 1, nState)
	tensor("encoder.ln_post.weight", f32, nState)
	tensor("encoder.ln_post.bias", f32, nState)
	for i := range nLayer {
		block(fmt.Sprintf("encoder.blocks.%d", i), false)
	}
	tensor("decoder.positional_embedding", f32, nState, nTextCtx)
	tensor("decoder.token_embedding.weight", f16, nState, nVocab)
	tensor("decoder.ln.weight", f32, nState)
	tensor("decoder.ln.bias", f32, nState)
	for i := range nLayer {
		block(fmt.Sprintf("decoder.blocks.%d", i), true)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
