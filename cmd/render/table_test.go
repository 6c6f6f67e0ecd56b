package render

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/olekukonko/tablewriter"
)

// boxGrid returns a grid of n rows with text and numeric columns of
// varying widths, so that header cells get even and odd padding.
func boxGrid(n int, footer bool) grid {
	g := grid{
		header:  []string{"endpoint", "tier", "hour", "requests", "cost"},
		numeric: []bool{false, false, false, true, true},
	}
	for i := range n {
		g.rows = append(g.rows, []string{
			fmt.Sprintf("/v1/%d", i%23), []string{"free", "enterprise", ""}[i%3],
			fmt.Sprintf("2026-03-%02dT%02d:00:00Z", 1+i%28, i%24), fmt.Sprintf("%d", i*i%100003), fmt.Sprintf("$%d.%04d", i%97, i%10000),
		})
	}
	if footer {
		g.footer = []string{"total", "", "", "1,234,567", "$9.99"}
	}
	return g
}

// TestWriteBoxesMatchesTablewriter compares the direct box printer with
// tablewriter's output for the same grid.
func TestWriteBoxesMatchesTablewriter(t *testing.T) {
	for _, c := range []struct {
		rows   int
		footer bool
	}{{1, false}, {5, true}, {1200, true}} {
		g := boxGrid(c.rows, c.footer)
		var want, got bytes.Buffer
		if err := g.render(tablewriter.NewTable(&want, g.options()...)); err != nil {
			t.Fatal(err)
		}
		if err := writeBoxes(&got, g); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%d rows, footer %v: writeBoxes printed\n%s\ntablewriter printed\n%s", c.rows, c.footer, got.String(), want.String())
		}
	}
}

func TestPlainASCII(t *testing.T) {
	cases := []struct {
		name string
		edit func(*grid)
		want bool
	}{
		{"ascii", func(*grid) {}, true},
		{"wide character", func(g *grid) { g.rows[1][0] = "/v1/日本" }, false},
		{"escape sequence", func(g *grid) { g.rows[0][2] = "\x1b[31mred\x1b[0m" }, false},
		{"newline", func(g *grid) { g.footer[0] = "two\nlines" }, false},
		{"short row", func(g *grid) { g.rows[2] = g.rows[2][:3] }, false},
	}
	for _, c := range cases {
		g := boxGrid(3, true)
		c.edit(&g)
		if got := g.plainASCII(); got != c.want {
			t.Errorf("%s: plainASCII = %v, want %v", c.name, got, c.want)
		}
	}
}

// BenchmarkWriteTable prints a table the size of a report by endpoint, tier
// and hour over 30 days: 57,600 rows.
func BenchmarkWriteTable(b *testing.B) {
	g := boxGrid(57_600, true)
	var out bytes.Buffer
	for b.Loop() {
		out.Reset()
		if err := writeTable(&out, g); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(out.Len()), "bytes")
}
