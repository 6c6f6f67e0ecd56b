package render

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/simulate"
)

// waterfallSim steps $10 down to $4 with a lever that raises the cost on
// the way, so the floating bars cover a drop, a rise and a big drop.
func waterfallSim() *simulate.Simulation {
	return &simulate.Simulation{
		Baseline:   analyze.Figures{CostUSD: 10},
		Projected:  analyze.Figures{CostUSD: 4},
		SavingsUSD: 6, SavingsPct: 60,
		Levers: []simulate.LeverResult{
			{Name: "route", CumulativeCostUSD: 8, StandaloneSavingsUSD: 2, CumulativeSavingsUSD: 2},
			{Name: "compress", CumulativeCostUSD: 8.5, StandaloneSavingsUSD: -0.5, CumulativeSavingsUSD: 1.5},
			{Name: "batch", CumulativeCostUSD: 4, StandaloneSavingsUSD: 4.25, CumulativeSavingsUSD: 6},
		},
	}
}

func TestWaterfallBarsGolden(t *testing.T) {
	for _, c := range []struct {
		name     string
		terminal bool
	}{{"tty", true}, {"pipe", false}} {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := writeTable(&b, waterfallFor(c.terminal)); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", "waterfall_"+c.name+".golden"), b.Bytes())
		})
	}
}

// waterfallFor is the waterfall grid as SimulationOnTerminal builds it.
func waterfallFor(terminal bool) grid {
	sim := waterfallSim()
	g := waterfallGrid(sim)
	if terminal {
		g = withWaterfallBars(g, sim)
	}
	return g
}
