package analyze

import (
	"fmt"
	"sort"
	"time"

	"github.com/costctl/costctl/pricing"
)

// Budget statuses, from best to worst; the same words check uses.
const (
	BudgetPass = "pass"
	BudgetWarn = "warn"
	BudgetFail = "fail"
)

// Budget scopes: the whole spend, or one endpoint or customer.
const (
	ScopeTotal    = "total"
	ScopeEndpoint = DimEndpoint
	ScopeCustomer = DimCustomer
)

// BudgetLevel is a monthly budget's warn and fail amounts in USD; nil
// leaves a level unset. An amount strictly above a level breaches it.
type BudgetLevel struct {
	Warn *float64
	Fail *float64
}

// MonthlyBudgets is the config's budgets.monthly section: a budget for the
// total spend and for single endpoints or customers.
type MonthlyBudgets struct {
	Total    BudgetLevel
	Endpoint map[string]BudgetLevel
	Customer map[string]BudgetLevel
}

// MonthToDateSpend is the month-to-date spend and forecast of the total
// and per endpoint and customer value (see MonthToDateBy).
type MonthToDateSpend struct {
	Total    MonthToDate
	Endpoint map[string]MonthToDate
	Customer map[string]MonthToDate
}

// BudgetResult is one budget held against the spend so far and the
// forecast. Status is the worse of the two: a month that will end over
// budget warns or fails before it gets there.
type BudgetResult struct {
	Scope       string   `json:"scope"`
	Name        string   `json:"name"` // the endpoint or customer; "" for the total
	WarnUSD     *float64 `json:"warn_usd"`
	FailUSD     *float64 `json:"fail_usd"`
	SpentUSD    float64  `json:"spent_usd"`
	ForecastUSD float64  `json:"forecast_usd"`
	Status      string   `json:"status"`
	Message     string   `json:"message"`
}

// MonthToDateBy forecasts the month of asOf for every value of dim ("" for
// none, which gives the total under the key ""). The cells must be queried
// by [day] or [day, dim] over [history, asOf) of MonthToDateWindow, in loc.
func MonthToDateBy(cells []Cell, table *pricing.Table, dim string, asOf time.Time, loc *time.Location) (map[string]MonthToDate, error) {
	daily, err := DailyCosts(cells, table, dim)
	if err != nil {
		return nil, err
	}
	out := map[string]MonthToDate{}
	for value, days := range daily {
		out[value] = ForecastMonth(days, asOf, loc)
	}
	if _, ok := out[""]; !ok && dim == "" {
		out[""] = ForecastMonth(nil, asOf, loc)
	}
	return out, nil
}

// EvaluateBudgets holds every configured budget against the spend: the
// total first, then endpoints and customers by name. A budget for a value
// with no spend passes at $0.
func EvaluateBudgets(b MonthlyBudgets, s MonthToDateSpend) []BudgetResult {
	var out []BudgetResult
	if b.Total.Warn != nil || b.Total.Fail != nil {
		out = append(out, judgeBudget(ScopeTotal, "", b.Total, s.Total))
	}
	out = append(out, judgeScope(ScopeEndpoint, b.Endpoint, s.Endpoint, s.Total)...)
	return append(out, judgeScope(ScopeCustomer, b.Customer, s.Customer, s.Total)...)
}

func judgeScope(scope string, levels map[string]BudgetLevel, spend map[string]MonthToDate, total MonthToDate) []BudgetResult {
	names := make([]string, 0, len(levels))
	for n := range levels {
		names = append(names, n)
	}
	sort.Strings(names)

	var out []BudgetResult
	for _, n := range names {
		m, ok := spend[n]
		if !ok {
			m = MonthToDate{Month: total.Month, TZ: total.TZ, AsOf: total.AsOf}
		}
		out = append(out, judgeBudget(scope, n, levels[n], m))
	}
	return out
}

func judgeBudget(scope, name string, l BudgetLevel, m MonthToDate) BudgetResult {
	r := BudgetResult{
		Scope: scope, Name: name, WarnUSD: l.Warn, FailUSD: l.Fail,
		SpentUSD: m.SpentUSD, ForecastUSD: m.ForecastUSD,
	}
	spent, forecast := l.judge(m.SpentUSD), l.judge(m.ForecastUSD)
	r.Status = worseBudget(spent, forecast)

	label := scope
	if name != "" {
		label = scope + " " + name
	}
	r.Message = fmt.Sprintf("%s: spent $%.2f so far in %s, forecast $%.2f by month end", label, m.SpentUSD, m.Month, m.ForecastUSD)
	switch {
	case spent != BudgetPass:
		r.Message += fmt.Sprintf("; the spend is over the %s level", spent)
	case forecast != BudgetPass:
		r.Message += fmt.Sprintf("; the forecast is over the %s level", forecast)
	}
	return r
}

func (l BudgetLevel) judge(v float64) string {
	if l.Fail != nil && v > *l.Fail {
		return BudgetFail
	}
	if l.Warn != nil && v > *l.Warn {
		return BudgetWarn
	}
	return BudgetPass
}

func worseBudget(a, b string) string {
	rank := map[string]int{BudgetPass: 0, BudgetWarn: 1, BudgetFail: 2}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

// WorstBudgetStatus is the status of a whole budget check: fail when any
// budget fails, warn when any warns, else pass.
func WorstBudgetStatus(results []BudgetResult) string {
	status := BudgetPass
	for _, r := range results {
		status = worseBudget(status, r.Status)
	}
	return status
}
