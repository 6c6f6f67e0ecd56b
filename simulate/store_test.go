package simulate

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/store"
	"github.com/costctl/costctl/pricing"
)

// sliceScanner yields reqs in order, as a store scan would.
func sliceScanner(reqs []analyze.Request) Scanner {
	return func(fn func(*analyze.Request) error) error {
		for i := range reqs {
			r := reqs[i]
			if err := fn(&r); err != nil {
				return err
			}
		}
		return nil
	}
}

// inStoreOrder sorts reqs as a store scan returns them: by millisecond,
// then by primary key.
func inStoreOrder(reqs []analyze.Request) []analyze.Request {
	out := slices.Clone(reqs)
	slices.SortStableFunc(out, func(a, b analyze.Request) int {
		if c := cmp.Compare(a.Time.UnixMilli(), b.Time.UnixMilli()); c != 0 {
			return c
		}
		return cmp.Compare(store.KeyHash(a.DedupKey()), store.KeyHash(b.DedupKey()))
	})
	return out
}

func runJSON(t *testing.T, scan Scanner, p *Policy, table *pricing.Table, opts Options) []byte {
	t.Helper()
	sim, err := Run(scan, p, table, opts)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	doc, err := json.Marshal(sim)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestStoreScanSameDocument replays a generated store, whose requests
// share instants four or five at a time, and the same requests sorted in
// memory, and expects the same document byte for byte.
func TestStoreScanSameDocument(t *testing.T) {
	table := embeddedTable(t)
	policy := readPolicy(t, table, filepath.Join("testdata", "all-levers.yaml"))
	reqs := generateTraffic(t, table, 4000, time.Hour)
	path := filepath.Join(t.TempDir(), "s.db")
	writeStore(t, path, table, reqs)
	st, err := store.Open(context.Background(), path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	for _, opts := range []Options{
		{By: []string{analyze.DimEndpoint}},
		{By: []string{analyze.DimModel, analyze.DimDay}, Backtest: true},
		{By: []string{analyze.DimSession}, Since: reqs[500].Time, Until: reqs[3000].Time},
	} {
		q := analyze.Query{Since: opts.Since, Until: opts.Until}
		fromStore := runJSON(t, func(fn func(*analyze.Request) error) error {
			return st.Scan(context.Background(), q, fn)
		}, policy, table, opts)

		var window []analyze.Request
		for _, r := range inStoreOrder(reqs) {
			if (opts.Since.IsZero() || !r.Time.Before(opts.Since)) && (opts.Until.IsZero() || r.Time.Before(opts.Until)) {
				window = append(window, r)
			}
		}
		fromMemory := runJSON(t, sliceScanner(window), policy, table, opts)
		if !bytes.Equal(fromStore, fromMemory) {
			t.Errorf("by %v: the store's document differs from the one of the same requests in memory", opts.By)
		}
	}
}

// leverSections are the policy sections of each lever; quality belongs to
// routing.
var leverSections = map[string][]string{
	LeverRoute: {"route", "quality"}, LeverCompress: {"compress"},
	LeverCache: {"cache"}, LeverBatch: {"batch"},
	LeverStructuredOutput: {"structured_output"},
}

// policyWith returns the all-levers policy with only the given levers.
func policyWith(t *testing.T, table *pricing.Table, levers []string) *Policy {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "all-levers.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var all map[string]any
	if err := yaml.Unmarshal(data, &all); err != nil {
		t.Fatal(err)
	}
	keep := map[string]any{"name": all["name"]}
	for _, l := range levers {
		for _, section := range leverSections[l] {
			keep[section] = all[section]
		}
	}
	out, err := yaml.Marshal(keep)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParsePolicy(out, table)
	if err != nil {
		t.Fatalf("policy with %v: %v", levers, err)
	}
	return p
}

// TestWaterfallMatchesSeparateRuns checks each step of the waterfall
// against a simulation of its own: the cumulative cost after lever k
// against a policy of levers 1..k, and a lever's standalone savings
// against a policy of that lever alone.
func TestWaterfallMatchesSeparateRuns(t *testing.T) {
	table := embeddedTable(t)
	reqs := inStoreOrder(generateTraffic(t, table, 3000, time.Second))
	scan := sliceScanner(reqs)
	levers := []string{LeverRoute, LeverCompress, LeverCache, LeverBatch, LeverStructuredOutput}
	all, err := Run(scan, policyWith(t, table, levers), table, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Levers) != len(levers) {
		t.Fatalf("waterfall has %d steps, want %d", len(all.Levers), len(levers))
	}

	for k, name := range levers {
		upTo, err := Run(scan, policyWith(t, table, levers[:k+1]), table, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := all.Levers[k].CumulativeCostUSD, upTo.Projected.CostUSD; got != want {
			t.Errorf("%s: cumulative cost %v, want %v from a run of the levers up to it", name, got, want)
		}

		alone, err := Run(scan, policyWith(t, table, []string{name}), table, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := all.Levers[k].StandaloneSavingsUSD, alone.SavingsUSD; got != want {
			t.Errorf("%s: standalone savings %v, want %v from a run of that lever alone", name, got, want)
		}
		if alone.SavingsUSD == 0 {
			t.Errorf("%s: the lever alone saves nothing on the generated traffic, so this check proves little", name)
		}
	}
}

// TestWaterfallMatchesPerScenarioReplay replays each cumulative step as a
// scenario of its own: a fresh copy of every request, all of the step's
// levers applied by one call of apply, and the step's own cache and
// conversation state. Its costs must equal the waterfall's, where each
// step continues from the previous one.
func TestWaterfallMatchesPerScenarioReplay(t *testing.T) {
	table := embeddedTable(t)
	policy := readPolicy(t, table, filepath.Join("testdata", "all-levers.yaml"))
	reqs := inStoreOrder(generateTraffic(t, table, 3000, time.Second))
	sim, err := Run(sliceScanner(reqs), policy, table, Options{})
	if err != nil {
		t.Fatal(err)
	}

	e := newEngine(policy, table)
	var set leverSet
	for k, name := range policy.Levers() {
		set |= leverBits[name]
		got := replayScenario(t, e, newScenario(set), reqs)
		if want := sim.Levers[k].CumulativeCostUSD; got.USD() != want {
			t.Errorf("after %s: per-scenario replay costs %v, the waterfall %v", name, got.USD(), want)
		}
	}
}

func replayScenario(t *testing.T, e *engine, s *scenario, reqs []analyze.Request) pricing.Money {
	t.Helper()
	var total pricing.Money
	for i := range reqs {
		w := &work{Request: reqs[i]}
		summary, err := e.apply(s, w)
		if err != nil {
			t.Fatal(err)
		}
		b, err := e.bill(w)
		if err != nil {
			t.Fatal(err)
		}
		total.Add(b.cost)
		if summary == nil {
			continue
		}
		if b, err = e.bill(summary); err != nil {
			t.Fatal(err)
		}
		total.Add(b.cost)
	}
	return total
}
