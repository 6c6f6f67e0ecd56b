package billing_test

import (
	"context"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/billing"
	"github.com/costctl/costctl/analyze/ingest"
	"github.com/costctl/costctl/analyze/store"
	"github.com/costctl/costctl/pricing"
)

// fixture is a store filled by a real ingest of testdata/billing/<name>:
// request logs and billing exports together, as a user would ingest them.
type fixture struct {
	st    *store.Store
	table *pricing.Table
	lines []billing.Line
}

func loadFixture(t *testing.T, dirs ...string) *fixture {
	t.Helper()
	ctx := context.Background()
	table, err := pricing.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "costctl.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })

	var inputs []ingest.Input
	for _, d := range dirs {
		inputs = append(inputs, ingest.Input{Path: filepath.Join("..", "..", "testdata", "billing", d)})
	}
	sum, err := ingest.Run(ctx, st, table, inputs, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.FileErrors) > 0 {
		t.Fatalf("ingest file errors: %v", sum.FileErrors)
	}
	lines, err := st.BillingLines(ctx, zeroTime, zeroTime)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{st: st, table: table, lines: lines}
}

func (f *fixture) reconcile(t *testing.T, lines []billing.Line, by ...string) *billing.Reconciliation {
	t.Helper()
	cells, err := f.st.Cells(context.Background(), analyze.Query{By: billing.QueryDims(by)})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := billing.Reconcile(lines, cells, f.table, billing.Options{By: by})
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func rowByKey(t *testing.T, rec *billing.Reconciliation, key map[string]string) billing.Row {
	t.Helper()
	for _, r := range rec.Rows {
		match := true
		for d, v := range key {
			if r.Key[d] != v {
				match = false
			}
		}
		if match {
			return r
		}
	}
	t.Fatalf("no row with key %v", key)
	return billing.Row{}
}

func near(got, want float64) bool { return math.Abs(got-want) < 1e-9 }

func causeKinds(causes []billing.Cause) []string {
	var out []string
	for _, c := range causes {
		out = append(out, c.Cause+":"+c.Subject)
	}
	return out
}

// The Anthropic November fixture: the logs hold 20 Sonnet 4.5 requests of
// 50,000 input, 100,000 cache read, 10,000 5m cache write and 25,000
// output tokens, and 4 Haiku 4.5 requests of 150,000 input and 75,000
// output tokens. Per Sonnet request: 0.05×3 + 0.1×0.3 + 0.01×3.75 +
// 0.025×15 = 0.15 + 0.03 + 0.0375 + 0.375 = $0.5925, so 20 cost $11.85.
// Per Haiku request: 0.15×1 + 0.075×5 = $0.525, so 4 cost $2.10. Logged:
// $13.95. The bill adds Opus 4.1, never logged: 30,000 input and 8,000
// output tokens, 0.03×15 + 0.008×75 = 0.45 + 0.60 = $1.05. Bill: $15.00.
// Coverage: 13.95 / 15.00 = 93%.
func TestReconcileAnthropicMonth(t *testing.T) {
	f := loadFixture(t, "anthropic-nov")
	rec := f.reconcile(t, f.lines, billing.DimModel)

	if !near(rec.BillCostUSD, 15.00) {
		t.Errorf("bill_cost_usd = %v, want 15.00", rec.BillCostUSD)
	}
	if !near(rec.LoggedCostUSD, 13.95) {
		t.Errorf("logged_cost_usd = %v, want 13.95", rec.LoggedCostUSD)
	}
	if rec.CoveragePct == nil || !near(*rec.CoveragePct, 93) {
		t.Errorf("coverage_pct = %v, want 93", rec.CoveragePct)
	}
	if got := causeKinds(rec.Causes); !slices.Equal(got, []string{"model_only_on_bill:claude-opus-4-1"}) {
		t.Errorf("causes = %v, want only model_only_on_bill:claude-opus-4-1", got)
	}
	if len(rec.Causes) == 1 && !near(rec.Causes[0].AmountUSD, 1.05) {
		t.Errorf("opus cause amount = %v, want 1.05", rec.Causes[0].AmountUSD)
	}
}

func TestReconcileAnthropicRows(t *testing.T) {
	f := loadFixture(t, "anthropic-nov")
	rec := f.reconcile(t, f.lines, billing.DimModel)

	tests := []struct {
		model              string
		billTokens, logged int64
		bill, loggedUSD    float64
	}{
		// 10 × (50,000 + 100,000 + 10,000 + 25,000) × 2 days = 3,700,000.
		{"claude-sonnet-4-5", 3_700_000, 3_700_000, 11.85, 11.85},
		// 4 × 225,000 = 900,000: the midday download (300,000) lost.
		{"claude-haiku-4-5", 900_000, 900_000, 2.10, 2.10},
		{"claude-opus-4-1", 38_000, 0, 1.05, 0},
	}
	for _, tt := range tests {
		r := rowByKey(t, rec, map[string]string{"model": tt.model})
		if r.BillTokens != tt.billTokens || r.LoggedTokens != tt.logged {
			t.Errorf("%s tokens = %d bill, %d logged, want %d, %d", tt.model, r.BillTokens, r.LoggedTokens, tt.billTokens, tt.logged)
		}
		if !near(r.BillCostUSD, tt.bill) || !near(r.LoggedCostUSD, tt.loggedUSD) {
			t.Errorf("%s cost = %v bill, %v logged, want %v, %v", tt.model, r.BillCostUSD, r.LoggedCostUSD, tt.bill, tt.loggedUSD)
		}
		if r.BillCostSource != "cost_report" {
			t.Errorf("%s bill_cost_source = %q, want cost_report", tt.model, r.BillCostSource)
		}
	}
}

// Pages, an overlapping download and a re-download must each count once:
// 2025-11-04 is in page 1 and in the overlap file, 2025-11-05 in page 2,
// the overlap and (less complete) the midday file.
func TestReconcileOverlapCountsOnce(t *testing.T) {
	f := loadFixture(t, "anthropic-nov")
	rec := f.reconcile(t, f.lines, billing.DimDay, billing.DimModel)

	tests := []struct {
		day, model string
		billTokens int64
		bill       float64
	}{
		{"2025-11-03", "claude-sonnet-4-5", 1_850_000, 5.925},
		{"2025-11-04", "claude-sonnet-4-5", 1_850_000, 5.925},
		{"2025-11-05", "claude-haiku-4-5", 900_000, 2.10},
		{"2025-11-05", "claude-opus-4-1", 38_000, 1.05},
	}
	for _, tt := range tests {
		r := rowByKey(t, rec, map[string]string{"day": tt.day, "model": tt.model})
		if r.BillTokens != tt.billTokens {
			t.Errorf("%s %s bill_tokens = %d, want %d", tt.day, tt.model, r.BillTokens, tt.billTokens)
		}
		if !near(r.BillCostUSD, tt.bill) {
			t.Errorf("%s %s bill_cost_usd = %v, want %v", tt.day, tt.model, r.BillCostUSD, tt.bill)
		}
	}
	if len(rec.Rows) != len(tests) {
		t.Errorf("%d rows, want %d", len(rec.Rows), len(tests))
	}
}

// The bill's tokens priced by the embedded table must meet the cost
// report's amounts to the cent for every model of the fixture.
func TestPricedTokensMeetCostReport(t *testing.T) {
	f := loadFixture(t, "anthropic-nov", "openai-nov")
	var usageOnly []billing.Line
	for _, l := range f.lines {
		if l.Kind == billing.KindUsage {
			usageOnly = append(usageOnly, l)
		}
	}
	withCost := f.reconcile(t, f.lines, billing.DimModel)
	priced := f.reconcile(t, usageOnly, billing.DimModel)

	for _, r := range withCost.Rows {
		model := r.Key["model"].(string)
		p := rowByKey(t, priced, map[string]string{"model": model})
		if p.BillCostSource != "priced" {
			t.Errorf("%s: bill_cost_source %q without cost lines, want priced", model, p.BillCostSource)
		}
		if math.Abs(p.BillCostUSD-r.BillCostUSD) >= 0.005 {
			t.Errorf("%s: priced tokens $%.6f, cost report $%.6f: more than a cent apart", model, p.BillCostUSD, r.BillCostUSD)
		}
	}
	for _, c := range withCost.Causes {
		if c.Cause == billing.CausePriceDifference {
			t.Errorf("unexpected price difference: %s", c.Detail)
		}
	}
}

// The OpenAI fixture: 4 logged gpt-4o-mini requests of 250,000 input,
// 50,000 cached and 100,000 output tokens: 1,000,000×0.15 + 200,000×0.075
// + 400,000×0.60 per million = 0.15 + 0.015 + 0.24 = $0.405. The bill
// has the same standard traffic plus a batch line of 2,000,000 input and
// 500,000 output tokens at half price: 0.15 + 0.15 = $0.30. The costs
// page totals 0.3 + 0.015 + 0.39 = $0.705. Coverage 0.405 / 0.705.
func TestReconcileOpenAIBatch(t *testing.T) {
	f := loadFixture(t, "openai-nov")
	rec := f.reconcile(t, f.lines, billing.DimModel, billing.DimProject)

	r := rowByKey(t, rec, map[string]string{"model": "gpt-4o-mini", "project": "proj_web"})
	if !near(r.BillCostUSD, 0.705) || !near(r.LoggedCostUSD, 0.405) {
		t.Errorf("cost = %v bill, %v logged, want 0.705, 0.405", r.BillCostUSD, r.LoggedCostUSD)
	}
	if r.CoveragePct == nil || !near(*r.CoveragePct, 100*0.405/0.705) {
		t.Errorf("coverage_pct = %v, want %v", r.CoveragePct, 100*0.405/0.705)
	}
	want := []string{"service_tier_not_logged:batch", "unlogged_traffic:"}
	if got := causeKinds(r.Causes); !slices.Equal(got, want) {
		t.Errorf("causes = %v, want %v", got, want)
	}
	for _, c := range r.Causes {
		if !near(c.AmountUSD, 0.30) {
			t.Errorf("%s amount = %v, want 0.30", c.Cause, c.AmountUSD)
		}
	}
}

// A logged model of a billed provider that the bill does not show is the
// reverse case: without the Haiku lines the 4 logged Haiku requests,
// $2.10, are on no bill line.
func TestReconcileLoggedNotOnBill(t *testing.T) {
	f := loadFixture(t, "anthropic-nov")
	var noHaiku []billing.Line
	for _, l := range f.lines {
		if !strings.Contains(l.Model, "haiku") {
			noHaiku = append(noHaiku, l)
		}
	}
	rec := f.reconcile(t, noHaiku, billing.DimModel)

	r := rowByKey(t, rec, map[string]string{"model": "claude-haiku-4-5"})
	if got := causeKinds(r.Causes); !slices.Equal(got, []string{"logged_not_on_bill:"}) {
		t.Fatalf("causes = %v, want logged_not_on_bill", got)
	}
	if !near(r.Causes[0].AmountUSD, -2.10) {
		t.Errorf("amount = %v, want -2.10", r.Causes[0].AmountUSD)
	}
}

// Beside the Anthropic November fixture (bill $15.00, Anthropic logs
// $13.95), the other-providers logs hold one request each, none of them on
// an Anthropic bill:
//   - openai gpt-4o: 100,000 input × $2.50 + 10,000 output × $10 per
//     million = 0.25 + 0.10 = $0.35, 110,000 tokens;
//   - google gemini-2.5-flash: 1,000,000 × $0.30 + 100,000 × $2.50 =
//     0.30 + 0.25 = $0.55, 1,100,000 tokens;
//   - aws_bedrock Claude Sonnet 4.5: 100,000 × $3 + 20,000 × $15 =
//     0.30 + 0.30 = $0.60, 120,000 tokens;
//   - vertex_ai Claude Opus 4.1: 10,000 × $15 + 2,000 × $75 =
//     0.15 + 0.15 = $0.30, 12,000 tokens.
//
// AWS and Google bill the two Claude requests, so they stay out of the
// Anthropic rows as well: the logged cost stays $13.95, the coverage 93%,
// and Opus 4.1 is still a model only on the bill.
func TestReconcileLeavesOutUnbilledProviders(t *testing.T) {
	f := loadFixture(t, "anthropic-nov", "other-providers")
	rec := f.reconcile(t, f.lines, billing.DimModel)

	if !near(rec.BillCostUSD, 15.00) {
		t.Errorf("bill_cost_usd = %v, want 15.00", rec.BillCostUSD)
	}
	if !near(rec.LoggedCostUSD, 13.95) {
		t.Errorf("logged_cost_usd = %v, want 13.95", rec.LoggedCostUSD)
	}
	if rec.CoveragePct == nil || !near(*rec.CoveragePct, 93) {
		t.Errorf("coverage_pct = %v, want 93", rec.CoveragePct)
	}
	// 3,700,000 Sonnet + 900,000 Haiku tokens logged by Anthropic.
	if rec.LoggedTokens != 4_600_000 {
		t.Errorf("logged_tokens = %d, want 4600000", rec.LoggedTokens)
	}
	if got := causeKinds(rec.Causes); !slices.Equal(got, []string{"model_only_on_bill:claude-opus-4-1"}) {
		t.Errorf("causes = %v, want only model_only_on_bill:claude-opus-4-1", got)
	}

	sonnet := rowByKey(t, rec, map[string]string{"model": "claude-sonnet-4-5"})
	if sonnet.LoggedTokens != 3_700_000 || !near(sonnet.LoggedCostUSD, 11.85) {
		t.Errorf("sonnet logged = %d tokens, $%v, want 3700000, $11.85 (no Bedrock request)", sonnet.LoggedTokens, sonnet.LoggedCostUSD)
	}
	for _, r := range rec.Rows {
		if m := r.Key["model"]; m == "gpt-4o-2024-08-06" || m == "gemini-2.5-flash" {
			t.Errorf("row for %v: unbilled providers form no row", m)
		}
	}
}

func TestReconcileWarnsPerUnbilledProvider(t *testing.T) {
	f := loadFixture(t, "anthropic-nov", "other-providers")
	rec := f.reconcile(t, f.lines, billing.DimModel)

	want := []string{
		"no bill for provider aws_bedrock in this window: its logged $0.60 (120,000 tokens) is left out; costctl reads only anthropic and openai billing exports",
		"no bill for provider google in this window: its logged $0.55 (1,100,000 tokens) is left out; costctl reads only anthropic and openai billing exports",
		"no bill for provider openai in this window: its logged $0.35 (110,000 tokens) is left out; ingest its usage or cost export",
		"no bill for provider vertex_ai in this window: its logged $0.30 (12,000 tokens) is left out; costctl reads only anthropic and openai billing exports",
	}
	if !slices.Equal(rec.Warnings, want) {
		t.Errorf("warnings =\n%s\nwant\n%s", strings.Join(rec.Warnings, "\n"), strings.Join(want, "\n"))
	}
}

// A cell logged without a provider belongs to its model's provider: a
// second copy of the Haiku cell with no provider adds its $2.10 to the
// Anthropic bill's logged side, 13.95 + 2.10 = $16.05.
func TestReconcileCellWithoutProvider(t *testing.T) {
	f := loadFixture(t, "anthropic-nov")
	cells, err := f.st.Cells(context.Background(), analyze.Query{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cells {
		if c.ModelID == "claude-haiku-4-5" {
			c.Provider = ""
			cells = append(cells, c)
			break
		}
	}
	rec, err := billing.Reconcile(f.lines, cells, f.table, billing.Options{By: []string{billing.DimModel}})
	if err != nil {
		t.Fatal(err)
	}

	if !near(rec.LoggedCostUSD, 16.05) {
		t.Errorf("logged_cost_usd = %v, want 16.05", rec.LoggedCostUSD)
	}
}

func TestReconcileNamedCauses(t *testing.T) {
	f := loadFixture(t, "anthropic-nov")
	tests := []struct {
		name   string
		change func([]billing.Line) []billing.Line
		want   string
		amount float64
	}{
		{
			// 5 cents more on the 11-03 Sonnet output line.
			name: "price difference",
			change: func(ls []billing.Line) []billing.Line {
				for i := range ls {
					if ls[i].Kind == billing.KindCost && ls[i].TokenType == "output_tokens" && ls[i].Start.Day() == 3 {
						ls[i].Amount += 5 * pricing.PicoPerUSD / 100
					}
				}
				return ls
			},
			want: "price_difference:anthropic", amount: 0.05,
		},
		{
			// 1,000,000 1h cache writes on Haiku at $2 per million: $2.00.
			name: "token class",
			change: func(ls []billing.Line) []billing.Line {
				for i := range ls {
					if ls[i].Kind == billing.KindUsage && ls[i].Model == "claude-haiku-4-5-20251001" {
						ls[i].Usage.Tokens[pricing.CacheWrite1h] = 1_000_000
					}
				}
				return usageLines(ls)
			},
			want: "token_class_not_logged:cache_write_1h", amount: 2.00,
		},
		{
			// A code execution line of 1234.5 cents: $12.345.
			name: "code execution",
			change: func(ls []billing.Line) []billing.Line {
				extra := ls[0]
				extra.Kind, extra.CostType, extra.Model, extra.TokenType = billing.KindCost, "code_execution", "", ""
				extra.Amount = 12_345 * pricing.PicoPerUSD / 1000
				return append(ls, extra)
			},
			want: "code_execution:", amount: 12.345,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := f.reconcile(t, tt.change(slices.Clone(f.lines)), billing.DimModel)
			for _, c := range rec.Causes {
				if c.Cause+":"+c.Subject == tt.want {
					if !near(c.AmountUSD, tt.amount) {
						t.Errorf("%s amount = %v, want %v", tt.want, c.AmountUSD, tt.amount)
					}
					return
				}
			}
			t.Errorf("causes %v lack %s", causeKinds(rec.Causes), tt.want)
		})
	}
}

// A usage report grouped by API key meets a cost report that cannot be:
// --by api_key prices the bill's tokens instead and warns about it.
func TestReconcileByAPIKeyPricesTokens(t *testing.T) {
	f := loadFixture(t, "anthropic-nov")
	lines := slices.Clone(f.lines)
	for i := range lines {
		if lines[i].Kind == billing.KindUsage {
			lines[i].APIKey = "apikey_app"
		}
	}
	rec := f.reconcile(t, lines, billing.DimAPIKey)

	if !near(rec.BillCostUSD, 15.00) {
		t.Errorf("bill_cost_usd = %v, want 15.00 (priced tokens)", rec.BillCostUSD)
	}
	if len(rec.Warnings) == 0 {
		t.Error("no warning that the cost report is not grouped by api_key")
	}
	for _, r := range rec.Rows {
		if r.BillCostSource != "priced" {
			t.Errorf("row %v bill_cost_source = %q, want priced", r.Key, r.BillCostSource)
		}
	}
}

func usageLines(ls []billing.Line) []billing.Line {
	var out []billing.Line
	for _, l := range ls {
		if l.Kind == billing.KindUsage {
			out = append(out, l)
		}
	}
	return out
}

var zeroTime time.Time

// A usage export without model grouping forms one row with no model, and
// that row is not blamed on a model missing from the logs.
func TestReconcileUsageWithoutModel(t *testing.T) {
	f := loadFixture(t, "anthropic-nov")
	lines := usageLines(slices.Clone(f.lines))
	for i := range lines {
		lines[i].Model = ""
	}
	rec := f.reconcile(t, lines, billing.DimModel)

	r := rowByKey(t, rec, map[string]string{"model": ""})
	// Every bill token, unpriced because no model names a price: 3,700,000
	// Sonnet + 900,000 Haiku + 38,000 Opus = 4,638,000.
	if r.BillTokens != 4_638_000 {
		t.Errorf("bill_tokens = %d, want 4638000", r.BillTokens)
	}
	for _, c := range rec.Causes {
		if c.Cause == billing.CauseModelOnlyOnBill {
			t.Errorf("cause %s names model %q", c.Cause, c.Subject)
		}
	}
	found := false
	for _, w := range rec.Warnings {
		found = found || strings.Contains(w, "not grouped by model")
	}
	if !found {
		t.Errorf("warnings %q lack one about model grouping", rec.Warnings)
	}
}
