package html

import (
	"io"
	"strings"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/check"
	"github.com/costctl/costctl/cmd/render/chart"
	"github.com/costctl/costctl/simulate"
)

// SimulationCharts draws the simulate page's charts: the savings waterfall
// and the cost of each group before and after.
func SimulationCharts(sim *simulate.Simulation) ([]*chart.Chart, error) {
	steps := []chart.Step{{Label: "baseline", End: sim.Baseline.CostUSD, Total: true}}
	prev := sim.Baseline.CostUSD
	for _, l := range sim.Levers {
		steps = append(steps, chart.Step{Label: l.Name, Start: prev, End: l.CumulativeCostUSD})
		prev = l.CumulativeCostUSD
	}
	steps = append(steps, chart.Step{Label: "projected", End: sim.Projected.CostUSD, Total: true})

	labels := make([]string, len(sim.Groups))
	before, after := make([]float64, len(sim.Groups)), make([]float64, len(sim.Groups))
	for i, g := range sim.Groups {
		labels[i] = groupLabel(g.Key, sim.By)
		before[i], after[i] = g.BaselineCostUSD, g.ProjectedCostUSD
	}

	var c collector
	c.add(chart.Waterfall("savings-waterfall", "Savings by lever, in pipeline order", "USD", steps))
	c.add(chart.GroupedBars("before-after", "Cost per "+byLabel(sim.By)+", before and after", "USD", labels,
		[]chart.Series{{Name: "baseline", Values: before}, {Name: "projected", Values: after}}))
	return c.charts, c.err
}

// Simulation writes the HTML page of a simulation.
func Simulation(w io.Writer, sim *simulate.Simulation) error {
	charts, err := SimulationCharts(sim)
	if err != nil {
		return err
	}
	figs, err := figures(charts, map[string]string{
		"savings-waterfall": "Each lever's step is its cumulative cost after the levers before it; grey bars are totals.",
		"before-after":      "Window cost in USD per group; a routed request counts under its new model.",
	}, "savings-waterfall", "before-after")
	if err != nil {
		return err
	}
	return write(w, "simulation.tmpl", view{
		Title: "LLM cost simulation", Window: sim.Window, PriceTable: sim.PriceTableVersion,
		GeneratedBy: sim.GeneratedBy, Charts: figs, Doc: sim,
	})
}

// CheckCharts draws the check page's chart: the change from baseline to
// current split into its volume, mix, price and tokens effects.
func CheckCharts(res *check.Result) ([]*chart.Chart, error) {
	e := res.Effects
	steps := []chart.Step{{Label: "baseline", End: res.BaselineCostUSD, Total: true}}
	at := res.BaselineCostUSD
	for _, part := range []struct {
		name string
		usd  float64
	}{{"volume", e.VolumeUSD}, {"mix", e.MixUSD}, {"price", e.PriceUSD}, {"tokens", e.TokensUSD}} {
		steps = append(steps, chart.Step{Label: part.name, Start: at, End: at + part.usd})
		at += part.usd
	}
	steps = append(steps, chart.Step{Label: "current", End: res.CurrentCostUSD, Total: true})

	var c collector
	c.add(chart.Waterfall("change-explained", "Cost change explained ("+strings.ReplaceAll(res.Basis, "_", " ")+")", "USD", steps))
	return c.charts, c.err
}

// Check writes the HTML page of a check result.
func Check(w io.Writer, res *check.Result) error {
	charts, err := CheckCharts(res)
	if err != nil {
		return err
	}
	figs, err := figures(charts, map[string]string{
		"change-explained": "Volume, mix, price and tokens add up to the change from baseline to current.",
	}, "change-explained")
	if err != nil {
		return err
	}
	return write(w, "check.tmpl", view{
		Title: "LLM cost check: " + res.Status, Window: res.Current.Window,
		GeneratedBy: res.GeneratedBy, Charts: figs, Doc: res,
	})
}

// groupLabel joins a group's values of the by dimensions.
func groupLabel(key map[string]any, by []string) string {
	parts := make([]string, len(by))
	for i, d := range by {
		parts[i] = keyLabel(analyze.Group{Key: key}, d)
	}
	if len(parts) == 0 {
		return "total"
	}
	return strings.Join(parts, " / ")
}

func byLabel(by []string) string {
	if len(by) == 0 {
		return "total"
	}
	return strings.Join(by, " / ")
}
