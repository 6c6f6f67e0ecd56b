package render

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/costctl/costctl/simulate"
)

// Simulation writes a simulation in the given format. Table and Markdown
// show the waterfall, the groups, the per-request and 30-day figures and,
// with --backtest, the backtest; CSV carries the waterfall for programs.
func Simulation(w io.Writer, sim *simulate.Simulation, format string) error {
	return SimulationOnTerminal(w, sim, format, false)
}

// SimulationOnTerminal is Simulation with a bar column in the waterfall
// when a person reads the table on a terminal.
func SimulationOnTerminal(w io.Writer, sim *simulate.Simulation, format string, terminal bool) error {
	switch format {
	case FormatJSON:
		return JSON(w, sim)
	case FormatCSV:
		return waterfallCSV(w, sim)
	}

	write := writeTable
	if format == FormatMarkdown {
		write = writeMarkdown
	}
	waterfall := waterfallGrid(sim)
	if terminal && format == FormatTable {
		waterfall = withWaterfallBars(waterfall, sim)
	}
	grids := []grid{waterfall, simulationGroupGrid(sim), outlookGrid(sim)}
	if sim.Backtest != nil {
		grids = append(grids, backtestGrid(sim.Backtest))
	}
	for i, g := range grids {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if err := write(w, g); err != nil {
			return err
		}
	}
	return nil
}

// waterfallGrid reads top to bottom: baseline, each lever's step in
// pipeline order, projected.
func waterfallGrid(sim *simulate.Simulation) grid {
	g := grid{
		header:  []string{"step", "cost", "step change", "lever alone saves"},
		numeric: []bool{false, true, true, true},
	}
	g.rows = append(g.rows, []string{"baseline", USD(sim.Baseline.CostUSD), "", ""})
	prev := sim.Baseline.CostUSD
	for _, l := range sim.Levers {
		g.rows = append(g.rows, []string{l.Name, USD(l.CumulativeCostUSD), deltaUSD(l.CumulativeCostUSD - prev), deltaUSD(l.StandaloneSavingsUSD)})
		prev = l.CumulativeCostUSD
	}
	g.footer = []string{"projected", USD(sim.Projected.CostUSD), "saves " + deltaUSD(sim.SavingsUSD), Pct(sim.SavingsPct)}
	return g
}

// withWaterfallBars adds a column where the baseline and projected rows
// are bars from zero and each lever's row floats from the cost before the
// step to the cost after it, all on the baseline's scale.
func withWaterfallBars(g grid, sim *simulate.Simulation) grid {
	peak := sim.Baseline.CostUSD
	g.header = append(g.header, "")
	g.numeric = append(g.numeric, false)

	g.rows[0] = append(g.rows[0], Bar(sim.Baseline.CostUSD, peak, BarWidth))
	prev := sim.Baseline.CostUSD
	for i, l := range sim.Levers {
		g.rows[i+1] = append(g.rows[i+1], FloatingBar(prev, l.CumulativeCostUSD, peak, BarWidth))
		prev = l.CumulativeCostUSD
	}
	g.footer = append(g.footer, Bar(sim.Projected.CostUSD, peak, BarWidth))
	return g
}

func simulationGroupGrid(sim *simulate.Simulation) grid {
	g := grid{}
	g.header = append(append(g.header, sim.By...), "requests", "baseline", "projected", "savings")
	g.numeric = make([]bool, len(g.header))
	for i := len(sim.By); i < len(g.header); i++ {
		g.numeric[i] = true
	}
	for _, grp := range sim.Groups {
		row := make([]string, 0, len(g.header))
		for _, d := range sim.By {
			row = append(row, keyLabel(grp.Key[d]))
		}
		g.rows = append(g.rows, append(row, Count(grp.BaselineRequests), USD(grp.BaselineCostUSD),
			USD(grp.ProjectedCostUSD), deltaUSD(grp.SavingsUSD)))
	}
	return g
}

// deltaUSD writes a negative amount as -$1.23, not $-1.23.
func deltaUSD(v float64) string { return USD(v) }

func optionalPct(v *float64) string {
	if v == nil {
		return "n/a"
	}
	return Pct(*v)
}

func keyLabel(v any) string {
	s := fmt.Sprint(v)
	if s == "" {
		return "(none)"
	}
	return s
}

func outlookGrid(sim *simulate.Simulation) grid {
	return grid{
		header:  []string{"", "baseline", "projected"},
		numeric: []bool{false, true, true},
		rows: [][]string{
			{"per request", USD(sim.PerRequest.BaselineUSD), USD(sim.PerRequest.ProjectedUSD)},
			{fmt.Sprintf("30 days (from %.2f days)", sim.Monthly.WindowDays), USD(sim.Monthly.BaselineUSD), USD(sim.Monthly.ProjectedUSD)},
		},
	}
}

func backtestGrid(bt *simulate.Backtest) grid {
	g := grid{
		header:  []string{"backtest " + bt.TTL, "requests", "reads logged", "reads simulated", "writes logged", "writes simulated", "error tokens", "error", "error %"},
		numeric: []bool{false, true, true, true, true, true, true, true, true},
	}
	row := func(e simulate.BacktestEndpoint) []string {
		return []string{keyLabel(e.Endpoint), Count(e.Requests), Count(e.LoggedCacheReadTokens), Count(e.SimulatedCacheReadTokens),
			Count(e.LoggedCacheWriteTokens), Count(e.SimulatedCacheWriteTokens), Count(e.ErrorTokens), deltaUSD(e.ErrorUSD), optionalPct(e.ErrorPct)}
	}
	for _, e := range bt.Endpoints {
		g.rows = append(g.rows, row(e))
	}
	g.footer = row(bt.Total)
	return g
}

// waterfallCSV writes one row per step with full-precision numbers.
func waterfallCSV(w io.Writer, sim *simulate.Simulation) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"step", "cost_usd", "standalone_savings_usd", "cumulative_savings_usd"})
	_ = cw.Write([]string{"baseline", Exact(sim.Baseline.CostUSD), "0", "0"})
	for _, l := range sim.Levers {
		_ = cw.Write([]string{l.Name, Exact(l.CumulativeCostUSD), Exact(l.StandaloneSavingsUSD), Exact(l.CumulativeSavingsUSD)})
	}
	_ = cw.Write([]string{"projected", Exact(sim.Projected.CostUSD), "", Exact(sim.SavingsUSD)})
	cw.Flush()
	return cw.Error()
}

// SimulationNotes writes the assumptions and warnings a person must read
// beside the table. Programs read them from the JSON.
func SimulationNotes(w io.Writer, sim *simulate.Simulation) {
	if q := sim.Quality; q.Before != nil && q.After != nil {
		fmt.Fprintf(w, "quality: %s scored requests, %s before, %s after\n",
			Count(q.Scored), strconv.FormatFloat(*q.Before, 'f', 3, 64), strconv.FormatFloat(*q.After, 'f', 3, 64))
	}
	for _, a := range sim.Assumptions {
		fmt.Fprintf(w, "assumption: %s\n", a)
	}
	for _, warn := range sim.Warnings {
		fmt.Fprintf(w, "warning: %s\n", warn)
	}
}
