package analyze

import "github.com/costctl/costctl/pricing"

// Pricer resolves each request's model to a dated row of a price table.
type Pricer struct {
	Table *pricing.Table
}

// Price sets r's ModelID, PriceRowID and ContextBand from the row in effect
// at r.Time, and reports whether the model is known. An unknown model
// leaves the fields empty: the request is stored unpriced.
func (p Pricer) Price(r *Request) bool {
	r.ModelID, r.PriceRowID, r.ContextBand = "", "", 0

	m, ok := p.Table.Resolve(r.Provider, r.Model, r.Time)
	if !ok {
		return false
	}
	r.ModelID = m.Model.ID
	r.PriceRowID = m.Row.ID
	r.ContextBand = m.Row.Band(r.PromptTokens())
	return true
}
