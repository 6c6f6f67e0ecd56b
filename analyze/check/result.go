package check

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/costctl/costctl/analyze"
)

// SchemaVersion is the version of the check JSON document.
const SchemaVersion = 1

// Bases of a comparison: totals as they are, or both sides divided by
// their window length in days.
const (
	BasisTotal  = "total"
	BasisPerDay = "per_day"
)

// Result is the outcome of a check; its JSON form is a public contract,
// described by testdata/schema/check.schema.json.
type Result struct {
	Kind                      string            `json:"kind"`
	SchemaVersion             int               `json:"schema_version"`
	GeneratedBy               string            `json:"generated_by"`
	Status                    string            `json:"status"`
	Basis                     string            `json:"basis"`
	By                        []string          `json:"by"`
	Baseline                  Side              `json:"baseline"`
	Current                   Side              `json:"current"`
	BaselineCostUSD           float64           `json:"baseline_cost_usd"`
	CurrentCostUSD            float64           `json:"current_cost_usd"`
	ChangeUSD                 float64           `json:"change_usd"`
	ChangePct                 *float64          `json:"change_pct"`
	BaselineRequests          float64           `json:"baseline_requests"`
	CurrentRequests           float64           `json:"current_requests"`
	BaselineCostPerRequestUSD float64           `json:"baseline_cost_per_request_usd"`
	CurrentCostPerRequestUSD  float64           `json:"current_cost_per_request_usd"`
	Effects                   Effects           `json:"effects"`
	Thresholds                []ThresholdResult `json:"thresholds"`
	Groups                    []GroupChange     `json:"groups"`
	Cells                     []CellChange      `json:"cells"`
	Warnings                  []string          `json:"warnings"`
}

// Side describes one side's documents as read, before any per-day scaling.
type Side struct {
	Files               []string       `json:"files"`
	Kind                string         `json:"kind"`
	Window              analyze.Window `json:"window"`
	Days                *float64       `json:"days"`
	CostUSD             float64        `json:"cost_usd"`
	Requests            int64          `json:"requests"`
	UnpricedRequests    int64          `json:"unpriced_requests"`
	UnknownCostRequests int64          `json:"unknown_cost_requests"`
}

// Change is the movement of one group or cell, on the comparison basis.
type Change struct {
	BaselineRequests float64  `json:"baseline_requests"`
	CurrentRequests  float64  `json:"current_requests"`
	BaselineCostUSD  float64  `json:"baseline_cost_usd"`
	CurrentCostUSD   float64  `json:"current_cost_usd"`
	ChangeUSD        float64  `json:"change_usd"`
	ChangePct        *float64 `json:"change_pct"`
	Effects          Effects  `json:"effects"`
}

// GroupChange is the change of one value of the --by dimensions.
type GroupChange struct {
	Key map[string]any `json:"key"`
	Change
}

// CellChange is the change of one matched cell.
type CellChange struct {
	CellRef
	Change
}

// SummariserCalls reports whether the cell is simulate's summariser calls:
// cost without a request on either side. Its key and model match the cell
// of the requests beside it, and a label that leaves out the default
// service tier cannot show its empty one, so labels must mark it.
func (c CellChange) SummariserCalls() bool {
	return c.BaselineRequests == 0 && c.CurrentRequests == 0 && (c.BaselineCostUSD != 0 || c.CurrentCostUSD != 0)
}

// Options are the inputs of a check besides the two documents.
type Options struct {
	By          []string         // group dimensions, a subset of the compared ones
	Thresholds  map[string]Level // keyed by the names in ThresholdNames
	GeneratedBy string
}

// Compare explains the change from baseline to current and judges the
// thresholds. It returns an error when the documents cannot be compared.
func Compare(baseline, current *Document, opts Options) (*Result, error) {
	dims, warnings, err := commonDims(baseline, current)
	if err != nil {
		return nil, err
	}
	for _, d := range opts.By {
		if !slices.Contains(dims, d) {
			return nil, fmt.Errorf("--by %s: not a dimension both documents share (they share: %s)", d, listOrNone(dims))
		}
	}

	r := &Result{Kind: "check", SchemaVersion: SchemaVersion, GeneratedBy: opts.GeneratedBy, By: nonNil(opts.By), Warnings: warnings}
	if b, c := baseline.PriceTables, current.PriceTables; len(b) > 0 && len(c) > 0 && !slices.Equal(b, c) {
		r.Warnings = append(r.Warnings, fmt.Sprintf("the baseline was priced with price table %s and the current side with %s: price differences between them are in the price effect",
			strings.Join(b, ", "), strings.Join(c, ", ")))
	}
	r.Baseline, r.Current = describeSide(baseline), describeSide(current)
	s0, s1 := r.chooseBasis()

	table := newCellTable(dims)
	addPriced(table, baseline, false, s0)
	addPriced(table, current, true, s1)
	r.fill(table, opts.By)
	r.Thresholds = evaluate(opts.Thresholds, r)
	r.Status = StatusPass
	for _, t := range r.Thresholds {
		r.Status = worse(r.Status, t.Status)
	}
	return r, nil
}

// commonDims is the dimensions cells are matched on: those both documents
// share, without day and hour, whose buckets differ between two windows.
func commonDims(b, c *Document) ([]string, []string, error) {
	var dims, warnings []string
	for _, d := range b.By {
		if d == analyze.DimDay || d == analyze.DimHour {
			warnings = append(warnings, fmt.Sprintf("dimension %s is not compared: its buckets differ between windows", d))
			continue
		}
		if slices.Contains(c.By, d) {
			dims = append(dims, d)
		}
	}
	bOnly, cOnly := without(b.By, c.By), without(c.By, b.By)
	if len(dims) == 0 && len(bOnly) > 0 && len(cOnly) > 0 {
		return nil, nil, fmt.Errorf("%s has dimensions [%s] and %s has [%s]: no dimension in common; write both with the same --by",
			b.Files[0], strings.Join(b.By, ", "), c.Files[0], strings.Join(c.By, ", "))
	}
	for _, d := range append(bOnly, cOnly...) {
		if d != analyze.DimDay && d != analyze.DimHour {
			warnings = append(warnings, fmt.Sprintf("dimension %s is in one document only and is not compared", d))
		}
	}
	return nonNil(dims), nonNil(warnings), nil
}

func without(a, b []string) []string {
	var out []string
	for _, d := range a {
		if !slices.Contains(b, d) && d != analyze.DimDay && d != analyze.DimHour {
			out = append(out, d)
		}
	}
	return out
}

func describeSide(d *Document) Side {
	s := Side{Files: d.Files, Kind: d.Kind, Window: d.Window}
	if days := Days(d.Window); days > 0 {
		s.Days = &days
	}
	for _, c := range d.Cells {
		s.Requests += c.Requests
		s.UnknownCostRequests += c.UnknownCostRequests
		if unpriced(c) {
			s.UnpricedRequests += c.Requests - c.UnknownCostRequests
			continue
		}
		s.CostUSD += c.CostUSD
	}
	return s
}

// unpriced reports whether a cell's model had no price. Its requests are
// counted apart and kept out of the explanation.
// NOTE: a cell whose price row is missing from the active table keeps its
// price_row_id but has zero cost. It is explained as if the model were free.
func unpriced(c analyze.CellDoc) bool { return c.ModelID == "" || c.PriceRowID == "" }

// chooseBasis compares per day when both windows are closed and differ in
// length, and returns each side's scale factor.
func (r *Result) chooseBasis() (s0, s1 float64) {
	b, c := r.Baseline.Days, r.Current.Days
	switch {
	case b != nil && c != nil && !sameLength(*b, *c):
		r.Basis = BasisPerDay
		return 1 / *b, 1 / *c
	case (b == nil) != (c == nil):
		r.Warnings = append(r.Warnings, "one window is open, so its length is unknown: totals are compared as they are, not per day")
	}
	r.Basis = BasisTotal
	return 1, 1
}

func addPriced(t *cellTable, d *Document, current bool, scale float64) {
	for _, c := range d.Cells {
		if !unpriced(c) {
			t.add(c, current, scale)
		}
	}
}

// fill computes every figure from the matched cells, in a fixed order so
// that the same documents give the same sums to the last bit.
func (r *Result) fill(t *cellTable, by []string) {
	sort.Strings(t.order)
	var n0, n1 float64
	for _, id := range t.order {
		n0 += t.cells[id].baseline.requests
		n1 += t.cells[id].current.requests
	}

	groups := map[string]*GroupChange{}
	var groupOrder []string
	var total Change
	r.Cells = []CellChange{}
	for _, id := range t.order {
		m := t.cells[id]
		ch := cellChange(m, n0, n1)
		r.Cells = append(r.Cells, CellChange{CellRef: m.ref, Change: ch})
		addChange(&total, ch)

		gid, key := groupKey(m.ref.Key, by)
		if _, ok := groups[gid]; !ok {
			groups[gid] = &GroupChange{Key: key}
			groupOrder = append(groupOrder, gid)
		}
		addChange(&groups[gid].Change, ch)
	}

	r.setTotals(total)
	r.Groups = []GroupChange{}
	for _, gid := range groupOrder {
		g := groups[gid]
		g.ChangePct = pct(g.BaselineCostUSD, g.CurrentCostUSD)
		r.Groups = append(r.Groups, *g)
	}
	sortGroups(r.Groups)
	sortCells(r.Cells)
}

func cellChange(m *matched, n0, n1 float64) Change {
	ch := Change{
		BaselineRequests: m.baseline.requests, CurrentRequests: m.current.requests,
		BaselineCostUSD: m.baseline.totalCost(), CurrentCostUSD: m.current.totalCost(),
		Effects: explain(m, n0, n1),
	}
	ch.ChangeUSD = ch.CurrentCostUSD - ch.BaselineCostUSD
	ch.ChangePct = pct(ch.BaselineCostUSD, ch.CurrentCostUSD)
	return ch
}

func addChange(sum *Change, ch Change) {
	sum.BaselineRequests += ch.BaselineRequests
	sum.CurrentRequests += ch.CurrentRequests
	sum.BaselineCostUSD += ch.BaselineCostUSD
	sum.CurrentCostUSD += ch.CurrentCostUSD
	sum.ChangeUSD += ch.ChangeUSD
	sum.Effects.add(ch.Effects)
}

func (r *Result) setTotals(total Change) {
	r.BaselineCostUSD, r.CurrentCostUSD = total.BaselineCostUSD, total.CurrentCostUSD
	r.ChangeUSD = total.CurrentCostUSD - total.BaselineCostUSD
	r.ChangePct = pct(total.BaselineCostUSD, total.CurrentCostUSD)
	r.BaselineRequests, r.CurrentRequests = total.BaselineRequests, total.CurrentRequests
	r.BaselineCostPerRequestUSD = perRequest(total.BaselineCostUSD, total.BaselineRequests)
	r.CurrentCostPerRequestUSD = perRequest(total.CurrentCostUSD, total.CurrentRequests)
	r.Effects = total.Effects
}

// pct is the change in percent, or nil when the baseline is zero and the
// change has no percentage.
func pct(before, after float64) *float64 {
	if before == 0 {
		if after == 0 {
			v := 0.0
			return &v
		}
		return nil
	}
	v := 100 * (after - before) / before
	return &v
}

func groupKey(key map[string]any, by []string) (string, map[string]any) {
	out := make(map[string]any, len(by))
	parts := make([]string, len(by))
	for i, d := range by {
		out[d] = key[d]
		parts[i] = fmt.Sprint(key[d])
	}
	return strings.Join(parts, "\x00"), out
}

// sortGroups orders groups by the size of their change, up or down,
// largest first. Ties keep their key order.
func sortGroups(gs []GroupChange) {
	sort.SliceStable(gs, func(i, j int) bool {
		return math.Abs(gs[i].ChangeUSD) > math.Abs(gs[j].ChangeUSD)
	})
}

func sortCells(cs []CellChange) {
	sort.SliceStable(cs, func(i, j int) bool {
		return math.Abs(cs[i].ChangeUSD) > math.Abs(cs[j].ChangeUSD)
	})
}

func listOrNone(dims []string) string {
	if len(dims) == 0 {
		return "none"
	}
	return strings.Join(dims, ", ")
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
