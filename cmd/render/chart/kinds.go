package chart

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/brewer"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// maxXLabels is how many category labels fit under a full-width chart;
// beyond it only every k-th label is printed.
const maxXLabels = 16

// Series is one named row of values, one per category.
type Series struct {
	Name   string
	Values []float64
}

// StackedBars draws one bar per category with the series stacked in order.
func StackedBars(name, title, yLabel string, categories []string, series []Series) (*Chart, error) {
	p := newPlot(title, "", yLabel)
	p.Add(hGrid())
	legend := newLegend()
	var below *plotter.BarChart
	for i, s := range series {
		if len(s.Values) == 0 {
			continue
		}
		bars, err := plotter.NewBarChart(plotter.Values(s.Values), barWidth(len(categories)))
		if err != nil {
			return nil, fmt.Errorf("chart %s: series %s: %w", name, s.Name, err)
		}
		bars.Color = seriesColor(i)
		bars.LineStyle.Width = 0
		if below != nil {
			bars.StackOn(below)
		}
		below = bars
		p.Add(bars)
		legend.Add(s.Name, bars)
	}
	categoricalX(p, categories)
	return &Chart{Name: name, Title: title, plot: p, legend: legend, width: 26 * vg.Centimeter, height: 9 * vg.Centimeter}, nil
}

// HBars draws one horizontal bar per category, the first at the top.
func HBars(name, title, xLabel string, categories []string, values []float64) (*Chart, error) {
	n := len(categories)
	rev, labels := make(plotter.Values, n), make([]string, n)
	for i := range categories {
		rev[n-1-i], labels[n-1-i] = values[i], categories[i]
	}
	p := newPlot(title, xLabel, "")
	grid := plotter.NewGrid()
	grid.Horizontal.Width = 0
	p.Add(grid)
	if n > 0 {
		bars, err := plotter.NewBarChart(rev, vg.Points(12))
		if err != nil {
			return nil, fmt.Errorf("chart %s: %w", name, err)
		}
		bars.Horizontal = true
		bars.Color = seriesColor(0)
		bars.LineStyle.Width = 0
		p.Add(bars)
		p.NominalY(labels...)
	}
	h := vg.Length(2.2+0.55*float64(max(n, 1))) * vg.Centimeter
	return &Chart{Name: name, Title: title, plot: p, width: 12 * vg.Centimeter, height: h}, nil
}

// Line draws values over categories, with the y axis from 0 to yMax.
func Line(name, title, yLabel string, categories []string, values []float64, yMax float64) (*Chart, error) {
	p := newPlot(title, "", yLabel)
	p.Add(hGrid())
	categoricalX(p, categories)
	p.Y.Min, p.Y.Max = 0, yMax
	chart := &Chart{Name: name, Title: title, plot: p, width: 26 * vg.Centimeter, height: 7 * vg.Centimeter}
	if len(values) == 0 {
		return chart, nil
	}

	pts := make(plotter.XYs, len(values))
	for i, v := range values {
		pts[i] = plotter.XY{X: float64(i), Y: v}
	}
	line, err := plotter.NewLine(pts)
	if err != nil {
		return nil, fmt.Errorf("chart %s: %w", name, err)
	}
	line.Color = seriesColor(0)
	line.Width = vg.Points(2)
	dots, err := plotter.NewScatter(pts)
	if err != nil {
		return nil, fmt.Errorf("chart %s: %w", name, err)
	}
	dots.Color = seriesColor(0)
	p.Add(line, dots)
	return chart, nil
}

// HeatMap draws z[row][col], the first row at the top, darker for more.
func HeatMap(name, title string, rows, cols []string, z [][]float64) (*Chart, error) {
	pal, err := brewer.GetPalette(brewer.TypeSequential, "YlOrRd", 9)
	if err != nil {
		return nil, fmt.Errorf("chart %s: %w", name, err)
	}
	g := grid{z: z}
	hm := plotter.NewHeatMap(g, pal)
	if hm.Min == hm.Max {
		// A flat grid has no range to map colours over.
		hm.Max = hm.Min + 1
	}

	p := newPlot(title, "hour of day", "")
	p.Add(hm)
	categoricalX(p, cols)
	labels := make([]string, len(rows))
	for i, r := range rows {
		labels[len(rows)-1-i] = r
	}
	p.NominalY(labels...)
	return &Chart{Name: name, Title: title, plot: p, width: 26 * vg.Centimeter, height: 7 * vg.Centimeter}, nil
}

// grid adapts z[row][col] to plotter.GridXYZ with row 0 drawn on top.
type grid struct{ z [][]float64 }

func (g grid) Dims() (c, r int) {
	if len(g.z) == 0 {
		return 0, 0
	}
	return len(g.z[0]), len(g.z)
}
func (g grid) Z(c, r int) float64 { return g.z[len(g.z)-1-r][c] }
func (g grid) X(c int) float64    { return float64(c) }
func (g grid) Y(r int) float64    { return float64(r) }

func (g grid) Min() float64 { return g.extreme(math.Min, math.Inf(1)) }
func (g grid) Max() float64 { return g.extreme(math.Max, math.Inf(-1)) }

func (g grid) extreme(pick func(a, b float64) float64, start float64) float64 {
	m := start
	for _, row := range g.z {
		for _, v := range row {
			m = pick(m, v)
		}
	}
	if math.IsInf(m, 0) {
		return 0
	}
	return m
}

// Step is one bar of a waterfall: from Start to End. A total bar rises
// from zero to End; other bars float between Start and End.
type Step struct {
	Label      string
	Start, End float64
	Total      bool
}

// Waterfall draws totals in grey, decreases in green and increases in red.
func Waterfall(name, title, yLabel string, steps []Step) (*Chart, error) {
	n := len(steps)
	base, total, down, up := make(plotter.Values, n), make(plotter.Values, n), make(plotter.Values, n), make(plotter.Values, n)
	labels := make([]string, n)
	for i, s := range steps {
		labels[i] = s.Label
		switch {
		case s.Total:
			total[i] = s.End
		case s.End < s.Start:
			base[i], down[i] = s.End, s.Start-s.End
		default:
			base[i], up[i] = s.Start, s.End-s.Start
		}
	}

	p := newPlot(title, "", yLabel)
	p.Add(hGrid())
	width := barWidth(n)
	// The base only lifts the visible bars; it is never added to the plot.
	invisible, err := bar(base, width, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("chart %s: %w", name, err)
	}
	for _, part := range []struct {
		v plotter.Values
		c color.Color
	}{{total, color.RGBA{0x77, 0x77, 0x88, 0xff}}, {down, color.RGBA{0x00, 0x9E, 0x73, 0xff}}, {up, color.RGBA{0xD5, 0x5E, 0x00, 0xff}}} {
		b, err := bar(part.v, width, part.c, invisible)
		if err != nil {
			return nil, fmt.Errorf("chart %s: %w", name, err)
		}
		p.Add(b)
	}
	categoricalX(p, labels)
	p.Y.Min = 0
	return &Chart{Name: name, Title: title, plot: p, width: 26 * vg.Centimeter, height: 8 * vg.Centimeter}, nil
}

// bar returns bars without outlines, stacked on base when it is not nil.
// Stacking each colour on the base, rather than on each other, works
// because only one of them is non-zero per step.
func bar(v plotter.Values, width vg.Length, c color.Color, base *plotter.BarChart) (*plotter.BarChart, error) {
	b, err := plotter.NewBarChart(v, width)
	if err != nil {
		return nil, err
	}
	b.Color = c
	b.LineStyle = draw.LineStyle{}
	if base != nil {
		b.StackOn(base)
	}
	return b, nil
}

// categoricalX labels the x axis with categories at 0, 1, … and leaves
// half a slot of room at both ends so edge bars are not cut.
func categoricalX(p *plot.Plot, categories []string) {
	if len(categories) == 0 {
		return
	}
	p.NominalX(thinLabels(categories)...)
	p.X.Min, p.X.Max = -0.5, float64(len(categories))-0.5
}

// hGrid is a grid of horizontal lines only: vertical lines would run
// through the middle of every bar.
func hGrid() *plotter.Grid {
	g := plotter.NewGrid()
	g.Vertical.Width = 0
	return g
}

// barWidth narrows bars as categories grow so a month of days still fits.
func barWidth(n int) vg.Length {
	w := 20 * vg.Centimeter / vg.Length(max(n, 1)) * 0.7
	return min(max(w, vg.Points(2)), vg.Points(40))
}

// thinLabels blanks all but every k-th label so that at most maxXLabels
// are printed.
func thinLabels(labels []string) []string {
	step := (len(labels) + maxXLabels - 1) / maxXLabels
	if step <= 1 {
		return labels
	}
	out := make([]string, len(labels))
	for i := 0; i < len(labels); i += step {
		out[i] = labels[i]
	}
	return out
}

// GroupedBars draws the series side by side within each category, for a
// before-and-after comparison.
func GroupedBars(name, title, yLabel string, categories []string, series []Series) (*Chart, error) {
	p := newPlot(title, "", yLabel)
	p.Add(hGrid())
	legend := newLegend()
	width := barWidth(len(categories)*len(series)) * 0.8
	for i, s := range series {
		if len(s.Values) == 0 {
			continue
		}
		bars, err := plotter.NewBarChart(plotter.Values(s.Values), width)
		if err != nil {
			return nil, fmt.Errorf("chart %s: series %s: %w", name, s.Name, err)
		}
		bars.Color = seriesColor(i)
		bars.LineStyle.Width = 0
		bars.Offset = width * vg.Length(2*i-len(series)+1) / 2
		p.Add(bars)
		legend.Add(s.Name, bars)
	}
	categoricalX(p, categories)
	p.Y.Min = 0
	return &Chart{Name: name, Title: title, plot: p, legend: legend, width: 26 * vg.Centimeter, height: 9 * vg.Centimeter}, nil
}
