package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/ingest"
	"github.com/costctl/costctl/analyze/store"
	"github.com/costctl/costctl/pricing"
)

// BenchmarkCellsEndpointTierHour runs the store query behind
// `report --by endpoint,tier,hour` over the store named by COSTCTL_BENCH_DB,
// or else over a new store of 200,000 requests.
func BenchmarkCellsEndpointTierHour(b *testing.B) {
	st := benchStore(b)
	q := analyze.Query{By: []string{analyze.DimEndpoint, analyze.DimTier, analyze.DimHour}}
	var cells int
	for b.Loop() {
		got, err := st.Cells(context.Background(), q)
		if err != nil {
			b.Fatal(err)
		}
		cells = len(got)
	}
	if cells == 0 {
		b.Fatal("no cells")
	}
	b.ReportMetric(float64(cells), "cells")
}

// BenchmarkCells runs the store queries of the reports BENCHMARKS.md
// times, each on the rollup table Cells chooses for it, over the store
// named by COSTCTL_BENCH_DB or else over a new store of 200,000 requests.
func BenchmarkCells(b *testing.B) {
	st := benchStore(b)
	zone := func(name string) *time.Location {
		loc, err := time.LoadLocation(name)
		if err != nil {
			b.Fatal(err)
		}
		return loc
	}
	cases := []struct {
		name string
		q    analyze.Query
	}{
		{"endpoint,tier,hour", analyze.Query{By: []string{analyze.DimEndpoint, analyze.DimTier, analyze.DimHour}}},
		{"endpoint,tier,hour/New_York", analyze.Query{By: []string{analyze.DimEndpoint, analyze.DimTier, analyze.DimHour}, Loc: zone("America/New_York")}},
		// +05:30 falls back to the 15-minute rollup.
		{"endpoint,tier,hour/Kolkata", analyze.Query{By: []string{analyze.DimEndpoint, analyze.DimTier, analyze.DimHour}, Loc: zone("Asia/Kolkata")}},
		{"endpoint,tier,hour_of_day", analyze.Query{By: []string{analyze.DimEndpoint, analyze.DimTier, analyze.DimHourOfDay}}},
		{"endpoint,tier", analyze.Query{By: []string{analyze.DimEndpoint, analyze.DimTier}}},
		{"day", analyze.Query{By: []string{analyze.DimDay}}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var cells int
			for b.Loop() {
				got, err := st.Cells(context.Background(), c.q)
				if err != nil {
					b.Fatal(err)
				}
				cells = len(got)
			}
			if cells == 0 {
				b.Fatal("no cells")
			}
			b.ReportMetric(float64(cells), "cells")
		})
	}
}

func benchStore(b *testing.B) *store.Store {
	path := os.Getenv("COSTCTL_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "report.db")
		buildStore(b, path, 200_000)
	}
	st, err := store.Open(context.Background(), path, store.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

func buildStore(b *testing.B, path string, n int) {
	logs := filepath.Join(filepath.Dir(path), "requests.jsonl")
	if err := os.WriteFile(logs, flatJSONL(n), 0o644); err != nil {
		b.Fatal(err)
	}
	table, err := pricing.Embedded()
	if err != nil {
		b.Fatal(err)
	}
	st, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if _, err := ingest.Run(context.Background(), st, table, []ingest.Input{{Path: logs}}, ingest.Options{}); err != nil {
		b.Fatal(err)
	}
}
