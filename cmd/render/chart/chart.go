// Package chart draws costctl's figures with gonum/plot, as SVG for the
// HTML pages and as PNG for --chart-png. Callers pass values ready to
// draw; nothing here aggregates or decides.
package chart

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// pngDPI makes exported PNGs sharp enough for chat and CI artifact viewers.
const pngDPI = 144

// Chart is one drawn figure. Name is a file-safe identifier, used for the
// PNG file name and the HTML element id.
type Chart struct {
	Name   string
	Title  string
	plot   *plot.Plot
	legend *plot.Legend
	width  vg.Length
	height vg.Length
}

// SVG writes the chart as an SVG element without the XML prologue, so it
// can be inlined in HTML. The background is transparent and text and axes
// use the default black, which the page's stylesheet recolours in dark mode.
func (c *Chart) SVG(w io.Writer) error {
	// A nil background draws none, which leaves the page's colour behind.
	c.plot.BackgroundColor = nil
	canvas := vgsvg.NewWith(vgsvg.UseWH(c.width, c.height))
	c.draw(draw.New(canvas))

	var buf bytes.Buffer
	if _, err := canvas.WriteTo(&buf); err != nil {
		return fmt.Errorf("chart %s: %w", c.Name, err)
	}
	out := buf.String()
	if i := strings.Index(out, "<svg"); i >= 0 {
		out = out[i:]
	}
	_, err := io.WriteString(w, out)
	return err
}

// PNG writes the chart as a PNG image on a white background.
func (c *Chart) PNG(w io.Writer) error {
	c.plot.BackgroundColor = color.White
	canvas := vgimg.NewWith(vgimg.UseWH(c.width, c.height), vgimg.UseDPI(pngDPI), vgimg.UseBackgroundColor(color.White))
	c.draw(draw.New(canvas))
	if _, err := (vgimg.PngCanvas{Canvas: canvas}).WriteTo(w); err != nil {
		return fmt.Errorf("chart %s: %w", c.Name, err)
	}
	return nil
}

// draw puts the legend, when there is one, in a column right of the plot
// so that it never covers data.
func (c *Chart) draw(dc draw.Canvas) {
	if c.legend == nil {
		c.plot.Draw(dc)
		return
	}
	lw := c.legendWidth()
	c.plot.Draw(draw.Crop(dc, 0, -lw, 0, 0))
	c.legend.Draw(draw.Crop(dc, dc.Max.X-dc.Min.X-lw+8, 0, 0, 0))
}

func (c *Chart) legendWidth() vg.Length {
	r := c.legend.Rectangle(draw.Canvas{Rectangle: vg.Rectangle{Max: vg.Point{X: c.width, Y: c.height}}})
	return r.Max.X - r.Min.X + 16
}

// newPlot returns a plot with costctl's look: sans-serif text and a
// light grid behind the data.
func newPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	for _, s := range []*text.Style{&p.Title.TextStyle, &p.X.Label.TextStyle, &p.Y.Label.TextStyle, &p.X.Tick.Label, &p.Y.Tick.Label} {
		s.Font = sans(s.Font.Size)
	}
	p.Title.Padding = vg.Points(8)
	return p
}

func newLegend() *plot.Legend {
	l := plot.NewLegend()
	l.TextStyle.Font = sans(10)
	l.Top = true
	l.Left = true
	return &l
}

// sans is Liberation Sans, which gonum/plot embeds for PNG output. It is
// metric-compatible with Arial, the fallback the HTML page names, so SVG
// labels keep their measured widths without embedding a font.
func sans(size vg.Length) font.Font {
	return font.Font{Typeface: "Liberation", Variant: "Sans", Size: size}
}

// seriesColors is the Okabe–Ito palette, distinguishable with the common
// colour vision deficiencies and on both light and dark backgrounds.
var seriesColors = []color.Color{
	color.RGBA{0x00, 0x72, 0xB2, 0xff}, color.RGBA{0xE6, 0x9F, 0x00, 0xff},
	color.RGBA{0x00, 0x9E, 0x73, 0xff}, color.RGBA{0xCC, 0x79, 0xA7, 0xff},
	color.RGBA{0x56, 0xB4, 0xE9, 0xff}, color.RGBA{0xD5, 0x5E, 0x00, 0xff},
	color.RGBA{0xF0, 0xE4, 0x42, 0xff}, color.RGBA{0x99, 0x99, 0x99, 0xff},
}

func seriesColor(i int) color.Color {
	return seriesColors[i%len(seriesColors)]
}
