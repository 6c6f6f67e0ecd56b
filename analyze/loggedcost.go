package analyze

import (
	"sort"
	"strings"
	"time"

	"github.com/costctl/costctl/pricing"
)

// LoggedCostComparison holds the cost that sources logged themselves (a
// proxy's spend, an observability tool's calculated cost) beside costctl's
// price of the same requests, so a wrong price on either side shows.
// Only requests that carry a logged cost and that costctl priced count.
type LoggedCostComparison struct {
	Totals LoggedCostFigures   `json:"totals"`
	Groups []LoggedCostFigures `json:"groups"`
}

// LoggedCostFigures compares one group; Key is empty in the totals.
type LoggedCostFigures struct {
	Key           map[string]any `json:"key,omitempty"`
	Requests      int64          `json:"requests"`
	LoggedCostUSD float64        `json:"logged_cost_usd"`
	CostUSD       float64        `json:"cost_usd"`
	DifferenceUSD float64        `json:"difference_usd"` // cost_usd − logged_cost_usd
	DifferencePct *float64       `json:"difference_pct"` // of the logged cost; null when it is 0
}

// LoggedCostBuilder accumulates the comparison one request at a time, so
// memory grows with groups, not requests.
type LoggedCostBuilder struct {
	table  *pricing.Table
	by     []string
	loc    *time.Location
	groups map[string]*loggedAcc
	total  loggedAcc
}

type loggedAcc struct {
	key      []string
	requests int64
	logged   pricing.Money
	cost     pricing.Money
}

// NewLoggedCostBuilder compares by the --by dimensions in loc.
func NewLoggedCostBuilder(table *pricing.Table, by []string, loc *time.Location) *LoggedCostBuilder {
	return &LoggedCostBuilder{table: table, by: by, loc: loc, groups: map[string]*loggedAcc{}}
}

// Add counts r when it has a logged cost and a price row.
func (b *LoggedCostBuilder) Add(r *Request) error {
	if !r.HasLoggedCost || r.PriceRowID == "" {
		return nil
	}
	mods := pricing.Modifiers{ServiceTier: r.ServiceTier, InferenceGeo: r.InferenceGeo, Speed: r.Speed}
	cost, err := b.table.Cost(r.PriceRowID, r.ContextBand, mods, r.Usage)
	if err != nil {
		return nil // a row the active table lacks: the report warns about it
	}

	key := RequestKey(b.by, r, b.loc)
	id := strings.Join(key, "\x00")
	g, ok := b.groups[id]
	if !ok {
		g = &loggedAcc{key: key}
		b.groups[id] = g
	}
	logged := pricing.FromUSD(r.LoggedCostUSD)
	for _, acc := range []*loggedAcc{g, &b.total} {
		acc.requests++
		acc.logged.Add(logged)
		acc.cost.Add(cost)
	}
	return nil
}

// Result orders groups by the size of their difference, largest first.
func (b *LoggedCostBuilder) Result() *LoggedCostComparison {
	accs := make([]*loggedAcc, 0, len(b.groups))
	for _, g := range b.groups {
		accs = append(accs, g)
	}
	sort.Slice(accs, func(i, j int) bool {
		di, dj := abs(accs[i].difference()), abs(accs[j].difference())
		if di != dj {
			return di > dj
		}
		return CompareKeys(b.by, accs[i].key, accs[j].key) < 0
	})

	out := &LoggedCostComparison{Totals: b.total.figures(nil, nil), Groups: make([]LoggedCostFigures, 0, len(accs))}
	for _, g := range accs {
		out.Groups = append(out.Groups, g.figures(b.by, g.key))
	}
	return out
}

func (a *loggedAcc) difference() float64 {
	diff := a.cost
	diff.Sub(a.logged)
	return diff.USD()
}

func (a *loggedAcc) figures(by, key []string) LoggedCostFigures {
	f := LoggedCostFigures{
		Requests: a.requests, LoggedCostUSD: a.logged.USD(), CostUSD: a.cost.USD(), DifferenceUSD: a.difference(),
	}
	if by != nil {
		f.Key = KeyObject(by, key)
	}
	if f.LoggedCostUSD != 0 {
		pct := 100 * f.DifferenceUSD / f.LoggedCostUSD
		f.DifferencePct = &pct
	}
	return f
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
