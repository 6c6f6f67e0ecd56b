// Package html writes costctl's documents as one self-contained HTML
// file: inline CSS and inline SVG charts, no scripts, no fonts or images
// fetched, readable in light and dark mode and printable.
package html

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/cmd/render"
	"github.com/costctl/costctl/cmd/render/chart"
)

//go:embed templates
var files embed.FS

// view is the data the layout template renders for every kind of page.
type view struct {
	Title       string
	Window      analyze.Window
	PriceTable  string
	GeneratedBy string
	CSS         template.CSS
	Charts      []figure
	Doc         any
}

// figure is one chart ready to inline. Wide figures take a whole row.
type figure struct {
	Name    string
	Caption string
	Wide    bool
	SVG     template.HTML
}

var funcs = template.FuncMap{
	"usd":   render.USD,
	"count": render.Count,
	"pct":   render.Pct,
	"ratio": func(r float64) string { return render.Pct(100 * r) },
	"share": render.ShareText,
	"key":   keyLabel,
	"keyOf": func(key map[string]any, dim string) string { return keyLabel(analyze.Group{Key: key}, dim) },
	"score": func(v *float64) string {
		if v == nil {
			return "–"
		}
		return fmt.Sprintf("%.3f", *v)
	},
	"join": strings.Join,
	// cost and costPerRequest show "unpriced" for a row with no priced
	// request, as the text table does, instead of a $0.00 that reads as free.
	"cost":           func(f analyze.Figures) string { return render.CostText(f, f.CostUSD) },
	"costPerRequest": render.CostPerRequestText,
	"unpricedNotes": func(m analyze.UnpricedModel) []string {
		return render.UnpricedNotes(&m)
	},
	// signedUSD and minusUSD write the credit lines: a credit is stored as
	// a positive amount and shown as the negative line it is on the bill.
	"signedUSD": render.USD,
	"minusUSD":  func(v float64) string { return render.USD(-v) },
}

// page parses the layout with the body template of one kind of page.
func page(body string) (*template.Template, error) {
	t, err := template.New("layout").Funcs(funcs).ParseFS(files, "templates/layout.tmpl", "templates/"+body)
	if err != nil {
		return nil, fmt.Errorf("html template %s: %w", body, err)
	}
	return t, nil
}

// write renders v with the body template into w.
func write(w io.Writer, body string, v view) error {
	t, err := page(body)
	if err != nil {
		return err
	}
	css, err := files.ReadFile("templates/style.css")
	if err != nil {
		return fmt.Errorf("html style: %w", err)
	}
	v.CSS = template.CSS(css)

	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		return fmt.Errorf("html %s: %w", body, err)
	}
	_, err = buf.WriteTo(w)
	return err
}

// figures draws charts as inline SVG with their captions.
func figures(charts []*chart.Chart, captions map[string]string, wide ...string) ([]figure, error) {
	out := make([]figure, 0, len(charts))
	for _, c := range charts {
		var b strings.Builder
		if err := c.SVG(&b); err != nil {
			return nil, err
		}
		f := figure{Name: c.Name, Caption: captions[c.Name], SVG: template.HTML(b.String())}
		for _, n := range wide {
			f.Wide = f.Wide || n == c.Name
		}
		out = append(out, f)
	}
	return out, nil
}

// keyLabel returns the text a page shows for a group's value of one dimension.
func keyLabel(g analyze.Group, dim string) string {
	v := fmt.Sprint(g.Key[dim])
	if v == "" || g.Key[dim] == nil {
		return "(none)"
	}
	return v
}

// Report writes the HTML report page.
func Report(w io.Writer, p *ReportPage) error {
	charts, err := ReportCharts(p)
	if err != nil {
		return err
	}
	figs, err := figures(charts, reportCaptions(p), "cost-over-time", "cost-by-hour", "cache-hit-ratio")
	if err != nil {
		return err
	}
	rep := p.Report
	return write(w, "report.tmpl", view{
		Title: "LLM cost report", Window: rep.Window, PriceTable: rep.PriceTableVersion,
		GeneratedBy: rep.GeneratedBy, Charts: figs, Doc: p,
	})
}

func reportCaptions(p *ReportPage) map[string]string {
	return map[string]string{
		"cost-over-time":  "Cost in USD per " + p.Period + ", stacked by " + p.StackBy + ".",
		"cost-by-hour":    "Cost in USD summed per weekday and hour; darker cells cost more.",
		"top-endpoints":   "Cost in USD per endpoint.",
		"tiers":           "Cost in USD per tier.",
		"model-mix":       "Cost in USD per model as logged.",
		"cache-hit-ratio": "Cache reads as a share of all prompt tokens (input, cache reads and cache writes).",
	}
}
