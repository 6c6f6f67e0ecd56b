package ingest

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/store"
)

var otherKey = []byte(strings.Repeat("k", 20))

// storeWith opens a new store holding one request of each user id, written
// past the id hashing check as a store of an older costctl was.
func storeWith(t *testing.T, users ...string) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	w, err := st.NewWriter(ctx, "test")
	if err != nil {
		t.Fatal(err)
	}
	for i, u := range users {
		r := analyze.Request{ID: "req-" + u, Provider: "anthropic", Model: "claude-haiku-4-5", User: u,
			Time: time.Date(2026, 1, 5, 10, i, 0, 0, time.UTC)}
		if err := w.Add(&r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return st
}

// wantHashingError fails unless err is an IDHashingError naming want.
func wantHashingError(t *testing.T, err error, want string) {
	t.Helper()
	var he *IDHashingError
	if !errors.As(err, &he) || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want an id hashing error saying %q", err, want)
	}
}

func TestIDHashingRecordedAtFirstIngest(t *testing.T) {
	ctx := context.Background()
	st := storeWith(t)
	if err := checkIDHashing(ctx, st, rfc4231Key); err != nil {
		t.Fatal(err)
	}
	if mode, _, _ := st.Meta(ctx, metaIDHashing); mode != idsHashed {
		t.Errorf("recorded mode %q, want %q", mode, idsHashed)
	}
	// printf 'costctl id hash key' | openssl dgst -sha256 -mac HMAC
	// -macopt hexkey:0b0b...0b (20 bytes), cut to 128 bits.
	const want = "9d0bb3874ff9f1e8ea4cd728466797bb"
	if fingerprint, _, _ := st.Meta(ctx, metaKeyFingerprint); fingerprint != want {
		t.Errorf("recorded key fingerprint %q, want %q", fingerprint, want)
	}
}

func TestIDHashingRejectsOtherChoice(t *testing.T) {
	ctx := context.Background()
	hashed := storeWith(t, "hmac:0123")
	if err := hashed.SetMeta(ctx, metaIDHashing, idsHashed); err != nil {
		t.Fatal(err)
	}
	if err := hashed.SetMeta(ctx, metaKeyFingerprint, keyFingerprint(rfc4231Key)); err != nil {
		t.Fatal(err)
	}
	wantHashingError(t, checkIDHashing(ctx, hashed, nil), "ingest with --hash-ids and the same key")
	wantHashingError(t, checkIDHashing(ctx, hashed, otherKey), "the hash key differs")
	if err := checkIDHashing(ctx, hashed, rfc4231Key); err != nil {
		t.Errorf("same key: %v, want no error", err)
	}

	plain := storeWith(t, "alice")
	if err := checkIDHashing(ctx, plain, nil); err != nil {
		t.Fatal(err)
	}
	wantHashingError(t, checkIDHashing(ctx, plain, rfc4231Key), "ingest without --hash-ids")
}

// A store from before the record holds ids but no mode: a pseudonym among
// them makes it hashed, and the next key with --hash-ids is recorded.
func TestIDHashingOfOlderStore(t *testing.T) {
	ctx := context.Background()
	mixed := storeWith(t, "alice", "hmac:b0344c61d8db38535ca8afceaf0bf12b")
	wantHashingError(t, checkIDHashing(ctx, mixed, nil), "ingest with --hash-ids")
	if err := checkIDHashing(ctx, mixed, rfc4231Key); err != nil {
		t.Fatalf("first key into an older hashed store: %v", err)
	}
	wantHashingError(t, checkIDHashing(ctx, mixed, otherKey), "the hash key differs")

	plain := storeWith(t, "alice")
	wantHashingError(t, checkIDHashing(ctx, plain, rfc4231Key), "contains plain user and customer ids")
	if mode, _, _ := plain.Meta(ctx, metaIDHashing); mode != idsPlain {
		t.Errorf("older store of plain ids recorded as %q, want %q", mode, idsPlain)
	}
}

// An ingest that stored nothing does not bind the store: the next one
// decides again.
func TestIDHashingOfEmptyStore(t *testing.T) {
	ctx := context.Background()
	empty := storeWith(t)
	if err := checkIDHashing(ctx, empty, nil); err != nil {
		t.Fatal(err)
	}
	if err := checkIDHashing(ctx, empty, rfc4231Key); err != nil {
		t.Errorf("--hash-ids into a store without requests: %v, want no error", err)
	}
	if mode, _, _ := empty.Meta(ctx, metaIDHashing); mode != idsHashed {
		t.Errorf("recorded mode %q, want %q", mode, idsHashed)
	}
}

func TestCopyIDHashing(t *testing.T) {
	ctx := context.Background()
	src := storeWith(t, "hmac:b0344c61d8db38535ca8afceaf0bf12b")
	if err := checkIDHashing(ctx, src, rfc4231Key); err != nil {
		t.Fatal(err)
	}

	empty := storeWith(t)
	if err := CopyIDHashing(ctx, src, empty); err != nil {
		t.Fatalf("copy into an empty store: %v", err)
	}
	if mode, _, _ := empty.Meta(ctx, metaIDHashing); mode != idsHashed {
		t.Errorf("target mode %q, want %q", mode, idsHashed)
	}
	if fingerprint, _, _ := empty.Meta(ctx, metaKeyFingerprint); fingerprint != "9d0bb3874ff9f1e8ea4cd728466797bb" {
		t.Errorf("target key fingerprint %q, want the source's 9d0bb387...", fingerprint)
	}

	wantHashingError(t, CopyIDHashing(ctx, src, storeWith(t, "alice")), "keeps user and customer ids hashed and the target store plain")
	other := storeWith(t, "hmac:0123")
	if err := checkIDHashing(ctx, other, otherKey); err != nil {
		t.Fatal(err)
	}
	wantHashingError(t, CopyIDHashing(ctx, src, other), "different keys")
}
