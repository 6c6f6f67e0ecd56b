package clickhouse_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/costctl/costctl/analyze/ingest"
	"github.com/costctl/costctl/analyze/store"
	"github.com/costctl/costctl/analyze/store/clickhouse"
	"github.com/costctl/costctl/analyze/store/clickhouse/chtest"
)

// logLines returns lines first .. last (1-based) of a JSON Lines log, one
// request a minute with ids msg_1, msg_2, ...
func logLines(first, last int) string {
	var b strings.Builder
	for i := first; i <= last; i++ {
		fmt.Fprintf(&b, `{"id":"msg_%d","time":"2026-03-01T10:%02d:00Z","provider":"anthropic","model":"claude-sonnet-4-5-20250929","endpoint":"/a","input":%d,"output":10}`+"\n", i, i, 100*i)
	}
	return b.String()
}

func appendTo(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// ingestFile ingests path into st and returns the summary.
func ingestFile(t *testing.T, st store.Backend, path string) *ingest.Summary {
	t.Helper()
	sum, err := ingest.Run(context.Background(), st, embeddedTable(t), []ingest.Input{{Path: path}}, ingest.Options{})
	if err != nil {
		t.Fatalf("ingest %s: %v", path, err)
	}
	return sum
}

// expectRead checks what one ingest read and stored.
func expectRead(t *testing.T, step string, sum *ingest.Summary, lines, stored, merged, unchanged int64) {
	t.Helper()
	got := [4]int64{sum.Lines, sum.Stored, sum.Merged, sum.Unchanged}
	want := [4]int64{lines, stored, merged, unchanged}
	if got != want {
		t.Errorf("%s: lines, stored, merged, unchanged files = %v, want %v", step, got, want)
	}
}

func expectRequests(t *testing.T, step string, st store.Backend, want int64) {
	t.Helper()
	_, _, n, err := st.Bounds(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n != want {
		t.Errorf("%s: store holds %d requests, want %d", step, n, want)
	}
}

// openHost opens the database at db as a writer on the named host.
func openHost(t *testing.T, db, host string) *clickhouse.Store {
	t.Helper()
	st, err := clickhouse.Open(context.Background(), db, clickhouse.Options{Host: host})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestIncrementalIngest runs the same steps on both backends: a repeat
// ingest skips the file, and an append is read from the end of the last
// whole line, so only the new lines are read.
func TestIncrementalIngest(t *testing.T) {
	lite, ch := openPair(t)
	for _, st := range []store.Backend{lite, ch} {
		name := fmt.Sprintf("%T", st)
		path := filepath.Join(t.TempDir(), "a.jsonl")
		appendTo(t, path, logLines(1, 2))
		expectRead(t, name+" first ingest", ingestFile(t, st, path), 2, 2, 0, 0)
		expectRead(t, name+" unchanged file", ingestFile(t, st, path), 0, 0, 0, 1)

		// Three lines appended, the last without its newline yet: all
		// three are read, but the state ends before the unfinished line,
		// which the next ingest reads again and merges.
		appendTo(t, path, logLines(3, 5)[:len(logLines(3, 5))-1])
		expectRead(t, name+" append", ingestFile(t, st, path), 3, 3, 0, 0)
		appendTo(t, path, "\n")
		expectRead(t, name+" line finished", ingestFile(t, st, path), 1, 0, 1, 0)
		expectRequests(t, name, st, 5)
		expectRead(t, name+" unchanged again", ingestFile(t, st, path), 0, 0, 0, 1)

		states, err := st.Files(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if s := states[path]; s.Offset != info.Size() || s.Lines != 5 {
			t.Errorf("%s: state of %s: offset %d after %d lines, want %d after 5", name, path, s.Offset, s.Lines, info.Size())
		}
	}
}

// TestFileStatesPerHost checks that a host never resumes from another
// host's state, because the same path on another machine is another file.
// The second host reads the file whole, and the dedup rule stores nothing
// twice.
func TestFileStatesPerHost(t *testing.T) {
	db := chtest.Database(t)
	a, b := openHost(t, db, "host-a"), openHost(t, db, "host-b")
	path := filepath.Join(t.TempDir(), "a.jsonl")
	appendTo(t, path, logLines(1, 3))

	expectRead(t, "host a", ingestFile(t, a, path), 3, 3, 0, 0)
	expectRead(t, "host b, first time", ingestFile(t, b, path), 3, 0, 3, 0)
	expectRead(t, "host b, again", ingestFile(t, b, path), 0, 0, 0, 1)
	expectRead(t, "host a, again", ingestFile(t, a, path), 0, 0, 0, 1)
	expectRequests(t, "both hosts", a, 3)
}

// TestOlderStateSavedLast plays two ingests of one growing file whose
// states are saved out of order: the one that read less saves last. The
// next ingest then reads the later lines again, and no line is skipped.
func TestOlderStateSavedLast(t *testing.T) {
	ctx := context.Background()
	db := chtest.Database(t)
	st := openHost(t, db, "host-a")
	path := filepath.Join(t.TempDir(), "a.jsonl")
	appendTo(t, path, logLines(1, 2))
	expectRead(t, "two lines", ingestFile(t, st, path), 2, 2, 0, 0)
	early, err := st.Files(ctx)
	if err != nil {
		t.Fatal(err)
	}

	appendTo(t, path, logLines(3, 4))
	expectRead(t, "two lines appended", ingestFile(t, st, path), 2, 2, 0, 0)
	if err := st.SaveFiles(ctx, []store.FileState{early[path]}); err != nil {
		t.Fatal(err)
	}
	if got, err := st.Files(ctx); err != nil || got[path].Lines != 2 {
		t.Fatalf("latest state after %d lines (%v), want the one saved last, after 2", got[path].Lines, err)
	}

	appendTo(t, path, logLines(5, 5))
	expectRead(t, "after the older state", ingestFile(t, st, path), 3, 1, 2, 0)
	expectRequests(t, "after the older state", st, 5)
	expectRead(t, "unchanged", ingestFile(t, st, path), 0, 0, 0, 1)
}
