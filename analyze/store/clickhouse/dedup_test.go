package clickhouse_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/store"
	"github.com/costctl/costctl/analyze/store/clickhouse"
	"github.com/costctl/costctl/pricing"
)

// copies returns several copies of each of n requests that differ in every
// field the most-complete rule compares: output, total, source and line,
// with ties on the earlier fields so that each later field decides some
// pairs. Copies of one request carry different times and endpoints, so a
// wrong choice shows in the cells and in the scan.
func copies(n int) []analyze.Request {
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var out []analyze.Request
	for i := range n {
		variants := []struct {
			output, input int64
			source        string
			line          int64
		}{
			{10, 100, "b.jsonl", 5}, {10, 100, "a.jsonl", 9}, {10, 100, "a.jsonl", 3},
			{10, 50, "0.jsonl", 1}, {4, 900, "0.jsonl", 1}, {12, 1, "z.jsonl", 7},
		}
		for j, v := range variants[:1+i%len(variants)] {
			r := analyze.Request{
				ID: fmt.Sprintf("msg_%04d", i), Provider: "anthropic", Model: "claude-sonnet-4-5",
				Time:     base.Add(time.Duration(i)*time.Minute + time.Duration(j)*7*time.Minute),
				Endpoint: fmt.Sprintf("ep%d", j), Format: "costctl-jsonl", Source: v.source, Line: v.line,
				Status: analyze.StatusOK, SampleRate: 1,
			}
			r.Tokens[pricing.Output], r.Tokens[pricing.Input] = v.output, v.input
			out = append(out, r)
		}
	}
	return out
}

// write adds reqs with one writer, committing every batch rows so that
// copies of a request land in different inserts.
func write(t *testing.T, st store.Backend, reqs []analyze.Request) store.WriteStats {
	t.Helper()
	w, err := st.OpenWriter(context.Background(), "test-table")
	if err != nil {
		t.Fatal(err)
	}
	for i := range reqs {
		if err := w.Add(&reqs[i]); err != nil {
			t.Fatal(err)
		}
	}
	stats, err := w.Close()
	if err != nil {
		t.Fatal(err)
	}
	return stats
}

func TestDedupKeepsMostCompleteCopyInAnyOrder(t *testing.T) {
	reqs := copies(60)
	lite, _ := openPair(t)
	write(t, lite, reqs)
	want := scanAll(t, lite, analyze.Query{})
	if len(want) != 60 {
		t.Fatalf("sqlite stored %d requests, want 60", len(want))
	}

	orders := map[string][]analyze.Request{"as made": reqs, "reversed": reversed(reqs)}
	for seed := range uint64(3) {
		orders[fmt.Sprintf("shuffle %d", seed)] = shuffled(reqs, seed)
	}
	for name, order := range orders {
		_, ch := openPair(t)
		for i := 0; i < len(order); i += 7 { // one insert per 7 copies
			write(t, ch, order[i:min(i+7, len(order))])
		}
		got := scanAll(t, ch, analyze.Query{})
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: clickhouse kept other copies than sqlite", name)
		}
		compareCells(t, lite, ch, analyze.Query{By: []string{"endpoint", "hour"}, Loc: time.UTC})

		// Too many duplicated ids to list: the same choice by subquery.
		undo := clickhouse.SetMaxInlineIDs(3)
		if got := scanAll(t, ch, analyze.Query{}); !reflect.DeepEqual(got, want) {
			t.Errorf("%s, duplicates by subquery: clickhouse kept other copies than sqlite", name)
		}
		compareCells(t, lite, ch, analyze.Query{By: []string{"endpoint", "day"}, Loc: time.UTC})
		undo()
	}
}

func TestDedupWithConcurrentWriters(t *testing.T) {
	reqs := shuffled(copies(80), 7)
	lite, ch := openPair(t)
	write(t, lite, reqs)

	var wg sync.WaitGroup
	for part := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := part * 10; i < len(reqs); i += 20 { // interleaved slices of 10
				write(t, ch, reqs[i:min(i+10, len(reqs))])
			}
		}()
	}
	wg.Wait()

	got, want := scanAll(t, ch, analyze.Query{}), scanAll(t, lite, analyze.Query{})
	if len(got) != 80 || !reflect.DeepEqual(got, want) {
		t.Errorf("concurrent writers: clickhouse has %d requests, sqlite %d, or other copies", len(got), len(want))
	}
	compareCells(t, lite, ch, analyze.Query{By: []string{"endpoint"}, Loc: time.UTC})
}

func TestDedupAfterMerges(t *testing.T) {
	reqs := copies(12)
	lite, ch := openPair(t)
	write(t, lite, reqs)
	for i := range reqs {
		write(t, ch, reqs[i:i+1]) // one part per copy, for the merge to collapse
	}
	optimize(t, ch)
	if got, want := scanAll(t, ch, analyze.Query{}), scanAll(t, lite, analyze.Query{}); !reflect.DeepEqual(got, want) {
		t.Errorf("after OPTIMIZE FINAL: clickhouse kept other copies than sqlite")
	}
}

// TestWindowAppliesToChosenCopy checks that a less complete copy inside
// the window does not stand in for a more complete copy outside it.
func TestWindowAppliesToChosenCopy(t *testing.T) {
	reqs := copies(12)
	lite, ch := openPair(t)
	write(t, lite, reqs)
	write(t, ch, reqs)
	since := time.Date(2026, 3, 1, 0, 10, 0, 0, time.UTC)
	q := analyze.Query{Since: since, Until: since.Add(5 * time.Minute), Loc: time.UTC, By: []string{"endpoint"}}
	if got, want := scanAll(t, ch, q), scanAll(t, lite, q); !reflect.DeepEqual(got, want) {
		t.Errorf("window scan: clickhouse %d requests, sqlite %d", len(got), len(want))
	}
	compareCells(t, lite, ch, analyze.Query{Since: since, Loc: time.UTC, By: []string{"endpoint"}})
}

func reversed(reqs []analyze.Request) []analyze.Request {
	out := make([]analyze.Request, len(reqs))
	for i := range reqs {
		out[len(reqs)-1-i] = reqs[i]
	}
	return out
}

func shuffled(reqs []analyze.Request, seed uint64) []analyze.Request {
	out := append([]analyze.Request(nil), reqs...)
	rng := rand.New(rand.NewPCG(seed, seed))
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}
