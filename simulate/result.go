package simulate

import (
	"github.com/costctl/costctl/analyze"
)

// SchemaVersion is the version of the simulation JSON document. It changes
// only when a change would break a reader of the document.
const SchemaVersion = 1

// Simulation is the result of `costctl simulate`; its JSON form is a public
// contract, described by testdata/schema/simulation.schema.json.
type Simulation struct {
	Kind              string            `json:"kind"`
	SchemaVersion     int               `json:"schema_version"`
	PriceTableVersion string            `json:"price_table_version"`
	GeneratedBy       string            `json:"generated_by"`
	Policy            PolicyDoc         `json:"policy"`
	Window            analyze.Window    `json:"window"`
	By                []string          `json:"by"`
	Baseline          analyze.Figures   `json:"baseline"`
	Projected         analyze.Figures   `json:"projected"`
	SavingsUSD        float64           `json:"savings_usd"`
	SavingsPct        float64           `json:"savings_pct"`
	Levers            []LeverResult     `json:"levers"`
	Groups            []GroupResult     `json:"groups"`
	Cells             []analyze.CellDoc `json:"cells"`
	PerRequest        Pair              `json:"per_request"`
	Monthly           Monthly           `json:"monthly"`
	Quality           QualityResult     `json:"quality"`
	Assumptions       []string          `json:"assumptions"`
	Warnings          []string          `json:"warnings"`
	Backtest          *Backtest         `json:"backtest,omitempty"`
}

// PolicyDoc echoes the policy a simulation ran, so a document says what
// it assumed.
type PolicyDoc struct {
	File   string   `json:"file"`
	Levers []string `json:"levers"`
	*Policy
}

// LeverResult is one step of the waterfall. Standalone savings apply the
// lever alone to the baseline; cumulative savings apply every lever up to
// and including this one, in pipeline order.
type LeverResult struct {
	Name                 string  `json:"name"`
	StandaloneSavingsUSD float64 `json:"standalone_savings_usd"`
	CumulativeSavingsUSD float64 `json:"cumulative_savings_usd"`
	CumulativeCostUSD    float64 `json:"cumulative_cost_usd"`
}

// GroupResult is the baseline and projected cost of one value of the --by
// dimensions. A routed request counts under its new model in the
// projection, so grouping by model moves cost between groups.
type GroupResult struct {
	Key               map[string]any `json:"key"`
	BaselineRequests  int64          `json:"baseline_requests"`
	ProjectedRequests int64          `json:"projected_requests"`
	BaselineCostUSD   float64        `json:"baseline_cost_usd"`
	ProjectedCostUSD  float64        `json:"projected_cost_usd"`
	SavingsUSD        float64        `json:"savings_usd"`
}

// Pair is a baseline and a projected dollar amount.
type Pair struct {
	BaselineUSD  float64 `json:"baseline_usd"`
	ProjectedUSD float64 `json:"projected_usd"`
}

// Monthly is the 30-day projection: window cost × 30 / window days.
type Monthly struct {
	BaselineUSD  float64 `json:"baseline_usd"`
	ProjectedUSD float64 `json:"projected_usd"`
	WindowDays   float64 `json:"window_days"`
}

// QualityResult is the request-weighted eval score before and after
// routing, over requests whose endpoint and both models have a score.
type QualityResult struct {
	Scored    int64             `json:"scored_requests"`
	Before    *float64          `json:"before"`
	After     *float64          `json:"after"`
	Endpoints []QualityEndpoint `json:"endpoints"`
}

// QualityEndpoint is the quality of one endpoint's scored requests.
type QualityEndpoint struct {
	Endpoint string   `json:"endpoint"`
	Requests int64    `json:"requests"`
	Before   float64  `json:"before"`
	After    float64  `json:"after"`
	Min      *float64 `json:"min"`
	BelowMin bool     `json:"below_min"`
}

// Backtest compares the caching the logs show with the caching the cache
// lever simulates on the same requests, per endpoint.
type Backtest struct {
	TTL       string             `json:"ttl"`
	Endpoints []BacktestEndpoint `json:"endpoints"`
	Total     BacktestEndpoint   `json:"total"`
}

// BacktestEndpoint holds prefix cache tokens as logged and as simulated.
// Logged prefix tokens are taken from the logged buckets as the cache
// lever takes them: P tokens from cache reads first, then cache writes,
// then, for models whose cache writes cost the input price, uncached input.
type BacktestEndpoint struct {
	Endpoint                  string   `json:"endpoint"`
	Requests                  int64    `json:"requests"`
	LoggedCacheReadTokens     int64    `json:"logged_cache_read_tokens"`
	SimulatedCacheReadTokens  int64    `json:"simulated_cache_read_tokens"`
	LoggedCacheWriteTokens    int64    `json:"logged_cache_write_tokens"`
	SimulatedCacheWriteTokens int64    `json:"simulated_cache_write_tokens"`
	ErrorTokens               int64    `json:"error_tokens"`
	ErrorUSD                  float64  `json:"error_usd"`
	ErrorPct                  *float64 `json:"error_pct"`
}
