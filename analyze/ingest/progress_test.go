package ingest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/costctl/costctl/analyze/ingest"
	"github.com/costctl/costctl/analyze/store"
	"github.com/costctl/costctl/pricing"
)

// writeRequests writes n request lines of equal length (n at most 90,000)
// without ids and returns the length of one line.
func writeRequests(t *testing.T, path string, n int) int64 {
	t.Helper()
	var b strings.Builder
	line := ""
	for i := range n {
		line = fmt.Sprintf(`{"time":"2026-03-01T10:00:00Z","provider":"anthropic","model":"claude-sonnet-4-5-20250929","input":%d,"output":10}`+"\n", 10000+i)
		b.WriteString(line)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return int64(len(line))
}

func TestProgressCountsBytes(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "b.jsonl")
	lineBytes := writeRequests(t, a, 5000)
	writeRequests(t, b, 5000)
	st, err := store.Open(ctx, filepath.Join(dir, "s.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	table, err := pricing.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	run := func(paths ...string) []ingest.Counts {
		t.Helper()
		var updates []ingest.Counts
		inputs := make([]ingest.Input, len(paths))
		for i, p := range paths {
			inputs[i] = ingest.Input{Path: p}
		}
		opts := ingest.Options{Progress: func(c ingest.Counts) { updates = append(updates, c) }}
		if _, err := ingest.Run(ctx, st, table, inputs, opts); err != nil {
			t.Fatal(err)
		}
		return updates
	}
	fileBytes := 5000 * lineBytes

	// One update, after 4096 requests: at least their lines were read,
	// and no more than the file.
	updates := run(a)
	if len(updates) != 1 {
		t.Fatalf("%d progress updates, want 1", len(updates))
	}
	if got := updates[0].Bytes; got < 4096*lineBytes || got > fileBytes {
		t.Errorf("bytes = %d, want from %d to %d", got, 4096*lineBytes, fileBytes)
	}

	// a.jsonl is unchanged and skipped, but its bytes count as done, so
	// the update in b.jsonl counts both files.
	updates = run(a, b)
	if len(updates) != 1 {
		t.Fatalf("%d progress updates, want 1", len(updates))
	}
	if got := updates[0].Bytes; got < fileBytes+4096*lineBytes || got > 2*fileBytes {
		t.Errorf("bytes = %d, want from %d to %d", got, fileBytes+4096*lineBytes, 2*fileBytes)
	}
}
