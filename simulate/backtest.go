package simulate

import (
	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

// backtestAcc replays the cache lever on the logged traffic, without any
// other lever, and keeps logged and simulated prefix cache tokens and
// their cost per endpoint.
type backtestAcc struct {
	state     *scenario
	endpoints map[string]*backtestSums
}

type backtestSums struct {
	row                 BacktestEndpoint
	loggedCost, simCost pricing.Money
}

func newBacktestAcc() *backtestAcc {
	return &backtestAcc{state: newScenario(useCache), endpoints: map[string]*backtestSums{}}
}

func (b *backtestAcc) add(e *engine, req *analyze.Request) error {
	w := &work{Request: *req}
	if !leverable(&w.Request) {
		return nil
	}
	p, key := e.cachePrefix(w)
	if p <= 0 || !e.cacheable(w, p) {
		return nil
	}
	if err := refuseSampled(w, "backtest of the cache"); err != nil {
		return err
	}
	units, ok, err := e.unitPrices(&w.Request)
	if err != nil || !ok {
		return err
	}

	s := b.sums(w.Endpoint)
	s.row.Requests++
	loggedRead := min(p, w.Tokens[pricing.CacheRead])
	loggedWrite5m := min(p-loggedRead, w.Tokens[pricing.CacheWrite5m])
	loggedWrite1h := min(p-loggedRead-loggedWrite5m, w.Tokens[pricing.CacheWrite1h])
	loggedInput := int64(0)
	if units.PerToken[pricing.CacheWrite5m] == units.PerToken[pricing.Input] {
		// Writes are free (OpenAI): a prefix sent uncached is the write.
		loggedInput = min(p-loggedRead-loggedWrite5m-loggedWrite1h, w.Tokens[pricing.Input])
	}
	s.row.LoggedCacheReadTokens += loggedRead
	s.row.LoggedCacheWriteTokens += loggedWrite5m + loggedWrite1h + loggedInput
	s.loggedCost.AddTokens(loggedRead, units.PerToken[pricing.CacheRead])
	s.loggedCost.AddTokens(loggedWrite5m, units.PerToken[pricing.CacheWrite5m])
	s.loggedCost.AddTokens(loggedWrite1h, units.PerToken[pricing.CacheWrite1h])
	s.loggedCost.AddTokens(loggedInput, units.PerToken[pricing.Input])

	if b.state.lookupCache(key, w, e.ttl) {
		s.row.SimulatedCacheReadTokens += p
		s.simCost.AddTokens(p, units.PerToken[pricing.CacheRead])
	} else {
		s.row.SimulatedCacheWriteTokens += p
		s.simCost.AddTokens(p, units.PerToken[e.ttlClass])
	}
	return nil
}

func (b *backtestAcc) sums(endpoint string) *backtestSums {
	s, ok := b.endpoints[endpoint]
	if !ok {
		s = &backtestSums{row: BacktestEndpoint{Endpoint: endpoint}}
		b.endpoints[endpoint] = s
	}
	return s
}

// result fills the error columns: tokens are |Δ reads| + |Δ writes|,
// dollars are simulated minus logged prefix cache cost, and the percentage
// is that difference over the logged cost (null when the logs show none).
func (b *backtestAcc) result(p *Policy) *Backtest {
	ttl := "5m"
	if p.Cache != nil {
		ttl = p.Cache.TTL
	}
	bt := &Backtest{TTL: ttl, Endpoints: []BacktestEndpoint{}}
	total := &backtestSums{row: BacktestEndpoint{Endpoint: "total"}}
	var errorTokens int64
	for _, ep := range sortedKeys(b.endpoints) {
		s := b.endpoints[ep]
		row := s.finish()
		bt.Endpoints = append(bt.Endpoints, row)
		errorTokens += row.ErrorTokens
		total.merge(s)
	}
	// Errors of opposite sign on two endpoints must not cancel out.
	bt.Total = total.finish()
	bt.Total.ErrorTokens = errorTokens
	return bt
}

func (s *backtestSums) merge(o *backtestSums) {
	s.row.Requests += o.row.Requests
	s.row.LoggedCacheReadTokens += o.row.LoggedCacheReadTokens
	s.row.SimulatedCacheReadTokens += o.row.SimulatedCacheReadTokens
	s.row.LoggedCacheWriteTokens += o.row.LoggedCacheWriteTokens
	s.row.SimulatedCacheWriteTokens += o.row.SimulatedCacheWriteTokens
	s.loggedCost.Add(o.loggedCost)
	s.simCost.Add(o.simCost)
}

func (s *backtestSums) finish() BacktestEndpoint {
	r := s.row
	r.ErrorTokens = abs(r.SimulatedCacheReadTokens-r.LoggedCacheReadTokens) + abs(r.SimulatedCacheWriteTokens-r.LoggedCacheWriteTokens)
	diff := s.simCost
	diff.Sub(s.loggedCost)
	r.ErrorUSD = diff.USD()
	if logged := s.loggedCost.USD(); logged > 0 {
		pct := 100 * abs(r.ErrorUSD) / logged
		r.ErrorPct = &pct
	}
	return r
}

func abs[T int64 | float64](v T) T {
	if v < 0 {
		return -v
	}
	return v
}
