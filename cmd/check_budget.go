package cmd

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/cmd/render"
)

// budgetScopes are the keys allowed under budgets.monthly.
var budgetScopes = []string{analyze.ScopeTotal, analyze.ScopeEndpoint, analyze.ScopeCustomer}

// monthlyBudgets reads budgets.monthly from the config:
//
//	budgets:
//	  monthly:
//	    total: {warn: 1000, fail: 1200}
//	    endpoint: {chat: {fail: 400}}
//	    customer: {acme: {warn: 50}}
func (a *app) monthlyBudgets() (analyze.MonthlyBudgets, error) {
	b := analyze.MonthlyBudgets{Endpoint: map[string]analyze.BudgetLevel{}, Customer: map[string]analyze.BudgetLevel{}}
	for scope := range a.v.GetStringMap("budgets.monthly") {
		if !slices.Contains(budgetScopes, scope) {
			return b, usageErrorf("config budgets.monthly.%s: unknown scope; use %s", scope, strings.Join(budgetScopes, ", "))
		}
	}

	var err error
	if b.Total, err = a.budgetLevel("budgets.monthly.total"); err != nil {
		return b, err
	}
	if b.Endpoint, err = a.namedBudgets("budgets.monthly.endpoint"); err != nil {
		return b, err
	}
	b.Customer, err = a.namedBudgets("budgets.monthly.customer")
	return b, err
}

func (a *app) namedBudgets(key string) (map[string]analyze.BudgetLevel, error) {
	out := map[string]analyze.BudgetLevel{}
	for name := range a.v.GetStringMap(key) {
		l, err := a.budgetLevel(key + "." + name)
		if err != nil {
			return nil, err
		}
		out[name] = l
	}
	return out, nil
}

// budgetLevel reads KEY.warn and KEY.fail, each a USD amount of 0 or more.
func (a *app) budgetLevel(key string) (analyze.BudgetLevel, error) {
	var l analyze.BudgetLevel
	for _, level := range []string{"warn", "fail"} {
		k := key + "." + level
		if !a.v.IsSet(k) {
			continue
		}
		v, err := toFloat(a.v.Get(k))
		if err != nil || v < 0 {
			return l, usageErrorf("config %s: %v is not an amount in USD of 0 or more", k, a.v.Get(k))
		}
		if level == "warn" {
			l.Warn = &v
		} else {
			l.Fail = &v
		}
	}
	if l.Warn != nil && l.Fail != nil && *l.Warn > *l.Fail {
		return l, usageErrorf("config %s: warn level %g is above fail level %g; set the warn level at or below the fail level", key, *l.Warn, *l.Fail)
	}
	return l, nil
}

func toFloat(v any) (float64, error) {
	switch n := v.(type) {
	case int:
		return float64(n), nil
	case int64:
		return float64(n), nil
	case float64:
		return n, nil
	}
	return 0, fmt.Errorf("not a number")
}

// runBudgetCheck holds month-to-date spend and its forecast against
// budgets.monthly; a fail-level budget exits 1 after the output is written.
func (a *app) runBudgetCheck(ctx context.Context, opts checkOptions) error {
	budgets, err := a.monthlyBudgets()
	if err != nil {
		return err
	}
	if budgets.Empty() {
		return usageErrorf("check --month-to-date needs budgets.monthly in the config (total, endpoint or customer, each with warn and/or fail in USD)")
	}
	bc, err := a.budgetCheck(ctx, budgets, opts.asOf, opts.loc)
	if err != nil {
		return err
	}

	err = a.writeDocument(opts.output, func(w io.Writer) error { return render.BudgetCheck(w, bc, opts.format) })
	if err != nil {
		return err
	}
	if bc.Status == analyze.BudgetFail {
		return withCode(ExitRegression, fmt.Errorf("budget check failed: a monthly budget is over its fail level"))
	}
	return nil
}

func (a *app) budgetCheck(ctx context.Context, budgets analyze.MonthlyBudgets, asOf time.Time, loc *time.Location) (*analyze.BudgetCheck, error) {
	table, st, err := a.readStore(ctx)
	if err != nil {
		return nil, err
	}
	defer st.Close()

	var spend analyze.MonthToDateSpend
	total, err := monthSpend(ctx, st, table, asOf, loc, "")
	if err != nil {
		return nil, err
	}
	spend.Total = total[""]
	if len(budgets.Endpoint) > 0 {
		if spend.Endpoint, err = monthSpend(ctx, st, table, asOf, loc, analyze.DimEndpoint); err != nil {
			return nil, err
		}
	}
	if len(budgets.Customer) > 0 {
		if spend.Customer, err = monthSpend(ctx, st, table, asOf, loc, analyze.DimCustomer); err != nil {
			return nil, err
		}
	}
	return analyze.NewBudgetCheck(budgets, spend, table.Version(), generatedBy()), nil
}
