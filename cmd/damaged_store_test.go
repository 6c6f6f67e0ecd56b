package cmd

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDamagedStoreNextStep damages a store that an ingest wrote: every
// command that opens it exits 4 with SQLite's message and the next step.
func TestDamagedStoreNextStep(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	log := filepath.Join(dir, "a.jsonl")
	line := `{"time":"2026-03-01T10:00:00Z","provider":"anthropic","model":"claude-sonnet-4-5-20250929","input":100,"output":10}` + "\n"
	if err := os.WriteFile(log, []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	streams, _, errOut := TestIO("")
	if code := Main(context.Background(), []string{"--db", db, "ingest", log}, streams); code != ExitOK {
		t.Fatalf("ingest: exit %d: %s", code, errOut)
	}

	// Keep the first page, with the SQLite header, and overwrite the rest.
	data, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	for i := 4096; i < len(data); i++ {
		data[i] = 0xde
	}
	if err := os.WriteFile(db, data, 0o644); err != nil {
		t.Fatal(err)
	}

	for _, args := range [][]string{{"report"}, {"ingest", log}, {"reprice"}} {
		streams, _, errOut := TestIO("")
		code := Main(context.Background(), append([]string{"--db", db}, args...), streams)
		if code != ExitRuntime {
			t.Errorf("%s: exit %d, want %d", args[0], code, ExitRuntime)
		}
		for _, want := range []string{"malformed", "restore it from a copy", "into a new store (--db NEW_PATH)"} {
			if !strings.Contains(errOut.String(), want) {
				t.Errorf("%s: stderr %q does not contain %q", args[0], errOut.String(), want)
			}
		}
	}
}
