package render

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/costctl/costctl/analyze"
)

// Output formats every document command accepts.
const (
	FormatTable    = "table"
	FormatJSON     = "json"
	FormatCSV      = "csv"
	FormatMarkdown = "markdown"
	// FormatHTML is one self-contained page with charts; the commands
	// that offer it accept it besides ValidFormat.
	FormatHTML = "html"
)

// ValidFormat reports whether f is one of the output formats.
func ValidFormat(f string) bool {
	switch f {
	case FormatTable, FormatJSON, FormatCSV, FormatMarkdown:
		return true
	}
	return false
}

// Report writes a report in the given format, with its credits, if any,
// after the totals. CSV leaves the credits out: it is one table of groups
// with the same columns in every row, for programs, and the JSON document
// carries the credits.
func Report(w io.Writer, rep *analyze.Report, format string) error {
	var err error
	switch format {
	case FormatJSON:
		return reportJSON(w, rep)
	case FormatCSV:
		return reportCSV(w, rep)
	case FormatMarkdown:
		err = writeMarkdown(w, reportGrid(rep))
	default:
		err = writeTable(w, reportGrid(rep))
	}
	if err != nil {
		return err
	}
	return Credits(w, rep, format)
}

// JSON writes any document as indented JSON.
func JSON(w io.Writer, doc any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// groupLabel returns the table text of a key dimension's value.
func groupLabel(g analyze.Group, dim string) string {
	v := fmt.Sprint(g.Key[dim])
	if v == "" {
		return "(none)"
	}
	return v
}

// reportGrid lays out the report table. A list cost column follows cost
// only when a discount changes some cost, so a report without adjustments
// keeps its columns.
func reportGrid(rep *analyze.Report) grid {
	list := discounted(rep)
	g := grid{}
	g.header = append(g.header, rep.By...)
	g.header = append(g.header, "requests", "input", "cache read", "cache write", "output", "cost")
	if list {
		g.header = append(g.header, "list cost")
	}
	g.header = append(g.header, "share", "cost/request")
	g.numeric = make([]bool, len(g.header))
	for i := len(rep.By); i < len(g.header); i++ {
		g.numeric[i] = true
	}
	if len(rep.By) == 0 {
		// Without --by the one group is the total: one row.
		g.rows = [][]string{figureCells(rep.Totals, list)}
		return g
	}

	for _, grp := range rep.Groups {
		row := make([]string, 0, len(g.header))
		for _, d := range rep.By {
			row = append(row, groupLabel(grp, d))
		}
		g.rows = append(g.rows, append(row, figureCells(grp.Figures, list)...))
	}

	g.footer = make([]string, len(rep.By))
	if len(g.footer) > 0 {
		g.footer[0] = "total"
	}
	g.footer = append(g.footer, figureCells(rep.Totals, list)...)
	return g
}

// discounted reports whether a negotiated discount makes the list cost of
// the totals or of any group differ from its effective cost.
func discounted(rep *analyze.Report) bool {
	if rep.Totals.ListCostUSD != rep.Totals.EffectiveCostUSD {
		return true
	}
	return slices.ContainsFunc(rep.Groups, func(g analyze.Group) bool {
		return g.ListCostUSD != g.EffectiveCostUSD
	})
}

// figureCells returns the table cells of one row's figures, with the list
// cost after the cost when list is set.
func figureCells(f analyze.Figures, list bool) []string {
	share := ShareText(f)
	cells := []string{
		Count(f.Requests), Count(f.InputTokens), Count(f.CacheReadTokens),
		Count(f.CacheWriteTokens), Count(f.OutputTokens), CostText(f, f.CostUSD),
	}
	if list {
		cells = append(cells, CostText(f, f.ListCostUSD))
	}
	return append(cells, share, CostPerRequestText(f))
}

// ShareText formats the row's share of the cost, "" when the row has none
// (the total) and "-" for a row without a priced request, whose 0.0% would
// read as free, as $0.00 did.
func ShareText(f analyze.Figures) string {
	if f.SharePct == nil {
		return ""
	}
	if _, ok := noPricedRequest(f); ok {
		return "-"
	}
	return Pct(*f.SharePct)
}

// PartlyUnpricedMark follows a cost that leaves out unpriced requests of
// its row. ReportNotes explains it whenever a row carries it.
const PartlyUnpricedMark = "*"

// CostText formats cost, a cost of the row f, for people. A row with no
// priced request shows "unpriced" (or "unknown" when its requests logged
// no usage) instead of a $0.00 that reads as free, and a row with some
// unpriced requests gets PartlyUnpricedMark.
func CostText(f analyze.Figures, cost float64) string {
	if label, ok := noPricedRequest(f); ok {
		return label
	}
	if f.UnpricedRequests > 0 {
		return USD(cost) + PartlyUnpricedMark
	}
	return USD(cost)
}

// CostPerRequestText formats the cost per priced request of the row f, or
// the word CostText shows when the row has no priced request.
func CostPerRequestText(f analyze.Figures) string {
	if label, ok := noPricedRequest(f); ok {
		return label
	}
	return USD(f.CostPerRequestUSD)
}

// noPricedRequest returns the word for the cost of a row whose requests
// all lack a price or usage, and false when some request has a cost, even
// a known $0 (a request rejected before any work).
func noPricedRequest(f analyze.Figures) (string, bool) {
	if f.Requests-f.UnpricedRequests-f.UnknownCostRequests > 0 {
		return "", false
	}
	switch {
	case f.UnpricedRequests > 0:
		return "unpriced", true
	case f.UnknownCostRequests > 0:
		return "unknown", true
	}
	return "", false
}

// csvFigureHeader names the CSV figure columns. cost_usd is the effective
// cost and list_cost_usd the cost at list prices: the column is in every
// report, equal to cost_usd when no discount applies, so that programs
// read the same header whatever the config.
var csvFigureHeader = []string{
	"requests", "input_tokens", "cache_read_tokens", "cache_write_5m_tokens", "cache_write_1h_tokens",
	"output_tokens", "reasoning_tokens", "cost_usd", "list_cost_usd", "unpriced_requests", "unknown_cost_requests",
	"cache_hit_ratio", "cost_per_request_usd", "share_pct",
}

// reportCSV writes one row per group (or one total row without --by),
// with full-precision numbers for programs.
func reportCSV(w io.Writer, rep *analyze.Report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(append(append([]string{}, rep.By...), csvFigureHeader...)); err != nil {
		return err
	}

	if len(rep.By) == 0 {
		// Without --by the one group is the total: write it once.
		_ = cw.Write(csvFigures(rep.Totals))
		cw.Flush()
		return cw.Error()
	}
	for _, g := range rep.Groups {
		row := make([]string, 0, len(rep.By)+len(csvFigureHeader))
		for _, d := range rep.By {
			row = append(row, fmt.Sprint(g.Key[d]))
		}
		_ = cw.Write(append(row, csvFigures(g.Figures)...))
	}
	cw.Flush()
	return cw.Error()
}

func csvFigures(f analyze.Figures) []string {
	share := ""
	if f.SharePct != nil {
		share = Exact(*f.SharePct)
	}
	i := func(v int64) string { return strconv.FormatInt(v, 10) }
	return []string{
		i(f.Requests), i(f.InputTokens), i(f.CacheReadTokens), i(f.CacheWrite5mTokens), i(f.CacheWrite1hTokens),
		i(f.OutputTokens), i(f.ReasoningTokens), Exact(f.CostUSD), Exact(f.ListCostUSD), i(f.UnpricedRequests),
		i(f.UnknownCostRequests), Exact(f.CacheHitRatio), Exact(f.CostPerRequestUSD), share,
	}
}
