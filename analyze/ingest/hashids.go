package ingest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/costctl/costctl/analyze"
)

// MinHashKeyBytes is the shortest key HashIDs accepts. A keyed hash only
// hides ids while the key stays secret and cannot be guessed, so a short key
// is rejected instead of silently giving weak pseudonyms.
const MinHashKeyBytes = 16

// hashedIDPrefix marks a stored id as a keyed hash, so a report reader can
// tell a pseudonym from a raw id.
const hashedIDPrefix = "hmac:"

// idHasher replaces user and customer ids by HMAC-SHA256 pseudonyms. The
// same key maps the same id to the same pseudonym, so grouping by user or
// customer still works across ingests.
type idHasher struct {
	key []byte
}

// newIDHasher returns nil for an empty key, meaning ids are stored as
// logged.
func newIDHasher(key []byte) (*idHasher, error) {
	if len(key) == 0 {
		return nil, nil
	}
	if len(key) < MinHashKeyBytes {
		return nil, fmt.Errorf("hash key is %d bytes: use at least %d, for example the output of openssl rand -hex 32", len(key), MinHashKeyBytes)
	}
	return &idHasher{key: key}, nil
}

// apply replaces the request's user and customer ids in place. An empty id
// stays empty: missing must remain distinguishable from present.
func (h *idHasher) apply(r *analyze.Request) {
	if h == nil {
		return
	}
	r.User = h.pseudonym(r.User)
	r.Customer = h.pseudonym(r.Customer)
}

// pseudonym keeps the first 128 bits of the MAC, enough to make collisions
// between distinct ids of one store negligible.
func (h *idHasher) pseudonym(id string) string {
	if id == "" {
		return ""
	}
	mac := hmac.New(sha256.New, h.key)
	mac.Write([]byte(id))
	return hashedIDPrefix + hex.EncodeToString(mac.Sum(nil)[:16])
}
