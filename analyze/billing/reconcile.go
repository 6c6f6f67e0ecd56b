package billing

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

// SchemaVersion is the version of the reconciliation JSON document.
const SchemaVersion = 1

// The dimensions a reconciliation can group by: those both a bill and a
// request log can carry.
const (
	DimDay       = analyze.DimDay
	DimModel     = analyze.DimModel
	DimWorkspace = analyze.DimWorkspace
	DimProject   = analyze.DimProject
	DimAPIKey    = analyze.DimAPIKey
)

// Dimensions lists the --by values of a reconciliation.
var Dimensions = []string{DimDay, DimModel, DimWorkspace, DimProject, DimAPIKey}

// Reconciliation is the result of `costctl reconcile`; its JSON form is a
// public contract, described by testdata/schema/reconciliation.schema.json.
type Reconciliation struct {
	Kind              string         `json:"kind"`
	SchemaVersion     int            `json:"schema_version"`
	PriceTableVersion string         `json:"price_table_version"`
	GeneratedBy       string         `json:"generated_by"`
	Window            analyze.Window `json:"window"`
	By                []string       `json:"by"`
	BillTokens        int64          `json:"bill_tokens"`
	LoggedTokens      int64          `json:"logged_tokens"`
	BillCostUSD       float64        `json:"bill_cost_usd"`
	LoggedCostUSD     float64        `json:"logged_cost_usd"`
	DifferenceUSD     float64        `json:"difference_usd"`
	// CoveragePct is 100 × logged ÷ bill cost, nil when the bill is $0. It
	// exceeds 100 when the logs show more than the bill.
	CoveragePct *float64 `json:"coverage_pct"`
	Causes      []Cause  `json:"causes"`
	Rows        []Row    `json:"rows"`
	Warnings    []string `json:"warnings"`
}

// Row compares the bill and the logs for one value of the --by dimensions.
type Row struct {
	Key           map[string]any `json:"key"`
	BillTokens    int64          `json:"bill_tokens"`
	LoggedTokens  int64          `json:"logged_tokens"`
	BillCostUSD   float64        `json:"bill_cost_usd"`
	LoggedCostUSD float64        `json:"logged_cost_usd"`
	DifferenceUSD float64        `json:"difference_usd"`
	CoveragePct   *float64       `json:"coverage_pct"`
	// BillCostSource is "cost_report" when every provider's part of the row
	// came from a cost export, "priced" when it is the bill's tokens priced
	// by the price table, "mixed" when both.
	BillCostSource string  `json:"bill_cost_source"`
	Causes         []Cause `json:"causes"`
}

// Options are the inputs of a reconciliation besides the data.
type Options struct {
	By          []string
	Loc         *time.Location // zone of day keys; nil means UTC
	Window      analyze.Window
	GeneratedBy string
}

// QueryDims returns the dimensions to query logged cells by for a
// reconciliation by by: the model comes from each cell's price-table id,
// so it is not queried.
func QueryDims(by []string) []string {
	var out []string
	for _, d := range by {
		if d != DimModel {
			out = append(out, d)
		}
	}
	return out
}

// CheckDims rejects a --by value that is not a reconciliation dimension.
func CheckDims(by []string) error {
	for i, d := range by {
		if !slices.Contains(Dimensions, d) {
			return fmt.Errorf("--by %q: not a reconciliation dimension; use any of %s", d, strings.Join(Dimensions, ", "))
		}
		if slices.Contains(by[:i], d) {
			return fmt.Errorf("--by %q given twice", d)
		}
	}
	return nil
}

// Reconcile compares bill lines with logged cells, which must have been
// queried by QueryDims(opts.By) over the same window. Only the cells of
// providers with bill lines in the window are compared; the others are
// left out and named in a warning each. Money is summed exactly and
// converted to dollars once per figure.
func Reconcile(lines []Line, cells []analyze.Cell, table *pricing.Table, opts Options) (*Reconciliation, error) {
	if err := CheckDims(opts.By); err != nil {
		return nil, err
	}
	if opts.Loc == nil {
		opts.Loc = time.UTC
	}
	acc := newAccumulator(table, opts)
	if len(lines) == 0 {
		acc.warn("the store holds no billing export lines in this window: ingest an Anthropic usage or cost report, or OpenAI usage or costs pages")
	}
	acc.useCostLines(lines)
	acc.noteBilledProviders(lines)
	for i := range lines {
		acc.addLine(&lines[i])
	}
	for i := range cells {
		if err := acc.addCell(&cells[i]); err != nil {
			return nil, err
		}
	}
	return acc.document(), nil
}

// document turns the accumulated rows into the public document.
func (a *accumulator) document() *Reconciliation {
	rec := &Reconciliation{
		Kind: "reconciliation", SchemaVersion: SchemaVersion,
		PriceTableVersion: a.table.Version(), GeneratedBy: a.opts.GeneratedBy,
		Window: a.opts.Window, By: nonNil(a.opts.By), Causes: []Cause{}, Rows: []Row{},
	}

	var bill, logged pricing.Money
	totals := causeTotals{}
	for _, r := range a.sortedRows() {
		r.causes = a.causesOf(r)
		rec.Rows = append(rec.Rows, r.document(a.opts.By))
		bill.Add(r.billCost())
		logged.Add(r.loggedCost)
		rec.BillTokens += r.billUsage.Total()
		rec.LoggedTokens += r.loggedUsage.Total()
		totals.add(r.causes)
	}

	rec.BillCostUSD, rec.LoggedCostUSD = bill.USD(), logged.USD()
	rec.DifferenceUSD = difference(bill, logged).USD()
	rec.CoveragePct = coverage(logged, bill)
	rec.Causes = totals.list()
	a.warnLeftOut()
	rec.Warnings = a.warningList()
	return rec
}

func difference(bill, logged pricing.Money) pricing.Money {
	d := bill
	d.Sub(logged)
	return d
}

// coverage is 100 × logged ÷ bill, computed from the exact sums.
func coverage(logged, bill pricing.Money) *float64 {
	if bill.IsZero() {
		return nil
	}
	v := 100 * logged.USD() / bill.USD()
	return &v
}

// sortedRows orders rows by time when the first dimension is the day, else
// by bill cost (highest first); ties are broken by key.
func (a *accumulator) sortedRows() []*rowAcc {
	rows := make([]*rowAcc, 0, len(a.rows))
	for _, r := range a.rows {
		rows = append(rows, r)
	}
	byDay := len(a.opts.By) > 0 && a.opts.By[0] == DimDay
	sort.Slice(rows, func(i, j int) bool {
		if !byDay {
			bi, bj := rows[i].billCost(), rows[j].billCost()
			if c := bi.Big().Cmp(bj.Big()); c != 0 {
				return c > 0
			}
		}
		return slices.Compare(rows[i].key, rows[j].key) < 0
	})
	return rows
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
