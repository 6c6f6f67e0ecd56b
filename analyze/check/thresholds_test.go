package check

import "testing"

func level(warn, fail float64) Level { return Level{Warn: &warn, Fail: &fail} }

func TestThresholds(t *testing.T) {
	// Current: a +10% (2.0 → 2.2), b unchanged (3.0): change 0.2 USD,
	// 0.2/5 = 4%. Cost per request 5.2/21 = 0.247619...
	cur := doc("cur.json", cell("a", "m1", 11, 1100, 1.1, 550, 1.1), cell("b", "m2", 10, 1000, 3.0, 0, 0))
	cases := []struct {
		name   string
		levels map[string]Level
		want   string
		value  float64
	}{
		{"usd under both", map[string]Level{IncreaseUSD: level(0.5, 1)}, StatusPass, 0.2},
		{"usd over warn", map[string]Level{IncreaseUSD: level(0.1, 1)}, StatusWarn, 0.2},
		{"usd over fail", map[string]Level{IncreaseUSD: level(0.1, 0.15)}, StatusFail, 0.2},
		{"pct over fail", map[string]Level{IncreasePct: level(1, 3)}, StatusFail, 4},
		{"pct at the level passes", map[string]Level{IncreasePct: {Fail: ptr(4.000001)}}, StatusPass, 4},
		// Group a: +0.2 USD, +10%; group b: 0.
		{"group pct", map[string]Level{GroupIncreasePct: level(5, 8)}, StatusFail, 10},
		{"group usd warn", map[string]Level{GroupIncreaseUSD: level(0.1, 0.3)}, StatusWarn, 0.2},
		{"cost per request", map[string]Level{CostPerRequestUSD: {Fail: ptr(0.24)}}, StatusFail, 5.2 / 21},
		{"unpriced", map[string]Level{UnpricedRequests: {Fail: ptr(0)}}, StatusPass, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Compare(baselineDoc(), cur, Options{By: []string{"endpoint"}, Thresholds: tc.levels})
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Thresholds) != 1 {
				t.Fatalf("got %d threshold results, want 1", len(r.Thresholds))
			}
			got := r.Thresholds[0]
			if got.Status != tc.want {
				t.Errorf("status = %s, want %s (%s)", got.Status, tc.want, got.Message)
			}
			if r.Status != tc.want {
				t.Errorf("overall status = %s, want %s", r.Status, tc.want)
			}
			if got.Value == nil {
				t.Fatal("value is null")
			}
			near(t, "value", *got.Value, tc.value)
		})
	}
}

func ptr(v float64) *float64 { return &v }

// The worst status of several thresholds decides; unset ones are absent.
func TestOverallStatus(t *testing.T) {
	levels := map[string]Level{IncreaseUSD: level(-1, 100), IncreasePct: level(100, 200), CostPerRequestUSD: {}}
	r, err := Compare(baselineDoc(), baselineDoc(), Options{Thresholds: levels})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Thresholds) != 2 {
		t.Errorf("got %d results, want 2 (the unset threshold is left out)", len(r.Thresholds))
	}
	if r.Status != StatusWarn {
		t.Errorf("status = %s, want warn", r.Status)
	}
}

// An empty baseline has no percentage: the pct threshold passes and says
// why; the USD one still fails.
func TestPctWithEmptyBaseline(t *testing.T) {
	levels := map[string]Level{IncreasePct: {Fail: ptr(5)}, IncreaseUSD: {Fail: ptr(1)}}
	r, err := Compare(doc("base.json"), baselineDoc(), Options{Thresholds: levels})
	if err != nil {
		t.Fatal(err)
	}
	if r.ChangePct != nil {
		t.Errorf("change_pct = %v, want null", *r.ChangePct)
	}
	if r.Thresholds[1].Status != StatusPass || r.Thresholds[1].Value != nil {
		t.Errorf("increase_pct = %+v, want pass without a value", r.Thresholds[1])
	}
	if r.Status != StatusFail {
		t.Errorf("status = %s, want fail from increase_usd", r.Status)
	}
}
