// Package pricing holds costctl's price table and prices one request.
//
// The table is a YAML file (prices.yaml, embedded in the binary; its header
// documents the format) of models with match rules and effective-dated price
// rows. Prices are parsed from decimal text into picodollars per token, so a
// request's cost, tokens × unit price summed over the token classes, is an
// exact integer amount of picodollars (see Money).
//
// Pricing one request takes three calls:
//
//	m, ok := table.Resolve(provider, model, at)  // model and row in effect at
//	band := m.Row.Band(usage.PromptTokens())     // long-context band, 0 = base
//	cost, err := table.Cost(m.Row.ID, band, mods, usage)
//
// Row ids ("<model id>@<from date>") stay the same across table versions, so
// a stored request can keep the id of the row that priced it and be priced
// again later from the same row.
package pricing
