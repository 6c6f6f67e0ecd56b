package pricing

import (
	"fmt"
	"strings"
)

// Modifiers are a request's logged price modifiers. Values are matched case
// insensitively; an empty or unlisted value means no change.
type Modifiers struct {
	ServiceTier  string
	InferenceGeo string
	Speed        string
}

// UnitPrices are the prices one request pays: per token of each class, and
// per billed web search call.
type UnitPrices struct {
	PerToken  [NumClasses]Pico
	WebSearch Pico
}

// Band returns 0 for base prices, or i when the prompt exceeds the i-th
// long-context threshold (strictly: a prompt of exactly the threshold is
// still priced below it).
func (r *Row) Band(promptTokens int64) int {
	band := 0
	for i, b := range r.Bands {
		if promptTokens > b.Above {
			band = i + 1
		}
	}
	return band
}

// UnitPrices returns the row's prices for a band and modifiers, applied in
// this order:
//  1. the band picks the price set (base or long-context), for every class;
//  2. the service tier multiplies it (batch 0.5 stacks with the cache prices
//     of step 1) or replaces it with the tier's explicit prices. A tier the
//     row does not list, such as "standard" or "auto", leaves it unchanged;
//  3. the inference_geo factor multiplies every class;
//  4. the speed factor multiplies every class.
//
// Each step rounds to whole picodollars (see Multiplier). The web search
// fee is per call and is not changed by any modifier.
func (t *Table) UnitPrices(rowID string, band int, m Modifiers) (UnitPrices, error) {
	r, ok := t.rows[rowID]
	if !ok {
		return UnitPrices{}, fmt.Errorf("price row %q not found in table %s", rowID, t.version)
	}
	if band < 0 || band > len(r.Bands) {
		return UnitPrices{}, fmt.Errorf("price row %s: band %d out of range (the row has %d long-context bands)", rowID, band, len(r.Bands))
	}

	prices := r.Prices.PerToken
	if band > 0 {
		prices = r.Bands[band-1].Prices.PerToken
	}
	prices = applyTier(prices, r.ServiceTiers, m.ServiceTier)
	prices = applyFactor(prices, r.InferenceGeo, m.InferenceGeo)
	prices = applyFactor(prices, r.Speed, m.Speed)
	return UnitPrices{PerToken: prices, WebSearch: r.WebSearch}, nil
}

func applyTier(prices [NumClasses]Pico, tiers map[string]TierRule, tier string) [NumClasses]Pico {
	rule, ok := tiers[strings.ToLower(tier)]
	if !ok {
		return prices
	}
	if rule.Prices != nil {
		return rule.Prices.PerToken
	}
	return scale(prices, rule.Multiplier)
}

func applyFactor(prices [NumClasses]Pico, factors map[string]Multiplier, value string) [NumClasses]Pico {
	f, ok := factors[strings.ToLower(value)]
	if !ok {
		return prices
	}
	return scale(prices, f)
}

func scale(prices [NumClasses]Pico, f Multiplier) [NumClasses]Pico {
	for c := range prices {
		prices[c] = f.apply(prices[c])
	}
	return prices
}

// Cost returns Σ tokens × unit price over the classes plus web searches ×
// the per-call fee, exactly, in picodollars.
func (t *Table) Cost(rowID string, band int, m Modifiers, u Usage) (Money, error) {
	up, err := t.UnitPrices(rowID, band, m)
	if err != nil {
		return Money{}, err
	}

	var total Money
	for c := range NumClasses {
		total.AddTokens(u.Tokens[c], up.PerToken[c])
	}
	total.AddTokens(u.WebSearches, up.WebSearch)
	return total, nil
}
