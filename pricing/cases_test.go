package pricing

import (
	"math"
	"testing"
	"time"
)

// caseRequest is one request of a cost case, already in exclusive buckets.
type caseRequest struct {
	provider, model string
	at              string
	usage           Usage
}

// tokens builds a Usage from class/count pairs.
func tokens(pairs ...any) Usage {
	var u Usage
	for i := 0; i < len(pairs); i += 2 {
		u.Tokens[pairs[i].(Class)] = int64(pairs[i+1].(int))
	}
	return u
}

// The cost cases: real log shapes normalised into exclusive buckets, with
// totals computed by hand from the published prices and the figure the
// common mistake of each case produces.
var costCases = []struct {
	id       string
	requests []caseRequest
	want     float64
	naive    float64
}{
	// 464 × $2.50 + 1,536 × $1.25 + 400 × $10 per MTok
	// = 0.00116 + 0.00192 + 0.004 = 0.00708
	{"C01", []caseRequest{{"openai", "gpt-4o-2024-08-06", "2024-12-01T09:00:00Z",
		tokens(Input, 464, CacheRead, 1536, Output, 400)}}, 0.00708, 0.01092},
	// 150 × 3 + 2,000 × 3.75 + 8,000 × 0.30 + 250 × 15
	// = 0.00045 + 0.0075 + 0.0024 + 0.00375 = 0.0141
	{"C02", []caseRequest{{"anthropic", "claude-sonnet-4-20250514", "2025-08-01T12:00:00Z",
		tokens(Input, 150, CacheWrite5m, 2000, CacheRead, 8000, Output, 250)}}, 0.0141, 0.0342},
	// 4 × 3 + 12,000 × 3.75 + 20,000 × 0.30 + 350 × 15
	// = 0.000012 + 0.045 + 0.006 + 0.00525 = 0.056262
	{"C03", []caseRequest{{"anthropic", "claude-sonnet-4-20250514", "2025-08-20T10:15:30.101Z",
		tokens(Input, 4, CacheWrite5m, 12000, CacheRead, 20000, Output, 350)}}, 0.056262, 0.168786},
	// 10 × 3 + 10,000 × 3.75 + 30,000 × 6 + 800 × 15
	// = 0.00003 + 0.0375 + 0.18 + 0.012 = 0.22953
	{"C05", []caseRequest{{"anthropic", "claude-sonnet-4-5-20250929", "2025-10-20T09:00:00Z",
		tokens(Input, 10, CacheWrite5m, 10000, CacheWrite1h, 30000, Output, 800)}}, 0.22953, 0.16203},
	// 1,200 × 1.10 + 2,600 × 4.40 = 0.00132 + 0.01144 = 0.01276
	{"C06", []caseRequest{{"openai", "o4-mini-2025-04-16", "2025-05-20T10:00:00Z",
		tokens(Input, 1200, Output, 2600)}}, 0.01276, 0.0228976},
	// 1,000 × 0.30 + (300 + 1,200 thinking) × 2.50 = 0.0003 + 0.00375 = 0.00405
	{"C07", []caseRequest{{"google", "gemini-2.5-flash", "2025-08-01T12:00:00Z",
		tokens(Input, 1000, Output, 1500)}}, 0.00405, 0.00105},
	// prompt 20,000 + 190,000 = 210,000 > 200,000, so every class at the band:
	// 20,000 × 6 + 190,000 × 0.60 + 2,000 × 22.50 = 0.12 + 0.114 + 0.045 = 0.279
	{"C09", []caseRequest{{"anthropic", "claude-sonnet-4-5-20250929", "2025-10-15T12:00:00Z",
		tokens(Input, 20000, CacheRead, 190000, Output, 2000)}}, 0.279, 0.147},
	// prompt 250,000 > 200,000: 250,000 × 2.50 + (4,000 + 2,000) × 15
	// = 0.625 + 0.09 = 0.715
	{"C10", []caseRequest{{"google", "gemini-2.5-pro", "2025-08-01T12:00:00Z",
		tokens(Input, 250000, Output, 6000)}}, 0.715, 0.435},
	// 10,000 × 5 + 1,000 × 15 = 0.05 + 0.015 = 0.065
	{"C12", []caseRequest{{"openai", "gpt-4o-2024-05-13", "2024-09-15T14:00:00Z",
		tokens(Input, 10000, Output, 1000)}}, 0.065, 0.035},
	// before the cut: 10,000 × 10 + 2,000 × 40 = 0.1 + 0.08 = 0.18
	// after:          10,000 × 2 + 2,000 × 8 = 0.02 + 0.016 = 0.036; sum 0.216
	{"C14", []caseRequest{
		{"openai", "o3-2025-04-16", "2025-06-05T12:00:00Z", tokens(Input, 10000, Output, 2000)},
		{"openai", "o3-2025-04-16", "2025-06-12T12:00:00Z", tokens(Input, 10000, Output, 2000)},
	}, 0.216, 0.072},
	// last usage seen: 800 × 0.10 + 95 × 0.40 = 0.00008 + 0.000038 = 0.000118
	{"C17", []caseRequest{{"google", "gemini-2.0-flash", "2025-04-01T12:00:00Z",
		tokens(Input, 800, Output, 95)}}, 0.000118, 0},
	// the two valid lines: (1,000 × 0.80 + 200 × 4) + (500 × 0.80 + 100 × 4)
	// = 0.0016 + 0.0008 = 0.0024
	{"C20", []caseRequest{
		{"anthropic", "claude-3-5-haiku-20241022", "2025-03-03T10:00:00Z", tokens(Input, 1000, Output, 200)},
		{"anthropic", "claude-3-5-haiku-20241022", "2025-03-03T10:00:09Z", tokens(Input, 500, Output, 100)},
	}, 0.0024, 0.00244},
	// the tool was declared but never called: 50 × 2 + 12 × 8 = 0.0001 + 0.000096
	{"C22", []caseRequest{{"openai", "gpt-4.1-2025-04-14", "2025-05-20T10:00:00Z",
		tokens(Input, 50, Output, 12)}}, 0.000196, 0.035196},
	// 200 × 2.50 + 1,000 × 40 + 150 × 10 + 450 × 80
	// = 0.0005 + 0.04 + 0.0015 + 0.036 = 0.078
	{"C23", []caseRequest{{"openai", "gpt-4o-audio-preview-2024-12-17", "2025-03-03T10:00:00Z",
		tokens(Input, 200, AudioIn, 1000, Output, 150, AudioOut, 450)}}, 0.078, 0.009},
	// 8,000 × 0.02 = 0.00016
	{"C24", []caseRequest{{"openai", "text-embedding-3-small", "2025-04-01T12:00:00Z",
		tokens(Input, 8000)}}, 0.00016, 0},
	// 420 × 3 + 15,000 × 0.30 + 3,000 × 3.75 + 700 × 15
	// = 0.00126 + 0.0045 + 0.01125 + 0.0105 = 0.02751
	{"C26", []caseRequest{{"anthropic", "claude-sonnet-4-5-20250929", "2026-01-10T12:00:00Z",
		tokens(Input, 420, CacheRead, 15000, CacheWrite5m, 3000, Output, 700)}}, 0.02751, 0.08151},
	// each span: 300 × 0.80 + 1,500 × 1 + 6,000 × 0.08 + 200 × 4
	// = 0.00024 + 0.0015 + 0.00048 + 0.0008 = 0.00302; two spans 0.00604
	{"C27", []caseRequest{
		{"anthropic", "claude-3-5-haiku-20241022", "2025-05-01T09:00:00Z",
			tokens(Input, 300, CacheWrite5m, 1500, CacheRead, 6000, Output, 200)},
		{"aws_bedrock", "us.anthropic.claude-3-5-haiku-20241022-v1:0", "2025-05-01T09:00:05Z",
			tokens(Input, 300, CacheWrite5m, 1500, CacheRead, 6000, Output, 200)},
	}, 0.00604, 0.01204},
	// (27,500 − 20,480) × 1.25 + 20,480 × 0.125 + 1,400 × 10
	// = 0.008775 + 0.00256 + 0.014 = 0.025335
	{"C29", []caseRequest{{"openai", "gpt-5", "2025-09-10T08:00:00Z",
		tokens(Input, 7020, CacheRead, 20480, Output, 1400)}}, 0.025335, 0.037119},
	// per file: 100,000,000 × 1.25 + 1,400,000,000 × 0.125 + 2,000,000 × 10
	// = 125 + 175 + 20 = 320; two files 640
	{"C30", []caseRequest{
		{"openai", "gpt-5", "2025-09-20T23:59:00Z", tokens(Input, 100_000_000, CacheRead, 1_400_000_000, Output, 2_000_000)},
		{"openai", "gpt-5", "2025-09-20T23:58:00Z", tokens(Input, 100_000_000, CacheRead, 1_400_000_000, Output, 2_000_000)},
	}, 640, 308.435455875},
}

func TestCostCases(t *testing.T) {
	table := embedded(t)
	for _, tc := range costCases {
		t.Run(tc.id, func(t *testing.T) {
			var total Money
			for _, r := range tc.requests {
				total.Add(priceRequest(t, table, r))
			}

			got := total.USD()
			if math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("cost = %.12f USD, want %.12f", got, tc.want)
			}
			if math.Abs(got-tc.naive) <= 1e-9 {
				t.Errorf("cost = %.12f USD equals the naive figure", got)
			}
		})
	}
}

func priceRequest(t *testing.T, table *Table, r caseRequest) Money {
	t.Helper()
	at, err := time.Parse(time.RFC3339Nano, r.at)
	if err != nil {
		t.Fatal(err)
	}
	m, ok := table.Resolve(r.provider, r.model, at)
	if !ok {
		t.Fatalf("Resolve(%q, %q, %s) found no price", r.provider, r.model, r.at)
	}

	cost, err := table.Cost(m.Row.ID, m.Row.Band(r.usage.PromptTokens()), Modifiers{}, r.usage)
	if err != nil {
		t.Fatal(err)
	}
	return cost
}

func embedded(t *testing.T) *Table {
	t.Helper()
	table, err := Embedded()
	if err != nil {
		t.Fatalf("embedded table: %v", err)
	}
	return table
}
