package billing

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

// accumulator sums bill lines and logged cells into rows.
type accumulator struct {
	table *pricing.Table
	opts  Options
	rows  map[string]*rowAcc
	// costUsable records per provider whether its cost lines are grouped
	// finely enough for opts.By (see useCostLines).
	costUsable   map[string]bool
	loggedModels map[string]bool
	warnings     map[string]bool
	// billed contains the providers with bill lines in the window. Logged
	// cells of other providers go to leftOut instead of to a row.
	billed  map[string]bool
	leftOut map[string]*leftOutTraffic
}

// rowAcc holds one row's sums. Money is exact; tokens are int64.
type rowAcc struct {
	key   []string
	sides map[string]*billSide // by provider

	billUsage    pricing.Usage
	billClass    [pricing.NumClasses]pricing.Money // bill tokens priced, per class
	billByModel  map[string]pricing.Money          // bill tokens priced, per model key
	billTier     map[string]*tierAcc
	codeExec     pricing.Money
	loggedUsage  pricing.Usage
	loggedCost   pricing.Money
	loggedTier   map[string]int64
	loggedPriced bool // some logged tokens could be priced
	causes       []Cause
}

// billSide is one provider's part of a row's bill.
type billSide struct {
	priced  pricing.Money // usage tokens and web search calls priced by the table
	amount  pricing.Money // cost lines other than code execution
	hasCost bool
}

type tierAcc struct {
	tokens int64
	cost   pricing.Money
}

func newAccumulator(table *pricing.Table, opts Options) *accumulator {
	return &accumulator{
		table: table, opts: opts, rows: map[string]*rowAcc{},
		costUsable: map[string]bool{}, loggedModels: map[string]bool{}, warnings: map[string]bool{},
		billed: map[string]bool{}, leftOut: map[string]*leftOutTraffic{},
	}
}

func (a *accumulator) row(values map[string]string) *rowAcc {
	key := make([]string, len(a.opts.By))
	for i, d := range a.opts.By {
		key[i] = values[d]
	}
	id := strings.Join(key, "\x00")
	r, ok := a.rows[id]
	if !ok {
		r = &rowAcc{
			key: key, sides: map[string]*billSide{}, billByModel: map[string]pricing.Money{},
			billTier: map[string]*tierAcc{}, loggedTier: map[string]int64{},
		}
		a.rows[id] = r
	}
	return r
}

func (r *rowAcc) side(provider string) *billSide {
	s, ok := r.sides[provider]
	if !ok {
		s = &billSide{}
		r.sides[provider] = s
	}
	return s
}

// lineValues returns a bill line's value of every dimension.
func (a *accumulator) lineValues(l *Line, model string) map[string]string {
	return map[string]string{
		DimDay: l.Start.In(a.opts.Loc).Format(time.DateOnly), DimModel: model,
		DimWorkspace: l.Workspace, DimProject: l.Project, DimAPIKey: l.APIKey,
	}
}

// resolve returns the model key of a bill line (the price-table id, else the
// name as billed) and its price row when the table contains the model.
func (a *accumulator) resolve(l *Line) (string, *pricing.Row) {
	m, ok := a.table.Resolve(l.Provider, l.Model, l.Start)
	if !ok {
		return l.Model, nil
	}
	return m.Model.ID, m.Row
}

func (a *accumulator) addLine(l *Line) {
	model, row := a.resolve(l)
	if l.Kind == KindCost {
		a.addCostLine(l, model)
		return
	}

	if l.Model == "" && slices.Contains(a.opts.By, DimModel) {
		a.warn(fmt.Sprintf("the %s usage export is not grouped by model: its tokens form a row without a model; download it grouped by model to compare models", l.Provider))
	}
	r := a.row(a.lineValues(l, model))
	r.billUsage.Add(l.Usage)
	side := r.side(l.Provider)
	if row == nil {
		a.warn(fmt.Sprintf("model %q on the %s bill is not in the price table: its tokens are counted but not priced", l.Model, l.Provider))
		return
	}
	units, err := a.table.UnitPrices(row.ID, contextBand(l.ContextWindow, row), pricing.Modifiers{ServiceTier: l.ServiceTier, InferenceGeo: l.InferenceGeo})
	if err != nil {
		a.warn(fmt.Sprintf("price %s: %v", l.Model, err))
		return
	}

	var cost pricing.Money
	for c := pricing.Class(0); c < pricing.NumClasses; c++ {
		var m pricing.Money
		m.AddTokens(l.Usage.Tokens[c], units.PerToken[c])
		r.billClass[c].Add(m)
		cost.Add(m)
	}
	cost.AddTokens(l.Usage.WebSearches, units.WebSearch)
	side.priced.Add(cost)
	byModel := r.billByModel[model]
	byModel.Add(cost)
	r.billByModel[model] = byModel
	r.addTier(l.ServiceTier, l.Usage.Total(), cost)
}

// contextBand maps Anthropic's context_window group to a long-context band:
// "200k-1M" is the row's first band when it has one.
func contextBand(window string, row *pricing.Row) int {
	if strings.HasPrefix(window, "200k") && len(row.Bands) > 0 {
		return 1
	}
	return 0
}

func (r *rowAcc) addTier(tier string, tokens int64, cost pricing.Money) {
	tier = normalTier(tier)
	t, ok := r.billTier[tier]
	if !ok {
		t = &tierAcc{}
		r.billTier[tier] = t
	}
	t.tokens += tokens
	t.cost.Add(cost)
}

// normalTier maps the tier names that mean the base price to "standard".
func normalTier(tier string) string {
	switch t := strings.ToLower(tier); t {
	case "", "default", "auto", "standard", "standard_only":
		return "standard"
	default:
		return t
	}
}

func (a *accumulator) addCostLine(l *Line, model string) {
	if !a.costUsable[l.Provider] {
		return
	}
	if l.Currency != "" && l.Currency != "usd" {
		a.warn(fmt.Sprintf("a %s cost line is in %s, not USD: it is left out", l.Provider, l.Currency))
		return
	}
	r := a.row(a.lineValues(l, model))
	side := r.side(l.Provider)
	side.hasCost = true
	if l.CostType == "code_execution" {
		r.codeExec.AddPico(l.Amount)
		return
	}
	side.amount.AddPico(l.Amount)
}

// useCostLines decides per provider whether its cost lines can be used.
// They can unless a --by dimension has values on the usage lines but not
// on some cost line: such a line would form a row of its own while the
// same spend is also counted from the usage lines' tokens. The bill's
// tokens priced by the table stand in for the cost report then.
func (a *accumulator) useCostLines(lines []Line) {
	usageHas := map[string]bool{}
	costLacks := map[string]bool{}
	for i := range lines {
		l := &lines[i]
		if l.Kind == KindCost {
			a.costUsable[l.Provider] = true
		}
		for _, d := range a.opts.By {
			if d == DimDay {
				continue
			}
			v := a.lineValues(l, l.Model)[d]
			if l.Kind == KindUsage && v != "" {
				usageHas[l.Provider+"/"+d] = true
			}
			if l.Kind == KindCost && v == "" && groupedBy(l, d) {
				costLacks[l.Provider+"/"+d] = true
			}
		}
	}
	for k := range costLacks {
		provider, dim, _ := strings.Cut(k, "/")
		if usageHas[k] && a.costUsable[provider] {
			a.costUsable[provider] = false
			a.warn(fmt.Sprintf("the %s cost export is not grouped by %s: its rows show the bill's tokens priced by the price table instead", provider, dim))
		}
	}
}

// groupedBy reports whether an empty value of dim on cost line l means the
// export was not grouped by dim. Anthropic web search and code execution
// lines and OpenAI lines with a line item of no model never name a model.
func groupedBy(l *Line, dim string) bool {
	if dim != DimModel {
		return true
	}
	if l.Provider == "anthropic" {
		return l.CostType != "web_search" && l.CostType != "code_execution"
	}
	return l.LineItem == ""
}

func (a *accumulator) addCell(c *analyze.Cell) error {
	if provider := a.cellProvider(c); !a.billed[provider] {
		return a.leaveOut(provider, c)
	}

	dims := QueryDims(a.opts.By)
	values := map[string]string{}
	for i, d := range dims {
		values[d] = c.Key[i]
	}
	model := c.ModelID
	if model == "" {
		model = c.Model
	}
	values[DimModel] = model

	r := a.row(values)
	r.loggedUsage.Add(c.Usage)
	r.loggedTier[normalTier(c.ServiceTier)] += c.Usage.Total()
	if c.Usage.Total() > 0 {
		a.loggedModels[model] = true
	}
	return a.priceCell(c, r)
}

func (a *accumulator) priceCell(c *analyze.Cell, r *rowAcc) error {
	cost, problem, err := a.cellCost(c)
	if err != nil {
		return err
	}
	if problem != "" {
		a.warn(problem)
		return nil
	}
	r.loggedCost.Add(cost)
	r.loggedPriced = true
	return nil
}

// cellCost prices a logged cell with its stored price row. A cell that
// cannot be priced costs nothing, and problem is the warning that explains
// why.
func (a *accumulator) cellCost(c *analyze.Cell) (cost pricing.Money, problem string, err error) {
	if c.PriceRowID == "" {
		return cost, fmt.Sprintf("logged model %q is not in the price table: its requests add tokens but no cost", c.Model), nil
	}
	if _, ok := a.table.Row(c.PriceRowID); !ok {
		return cost, fmt.Sprintf("price row %s is not in the active price table: its requests add no cost (run costctl reprice)", c.PriceRowID), nil
	}
	units, err := a.table.UnitPrices(c.PriceRowID, c.ContextBand, pricing.Modifiers{ServiceTier: c.ServiceTier, InferenceGeo: c.InferenceGeo, Speed: c.Speed})
	if err != nil {
		return cost, "", fmt.Errorf("price row %s: %w", c.PriceRowID, err)
	}

	for cl := pricing.Class(0); cl < pricing.NumClasses; cl++ {
		cost.AddTokens(c.Usage.Tokens[cl], units.PerToken[cl])
	}
	cost.AddTokens(c.Usage.WebSearches, units.WebSearch)
	return cost, "", nil
}

func (a *accumulator) warn(msg string) { a.warnings[msg] = true }

func (a *accumulator) warningList() []string {
	out := make([]string, 0, len(a.warnings))
	for w := range a.warnings {
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}

// billCost is the row's bill: per provider, the cost export's amounts when
// it has cost lines in this row, else the bill's tokens priced by the table.
func (r *rowAcc) billCost() pricing.Money {
	var m pricing.Money
	for _, s := range r.sides {
		if s.hasCost {
			m.Add(s.amount)
		} else {
			m.Add(s.priced)
		}
	}
	m.Add(r.codeExec)
	return m
}

func (r *rowAcc) costSource() string {
	var cost, priced int
	for _, s := range r.sides {
		if s.hasCost {
			cost++
		} else {
			priced++
		}
	}
	switch {
	case cost > 0 && priced > 0:
		return "mixed"
	case cost > 0:
		return "cost_report"
	default:
		return "priced"
	}
}

func (r *rowAcc) document(by []string) Row {
	bill := r.billCost()
	key := make(map[string]any, len(by))
	for i, d := range by {
		key[d] = r.key[i]
	}
	return Row{
		Key: key, BillTokens: r.billUsage.Total(), LoggedTokens: r.loggedUsage.Total(),
		BillCostUSD: bill.USD(), LoggedCostUSD: r.loggedCost.USD(),
		DifferenceUSD: difference(bill, r.loggedCost).USD(), CoveragePct: coverage(r.loggedCost, bill),
		BillCostSource: r.costSource(), Causes: r.causes,
	}
}
