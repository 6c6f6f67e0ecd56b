package simulate_test

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/ingest"
	"github.com/costctl/costctl/analyze/store"
	"github.com/costctl/costctl/pricing"
	"github.com/costctl/costctl/simulate"
)

// sampleStore ingests the bundled sample into a new store.
func sampleStore(t *testing.T, table *pricing.Table) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sample := filepath.Join("..", "testdata", "sample")
	if _, err := ingest.Run(ctx, st, table, []ingest.Input{{Path: sample}}, ingest.Options{}); err != nil {
		t.Fatalf("ingest %s: %v", sample, err)
	}
	return st
}

func TestSampleBaselineEqualsReport(t *testing.T) {
	ctx := context.Background()
	table, err := pricing.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	st := sampleStore(t, table)
	data, err := os.ReadFile(filepath.Join("..", "testdata", "policies", "production-stack.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := simulate.ParsePolicy(data, table)
	if err != nil {
		t.Fatal(err)
	}

	by := []string{analyze.DimEndpoint}
	cells, err := st.Cells(ctx, analyze.Query{By: by})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := analyze.BuildReport(cells, table, analyze.ReportOptions{By: by})
	if err != nil {
		t.Fatal(err)
	}
	scan := func(fn func(*analyze.Request) error) error { return st.Scan(ctx, analyze.Query{}, fn) }
	sim, err := simulate.Run(scan, p, table, simulate.Options{By: by})
	if err != nil {
		t.Fatal(err)
	}

	// Both sum the same integer tokens × unit prices exactly, so the
	// dollar figures are the same float64, not just close.
	if sim.Baseline.CostUSD != rep.Totals.CostUSD {
		t.Errorf("baseline cost %v, report total %v", sim.Baseline.CostUSD, rep.Totals.CostUSD)
	}
	if sim.Baseline.Requests != rep.Totals.Requests || sim.Baseline.InputTokens != rep.Totals.InputTokens ||
		sim.Baseline.CacheReadTokens != rep.Totals.CacheReadTokens || sim.Baseline.UnpricedRequests != rep.Totals.UnpricedRequests {
		t.Errorf("baseline figures %+v, report totals %+v", sim.Baseline, rep.Totals)
	}
	for _, lever := range sim.Levers {
		if lever.StandaloneSavingsUSD == 0 {
			t.Errorf("lever %s saves nothing on the sample", lever.Name)
		}
	}

	var cellSum float64
	for _, c := range sim.Cells {
		cellSum += c.CostUSD
	}
	if math.Abs(cellSum-sim.Projected.CostUSD) > 1e-9 {
		t.Errorf("projected cells sum to %v, projected cost %v", cellSum, sim.Projected.CostUSD)
	}
}
