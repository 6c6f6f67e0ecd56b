package chart

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func sampleCharts(t *testing.T) []*Chart {
	t.Helper()
	days := []string{"2025-11-03", "2025-11-04", "2025-11-05"}
	var charts []*Chart
	add := func(c *Chart, err error) {
		if err != nil {
			t.Fatal(err)
		}
		charts = append(charts, c)
	}
	add(StackedBars("daily", "Cost per day", "USD", days, []Series{{"chat", []float64{1, 2, 3}}, {"summary", []float64{2, 1, 0.5}}}))
	add(HBars("endpoints", "Top endpoints", "USD", []string{"chat", "summary"}, []float64{6, 3.5}))
	add(Line("cache", "Cache hit ratio", "%", days, []float64{40, 55, 52}, 100))
	add(HeatMap("heat", "Cost by hour", []string{"Mon", "Tue"}, []string{"0", "1", "2"}, [][]float64{{1, 2, 3}, {0, 0, 9}}))
	add(Waterfall("savings", "Savings", "USD", []Step{{Label: "baseline", End: 10, Total: true}, {Label: "route", Start: 10, End: 7}, {Label: "batch", Start: 7, End: 8}, {Label: "projected", End: 8, Total: true}}))
	return charts
}

func TestSVGInlinable(t *testing.T) {
	for _, c := range sampleCharts(t) {
		var buf bytes.Buffer
		if err := c.SVG(&buf); err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		out := buf.String()
		if !strings.HasPrefix(out, "<svg") {
			t.Errorf("%s: SVG starts with %.20q, want <svg", c.Name, out)
		}
		if !strings.Contains(out, "<path") {
			t.Errorf("%s: SVG has no path", c.Name)
		}
		if !strings.Contains(out, c.Title) {
			t.Errorf("%s: SVG lacks the title %q", c.Name, c.Title)
		}
	}
}

func TestPNGDecodes(t *testing.T) {
	dir := t.TempDir()
	for _, c := range sampleCharts(t) {
		var buf bytes.Buffer
		if err := c.PNG(&buf); err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		img, err := png.Decode(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("%s: decode: %v", c.Name, err)
		}
		if b := img.Bounds(); b.Dx() < 300 || b.Dy() < 100 {
			t.Errorf("%s: PNG is %dx%d, want at least 300x100", c.Name, b.Dx(), b.Dy())
		}
		_ = os.WriteFile(filepath.Join(dir, c.Name+".png"), buf.Bytes(), 0o644)
		if os.Getenv("CHART_PNG_DIR") != "" {
			_ = os.WriteFile(filepath.Join(os.Getenv("CHART_PNG_DIR"), c.Name+".png"), buf.Bytes(), 0o644)
		}
	}
}
