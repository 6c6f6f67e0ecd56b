package billing

import (
	"fmt"
	"math/big"
	"sort"

	"github.com/costctl/costctl/pricing"
)

// The causes a reconciliation can name.
const (
	// CauseModelOnlyOnBill is a model the bill charges that no logged
	// request of the window used.
	CauseModelOnlyOnBill = "model_only_on_bill"
	// CauseTokenClass is a token class (cache writes, audio, ...) on the
	// bill that the row's logged requests never have.
	CauseTokenClass = "token_class_not_logged"
	// CauseServiceTier is bill traffic in a service tier (batch, priority,
	// flex) that the row's logged requests never have.
	CauseServiceTier = "service_tier_not_logged"
	// CauseCodeExecution is code execution billed by the cost report;
	// request logs carry no code execution charges.
	CauseCodeExecution = "code_execution"
	// CausePriceDifference is a cost report amount that differs from the
	// same tokens priced by costctl's table by a cent or more.
	CausePriceDifference = "price_difference"
	// CauseUnloggedTraffic is bill tokens beyond the logged tokens of a row
	// whose model is logged: requests that were never logged.
	CauseUnloggedTraffic = "unlogged_traffic"
	// CauseNotOnBill is logged traffic in a row the bill does not show.
	CauseNotOnBill = "logged_not_on_bill"
)

// priceTolerance is the smallest price difference reported: one cent.
const priceTolerance = pricing.Pico(pricing.PicoPerUSD / 100)

// Cause is one explanation of a difference between the bill and the logs.
// The amounts of a row's causes may overlap (unlogged traffic can also be
// in a tier the logs lack), so they need not add up to the difference.
type Cause struct {
	Cause   string `json:"cause"`
	Subject string `json:"subject"` // the model, token class or tier named
	Detail  string `json:"detail"`
	// AmountUSD is the part of the bill (negative: of the logs) the cause
	// accounts for.
	AmountUSD float64 `json:"amount_usd"`

	amount pricing.Money
}

func newCause(kind, subject string, amount pricing.Money, format string, args ...any) Cause {
	return Cause{Cause: kind, Subject: subject, Detail: fmt.Sprintf(format, args...), AmountUSD: amount.USD(), amount: amount}
}

// causesOf names the causes of one row's difference.
func (a *accumulator) causesOf(r *rowAcc) []Cause {
	out := []Cause{}
	if r.billUsage.Total() == 0 && r.billCost().IsZero() && r.loggedUsage.Total() > 0 {
		neg := pricing.Money{}
		neg.Sub(r.loggedCost)
		return append(out, newCause(CauseNotOnBill, "", neg,
			"%d logged tokens are in no bill line of this row", r.loggedUsage.Total()))
	}

	out = append(out, a.unloggedModels(r)...)
	if r.loggedUsage.Total() > 0 {
		out = append(out, tokenClassCauses(r)...)
		out = append(out, tierCauses(r)...)
		out = append(out, unloggedTraffic(r)...)
	}
	if !r.codeExec.IsZero() {
		out = append(out, newCause(CauseCodeExecution, "", r.codeExec, "code execution billed by the cost report"))
	}
	return append(out, priceDifferences(r)...)
}

func (a *accumulator) unloggedModels(r *rowAcc) []Cause {
	var out []Cause
	for _, m := range sortedKeys(r.billByModel) {
		if m == "" || a.loggedModels[m] {
			continue
		}
		out = append(out, newCause(CauseModelOnlyOnBill, m, r.billByModel[m],
			"%s is on the bill but in no logged request", m))
	}
	return out
}

func tokenClassCauses(r *rowAcc) []Cause {
	var out []Cause
	for c := pricing.Class(0); c < pricing.NumClasses; c++ {
		if r.billUsage.Tokens[c] > 0 && r.loggedUsage.Tokens[c] == 0 {
			out = append(out, newCause(CauseTokenClass, c.String(), r.billClass[c],
				"the bill has %d %s tokens and the logs have none", r.billUsage.Tokens[c], c))
		}
	}
	return out
}

func tierCauses(r *rowAcc) []Cause {
	var out []Cause
	for _, t := range sortedKeys(r.billTier) {
		acc := r.billTier[t]
		if t == "standard" || acc.tokens == 0 || r.loggedTier[t] > 0 {
			continue
		}
		out = append(out, newCause(CauseServiceTier, t, acc.cost,
			"the bill has %d tokens in the %s tier and the logs have none", acc.tokens, t))
	}
	return out
}

func unloggedTraffic(r *rowAcc) []Cause {
	extra := r.billUsage.Total() - r.loggedUsage.Total()
	if extra <= 0 {
		return nil
	}
	var priced pricing.Money
	for _, s := range r.sides {
		priced.Add(s.priced)
	}
	return []Cause{newCause(CauseUnloggedTraffic, "", difference(priced, r.loggedCost),
		"the bill counts %d tokens more than the logged requests", extra)}
}

// priceDifferences compares, per provider with cost lines in the row, the
// cost report's amount with the bill's own tokens priced by the table.
func priceDifferences(r *rowAcc) []Cause {
	var out []Cause
	for _, p := range sortedKeys(r.sides) {
		s := r.sides[p]
		if !s.hasCost {
			continue
		}
		d := difference(s.amount, s.priced)
		if d.Big().CmpAbs(bigPico(priceTolerance)) < 0 {
			continue
		}
		out = append(out, newCause(CausePriceDifference, p, d,
			"the %s cost report charges %s USD where the price table gives %s USD for the same tokens", p, usdText(s.amount), usdText(s.priced)))
	}
	return out
}

// causeTotals sums causes over rows by (cause, subject).
type causeTotals map[[2]string]*Cause

func (t causeTotals) add(causes []Cause) {
	for _, c := range causes {
		k := [2]string{c.Cause, c.Subject}
		tot, ok := t[k]
		if !ok {
			tot = &Cause{Cause: c.Cause, Subject: c.Subject, Detail: c.Detail}
			t[k] = tot
		} else {
			tot.Detail = summary(c.Cause, c.Subject)
		}
		tot.amount.Add(c.amount)
		tot.AmountUSD = tot.amount.USD()
	}
}

// list orders the totals by amount, largest first.
func (t causeTotals) list() []Cause {
	out := make([]Cause, 0, len(t))
	for _, c := range t {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool {
		if c := out[i].amount.Big().CmpAbs(out[j].amount.Big()); c != 0 {
			return c > 0
		}
		if out[i].Cause != out[j].Cause {
			return out[i].Cause < out[j].Cause
		}
		return out[i].Subject < out[j].Subject
	})
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func usdText(m pricing.Money) string { return fmt.Sprintf("%.6f", m.USD()) }

func bigPico(p pricing.Pico) *big.Int { return big.NewInt(int64(p)) }

// summary describes a cause summed over several rows, whose details differ.
func summary(kind, subject string) string {
	switch kind {
	case CauseModelOnlyOnBill:
		return subject + " is on the bill but in no logged request"
	case CauseTokenClass:
		return "the bill has " + subject + " tokens where the logs have none"
	case CauseServiceTier:
		return "the bill has " + subject + " tier traffic where the logs have none"
	case CauseCodeExecution:
		return "code execution billed by the cost report"
	case CausePriceDifference:
		return "the " + subject + " cost report differs from the price table"
	case CauseUnloggedTraffic:
		return "the bill counts more tokens than the logged requests"
	default:
		return "logged traffic the bill does not show"
	}
}
