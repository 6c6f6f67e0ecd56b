package ingest_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/ingest"
	"github.com/costctl/costctl/analyze/store"
	"github.com/costctl/costctl/pricing"
)

// Three consecutive copies of msg_a (outputs 5, 20, 12), then msg_b, then a
// fourth, less complete copy of msg_a that only the store can merge.
const copiesLog = `{"id":"msg_a","time":"2025-06-01T10:00:00Z","provider":"anthropic","model":"claude-sonnet-4-20250514","input":1000,"output":5}
{"id":"msg_a","time":"2025-06-01T10:00:00Z","provider":"anthropic","model":"claude-sonnet-4-20250514","input":1000,"output":20}
{"id":"msg_a","time":"2025-06-01T10:00:00Z","provider":"anthropic","model":"claude-sonnet-4-20250514","input":1000,"output":12}
{"id":"msg_b","time":"2025-06-01T10:01:00Z","provider":"anthropic","model":"claude-sonnet-4-20250514","input":100,"output":10}
{"id":"msg_a","time":"2025-06-01T10:00:00Z","provider":"anthropic","model":"claude-sonnet-4-20250514","input":1000,"output":8}
`

func TestCopiesKeepMostComplete(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "copies.jsonl")
	if err := os.WriteFile(path, []byte(copiesLog), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), filepath.Join(dir, "s.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	table, err := pricing.Embedded()
	if err != nil {
		t.Fatal(err)
	}

	sum, err := ingest.Run(context.Background(), st, table, []ingest.Input{{Path: path}}, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Stored != 2 {
		t.Errorf("stored = %d, want 2", sum.Stored)
	}
	if sum.Merged != 3 {
		t.Errorf("duplicates merged = %d, want 3", sum.Merged)
	}

	outputs := map[string]int64{}
	rows := 0
	err = st.ScanPriced(context.Background(), analyze.Query{}, func(r *analyze.Request, _ string) error {
		outputs[r.ID] = r.Tokens[pricing.Output]
		rows++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if outputs["msg_a"] != 20 {
		t.Errorf("msg_a output = %d, want 20 (the most complete copy)", outputs["msg_a"])
	}
	if outputs["msg_b"] != 10 {
		t.Errorf("msg_b output = %d, want 10", outputs["msg_b"])
	}
	if rows != 2 {
		t.Errorf("stored rows = %d, want one per request", rows)
	}
}
