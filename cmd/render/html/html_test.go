package html

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/check"
	"github.com/costctl/costctl/cmd/render/chart"
	"github.com/costctl/costctl/simulate"
)

func samplePage() *ReportPage {
	one := func(dim string, vals ...string) *analyze.Report {
		r := &analyze.Report{By: []string{dim}}
		for i, v := range vals {
			r.Groups = append(r.Groups, analyze.Group{Key: map[string]any{dim: v}, Figures: analyze.Figures{Requests: 10, CostUSD: float64(len(vals) - i)}})
		}
		return r
	}
	until := time.Date(2025, 11, 10, 0, 0, 0, 0, time.UTC)
	rep := &analyze.Report{
		PriceTableVersion: "2025-11-01+a1b2c3", GeneratedBy: "costctl test",
		Window:         analyze.Window{Until: &until, TZ: "Europe/Lisbon"},
		Totals:         analyze.Figures{Requests: 30, CostUSD: 6, UnpricedRequests: 2},
		UnpricedModels: []analyze.UnpricedModel{{Model: "acme-llm-7b", Provider: "acme", Requests: 2}},
		Warnings:       []string{"a warning <b>escaped</b>"},
	}
	hours := make([][]float64, 7)
	for i := range hours {
		hours[i] = make([]float64, 24)
		hours[i][i] = float64(i)
	}
	return &ReportPage{
		Report: rep, Period: "day", Periods: []string{"2025-11-03", "2025-11-04"}, StackBy: "endpoint",
		PeriodCost: []chart.Series{{Name: "chat", Values: []float64{1, 2}}, {Name: "plan", Values: []float64{2, 1}}},
		Weekdays:   []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}, Hours: make([]string, 24), HourCost: hours,
		Endpoints: one("endpoint", "chat", "plan"), Tiers: one("tier", "free", "pro"), Models: one("model", "m1"),
		CacheHitPct: []float64{40, 50},
	}
}

// externalRef matches anything a browser would fetch: attributes that
// load a resource and CSS url() values. The SVG namespace URIs in xmlns
// attributes are names, never fetched, so they do not match.
var externalRef = regexp.MustCompile(`(?i)(\s(src|href|xlink:href|action)\s*=|url\(|@import|<script|<link)`)

func TestReportPageCharts(t *testing.T) {
	var b bytes.Buffer
	if err := Report(&b, samplePage()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, name := range []string{"cost-over-time", "cost-by-hour", "top-endpoints", "tiers", "model-mix", "cache-hit-ratio"} {
		i := strings.Index(out, `id="chart-`+name+`"`)
		if i < 0 {
			t.Errorf("report page has no chart %s", name)
			continue
		}
		if !strings.Contains(out[i:min(i+400, len(out))], "<svg") {
			t.Errorf("chart %s has no inline SVG", name)
		}
	}
	for _, want := range []string{"acme-llm-7b", "a1b2c3", "Europe/Lisbon", "a warning &lt;b&gt;escaped&lt;/b&gt;", "@media (prefers-color-scheme: dark)", "@media print"} {
		if !strings.Contains(out, want) {
			t.Errorf("report page lacks %q", want)
		}
	}
	if m := externalRef.FindString(out); m != "" {
		t.Errorf("report page refers to an external resource: %q", m)
	}
}

func TestSimulationPage(t *testing.T) {
	before, after := 0.9, 0.88
	sim := &simulate.Simulation{
		By:       []string{"endpoint"},
		Baseline: analyze.Figures{CostUSD: 10}, Projected: analyze.Figures{CostUSD: 7}, SavingsUSD: 3, SavingsPct: 30,
		Levers: []simulate.LeverResult{{Name: "route", CumulativeCostUSD: 8, CumulativeSavingsUSD: 2, StandaloneSavingsUSD: 2}, {Name: "batch", CumulativeCostUSD: 7, CumulativeSavingsUSD: 3, StandaloneSavingsUSD: 1.5}},
		Groups: []simulate.GroupResult{{Key: map[string]any{"endpoint": "chat"}, BaselineCostUSD: 10, ProjectedCostUSD: 7, SavingsUSD: 3}},
		Quality: simulate.QualityResult{Scored: 5, Before: &before, After: &after,
			Endpoints: []simulate.QualityEndpoint{{Endpoint: "chat", Requests: 5, Before: 0.9, After: 0.88, BelowMin: true}}},
		Assumptions: []string{"time to first token 2 s where not logged"},
		Policy:      simulate.PolicyDoc{File: "policy.yaml", Levers: []string{"route", "batch"}},
	}
	var b bytes.Buffer
	if err := Simulation(&b, sim); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{`id="chart-savings-waterfall"`, `id="chart-before-after"`, "route", "batch", "below minimum", "time to first token 2 s", "0.900"} {
		if !strings.Contains(out, want) {
			t.Errorf("simulation page lacks %q", want)
		}
	}
	if m := externalRef.FindString(out); m != "" {
		t.Errorf("simulation page refers to an external resource: %q", m)
	}
}

func TestCheckPage(t *testing.T) {
	res := &check.Result{
		Status: "fail", Basis: check.BasisTotal, By: []string{"endpoint"},
		BaselineCostUSD: 10, CurrentCostUSD: 13, ChangeUSD: 3,
		Effects:    check.Effects{VolumeUSD: 1, MixUSD: 0.5, PriceUSD: 0, TokensUSD: 1.5},
		Thresholds: []check.ThresholdResult{{Name: "total_increase_pct", Status: "fail", Message: "cost rose 30%"}},
		Groups:     []check.GroupChange{{Key: map[string]any{"endpoint": "chat"}, Change: check.Change{BaselineCostUSD: 10, CurrentCostUSD: 13, ChangeUSD: 3}}},
	}
	var b bytes.Buffer
	if err := Check(&b, res); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{`id="chart-change-explained"`, "cost rose 30%", "volume", "tokens", "chat"} {
		if !strings.Contains(out, want) {
			t.Errorf("check page lacks %q", want)
		}
	}
}

func TestEmptyReportPage(t *testing.T) {
	empty := &analyze.Report{}
	p := &ReportPage{Report: empty, Endpoints: empty, Tiers: empty, Models: empty, StackBy: "endpoint",
		Weekdays: []string{"Mon"}, Hours: []string{"0"}, HourCost: [][]float64{{0}}}
	var b bytes.Buffer
	if err := Report(&b, p); err != nil {
		t.Fatalf("empty store: %v", err)
	}
	if !strings.Contains(b.String(), "Every model was priced.") {
		t.Errorf("empty report page lacks the unpriced-models note")
	}
}

func TestReportPageCredits(t *testing.T) {
	p := samplePage()
	credits, net := 250.50, -244.50
	p.Report.Totals.EffectiveCostUSD = p.Report.Totals.CostUSD
	p.Report.Totals.CreditsUSD, p.Report.Totals.NetCostUSD = &credits, &net
	p.Report.Credits = []analyze.CreditLine{{Date: "2025-11-05", Provider: "anthropic", Description: "launch <credit>", AmountUSD: 250.50}}

	var b bytes.Buffer
	if err := Report(&b, p); err != nil {
		t.Fatal(err)
	}
	out := b.String()

	// The sample costs $6: 6 − 250.50 = −244.50.
	start := strings.Index(out, `<table id="credits">`)
	if start < 0 {
		t.Fatalf("report page with a credit has no credits table")
	}
	table, _, _ := strings.Cut(out[start:], "</table>")
	for _, want := range []string{"2025-11-05", "anthropic", "launch &lt;credit&gt;", "-$250.50", "net cost", "-$244.50"} {
		if !strings.Contains(table, want) {
			t.Errorf("credits table lacks %q:\n%s", want, table)
		}
	}
	if strings.Contains(table, "total credits") {
		t.Errorf("credits table with one credit repeats it as a total:\n%s", table)
	}
	if cards, credit := strings.Index(out, `id="totals"`), strings.Index(out, `id="credits"`); credit < cards {
		t.Errorf("credits at %d come before the totals at %d", credit, cards)
	}
}

func TestReportPageWithoutCredits(t *testing.T) {
	var b bytes.Buffer
	if err := Report(&b, samplePage()); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), `id="credits"`) {
		t.Error("report page without credits has a credits table")
	}
}
