package render

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/check"
)

// manyGroups returns a check of n endpoints, each one request of 1,000
// input tokens at $0.001 in the baseline and two in the current side.
func manyGroups(t *testing.T, n int) *check.Result {
	t.Helper()
	cells := func(requests int64) []analyze.CellDoc {
		out := make([]analyze.CellDoc, n)
		for i := range out {
			out[i] = analyze.CellDoc{
				Key: map[string]any{"endpoint": fmt.Sprintf("endpoint|%05d", i)}, ModelID: "m1", PriceRowID: "m1@1",
				Requests: requests, Tokens: map[string]int64{"input": 1000 * requests},
				CostByClassUSD: map[string]float64{"input": float64(requests)},
			}
		}
		return out
	}
	doc := func(name string, requests int64) *check.Document {
		return &check.Document{Files: []string{name}, Kind: "report", SchemaVersion: 1, By: []string{"endpoint"}, Cells: cells(requests)}
	}
	fail := 5.0
	res, err := check.Compare(doc("base.json", 1), doc("cur.json", 2), check.Options{
		By: []string{"endpoint"}, Thresholds: map[string]check.Level{check.IncreasePct: {Fail: &fail}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

var separatorRow = regexp.MustCompile(`^\|(\s*:?-+:?\s*\|)+$`)

// checkTables checks that every Markdown table GitHub would render has a
// blank line before it, a separator row after its header, and the same
// number of columns in every row.
func checkTables(t *testing.T, md string) int {
	t.Helper()
	lines := strings.Split(md, "\n")
	tables := 0
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "|") {
			continue
		}
		if i == 0 || lines[i-1] != "" {
			t.Errorf("line %d: table starts without a blank line before it", i+1)
		}
		if i+1 >= len(lines) || !separatorRow.MatchString(lines[i+1]) {
			t.Fatalf("line %d: table header not followed by a separator row", i+1)
		}
		cols := columns(lines[i])
		for ; i < len(lines) && strings.HasPrefix(lines[i], "|"); i++ {
			if got := columns(lines[i]); got != cols {
				t.Errorf("line %d: %d columns, want %d: %s", i+1, got, cols, lines[i])
			}
		}
		tables++
	}
	return tables
}

// columns counts cells, not counting pipes escaped as \|.
func columns(line string) int {
	return strings.Count(strings.ReplaceAll(line, `\|`, ""), "|") - 1
}

func TestCheckMarkdownTenThousandGroups(t *testing.T) {
	res := manyGroups(t, 10000)
	var b bytes.Buffer
	if err := Check(&b, res, FormatMarkdown, 10); err != nil {
		t.Fatal(err)
	}
	md := b.String()

	if len(md) > MarkdownLimit {
		t.Errorf("Markdown is %d bytes, over the %d limit", len(md), MarkdownLimit)
	}
	// Top changes, explanation, thresholds, detail groups and cells.
	if n := checkTables(t, md); n != 5 {
		t.Errorf("found %d tables, want 5", n)
	}
	if !strings.Contains(md, "rows omitted") {
		t.Error("the detail of 10,000 groups is not elided")
	}
	if !strings.Contains(md, "<details>\n<summary>Full detail</summary>\n\n") {
		t.Error("the detail block lacks a blank line after its summary, which GitHub needs to render Markdown inside")
	}
	// Baseline $10,000, current $20,000: +100%.
	if !strings.Contains(md, "went from $10,000.00 to $20,000.00: +$10,000.00 (+100.0%), mostly volume") {
		t.Errorf("summary sentence missing or wrong:\n%s", md[:min(len(md), 400)])
	}
	if !strings.Contains(md, "| ❌ fail ") {
		t.Error("the failed threshold has no fail mark")
	}
}

func TestCheckMarkdownSmallKeepsEverything(t *testing.T) {
	res := manyGroups(t, 3)
	var b bytes.Buffer
	if err := Check(&b, res, FormatMarkdown, 10); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	checkTables(t, md)
	if strings.Contains(md, "rows omitted") {
		t.Error("a 3-group detail was elided")
	}
	if !strings.Contains(md, `endpoint\|00002`) {
		t.Error("a pipe in a key is not escaped")
	}
}

func TestUSD(t *testing.T) {
	cases := []struct {
		in   float64
		want string
	}{
		{0.0026, "+$0.002600"},
		{-0.5, "-$0.5000"},
		{1e-17, "$0.00"},
		{-1e-17, "$0.00"},
		{1234.5, "+$1,234.50"},
	}
	for _, tc := range cases {
		if got := signedUSD(tc.in); got != tc.want {
			t.Errorf("signedUSD(%g) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCellLabelSummariserCalls(t *testing.T) {
	ref := check.CellRef{Key: map[string]any{"endpoint": "chat_coach"}, Model: "claude-haiku-4-5"}
	requests := ref
	requests.ServiceTier = "standard"
	cases := []struct {
		name string
		cell check.CellChange
		want string
	}{
		{"requests", check.CellChange{CellRef: requests, Change: check.Change{BaselineRequests: 3, CurrentRequests: 3, CurrentCostUSD: 0.0067}},
			"chat_coach / claude-haiku-4-5"},
		{"summariser calls", check.CellChange{CellRef: ref, Change: check.Change{CurrentCostUSD: 0.005}},
			"chat_coach / claude-haiku-4-5 / summariser calls"},
		// No request and no cost: requests of unknown cost, not summaries.
		{"no usage", check.CellChange{CellRef: ref}, "chat_coach / claude-haiku-4-5"},
	}
	for _, tc := range cases {
		if got := cellLabel(tc.cell); got != tc.want {
			t.Errorf("%s: cellLabel = %q, want %q", tc.name, got, tc.want)
		}
	}
}
