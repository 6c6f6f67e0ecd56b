package ingest_test

import (
	"bytes"
	"compress/gzip"
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

// gzipLines returns n request lines without ids, gzipped, and the same
// archive cut where it was flushed after line cutAfter.
func gzipLines(t *testing.T, n, cutAfter int) (full, cut []byte) {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	at := 0
	for i := 1; i <= n; i++ {
		fmt.Fprintf(zw, `{"time":"2026-03-01T10:00:00Z","provider":"anthropic","model":"claude-sonnet-4-5-20250929","input":%d,"output":10}`+"\n", i)
		if i == cutAfter {
			if err := zw.Flush(); err != nil {
				t.Fatal(err)
			}
			at = buf.Len()
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), buf.Bytes()[:at]
}

func TestTruncatedGzipThenComplete(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "logs.jsonl.gz")
	full, cut := gzipLines(t, 500, 300)
	st, err := store.Open(ctx, filepath.Join(dir, "s.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	table, err := pricing.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	ingestFile := func(data []byte) *ingest.Summary {
		t.Helper()
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		sum, err := ingest.Run(ctx, st, table, []ingest.Input{{Path: path}}, ingest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}

	// The cut archive: its 300 whole lines are stored and the file is
	// named as truncated, not as unread.
	sum := ingestFile(cut)
	if sum.Stored != 300 {
		t.Errorf("stored = %d, want the 300 lines before the cut", sum.Stored)
	}
	if len(sum.FileErrors) != 0 {
		t.Errorf("file errors = %q, want none", sum.FileErrors)
	}
	if len(sum.Truncated) != 1 {
		t.Fatalf("truncated = %q, want one entry", sum.Truncated)
	}
	for _, part := range []string{path, "ends early (truncated gzip archive) after 300 whole lines", "were stored", "without counting any twice"} {
		if !strings.Contains(sum.Truncated[0], part) {
			t.Errorf("message %q does not contain %q", sum.Truncated[0], part)
		}
	}

	// The complete file under the same name adds the other 200 requests
	// and merges the first 300.
	sum = ingestFile(full)
	if sum.Stored != 200 {
		t.Errorf("stored = %d, want the 200 lines after the cut", sum.Stored)
	}
	if sum.Merged != 300 {
		t.Errorf("merged = %d, want the 300 lines stored before", sum.Merged)
	}
	if len(sum.Truncated) != 0 {
		t.Errorf("truncated = %q, want none", sum.Truncated)
	}
}

func TestTruncatedGzipStrict(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "logs.jsonl.gz")
	_, cut := gzipLines(t, 50, 30)
	if err := os.WriteFile(path, cut, 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, filepath.Join(dir, "s.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	table, err := pricing.Embedded()
	if err != nil {
		t.Fatal(err)
	}

	sum, err := ingest.Run(ctx, st, table, []ingest.Input{{Path: path}}, ingest.Options{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Stored != 0 {
		t.Errorf("stored = %d, want nothing under --strict", sum.Stored)
	}
	if len(sum.FileErrors) != 1 || !strings.Contains(sum.FileErrors[0], "--strict: nothing stored from "+path) {
		t.Errorf("file errors = %q, want one saying --strict stored nothing", sum.FileErrors)
	}
}
