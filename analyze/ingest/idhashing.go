package ingest

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/store"
)

// Store settings that record how a store keeps user and customer ids. A
// store is hashed or plain for good: mixing both would split each user
// into a pseudonym and a raw id, and dedup would let a plain copy replace
// a hashed one.
const (
	metaIDHashing      = "id_hashing"              // idsHashed or idsPlain
	metaKeyFingerprint = "id_hash_key_fingerprint" // keyFingerprint of the hashing key
	idsHashed          = "hmac-sha256"
	idsPlain           = "plain"
	fingerprintLabel   = "costctl id hash key" // HMAC message of keyFingerprint
)

// IDHashingError is an ingest whose --hash-ids choice or key differs from
// the one the store was first written with. Nothing was stored.
type IDHashingError struct {
	msg string
}

func (e *IDHashingError) Error() string { return e.msg }

// keyFingerprint identifies a hashing key without revealing it: the MAC of a
// fixed label under the key.
func keyFingerprint(key []byte) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(fingerprintLabel))
	return hex.EncodeToString(mac.Sum(nil)[:16])
}

// checkIDHashing compares the ingest's hashing key (nil for plain ids) with
// the store's record, writing the record at the first ingest.
func checkIDHashing(ctx context.Context, st store.Backend, key []byte) error {
	if len(key) == 0 {
		key = nil
	}
	mode, err := storedIDHashing(ctx, st, key)
	if err != nil {
		return err
	}
	if mode == idsPlain && key != nil {
		return &IDHashingError{"--hash-ids: the store contains plain user and customer ids, and mixing them with pseudonyms would count each user twice: ingest without --hash-ids, or choose a new store with --db"}
	}
	if mode == idsHashed && key == nil {
		return &IDHashingError{"the store contains user and customer ids hashed with --hash-ids: ingest with --hash-ids and the same key (COSTCTL_HASH_KEY or hash_key), or choose another store with --db"}
	}
	if key == nil {
		return nil
	}
	return checkKeyFingerprint(ctx, st, key)
}

// storedIDHashing returns the store's recorded mode, recording one first
// when there is none: read from the ids of a store written before the
// record existed, else the mode of this ingest. A store without requests
// takes this ingest's mode and key again, so that a first ingest that
// stored nothing (a mistyped path) does not bind the store.
func storedIDHashing(ctx context.Context, st store.Backend, key []byte) (string, error) {
	_, _, requests, err := st.Bounds(ctx)
	if err != nil {
		return "", err
	}
	if requests == 0 {
		return recordIDHashing(ctx, st, "", key)
	}
	mode, ok, err := st.Meta(ctx, metaIDHashing)
	if err != nil || ok {
		return mode, err
	}
	if mode, err = idHashingOfContent(ctx, st); err != nil {
		return "", err
	}
	return recordIDHashing(ctx, st, mode, key)
}

// recordIDHashing saves mode, or this ingest's mode when mode is "", with
// the key's fingerprint when the ingest hashes into a hashed store.
func recordIDHashing(ctx context.Context, st store.Backend, mode string, key []byte) (string, error) {
	if mode == "" {
		mode = idsPlain
		if key != nil {
			mode = idsHashed
		}
	}
	// TODO: two first ingests at once may record different modes; the
	// later record wins and the earlier ingest's ids are mixed in.
	if err := st.SetMeta(ctx, metaIDHashing, mode); err != nil {
		return "", err
	}
	if mode == idsHashed && key != nil {
		return mode, st.SetMeta(ctx, metaKeyFingerprint, keyFingerprint(key))
	}
	return mode, nil
}

// idHashingOfContent decides the mode of a store written before the mode
// was recorded. Any pseudonym among its user and customer ids makes it
// hashed, because hashing was requested then. Any other id makes it plain.
// It returns "" for a store without ids, where either mode is still safe.
func idHashingOfContent(ctx context.Context, st store.Backend) (string, error) {
	cells, err := st.Cells(ctx, analyze.Query{By: []string{analyze.DimUser, analyze.DimCustomer}})
	if err != nil {
		return "", fmt.Errorf("read stored ids: %w", err)
	}
	mode := ""
	for _, c := range cells {
		for _, id := range c.Key {
			if strings.HasPrefix(id, hashedIDPrefix) {
				return idsHashed, nil
			}
			if id != "" {
				mode = idsPlain
			}
		}
	}
	return mode, nil
}

// checkKeyFingerprint rejects a key other than the one the store's ids were
// hashed with. A hashed store without a recorded key (written before the
// record existed) takes this ingest's key.
func checkKeyFingerprint(ctx context.Context, st store.Backend, key []byte) error {
	stored, ok, err := st.Meta(ctx, metaKeyFingerprint)
	if err != nil {
		return err
	}
	if !ok {
		return st.SetMeta(ctx, metaKeyFingerprint, keyFingerprint(key))
	}
	if stored != keyFingerprint(key) {
		return &IDHashingError{"--hash-ids: the hash key differs from the key the store's ids were hashed with, and would give each user a second pseudonym: set COSTCTL_HASH_KEY or hash_key to that key, or choose a new store with --db"}
	}
	return nil
}

// CopyIDHashing gives dst the id hashing record of src before src's
// requests are copied into it. It rejects a dst whose requests keep ids
// otherwise, or under another key, because the copy would mix them.
func CopyIDHashing(ctx context.Context, src, dst store.Backend) error {
	mode, fingerprint, err := idHashingOf(ctx, src)
	if err != nil || mode == "" {
		return err
	}
	dstMode, dstFingerprint, err := idHashingOf(ctx, dst)
	if err != nil {
		return err
	}
	if dstMode != "" && dstMode != mode {
		return &IDHashingError{fmt.Sprintf("the source store keeps user and customer ids %s and the target store %s: copy into a new store", modeName(mode), modeName(dstMode))}
	}
	if fingerprint != "" && dstFingerprint != "" && fingerprint != dstFingerprint {
		return &IDHashingError{"the source and target stores hashed their ids with different keys: copy into a new store"}
	}

	if err := dst.SetMeta(ctx, metaIDHashing, mode); err != nil {
		return err
	}
	if fingerprint == "" {
		return nil
	}
	return dst.SetMeta(ctx, metaKeyFingerprint, fingerprint)
}

// idHashingOf reads a store's mode and key fingerprint without writing:
// the record, else the mode of its ids as idHashingOfContent decides it.
func idHashingOf(ctx context.Context, st store.Backend) (mode, fingerprint string, err error) {
	_, _, requests, err := st.Bounds(ctx)
	if err != nil || requests == 0 {
		return "", "", err
	}
	mode, ok, err := st.Meta(ctx, metaIDHashing)
	if err == nil && !ok {
		mode, err = idHashingOfContent(ctx, st)
	}
	if err != nil {
		return "", "", err
	}
	fingerprint, _, err = st.Meta(ctx, metaKeyFingerprint)
	return mode, fingerprint, err
}

func modeName(mode string) string {
	if mode == idsHashed {
		return "hashed"
	}
	return "plain"
}
