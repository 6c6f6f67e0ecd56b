package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

func scanRequest(id, at string, input int64) analyze.Request {
	tm, _ := time.Parse(time.RFC3339Nano, at)
	r := analyze.Request{
		ID: id, Provider: "anthropic", Model: "claude-3-5-haiku-20241022", Time: tm,
		Endpoint: "chat", Session: "s1", Turn: 2, Status: analyze.StatusOK,
		TTFTMS: 450, PrefixTokens: 2048, PrefixHash: "abc", Source: "a.jsonl", Line: 7,
		ModelID: "claude-3-5-haiku", PriceRowID: "claude-3-5-haiku@2024-10-22",
	}
	r.Tokens[pricing.Input] = input
	r.Tokens[pricing.CacheRead] = 2 * input
	return r
}

func scanAll(t *testing.T, s *Store, q analyze.Query) []analyze.Request {
	t.Helper()
	var out []analyze.Request
	err := s.Scan(context.Background(), q, func(r *analyze.Request) error {
		out = append(out, *r)
		return nil
	})
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
	return out
}

func TestScanTimeOrderAndFields(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	writeAll(t, s, "v1", 10, []analyze.Request{
		scanRequest("msg_c", "2025-01-01T00:00:03Z", 30),
		scanRequest("msg_a", "2025-01-01T00:00:01Z", 10),
		scanRequest("msg_b", "2025-01-01T00:00:02.5Z", 20),
	})

	got := scanAll(t, s, analyze.Query{})
	if len(got) != 3 {
		t.Fatalf("scanned %d requests, want 3", len(got))
	}
	for i, want := range []int64{10, 20, 30} {
		if got[i].Tokens[pricing.Input] != want {
			t.Errorf("request %d: input %d, want %d (time order)", i, got[i].Tokens[pricing.Input], want)
		}
	}

	r := got[1]
	if !r.Time.Equal(time.Date(2025, 1, 1, 0, 0, 2, 500e6, time.UTC)) {
		t.Errorf("time %v, want 00:00:02.5", r.Time)
	}
	if r.Endpoint != "chat" || r.Session != "s1" || r.Turn != 2 {
		t.Errorf("dimensions %q %q %d, want chat s1 2", r.Endpoint, r.Session, r.Turn)
	}
	if r.TTFTMS != 450 || r.PrefixTokens != 2048 || r.PrefixHash != "abc" {
		t.Errorf("prefix fields %d %d %q, want 450 2048 abc", r.TTFTMS, r.PrefixTokens, r.PrefixHash)
	}
	if r.Tokens[pricing.CacheRead] != 40 || r.Status != analyze.StatusOK {
		t.Errorf("cache read %d status %q, want 40 ok", r.Tokens[pricing.CacheRead], r.Status)
	}
	if r.PriceRowID != "claude-3-5-haiku@2024-10-22" || r.ModelID != "claude-3-5-haiku" {
		t.Errorf("price fields %q %q", r.ModelID, r.PriceRowID)
	}
}

func TestScanWindow(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	writeAll(t, s, "v1", 10, []analyze.Request{
		scanRequest("msg_a", "2025-01-01T00:00:01Z", 10),
		scanRequest("msg_b", "2025-01-01T00:00:02Z", 20),
		scanRequest("msg_c", "2025-01-01T00:00:03Z", 30),
	})

	// [00:00:02, 00:00:03) holds only msg_b: since is inclusive, until exclusive.
	got := scanAll(t, s, analyze.Query{
		Since: time.Date(2025, 1, 1, 0, 0, 2, 0, time.UTC),
		Until: time.Date(2025, 1, 1, 0, 0, 3, 0, time.UTC),
	})
	if len(got) != 1 || got[0].Tokens[pricing.Input] != 20 {
		t.Fatalf("window scan = %d requests, want only the one with input 20", len(got))
	}
}

func TestScanStopsOnCallbackError(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	writeAll(t, s, "v1", 10, []analyze.Request{
		scanRequest("msg_a", "2025-01-01T00:00:01Z", 10),
		scanRequest("msg_b", "2025-01-01T00:00:02Z", 20),
	})

	stop := errors.New("stop")
	calls := 0
	err := s.Scan(context.Background(), analyze.Query{}, func(*analyze.Request) error {
		calls++
		return stop
	})
	if !errors.Is(err, stop) {
		t.Errorf("scan error %v, want the callback's error", err)
	}
	if calls != 1 {
		t.Errorf("callback ran %d times, want 1", calls)
	}
}
