package ingest

import (
	"strings"
	"testing"

	"github.com/costctl/costctl/analyze"
)

// rfc4231Key is the key of RFC 4231's test case 1: twenty 0x0b bytes. The
// HMAC-SHA256 of "Hi There" under it begins b0344c61d8db38535ca8afceaf0bf12b.
var rfc4231Key = []byte(strings.Repeat("\x0b", 20))

func TestPseudonymMatchesRFC4231(t *testing.T) {
	h, err := newIDHasher(rfc4231Key)
	if err != nil {
		t.Fatal(err)
	}
	r := analyze.Request{User: "Hi There", Customer: "Hi There"}
	h.apply(&r)

	const want = "hmac:b0344c61d8db38535ca8afceaf0bf12b"
	if r.User != want {
		t.Errorf("user = %q, want %q", r.User, want)
	}
	if r.Customer != want {
		t.Errorf("customer = %q, want %q", r.Customer, want)
	}
}

func TestPseudonymKeepsEmptyIDs(t *testing.T) {
	h, err := newIDHasher(rfc4231Key)
	if err != nil {
		t.Fatal(err)
	}
	r := analyze.Request{Session: "s1"}
	h.apply(&r)
	if r.User != "" || r.Customer != "" {
		t.Errorf("user, customer = %q, %q, want both empty", r.User, r.Customer)
	}
	if r.Session != "s1" {
		t.Errorf("session = %q, want it unchanged", r.Session)
	}
}

func TestHashKeyLength(t *testing.T) {
	if h, err := newIDHasher(nil); h != nil || err != nil {
		t.Errorf("no key: hasher %v, error %v; want neither", h, err)
	}
	if _, err := newIDHasher([]byte("fifteen bytes!!")); err == nil {
		t.Error("a 15-byte key was accepted, want an error")
	}
	if _, err := newIDHasher([]byte("sixteen bytes!!!")); err != nil {
		t.Errorf("a 16-byte key: %v", err)
	}
}

// TestNilHasherKeepsIDs checks the path without --hash-ids.
func TestNilHasherKeepsIDs(t *testing.T) {
	var h *idHasher
	r := analyze.Request{User: "alice", Customer: "acme"}
	h.apply(&r)
	if r.User != "alice" || r.Customer != "acme" {
		t.Errorf("user, customer = %q, %q, want them unchanged", r.User, r.Customer)
	}
}
