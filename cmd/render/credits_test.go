package render

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/costctl/costctl/analyze"
)

// creditedReport costs $325 and has two credits, $250.50 for Anthropic and
// $100 for any provider: $350.50 of credits and a net cost of −$25.50.
func creditedReport() *analyze.Report {
	credits, net := 350.50, -25.50
	rep := dailyReport("day", []any{"2025-11-20", "2025-11-21"}, []float64{300, 25})
	rep.Totals.EffectiveCostUSD = rep.Totals.CostUSD
	rep.Totals.CreditsUSD, rep.Totals.NetCostUSD = &credits, &net
	rep.Credits = []analyze.CreditLine{
		{Date: "2025-11-20", Provider: "anthropic", Description: "launch credit", AmountUSD: 250.50},
		{Date: "2025-11-25", AmountUSD: 100},
	}
	return rep
}

// lineWith returns the first line of out that contains every part, or "".
func lineWith(out string, parts ...string) string {
	for _, line := range strings.Split(out, "\n") {
		if !slices.ContainsFunc(parts, func(p string) bool { return !strings.Contains(line, p) }) {
			return line
		}
	}
	return ""
}

func TestCreditLinesUnderTable(t *testing.T) {
	for _, format := range []string{FormatTable, FormatMarkdown} {
		var b bytes.Buffer
		if err := Report(&b, creditedReport(), format); err != nil {
			t.Fatal(err)
		}
		out := b.String()

		totals := strings.Index(out, "$325.00")
		heading := strings.Index(out, "credits in the window")
		if totals < 0 || heading < totals {
			t.Errorf("%s: credits heading at %d, want it after the totals at %d:\n%s", format, heading, totals, out)
		}
		if lineWith(out, "2025-11-20", "anthropic", "launch credit", "-$250.50") == "" {
			t.Errorf("%s: no line for the $250.50 credit:\n%s", format, out)
		}
		if lineWith(out, "2025-11-25", "(all)", "-$100.00") == "" {
			t.Errorf("%s: no line for the $100 credit of any provider:\n%s", format, out)
		}
		if lineWith(out, "total credits", "-$350.50") == "" {
			t.Errorf("%s: no total credits line:\n%s", format, out)
		}
		if lineWith(out, "net cost", "cost $325.00 less $350.50 of credits", "-$25.5000") == "" {
			t.Errorf("%s: no net cost line:\n%s", format, out)
		}
	}
}

func TestCreditLinesWithBars(t *testing.T) {
	var b bytes.Buffer
	if err := ReportOnTerminal(&b, creditedReport(), FormatTable, true); err != nil {
		t.Fatal(err)
	}
	if lineWith(b.String(), "launch credit", "-$250.50") == "" {
		t.Errorf("terminal table with bars has no credit line:\n%s", b.String())
	}
}

// CSV is one table for programs: a header and one row per group, and no
// credit text, even when credits fall in the window.
func TestCreditsLeftOutOfCSV(t *testing.T) {
	var b bytes.Buffer
	if err := Report(&b, creditedReport(), FormatCSV); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "\n\n") {
		t.Errorf("CSV has a blank line, want one table:\n%s", b.String())
	}
	if strings.Contains(b.String(), "credit") || strings.Contains(b.String(), "net_cost") {
		t.Errorf("CSV mentions credits, want them in JSON only:\n%s", b.String())
	}

	rows, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	if err != nil {
		t.Fatalf("CSV with credits does not read as one table: %v", err)
	}
	if len(rows) != 3 {
		t.Fatalf("CSV has %d rows, want the header and 2 groups:\n%s", len(rows), b.String())
	}
	if rows[0][0] != "day" || rows[1][0] != "2025-11-20" || rows[2][0] != "2025-11-21" {
		t.Errorf("first column = %q, %q, %q; want day, 2025-11-20, 2025-11-21", rows[0][0], rows[1][0], rows[2][0])
	}
}

func TestReportWithoutCreditsUnchanged(t *testing.T) {
	for _, format := range []string{FormatTable, FormatMarkdown, FormatCSV} {
		rep := dailyReport("day", []any{"2025-11-20"}, []float64{300})
		var with, without bytes.Buffer
		if err := Report(&without, rep, format); err != nil {
			t.Fatal(err)
		}
		if err := writeReportTable(&with, rep, format); err != nil {
			t.Fatal(err)
		}

		if strings.Contains(without.String(), "credit") {
			t.Errorf("%s: report without credits mentions credits:\n%s", format, without.String())
		}
		if without.String() != with.String() {
			t.Errorf("%s: report without credits differs from its table alone:\n%s\nwant:\n%s", format, without.String(), with.String())
		}
	}
}

// writeReportTable writes only the report's own table, as Report did
// before credits were shown.
func writeReportTable(b *bytes.Buffer, rep *analyze.Report, format string) error {
	switch format {
	case FormatCSV:
		return reportCSV(b, rep)
	case FormatMarkdown:
		return writeMarkdown(b, reportGrid(rep))
	}
	return writeTable(b, reportGrid(rep))
}

func TestUSDNegativeSignFirst(t *testing.T) {
	cases := []struct {
		in   float64
		want string
	}{
		{-0.0024, "-$0.002400"},
		{-250.5, "-$250.50"},
		{-1234.5, "-$1,234.50"},
		{0.0308, "$0.0308"},
	}
	for _, tc := range cases {
		if got := USD(tc.in); got != tc.want {
			t.Errorf("USD(%g) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
