package store

import (
	"context"
	"testing"
	"time"

	"github.com/costctl/costctl/analyze/billing"
	"github.com/costctl/costctl/pricing"
)

func billLine(day int, model string, input int64) billing.Line {
	l := billing.Line{
		Provider: "anthropic", Kind: billing.KindUsage, Model: model, Workspace: "wrkspc_app",
		Start: time.Date(2025, 11, day, 0, 0, 0, 0, time.UTC), End: time.Date(2025, 11, day+1, 0, 0, 0, 0, time.UTC),
	}
	l.Usage.Tokens[pricing.Input] = input
	return l
}

func TestWriteBillingMergesCopies(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t, tempStorePath(t))

	first := []billing.Line{billLine(3, "claude-haiku-4-5", 100), billLine(4, "claude-haiku-4-5", 50)}
	stats, err := s.WriteBilling(ctx, first, "page-1.json")
	if err != nil {
		t.Fatal(err)
	}
	if stats != (BillingStats{Inserted: 2}) {
		t.Errorf("first write = %+v, want 2 inserted", stats)
	}

	// A re-download: 11-03 unchanged, 11-04 now complete, 11-05 new.
	again := []billing.Line{billLine(3, "claude-haiku-4-5", 100), billLine(4, "claude-haiku-4-5", 80), billLine(5, "claude-haiku-4-5", 7)}
	stats, err = s.WriteBilling(ctx, again, "redownload.json")
	if err != nil {
		t.Fatal(err)
	}
	if stats != (BillingStats{Inserted: 1, Replaced: 1, Kept: 1}) {
		t.Errorf("second write = %+v, want 1 inserted, 1 replaced, 1 kept", stats)
	}

	// An older, smaller copy of 11-04 must not win.
	if _, err := s.WriteBilling(ctx, []billing.Line{billLine(4, "claude-haiku-4-5", 50)}, "old.json"); err != nil {
		t.Fatal(err)
	}
	lines, err := s.BillingLines(ctx, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	want := []int64{100, 80, 7} // by start
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d", len(lines), len(want))
	}
	for i, l := range lines {
		if got := l.Usage.Tokens[pricing.Input]; got != want[i] {
			t.Errorf("line %d input = %d, want %d", i, got, want[i])
		}
	}
}

func TestBillingLinesWindow(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t, tempStorePath(t))
	in := []billing.Line{billLine(3, "a", 1), billLine(4, "a", 2), billLine(5, "a", 3)}
	if _, err := s.WriteBilling(ctx, in, "x.json"); err != nil {
		t.Fatal(err)
	}

	// [11-04, 11-05): the bucket starting on 11-04 only.
	lines, err := s.BillingLines(ctx, time.Date(2025, 11, 4, 0, 0, 0, 0, time.UTC), time.Date(2025, 11, 5, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 1 || lines[0].Usage.Tokens[pricing.Input] != 2 {
		t.Fatalf("lines = %+v, want the 11-04 line only", lines)
	}
	if lines[0].Identity() != in[1].Identity() {
		t.Errorf("read-back identity differs: %q vs %q", lines[0].Identity(), in[1].Identity())
	}
}
