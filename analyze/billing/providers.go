package billing

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

// exportProviders are the providers whose billing exports costctl reads.
var exportProviders = []string{"anthropic", "openai"}

// leftOutTraffic is the logged traffic of one provider that has no bill
// lines in the window, so it is not held against the bill.
type leftOutTraffic struct {
	tokens   int64
	unpriced int64 // tokens of cells the active table cannot price
	cost     pricing.Money
}

// noteBilledProviders records the providers with bill lines in the window:
// only their logged traffic is compared with the bill.
func (a *accumulator) noteBilledProviders(lines []Line) {
	for i := range lines {
		a.billed[lines[i].Provider] = true
	}
}

// cellProvider returns the provider whose bill a logged cell belongs to:
// the provider as logged. A model served through AWS Bedrock or Vertex AI
// is logged as aws_bedrock or vertex_ai, which bill it themselves, so an
// Anthropic model there never counts against an Anthropic bill. A cell
// logged without a provider takes its model's provider from the table.
func (a *accumulator) cellProvider(c *analyze.Cell) string {
	if c.Provider != "" {
		return c.Provider
	}
	if m, ok := a.table.Model(c.ModelID); ok {
		return m.Provider
	}
	return ""
}

// leaveOut adds a cell of a provider without a bill to that provider's
// left-out total instead of to a row.
func (a *accumulator) leaveOut(provider string, c *analyze.Cell) error {
	cost, problem, err := a.cellCost(c)
	if err != nil {
		return err
	}

	t, ok := a.leftOut[provider]
	if !ok {
		t = &leftOutTraffic{}
		a.leftOut[provider] = t
	}
	t.tokens += c.Usage.Total()
	if problem != "" {
		t.unpriced += c.Usage.Total()
	}
	t.cost.Add(cost)
	return nil
}

// warnLeftOut names each provider whose logged traffic was left out, with
// its logged cost, so the coverage is not read as covering it.
func (a *accumulator) warnLeftOut() {
	for _, p := range sortedKeys(a.leftOut) {
		t := a.leftOut[p]
		if t.tokens == 0 && t.cost.IsZero() {
			continue
		}
		a.warn(leftOutMessage(p, t))
	}
}

func leftOutMessage(provider string, t *leftOutTraffic) string {
	amount := fmt.Sprintf("$%s (%s tokens)", usdAmount(t.cost), thousands(t.tokens))
	if t.unpriced > 0 {
		amount = fmt.Sprintf("$%s (%s tokens, %s of them unpriced)", usdAmount(t.cost), thousands(t.tokens), thousands(t.unpriced))
	}
	switch {
	case provider == "":
		return fmt.Sprintf("no bill for requests logged without a provider in this window: their logged %s is left out; log the provider with each request", amount)
	case slices.Contains(exportProviders, provider):
		return fmt.Sprintf("no bill for provider %s in this window: its logged %s is left out; ingest its usage or cost export", provider, amount)
	default:
		return fmt.Sprintf("no bill for provider %s in this window: its logged %s is left out; costctl reads only %s billing exports",
			provider, amount, strings.Join(exportProviders, " and "))
	}
}

// usdAmount formats money with as many decimals as it has, at least two.
func usdAmount(m pricing.Money) string {
	s := strconv.FormatFloat(m.USD(), 'f', -1, 64)
	whole, frac, _ := strings.Cut(s, ".")
	for len(frac) < 2 {
		frac += "0"
	}
	return whole + "." + frac
}

// thousands formats n with comma thousands separators, as reports do.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}
