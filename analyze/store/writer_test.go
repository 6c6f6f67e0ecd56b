package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

// dedupCopies returns eight copies of four requests:
//   - msg_a: one Claude Code message logged three times with growing output
//     (10, 25, 40); input 100 and cache_read 1000 each; endpoint code.
//   - msg_b: two copies with equal tokens (input 50, output 5). The copy from
//     logs/a.jsonl wins the tie on source. It has endpoint chat, and the
//     logs/b.jsonl copy has endpoint search.
//   - msg_c: output 8 twice; input 100 or 192, the higher total wins; code.
//   - msg_d: a single copy, input 7, output 3, endpoint chat.
func dedupCopies(t *testing.T) []analyze.Request {
	at := mustTime(t, "2025-06-01T12:00:00Z")
	mk := func(id, source string, line, input, output int64, endpoint string) analyze.Request {
		r := request(id, at, input, output)
		r.Source, r.SourceSortKey, r.Line, r.Endpoint = source, source, line, endpoint
		return r
	}
	a1, a2, a3 := mk("msg_a", "logs/cc.jsonl", 1, 100, 10, "code"), mk("msg_a", "logs/cc.jsonl", 2, 100, 25, "code"), mk("msg_a", "logs/cc.jsonl", 3, 100, 40, "code")
	for _, r := range []*analyze.Request{&a1, &a2, &a3} {
		r.Tokens[pricing.CacheRead] = 1000
	}
	return []analyze.Request{
		a1, a2, a3,
		mk("msg_b", "logs/b.jsonl", 3, 50, 5, "search"),
		mk("msg_b", "logs/a.jsonl", 7, 50, 5, "chat"),
		mk("msg_c", "logs/c.jsonl", 1, 100, 8, "code"),
		mk("msg_c", "logs/c.jsonl", 2, 192, 8, "code"),
		mk("msg_d", "logs/d.jsonl", 1, 7, 3, "chat"),
	}
}

// checkDedupTotals compares the store with the hand-computed result of
// dedupCopies.
func checkDedupTotals(t *testing.T, s *Store) {
	t.Helper()
	requests, u := total(t, s)
	// 4 distinct ids; input 100 + 50 + 192 + 7 = 349; output 40 + 5 + 8 + 3 = 56.
	if requests != 4 {
		t.Errorf("requests = %d, want 4", requests)
	}
	if got := u.Tokens[pricing.Input]; got != 349 {
		t.Errorf("input = %d, want 349", got)
	}
	if got := u.Tokens[pricing.Output]; got != 56 {
		t.Errorf("output = %d, want 56", got)
	}
	if got := u.Tokens[pricing.CacheRead]; got != 1000 {
		t.Errorf("cache_read = %d, want 1000", got)
	}

	// chat: msg_b (a.jsonl copy) + msg_d = 2 requests, input 50 + 7 = 57.
	// code: msg_a + msg_c = 2 requests, input 100 + 192 = 292, output 48.
	cells := cellsOf(t, s, analyze.Query{By: []string{analyze.DimEndpoint}})
	want := map[string][3]int64{"chat": {2, 57, 8}, "code": {2, 292, 48}}
	if len(cells) != len(want) {
		t.Fatalf("got %d endpoint cells, want %d: %+v", len(cells), len(want), cells)
	}
	for _, c := range cells {
		got := [3]int64{c.Requests, c.Usage.Tokens[pricing.Input], c.Usage.Tokens[pricing.Output]}
		if got != want[c.Key[0]] {
			t.Errorf("endpoint %q: requests, input, output = %v, want %v", c.Key[0], got, want[c.Key[0]])
		}
	}
}

func TestWriterDedupOrderIndependent(t *testing.T) {
	base := dedupCopies(t)
	orders := map[string][]analyze.Request{
		"forward": base,
		"reverse": reversed(base),
	}
	for seed := uint64(1); seed <= 4; seed++ {
		shuffled := slices.Clone(base)
		rand.New(rand.NewPCG(seed, 0)).Shuffle(len(shuffled), func(i, j int) {
			shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
		})
		orders[fmt.Sprintf("shuffle%d", seed)] = shuffled
	}

	for name, order := range orders {
		for _, maxRows := range []int{1, 3, 100} {
			t.Run(fmt.Sprintf("%s/batch%d", name, maxRows), func(t *testing.T) {
				s := openTestStore(t, tempStorePath(t))
				stats := writeAll(t, s, "v1", maxRows, order)
				checkDedupTotals(t, s)
				checkStatsSum(t, stats, 4, 8)
			})
		}
	}
}

func TestWriterDedupAcrossWriters(t *testing.T) {
	for _, split := range []int{1, 3, 5, 7} {
		base := dedupCopies(t)
		for _, order := range [][]analyze.Request{base, reversed(base)} {
			s := openTestStore(t, tempStorePath(t))
			first := writeAll(t, s, "v1", 100, order[:split])
			second := writeAll(t, s, "v1", 100, order[split:])
			first.add(second)
			checkDedupTotals(t, s)
			checkStatsSum(t, first, 4, 8)
		}
	}
}

func TestWriterReingestKeepsAll(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	writeAll(t, s, "v1", 100, dedupCopies(t))
	stats := writeAll(t, s, "v1", 100, dedupCopies(t))

	// Every copy is already stored or beaten by the stored copy.
	if stats != (WriteStats{Kept: 8}) {
		t.Errorf("second ingest stats = %+v, want 8 kept", stats)
	}
	checkDedupTotals(t, s)
}

func checkStatsSum(t *testing.T, stats WriteStats, inserted, all int64) {
	t.Helper()
	if stats.Inserted != inserted {
		t.Errorf("inserted = %d, want %d", stats.Inserted, inserted)
	}
	if sum := stats.Inserted + stats.Replaced + stats.Kept; sum != all {
		t.Errorf("inserted + replaced + kept = %d, want %d", sum, all)
	}
}

func reversed(reqs []analyze.Request) []analyze.Request {
	out := slices.Clone(reqs)
	slices.Reverse(out)
	return out
}

func TestWriterHashCollision(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	s.hash = func(string) int64 { return 7 }
	at := mustTime(t, "2025-06-01T12:00:00Z")
	reqs := []analyze.Request{
		request("msg_1", at, 1, 1), request("msg_2", at, 10, 2),
		request("msg_3", at, 100, 3), request("msg_2", at, 10, 20),
	}
	stats := writeAll(t, s, "v1", 100, reqs)

	if stats != (WriteStats{Inserted: 3, Replaced: 1}) {
		t.Errorf("stats = %+v, want 3 inserted, 1 replaced", stats)
	}
	// Keys take slots 7, 8, 9 in insertion order; msg_2 keeps its slot.
	want := map[int64]string{7: "anthropic\x00msg_1", 8: "anthropic\x00msg_2", 9: "anthropic\x00msg_3"}
	if got := storedKeys(t, s); !maps.Equal(got, want) {
		t.Errorf("stored keys = %v, want %v", got, want)
	}
	// output 1 + 20 + 3 = 24; input 1 + 10 + 100 = 111.
	requests, u := total(t, s)
	if requests != 3 || u.Tokens[pricing.Output] != 24 || u.Tokens[pricing.Input] != 111 {
		t.Errorf("requests, output, input = %d, %d, %d, want 3, 24, 111", requests, u.Tokens[pricing.Output], u.Tokens[pricing.Input])
	}
}

func storedKeys(t *testing.T, s *Store) map[int64]string {
	t.Helper()
	rows, err := s.db.Query(`SELECT id, dedup_key FROM requests`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var key string
		if err := rows.Scan(&id, &key); err != nil {
			t.Fatal(err)
		}
		out[id] = key
	}
	return out
}

func TestWriterConcurrentStores(t *testing.T) {
	path := tempStorePath(t)
	openTestStore(t, path) // create and migrate once
	at := mustTime(t, "2025-06-01T00:00:00Z")

	// Writer 0 stores ids 0..2999, writer 1 ids 1500..4499: 4500 distinct
	// requests, each with input 2 and output 1.
	var wg sync.WaitGroup
	stats := make([]WriteStats, 2)
	errs := make([]error, 2)
	for n := range 2 {
		s := openTestStore(t, path)
		wg.Go(func() {
			var reqs []analyze.Request
			for i := n * 1500; i < n*1500+3000; i++ {
				reqs = append(reqs, request("msg_"+strconv.Itoa(i), at.Add(time.Duration(i)*time.Second), 2, 1))
			}
			stats[n], errs[n] = writeConcurrently(s, reqs)
		})
	}
	wg.Wait()

	for n, err := range errs {
		if err != nil {
			t.Fatalf("writer %d: %v", n, err)
		}
	}
	// 4500 inserted and 1500 kept across both writers.
	stats[0].add(stats[1])
	if stats[0] != (WriteStats{Inserted: 4500, Kept: 1500}) {
		t.Errorf("stats = %+v, want 4500 inserted, 1500 kept", stats[0])
	}
	requests, u := total(t, openTestStore(t, path))
	// input 4500 × 2 = 9000; output 4500 × 1 = 4500.
	if requests != 4500 || u.Tokens[pricing.Input] != 9000 || u.Tokens[pricing.Output] != 4500 {
		t.Errorf("requests, input, output = %d, %d, %d, want 4500, 9000, 4500", requests, u.Tokens[pricing.Input], u.Tokens[pricing.Output])
	}
}

// writeConcurrently writes in batches of 200 so that two writers interleave.
func writeConcurrently(s *Store, reqs []analyze.Request) (WriteStats, error) {
	w, err := s.NewWriter(context.Background(), "v1")
	if err != nil {
		return WriteStats{}, err
	}
	w.maxRows = 200
	for i := range reqs {
		if err := w.Add(&reqs[i]); err != nil {
			return WriteStats{}, err
		}
	}
	return w.Close()
}

func TestWriterLockedStore(t *testing.T) {
	path := tempStorePath(t)
	holder := openTestStore(t, path)
	conn, err := holder.db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(context.Background(), "ROLLBACK")

	s, err := Open(context.Background(), path, Options{BusyTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	w, err := s.NewWriter(context.Background(), "v1")
	if err != nil {
		t.Fatal(err)
	}
	r := request("msg_1", mustTime(t, "2025-06-01T00:00:00Z"), 1, 1)
	if err := w.Add(&r); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Close(); !errors.Is(err, ErrLocked) {
		t.Errorf("close writer on a locked store: %v, want ErrLocked", err)
	}
}

func TestWriterRejectsBadRequests(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	noTime := request("msg_1", time.Time{}, 1, 1)
	badStatus := request("msg_2", mustTime(t, "2025-06-01T00:00:00Z"), 1, 1)
	badStatus.Status = "exploded"

	for name, r := range map[string]analyze.Request{"no time": noTime, "unknown status": badStatus} {
		w, err := s.NewWriter(context.Background(), "v1")
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Add(&r); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Close(); err == nil {
			t.Errorf("%s: close returned no error", name)
		}
	}
	if requests, _ := total(t, s); requests != 0 {
		t.Errorf("stored %d requests, want 0", requests)
	}
}

func TestWriterInt64Sums(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	at := mustTime(t, "2025-06-01T00:00:00Z")
	reqs := []analyze.Request{
		request("msg_1", at, 1_000_000_000, 0),
		request("msg_2", at, 1_000_000_000, 0),
		request("msg_3", at.Add(time.Minute), 1_000_000_000, 0),
	}
	writeAll(t, s, "v1", 100, reqs)

	// 3 × 1,000,000,000 = 3,000,000,000 > 2^31 - 1 = 2,147,483,647.
	for _, by := range [][]string{nil, {analyze.DimUser}} {
		var input int64
		for _, c := range cellsOf(t, s, analyze.Query{By: by}) {
			input += c.Usage.Tokens[pricing.Input]
		}
		if input != 3_000_000_000 {
			t.Errorf("by %v: input = %d, want 3000000000", by, input)
		}
	}
}

func TestWriterKeepsFields(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	r := request("msg_1", mustTime(t, "2025-06-01T10:11:12.345Z"), 5, 6)
	r.User, r.Session, r.RequestID, r.HasLoggedCost, r.LoggedCostUSD = "u1", "s1", "req_9", true, 0.25
	r.Status = analyze.StatusNoUsage
	writeAll(t, s, "v1", 100, []analyze.Request{r})

	var timeMS int64
	var cost sql.NullFloat64
	var requestID string
	err := s.db.QueryRow(`SELECT time_ms, logged_cost, request_id FROM requests`).Scan(&timeMS, &cost, &requestID)
	if err != nil {
		t.Fatal(err)
	}
	if want := r.Time.UnixMilli(); timeMS != want {
		t.Errorf("time_ms = %d, want %d", timeMS, want)
	}
	if !cost.Valid || cost.Float64 != 0.25 {
		t.Errorf("logged_cost = %+v, want 0.25", cost)
	}
	if requestID != "req_9" {
		t.Errorf("request_id = %q, want req_9", requestID)
	}
	cells := cellsOf(t, s, analyze.Query{By: []string{analyze.DimUser, analyze.DimSession}})
	if len(cells) != 1 || cells[0].NoUsage != 1 || !slices.Equal(cells[0].Key, []string{"u1", "s1"}) {
		t.Errorf("cells = %+v, want one cell u1/s1 with 1 no_usage request", cells)
	}
}
