package render

import (
	"bytes"
	"encoding/csv"
	"regexp"
	"strings"
	"testing"

	"github.com/costctl/costctl/analyze"
)

// discountedReport groups by provider: Anthropic lists at $20.00 with 12%
// off, 20 × 0.88 = $17.60; OpenAI costs its list $5.00. Totals: list
// $25.00, effective $22.60.
func discountedReport() *analyze.Report {
	group := func(provider string, list, effective float64) analyze.Group {
		f := analyze.Figures{Requests: 10, CostUSD: effective, ListCostUSD: list, EffectiveCostUSD: effective}
		return analyze.Group{Key: map[string]any{"provider": provider}, Figures: f}
	}
	rep := &analyze.Report{By: []string{"provider"}}
	rep.Groups = []analyze.Group{group("anthropic", 20, 17.60), group("openai", 5, 5)}
	rep.Totals = analyze.Figures{Requests: 20, CostUSD: 22.60, ListCostUSD: 25, EffectiveCostUSD: 22.60}
	return rep
}

// besideCost matches a cost cell followed by the list cost cell, in a box
// table (│) or a Markdown table (|).
func besideCost(cost, list string) *regexp.Regexp {
	return regexp.MustCompile(regexp.QuoteMeta(cost) + `\s*[│|]\s*` + regexp.QuoteMeta(list))
}

func TestListCostBesideCost(t *testing.T) {
	for _, format := range []string{FormatTable, FormatMarkdown} {
		var b bytes.Buffer
		if err := Report(&b, discountedReport(), format); err != nil {
			t.Fatal(err)
		}
		out := b.String()

		if !besideCost("cost", "list cost").MatchString(out) {
			t.Errorf("%s: no list cost column after cost:\n%s", format, out)
		}
		if !besideCost("$17.6000", "$20.0000").MatchString(lineWith(out, "anthropic")) {
			t.Errorf("%s: anthropic row lacks cost $17.6000 then list $20.0000:\n%s", format, out)
		}
		if !besideCost("$5.0000", "$5.0000").MatchString(lineWith(out, "openai")) {
			t.Errorf("%s: openai row lacks cost and list $5.0000:\n%s", format, out)
		}
		if !besideCost("$22.6000", "$25.0000").MatchString(lineWith(out, "total")) {
			t.Errorf("%s: total row lacks cost $22.6000 then list $25.0000:\n%s", format, out)
		}
	}
}

func TestListCostHiddenWithoutDiscount(t *testing.T) {
	rep := discountedReport()
	rep.Groups[0].CostUSD, rep.Groups[0].EffectiveCostUSD = 20, 20
	rep.Totals.CostUSD, rep.Totals.EffectiveCostUSD = 25, 25
	for _, format := range []string{FormatTable, FormatMarkdown} {
		var b bytes.Buffer
		if err := Report(&b, rep, format); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(b.String(), "list cost") {
			t.Errorf("%s: list cost column without a discount:\n%s", format, b.String())
		}
	}
}

// csvColumn returns the values of the named column of a CSV table, or nil
// when the header has no such column.
func csvColumn(t *testing.T, rows [][]string, name string) []string {
	t.Helper()
	for i, h := range rows[0] {
		if h != name {
			continue
		}
		var out []string
		for _, r := range rows[1:] {
			out = append(out, r[i])
		}
		return out
	}
	return nil
}

// CSV carries list_cost_usd right after cost_usd in every report, equal to
// cost_usd when no discount applies.
func TestListCostCSV(t *testing.T) {
	plain := discountedReport()
	plain.Groups[0].CostUSD, plain.Groups[0].EffectiveCostUSD, plain.Groups[0].ListCostUSD = 17.60, 17.60, 17.60
	plain.Totals.ListCostUSD = 22.60
	cases := []struct {
		name       string
		rep        *analyze.Report
		cost, list []string
	}{
		{"discounted", discountedReport(), []string{"17.6", "5"}, []string{"20", "5"}},
		{"no discount", plain, []string{"17.6", "5"}, []string{"17.6", "5"}},
	}
	for _, c := range cases {
		var b bytes.Buffer
		if err := Report(&b, c.rep, FormatCSV); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&b).ReadAll()
		if err != nil {
			t.Fatal(err)
		}

		header := strings.Join(rows[0], ",")
		if !strings.Contains(header, ",cost_usd,list_cost_usd,") {
			t.Errorf("%s: header %q, want list_cost_usd right after cost_usd", c.name, header)
		}
		if got := csvColumn(t, rows, "cost_usd"); strings.Join(got, " ") != strings.Join(c.cost, " ") {
			t.Errorf("%s: cost_usd = %q, want %q", c.name, got, c.cost)
		}
		if got := csvColumn(t, rows, "list_cost_usd"); strings.Join(got, " ") != strings.Join(c.list, " ") {
			t.Errorf("%s: list_cost_usd = %q, want %q", c.name, got, c.list)
		}
	}
}
