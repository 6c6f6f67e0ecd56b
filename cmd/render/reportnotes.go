package render

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

// MarkdownNotes writes the notes of ReportNotes as a Markdown list after a
// blank line, or nothing when there are none.
func MarkdownNotes(w io.Writer, rep *analyze.Report) {
	var notes bytes.Buffer
	ReportNotes(&notes, rep)
	if notes.Len() == 0 {
		return
	}
	fmt.Fprintln(w)
	for _, line := range strings.Split(strings.TrimSuffix(notes.String(), "\n"), "\n") {
		fmt.Fprintf(w, "- %s\n", line)
	}
}

// ReportNotes writes what a person must know beside the table: unpriced
// models, unknown costs and warnings. Programs read them from the JSON.
func ReportNotes(w io.Writer, rep *analyze.Report) {
	for i := range rep.UnpricedModels {
		for _, note := range UnpricedNotes(&rep.UnpricedModels[i]) {
			fmt.Fprintf(w, "note: %s\n", note)
		}
	}
	if partlyUnpriced(rep) {
		fmt.Fprintf(w, "note: a cost followed by %s leaves out the unpriced requests of its row\n", PartlyUnpricedMark)
	}
	if n := rep.Totals.UnknownCostRequests; n > 0 {
		fmt.Fprintf(w, "note: %s requests logged no usage; their cost is unknown, not zero\n", Count(n))
	}
	for _, warn := range rep.Warnings {
		fmt.Fprintf(w, "warning: %s\n", warn)
	}
}

// UnpricedNotes returns one sentence per cause of a model's unpriced
// requests, each with the fix that prices them.
func UnpricedNotes(m *analyze.UnpricedModel) []string {
	var notes []string
	if m.StalePrices > 0 {
		notes = append(notes, fmt.Sprintf("the active price table lacks the rows that priced %s of model %q (provider %q), so the cost leaves them out; run costctl reprice, or pass the --prices file they were priced with",
			Plural(m.StalePrices, "request"), m.Model, m.Provider))
	}

	c := &m.Causes
	if c.Repriceable > 0 {
		prices, fix := "the active price table", "run costctl reprice"
		if c.PriceOrigin != pricing.EmbeddedName {
			prices, fix = c.PriceOrigin, "run costctl reprice with the prices this report used ("+c.PriceOrigin+")"
		}
		notes = append(notes, fmt.Sprintf("%s prices model %q (provider %q) but the store holds it unpriced, so the cost leaves out %s; %s",
			prices, m.Model, m.Provider, Plural(c.Repriceable, "request"), fix))
	}
	if c.NoRow > 0 {
		notes = append(notes, fmt.Sprintf("known model %q (provider %q), no price row in effect %s%s, so the cost leaves out %s; add a dated row with --prices FILE if you have the price",
			m.Model, m.Provider, dayRange(c.FirstDay, c.LastDay), pricesStart(c.PricesStart), Plural(c.NoRow, "request")))
	}
	if unknown := m.Unknown(); unknown > 0 {
		notes = append(notes, fmt.Sprintf("unknown model %q (provider %q) has no price, so the cost leaves out %s; add it with --prices FILE",
			m.Model, m.Provider, Plural(unknown, "request")))
	}
	return notes
}

func dayRange(first, last time.Time) string {
	if first.Equal(last) {
		return "on " + first.Format(time.DateOnly)
	}
	return "from " + first.Format(time.DateOnly) + " to " + last.Format(time.DateOnly)
}

func pricesStart(start time.Time) string {
	if start.IsZero() {
		return ""
	}
	d := start.Format(time.DateOnly)
	return " (its prices start on " + d + "): requests before " + d + " stay unpriced"
}

// partlyUnpriced reports whether the table of rep shows
// PartlyUnpricedMark on some cost.
func partlyUnpriced(rep *analyze.Report) bool {
	marked := func(f analyze.Figures) bool {
		return strings.HasSuffix(CostText(f, f.CostUSD), PartlyUnpricedMark)
	}
	return marked(rep.Totals) || slices.ContainsFunc(rep.Groups, func(g analyze.Group) bool { return marked(g.Figures) })
}
