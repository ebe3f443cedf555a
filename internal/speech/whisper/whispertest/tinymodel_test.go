package whispertest

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
)

// header reads the magic and the 11 hparams.
func header(t *testing.T, path string) []int32 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := make([]int32, 12)
	if err := binary.Read(f, binary.LittleEndian, h); err != nil {
		t.Fatal(err)
	}
	return h
}

func TestWriters(t *testing.T) {
	tests := []struct {
		name    string
		write   func(string) error
		textCtx int32
	}{
		{"zero tiny", WriteZeroTiny, 448},
		{"one token", func(p string) error { return WriteOneTokenTiny(p, 'a') }, 32},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "model.bin")
			if err := tt.write(p); err != nil {
				t.Fatal(err)
			}
			h := header(t, p)
			want := []int32{0x67676d6c, 51865, 1500, 384, 6, 4, tt.textCtx, 384, 6, 4, 80, 1}
			for i := range want {
				if h[i] != want[i] {
					t.Errorf("header[%d] = %d, want %d", i, h[i], want[i])
				}
			}
		})
	}
}

func TestWriteUnwritablePath(t *testing.T) {
	p := filepath.Join(t.TempDir(), "missing", "model.bin")
	if err := WriteZeroTiny(p); err == nil {
		t.Error("WriteZeroTiny into a missing directory succeeded")
	}
}
