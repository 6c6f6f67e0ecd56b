package render

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/costctl/costctl/analyze"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// dailyReport is a report by one dimension with costs chosen to hit a
// full bar, fractions of a cell, a tiny non-zero cost and zero.
func dailyReport(dim string, keys []any, costs []float64) *analyze.Report {
	rep := &analyze.Report{By: []string{dim}}
	for i, k := range keys {
		f := analyze.Figures{Requests: int64(10 * (i + 1)), CostUSD: costs[i], InputTokens: 1000, OutputTokens: 100}
		rep.Groups = append(rep.Groups, analyze.Group{Key: map[string]any{dim: k}, Figures: f})
		rep.Totals.Requests += f.Requests
		rep.Totals.CostUSD += f.CostUSD
	}
	return rep
}

func TestReportBarsGolden(t *testing.T) {
	byDay := dailyReport("day", []any{"2025-11-03", "2025-11-04", "2025-11-05", "2025-11-06"}, []float64{4, 2.5, 0.001, 0})
	byHour := dailyReport("hour_of_day", []any{0, 1, 2}, []float64{0.3, 1.2, 0.9})
	byEndpoint := dailyReport("endpoint", []any{"chat", "summary"}, []float64{3, 1})
	cases := []struct {
		name     string
		rep      *analyze.Report
		format   string
		terminal bool
	}{
		{"day_tty", byDay, FormatTable, true},
		{"day_pipe", byDay, FormatTable, false},
		{"hour_of_day_tty", byHour, FormatTable, true},
		{"endpoint_tty", byEndpoint, FormatTable, true},
		{"day_markdown_tty", byDay, FormatMarkdown, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := ReportOnTerminal(&b, c.rep, c.format, c.terminal); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", "bars_"+c.name+".golden"), b.Bytes())
		})
	}
}

func TestBarLengths(t *testing.T) {
	cases := []struct {
		v, peak float64
		want    string
	}{
		{4, 4, "██████████"},
		{2, 4, "█████     "},
		{0.5, 4, "█▎        "},
		{0.0001, 4, "▏         "},
		{0, 4, "          "},
		{5, 4, "██████████"},
		{1, 0, "          "},
	}
	for _, c := range cases {
		if got := Bar(c.v, c.peak, 10); got != c.want {
			t.Errorf("Bar(%v, %v, 10) = %q, want %q", c.v, c.peak, got, c.want)
		}
	}
}

func TestFloatingBar(t *testing.T) {
	cases := []struct {
		from, to float64
		want     string
	}{
		{10, 7, "       ███"},
		{7, 8, "       █  "},
		{0, 10, "██████████"},
		{5, 5, "          "},
	}
	for _, c := range cases {
		got := FloatingBar(c.from, c.to, 10, 10)
		if got != c.want {
			t.Errorf("FloatingBar(%v, %v, 10, 10) = %q, want %q", c.from, c.to, got, c.want)
		}
		if n := utf8.RuneCountInString(got); n != 10 {
			t.Errorf("FloatingBar(%v, %v, 10, 10) is %d cells, want 10", c.from, c.to, n)
		}
	}
}

// golden compares got with the file at path, or rewrites it with -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test -update to accept):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
