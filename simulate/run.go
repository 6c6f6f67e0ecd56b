package simulate

import (
	"math/big"
	"sort"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

// Scanner streams requests in time order to fn, as store.Scan does.
type Scanner func(fn func(*analyze.Request) error) error

// Options are the inputs of a simulation besides the traffic and policy.
type Options struct {
	By           []string       // group and cell dimensions
	Since, Until time.Time      // the window; zero ends mean first and last request
	Loc          *time.Location // zone of day and hour labels; nil = UTC
	PolicyFile   string
	GeneratedBy  string
	Backtest     bool
}

// engine holds what every scenario shares: policy, prices and warnings.
type engine struct {
	policy   *Policy
	table    *pricing.Table
	units    map[unitKey]pricing.UnitPrices
	warnings map[string]bool
	warned   map[warningKey]bool
	short    map[shortPrefixKey]*shortPrefixes
	rules    map[string]*endpointRules
	ttl      time.Duration
	ttlClass pricing.Class
}

func newEngine(p *Policy, table *pricing.Table) *engine {
	e := &engine{policy: p, table: table, units: map[unitKey]pricing.UnitPrices{}, warnings: map[string]bool{}, warned: map[warningKey]bool{}, short: map[shortPrefixKey]*shortPrefixes{}, rules: map[string]*endpointRules{}}
	e.ttl, e.ttlClass = 5*time.Minute, pricing.CacheWrite5m
	if p.Cache != nil && p.Cache.TTL == "1h" {
		e.ttl, e.ttlClass = time.Hour, pricing.CacheWrite1h
	}
	return e
}

// runner is one pass over the traffic: the baseline, one scenario per
// cumulative step of the waterfall and one per lever alone.
type runner struct {
	e           *engine
	opts        Options
	levers      []string
	base        tally
	cumulative  []*scenario // cumulative[i] applies levers[0..i]
	standalone  []*scenario // standalone[i] applies levers[i] only
	alone       []*scenario // replayed on their own: standalone[1:], or the projection without levers
	projected   *scenario
	groups      map[string]*groupAcc
	cells       *cellSet
	quality     map[string]*qualityAcc
	backtest    *backtestAcc
	first, last time.Time
	endpoints   map[string]bool // every endpoint replayed, for unmatched policy names
	keyBuf      []byte          // group key being looked up
}

type groupAcc struct {
	key          []string
	baseN, projN int64
	base, proj   pricing.Money
}

// Run replays the traffic scan yields under policy p and prices baseline
// and projection with table. Memory grows with conversations, cache keys,
// groups and cells, not with the number of requests.
func Run(scan Scanner, p *Policy, table *pricing.Table, opts Options) (*Simulation, error) {
	if opts.Loc == nil {
		opts.Loc = time.UTC
	}
	r := newRunner(newEngine(p, table), p, opts)
	if err := scan(r.add); err != nil {
		return nil, err
	}
	return r.result()
}

func newRunner(e *engine, p *Policy, opts Options) *runner {
	r := &runner{
		e: e, opts: opts, levers: p.Levers(), groups: map[string]*groupAcc{},
		cells: newCellSet(opts.By, opts.Loc), quality: map[string]*qualityAcc{},
		endpoints: map[string]bool{},
	}
	var set leverSet
	for i, name := range r.levers {
		set |= leverBits[name]
		r.cumulative = append(r.cumulative, newScenario(set))
		alone := r.cumulative[0]
		if i > 0 {
			alone = newScenario(leverBits[name])
		}
		r.standalone = append(r.standalone, alone)
	}
	r.projected = newScenario(0)
	if n := len(r.cumulative); n > 0 {
		r.projected = r.cumulative[n-1]
	}
	r.alone = r.standalone[min(1, len(r.standalone)):]
	if len(r.levers) == 0 {
		r.alone = []*scenario{r.projected}
	}
	if opts.Backtest {
		r.backtest = newBacktestAcc()
	}
	return r
}

// add replays one request in every scenario.
func (r *runner) add(req *analyze.Request) error {
	if r.first.IsZero() {
		r.first = req.Time
	}
	r.last = req.Time
	r.endpoints[req.Endpoint] = true

	cost, priced, err := r.e.cost(req)
	if err != nil {
		return err
	}
	r.base.add(req, cost, priced, true)
	r.group(analyze.RequestKey(r.opts.By, req, r.opts.Loc)).addBase(cost)
	logged := billed{cost: cost, priced: priced}

	rules := r.e.rulesFor(req.Endpoint)
	if err := r.replayCumulative(req, rules, logged); err != nil {
		return err
	}
	for _, s := range r.alone {
		if !leverable(req) || rules.untouched(s.levers, req.Session) {
			r.record(s, req, req, logged, nil, billed{})
			continue
		}
		if err := r.replay(s, req, rules, logged); err != nil {
			return err
		}
	}
	if r.backtest != nil {
		return r.backtest.add(r.e, req)
	}
	return nil
}

// billed is the cost of one request or summariser call in one scenario.
type billed struct {
	cost   pricing.Money
	priced bool
}

// replayCumulative replays req through the waterfall. Scenario i applies
// levers 0..i, so it continues from what scenario i−1 billed and applies
// only lever i. Lever i keeps its state (cache entries, conversations) in
// scenario i alone: every later scenario would hold the same state,
// because each feeds lever i the same requests.
func (r *runner) replayCumulative(req *analyze.Request, rules *endpointRules, logged billed) error {
	w := &work{Request: *req, rules: rules}
	ok := leverable(req)
	bill := logged
	var summary *work
	var summaryBill billed
	for i, s := range r.cumulative {
		changed := false
		if ok {
			var err error
			var sum *work
			if changed, sum, err = r.e.applyStep(s, leverBits[r.levers[i]], w); err != nil {
				return err
			}
			if sum != nil {
				if summaryBill, err = r.e.bill(sum); err != nil {
					return err
				}
				summary = sum
			}
		}
		if changed {
			var err error
			if bill, err = r.e.bill(w); err != nil {
				return err
			}
		}
		r.record(s, req, &w.Request, bill, summary, summaryBill)
	}
	return nil
}

// replay bills req in a scenario of its own.
func (r *runner) replay(s *scenario, req *analyze.Request, rules *endpointRules, logged billed) error {
	w := &work{Request: *req, rules: rules}
	summary, err := r.e.apply(s, w)
	if err != nil {
		return err
	}
	bill := logged
	if w.changed {
		if bill, err = r.e.bill(w); err != nil {
			return err
		}
	}
	var summaryBill billed
	if summary != nil {
		if summaryBill, err = r.e.bill(summary); err != nil {
			return err
		}
	}
	r.record(s, req, &w.Request, bill, summary, summaryBill)
	return nil
}

// bill re-checks the band of a changed request and prices it.
func (e *engine) bill(w *work) (billed, error) {
	e.reband(w)
	cost, priced, err := e.cost(&w.Request)
	return billed{cost: cost, priced: priced}, err
}

// record adds req as scenario s replayed it (replayed, at cost b), and the
// summariser call that compression added, if any, to s, and to the
// projection's cells, groups and quality when s is the projection.
func (r *runner) record(s *scenario, req, replayed *analyze.Request, b billed, summary *work, sb billed) {
	s.total.add(replayed, b.cost, b.priced, true)
	if summary != nil {
		s.total.add(&summary.Request, sb.cost, sb.priced, false)
	}
	if s != r.projected {
		return
	}

	r.project(replayed, b.cost, true)
	r.noteQuality(req, replayed)
	if summary != nil {
		r.project(&summary.Request, sb.cost, false)
	}
}

// project adds one billed item to the projection's cells and groups.
func (r *runner) project(req *analyze.Request, cost pricing.Money, isRequest bool) {
	key := analyze.RequestKey(r.opts.By, req, r.opts.Loc)
	r.cells.add(key, req, isRequest)
	g := r.group(key)
	g.proj.Add(cost)
	if isRequest {
		g.projN++
	}
}

// group returns the accumulator of key, a request's values of the --by
// dimensions.
func (r *runner) group(key []string) *groupAcc {
	r.keyBuf = appendKey(r.keyBuf[:0], key)
	if g, ok := r.groups[string(r.keyBuf)]; ok {
		return g
	}
	g := &groupAcc{key: key}
	r.groups[string(r.keyBuf)] = g
	return g
}

// appendKey joins parts with a separator that does not occur in log values.
func appendKey(b []byte, parts []string) []byte {
	for i, p := range parts {
		if i > 0 {
			b = append(b, 0)
		}
		b = append(b, p...)
	}
	return b
}

func (g *groupAcc) addBase(cost pricing.Money) {
	g.baseN++
	g.base.Add(cost)
}

// result builds the document once every request has been replayed.
func (r *runner) result() (*Simulation, error) {
	cells, err := r.cells.docs(r.e)
	if err != nil {
		return nil, err
	}
	sim := &Simulation{
		Kind: "simulation", SchemaVersion: SchemaVersion, PriceTableVersion: r.e.table.Version(),
		GeneratedBy: r.opts.GeneratedBy,
		Policy:      PolicyDoc{File: r.opts.PolicyFile, Levers: nonNil(r.levers), Policy: r.e.policy},
		Window:      r.window(), By: nonNil(r.opts.By),
		Baseline: r.base.figures(), Projected: r.projected.total.figures(),
		Levers: r.leverResults(), Groups: r.groupResults(), Cells: cells,
		Quality: r.qualityResult(), Assumptions: r.assumptions(),
	}
	sim.SavingsUSD = savings(r.base.cost, r.projected.total.cost)
	if sim.Baseline.CostUSD > 0 {
		sim.SavingsPct = 100 * sim.SavingsUSD / sim.Baseline.CostUSD
	}
	sim.PerRequest = r.perRequest()
	sim.Monthly = r.monthly()
	if r.backtest != nil {
		sim.Backtest = r.backtest.result(r.e.policy)
	}
	sim.Warnings = append(r.warnings(), unmatchedWarnings(r.e.policy, r.endpoints)...)
	return sim, nil
}

func savings(base, proj pricing.Money) float64 {
	d := base
	d.Sub(proj)
	return d.USD()
}

func (r *runner) leverResults() []LeverResult {
	out := []LeverResult{}
	for i, name := range r.levers {
		l := LeverResult{
			Name:                 name,
			StandaloneSavingsUSD: savings(r.base.cost, r.standalone[i].total.cost),
			CumulativeSavingsUSD: savings(r.base.cost, r.cumulative[i].total.cost),
			CumulativeCostUSD:    r.cumulative[i].total.cost.USD(),
		}
		r.warnIfCostlier(l)
		out = append(out, l)
	}
	return out
}

// warnIfCostlier warns when a lever on its own raises the bill.
func (r *runner) warnIfCostlier(l LeverResult) {
	if l.StandaloneSavingsUSD >= 0 {
		return
	}
	hint := ""
	if l.Name == LeverCompress {
		hint = ": the history it removes was mostly billed as cheap cache reads, while the summaries are billed as uncached input and summariser calls"
	}
	r.e.warnf("%s: on its own this lever raises the cost by $%.6f%s", l.Name, -l.StandaloneSavingsUSD, hint)
}

// groupResults orders groups by baseline cost, highest first, then by key.
func (r *runner) groupResults() []GroupResult {
	accs := make([]*groupAcc, 0, len(r.groups))
	for _, g := range r.groups {
		accs = append(accs, g)
	}
	sort.Slice(accs, func(i, j int) bool {
		if c := accs[i].base.Big().Cmp(accs[j].base.Big()); c != 0 {
			return c > 0
		}
		return analyze.CompareKeys(r.opts.By, accs[i].key, accs[j].key) < 0
	})

	out := make([]GroupResult, 0, len(accs))
	for _, g := range accs {
		out = append(out, GroupResult{
			Key: analyze.KeyObject(r.opts.By, g.key), BaselineRequests: g.baseN, ProjectedRequests: g.projN,
			BaselineCostUSD: g.base.USD(), ProjectedCostUSD: g.proj.USD(), SavingsUSD: savings(g.base, g.proj),
		})
	}
	return out
}

// perRequest divides by the priced requests as logged; summariser calls
// are not requests.
func (r *runner) perRequest() Pair {
	if r.base.priced == 0 {
		return Pair{}
	}
	n := float64(r.base.priced)
	return Pair{BaselineUSD: r.base.cost.USD() / n, ProjectedUSD: r.projected.total.cost.USD() / n}
}

// monthly scales window cost to 30 days exactly: cost × 30 days / window.
func (r *runner) monthly() Monthly {
	since, until := r.opts.Since, r.opts.Until
	if since.IsZero() {
		since = r.first
	}
	if until.IsZero() {
		until = r.last
	}
	span := until.Sub(since)
	if span <= 0 {
		r.e.warnf("the window is shorter than a millisecond, so there is no 30-day projection")
		return Monthly{}
	}

	scale := big.NewRat(30*24*int64(time.Hour/time.Millisecond), span.Milliseconds())
	project := func(m pricing.Money) float64 {
		v := new(big.Rat).SetFrac(m.Big(), big.NewInt(pricing.PicoPerUSD))
		f, _ := v.Mul(v, scale).Float64()
		return f
	}
	days := float64(span.Milliseconds()) / float64(24*time.Hour/time.Millisecond)
	return Monthly{BaselineUSD: project(r.base.cost), ProjectedUSD: project(r.projected.total.cost), WindowDays: days}
}

func (r *runner) window() analyze.Window {
	w := analyze.Window{TZ: r.opts.Loc.String()}
	if !r.opts.Since.IsZero() {
		t := r.opts.Since.In(r.opts.Loc)
		w.Since = &t
	}
	if !r.opts.Until.IsZero() {
		t := r.opts.Until.In(r.opts.Loc)
		w.Until = &t
	}
	return w
}

func (r *runner) assumptions() []string {
	out := []string{
		"token counts a lever scales are rounded half away from zero per request",
		"the baseline is the logged traffic re-priced with the same price table as the projection",
		"the 30-day projection is window cost × 30 / window length in days; without --since/--until the window runs from the first to the last request",
		"unpriced requests and requests without usage pass through every lever unchanged",
	}
	p := r.e.policy
	if len(p.Route) > 0 {
		out = append(out, "a routed request starts with the new model's own cache: its logged cache reads are billed as cache writes (1-hour when it logs 1-hour writes, else 5-minute) unless a routed request with the same prefix hash, else session, else endpoint used that model's cache within the TTL (1 hour or 5 minutes); when its input is below the new model's minimum cacheable length, its cache tokens are billed as uncached input")
	}
	if p.Compress != nil {
		out = append(out, "compression follows each (endpoint, session) in time order; removed history comes out of cache reads, then cache writes, then uncached input; the summary is billed as uncached input; summariser calls count in cost, not in requests")
	}
	if p.Cache != nil {
		out = append(out, "a cache entry is readable after the writing request's time to first token: logged ttft_ms, else 2 seconds",
			"the cached prefix is logged prefix_tokens when present, else the policy's prefix_tokens; it is taken out of cache reads, then writes, then input")
	}
	if p.Batch != nil {
		out = append(out, "batch requests may take up to 24 hours to complete")
	}
	return out
}

func (r *runner) warnings() []string {
	r.e.warnShortPrefixes()
	out := make([]string, 0, len(r.e.warnings))
	for w := range r.e.warnings {
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
