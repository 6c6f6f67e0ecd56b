package simulate

import (
	"math"
	"testing"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

var t0 = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)

func embeddedTable(t testing.TB) *pricing.Table {
	t.Helper()
	table, err := pricing.Embedded()
	if err != nil {
		t.Fatalf("embedded table: %v", err)
	}
	return table
}

func mustPolicy(t testing.TB, table *pricing.Table, text string) *Policy {
	t.Helper()
	p, err := ParsePolicy([]byte(text), table)
	if err != nil {
		t.Fatalf("parse policy: %v\n%s", err, text)
	}
	return p
}

// newRequest is a priced request of model at t0 + offset.
func newRequest(t testing.TB, table *pricing.Table, model, endpoint string, offset time.Duration, input, output int64) analyze.Request {
	t.Helper()
	r := analyze.Request{Provider: "", Model: model, Endpoint: endpoint, Time: t0.Add(offset), Status: analyze.StatusOK}
	r.Tokens[pricing.Input] = input
	r.Tokens[pricing.Output] = output
	if !(analyze.Pricer{Table: table}).Price(&r) {
		t.Fatalf("model %s is not in the price table", model)
	}
	return r
}

// reprice recomputes the row and band after a test changed tokens.
func reprice(t testing.TB, table *pricing.Table, r *analyze.Request) {
	t.Helper()
	if !(analyze.Pricer{Table: table}).Price(r) {
		t.Fatalf("model %s is not in the price table", r.Model)
	}
}

func run(t testing.TB, table *pricing.Table, p *Policy, reqs []analyze.Request, opts Options) *Simulation {
	t.Helper()
	scan := func(fn func(*analyze.Request) error) error {
		for i := range reqs {
			r := reqs[i]
			if err := fn(&r); err != nil {
				return err
			}
		}
		return nil
	}
	sim, err := Run(scan, p, table, opts)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return sim
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9 }

func checkUSD(t *testing.T, what string, got, want float64) {
	t.Helper()
	if !near(got, want) {
		t.Errorf("%s = %.12f, want %.12f", what, got, want)
	}
}

func checkCount(t *testing.T, what string, got, want int64) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %d, want %d", what, got, want)
	}
}
