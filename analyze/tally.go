package analyze

import "github.com/costctl/costctl/pricing"

// tally accumulates requests, tokens and exact money for one group. cost
// is the effective cost, after negotiated discounts; list is the cost at
// list prices. They are equal when no discount applies.
type tally struct {
	requests int64
	unpriced int64
	noUsage  int64
	usage    pricing.Usage
	cost     pricing.Money
	list     pricing.Money
}

func (t *tally) add(o *tally) {
	t.requests += o.requests
	t.unpriced += o.unpriced
	t.noUsage += o.noUsage
	t.usage.Add(o.usage)
	t.cost.Add(o.cost)
	t.list.Add(o.list)
}

// figures turns the tally into the public document form. Cost per request
// is over priced requests only, so unknown models do not dilute it.
func (t *tally) figures() Figures {
	tok := t.usage.Tokens
	f := Figures{
		Requests:            t.requests,
		InputTokens:         tok[pricing.Input],
		CacheReadTokens:     tok[pricing.CacheRead],
		CacheWrite5mTokens:  tok[pricing.CacheWrite5m],
		CacheWrite1hTokens:  tok[pricing.CacheWrite1h],
		CacheWriteTokens:    tok[pricing.CacheWrite5m] + tok[pricing.CacheWrite1h],
		OutputTokens:        tok[pricing.Output],
		ReasoningTokens:     t.usage.Reasoning,
		AudioInTokens:       tok[pricing.AudioIn],
		AudioOutTokens:      tok[pricing.AudioOut],
		ImageInTokens:       tok[pricing.ImageIn],
		WebSearches:         t.usage.WebSearches,
		CostUSD:             t.cost.USD(),
		UnpricedRequests:    t.unpriced,
		UnknownCostRequests: t.noUsage,
	}
	f.ListCostUSD, f.EffectiveCostUSD = t.list.USD(), f.CostUSD

	if prompt := t.usage.PromptTokens(); prompt > 0 {
		f.CacheHitRatio = float64(tok[pricing.CacheRead]) / float64(prompt)
	}
	if priced := t.requests - t.unpriced - t.noUsage; priced > 0 {
		f.CostPerRequestUSD = t.cost.USD() / float64(priced)
	}
	return f
}

// Figures are the totals of a report, of each group, and of each simulated
// scenario. JSON names are the public contract.
type Figures struct {
	Requests            int64    `json:"requests"`
	InputTokens         int64    `json:"input_tokens"`
	CacheReadTokens     int64    `json:"cache_read_tokens"`
	CacheWriteTokens    int64    `json:"cache_write_tokens"`
	CacheWrite5mTokens  int64    `json:"cache_write_5m_tokens"`
	CacheWrite1hTokens  int64    `json:"cache_write_1h_tokens"`
	OutputTokens        int64    `json:"output_tokens"`
	ReasoningTokens     int64    `json:"reasoning_tokens"`
	AudioInTokens       int64    `json:"audio_in_tokens"`
	AudioOutTokens      int64    `json:"audio_out_tokens"`
	ImageInTokens       int64    `json:"image_in_tokens"`
	WebSearches         int64    `json:"web_searches"`
	CostUSD             float64  `json:"cost_usd"`
	ListCostUSD         float64  `json:"list_cost_usd"`
	EffectiveCostUSD    float64  `json:"effective_cost_usd"`
	UnpricedRequests    int64    `json:"unpriced_requests"`
	UnknownCostRequests int64    `json:"unknown_cost_requests"`
	CacheHitRatio       float64  `json:"cache_hit_ratio"`
	CostPerRequestUSD   float64  `json:"cost_per_request_usd"`
	SharePct            *float64 `json:"share_pct,omitempty"`

	// CreditsUSD and NetCostUSD are set only in a report's totals, and only
	// when credits fall in its window: their sum, and EffectiveCostUSD less
	// it, which is negative when the credits exceed the cost.
	CreditsUSD *float64 `json:"credits_usd,omitempty"`
	NetCostUSD *float64 `json:"net_cost_usd,omitempty"`
}
