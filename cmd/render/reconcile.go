package render

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/costctl/costctl/analyze/billing"
)

// Reconciliation writes a reconciliation in the given format.
func Reconciliation(w io.Writer, rec *billing.Reconciliation, format string) error {
	switch format {
	case FormatJSON:
		return JSON(w, rec)
	case FormatCSV:
		return reconcileCSV(w, rec)
	case FormatMarkdown:
		if err := writeMarkdown(w, reconcileGrid(rec)); err != nil {
			return err
		}
		return writeCauses(w, rec, writeMarkdown)
	default:
		if err := writeTable(w, reconcileGrid(rec)); err != nil {
			return err
		}
		return writeCauses(w, rec, writeTable)
	}
}

func reconcileGrid(rec *billing.Reconciliation) grid {
	g := grid{}
	g.header = append(append(g.header, rec.By...), "bill tokens", "logged tokens", "bill cost", "logged cost", "difference", "coverage", "causes")
	g.numeric = make([]bool, len(g.header))
	for i := len(rec.By); i < len(g.header)-1; i++ {
		g.numeric[i] = true
	}

	for _, r := range rec.Rows {
		row := make([]string, 0, len(g.header))
		for _, d := range rec.By {
			row = append(row, reconcileKeyLabel(r.Key[d]))
		}
		row = append(row, Count(r.BillTokens), Count(r.LoggedTokens), USD(r.BillCostUSD), USD(r.LoggedCostUSD),
			USD(r.DifferenceUSD), pctOrDash(r.CoveragePct), causeNames(r.Causes))
		g.rows = append(g.rows, row)
	}

	total := []string{Count(rec.BillTokens), Count(rec.LoggedTokens), USD(rec.BillCostUSD), USD(rec.LoggedCostUSD),
		USD(rec.DifferenceUSD), pctOrDash(rec.CoveragePct), ""}
	if len(rec.By) == 0 {
		g.rows = append(g.rows, total)
		return g
	}
	g.footer = append(make([]string, len(rec.By)), total...)
	g.footer[0] = "total"
	return g
}

// writeCauses lists the named causes under the table, largest first.
func writeCauses(w io.Writer, rec *billing.Reconciliation, write func(io.Writer, grid) error) error {
	if len(rec.Causes) == 0 {
		return nil
	}
	g := grid{header: []string{"cause", "subject", "amount", "detail"}, numeric: []bool{false, false, true, false}}
	for _, c := range rec.Causes {
		g.rows = append(g.rows, []string{c.Cause, c.Subject, USD(c.AmountUSD), c.Detail})
	}
	fmt.Fprintln(w)
	return write(w, g)
}

func reconcileKeyLabel(v any) string {
	s := fmt.Sprint(v)
	if s == "" {
		return "(none)"
	}
	return s
}

func pctOrDash(p *float64) string {
	if p == nil {
		return "-"
	}
	return Pct(*p)
}

func causeNames(causes []billing.Cause) string {
	names := make([]string, 0, len(causes))
	for _, c := range causes {
		if c.Subject != "" {
			names = append(names, c.Cause+":"+c.Subject)
			continue
		}
		names = append(names, c.Cause)
	}
	return strings.Join(names, ", ")
}

// reconcileCSV writes one row per reconciliation row with full-precision
// numbers; causes are joined with ";".
func reconcileCSV(w io.Writer, rec *billing.Reconciliation) error {
	cw := csv.NewWriter(w)
	header := append(append([]string{}, rec.By...), "bill_tokens", "logged_tokens", "bill_cost_usd",
		"logged_cost_usd", "difference_usd", "coverage_pct", "bill_cost_source", "causes")
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, r := range rec.Rows {
		row := make([]string, 0, len(header))
		for _, d := range rec.By {
			row = append(row, fmt.Sprint(r.Key[d]))
		}
		coverage := ""
		if r.CoveragePct != nil {
			coverage = Exact(*r.CoveragePct)
		}
		row = append(row, strconv.FormatInt(r.BillTokens, 10), strconv.FormatInt(r.LoggedTokens, 10),
			Exact(r.BillCostUSD), Exact(r.LoggedCostUSD), Exact(r.DifferenceUSD), coverage,
			r.BillCostSource, strings.ReplaceAll(causeNames(r.Causes), ", ", ";"))
		_ = cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

// ReconciliationNotes writes the warnings a person must see beside the
// table. Programs read them from the JSON.
func ReconciliationNotes(w io.Writer, rec *billing.Reconciliation) {
	for _, warn := range rec.Warnings {
		fmt.Fprintf(w, "warning: %s\n", warn)
	}
}
