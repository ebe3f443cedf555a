-- Benchmark baseline runs and encrypted voice notes awaiting transcription.

-- +goose Up
CREATE TABLE bench_baseline (
    id          text PRIMARY KEY,
    received_at timestamptz NOT NULL,
    done_at     timestamptz NOT NULL
);

-- Voice notes, AES-256-GCM encrypted with HARBORDESK_DATA_KEY, deleted once
-- transcribed (and by retention otherwise).
CREATE TABLE audio_blobs (
    id          text PRIMARY KEY,
    contact_id  text NOT NULL,
    mime        text NOT NULL,
    key_id      text NOT NULL,
    sealed      bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE audio_blobs, bench_baseline;
