package pricing

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

func buildModel(rm rawModel) (*Model, error) {
	if rm.ID == "" {
		return nil, errors.New("missing key \"id\"")
	}
	if err := checkProviders(rm.Provider, rm.ServedBy); err != nil {
		return nil, err
	}
	if rm.MinCacheTokens < 0 {
		return nil, fmt.Errorf("min_cache_tokens %d is negative", rm.MinCacheTokens)
	}
	for _, p := range rm.Patterns {
		if _, err := regexp.Compile(anchor(p)); err != nil {
			return nil, fmt.Errorf("pattern %q: %w", p, err)
		}
	}

	m := &Model{
		ID: rm.ID, Provider: rm.Provider, ServedBy: rm.ServedBy,
		MinCacheTokens: rm.MinCacheTokens, Names: rm.Names, Patterns: rm.Patterns,
		Source: rm.Source, NoPromptCaching: rm.PromptCaching != nil && !*rm.PromptCaching,
	}
	rows, err := buildRows(rm.ID, rm.Rows)
	if err != nil {
		return nil, err
	}
	m.Rows = rows
	if m.NoPromptCaching {
		return m, checkNoCachePrices(m)
	}
	return m, nil
}

// checkNoCachePrices rejects cache prices on a model marked
// prompt_caching: false, because the provider never bills cache tokens
// for it, so a cache price there is a mistake in the file.
func checkNoCachePrices(m *Model) error {
	if m.MinCacheTokens > 0 {
		return fmt.Errorf("min_cache_tokens %d on a model with prompt_caching: false; remove one of them", m.MinCacheTokens)
	}
	for _, r := range m.Rows {
		sets := []PriceSet{r.Prices}
		for _, b := range r.Bands {
			sets = append(sets, b.Prices)
		}
		for _, t := range r.ServiceTiers {
			if t.Prices != nil {
				sets = append(sets, *t.Prices)
			}
		}
		for _, ps := range sets {
			for _, c := range []Class{CacheRead, CacheWrite5m, CacheWrite1h} {
				if ps.Billed[c] {
					return fmt.Errorf("row %s: %s price on a model with prompt_caching: false; remove the price, or prompt_caching if the provider bills cache tokens", r.ID, c)
				}
			}
		}
	}
	return nil
}

func checkProviders(provider string, servedBy []string) error {
	if provider == "" {
		return errors.New("missing key \"provider\"")
	}
	for _, p := range append([]string{provider}, servedBy...) {
		if err := CheckProvider(p); err != nil {
			return err
		}
	}
	return nil
}

// providerName is the form of a provider name: one of Providers, or a
// user's own (a self-hosted model, a reseller), as its logs name it.
var providerName = regexp.MustCompile(`^[a-z][a-z0-9_.-]*$`)

// CheckProvider accepts the canonical providers and any other lower-case
// name, so a user can price a provider costctl does not list; Lint warns
// about those in case the name is a typo.
func CheckProvider(p string) error {
	if slices.Contains(Providers, p) || providerName.MatchString(p) {
		return nil
	}
	return fmt.Errorf("provider %q: use one of %s, or a lower-case name of letters, digits, '_', '-' or '.'",
		p, strings.Join(Providers, ", "))
}

// buildRows parses the rows, sorts them by start date and closes each open
// row where the next one starts. Overlapping rows are an error.
func buildRows(modelID string, raws []rawRow) ([]*Row, error) {
	if len(raws) == 0 {
		return nil, errors.New("missing key \"rows\" (at least one price row)")
	}
	rows := make([]*Row, 0, len(raws))
	for _, rr := range raws {
		r, err := buildRow(modelID, rr)
		if err != nil {
			return nil, fmt.Errorf("row from %s: %w", rr.From.Text, err)
		}
		rows = append(rows, r)
	}

	slices.SortFunc(rows, func(a, b *Row) int { return a.From.Compare(b.From) })
	for i := 1; i < len(rows); i++ {
		prev, next := rows[i-1], rows[i]
		if prev.Until.IsZero() {
			prev.Until = next.From
		}
		if prev.From.Equal(next.From) {
			return nil, fmt.Errorf("two rows start on %s", prev.From.Format(time.DateOnly))
		}
		if prev.Until.After(next.From) {
			return nil, fmt.Errorf("row %s overlaps row %s", prev.ID, next.ID)
		}
	}
	return rows, nil
}

func buildRow(modelID string, rr rawRow) (*Row, error) {
	if !rr.From.Set {
		return nil, errors.New("missing key \"from\"")
	}
	from, err := parseDate(rr.From, "from")
	if err != nil {
		return nil, err
	}
	r := &Row{ID: modelID + "@" + from.Format(time.DateOnly), ModelID: modelID, From: from, Source: rr.Source}
	if rr.Until.Set {
		if r.Until, err = parseDate(rr.Until, "until"); err != nil {
			return nil, err
		}
		if !r.Until.After(from) {
			return nil, fmt.Errorf("until %s is not after from %s", rr.Until.Text, rr.From.Text)
		}
	}

	if r.Prices, err = buildPrices(rr.Prices, "prices"); err != nil {
		return nil, err
	}
	if err := buildModifiers(r, rr); err != nil {
		return nil, err
	}
	return r, nil
}

func buildModifiers(r *Row, rr rawRow) error {
	var err error
	if rr.Fees.WebSearchPer1K.Set {
		if r.WebSearch, err = parsePer1K(rr.Fees.WebSearchPer1K.Text); err != nil {
			return fmt.Errorf("fees: web_search_per_1k: %w", err)
		}
	}
	if r.Bands, err = buildBands(rr.Bands); err != nil {
		return err
	}
	if r.ServiceTiers, err = buildTiers(rr.ServiceTiers, len(r.Bands) > 0); err != nil {
		return err
	}
	if r.InferenceGeo, err = buildFactors(rr.InferenceGeo, "inference_geo"); err != nil {
		return err
	}
	r.Speed, err = buildFactors(rr.Speed, "speed")
	return err
}

func buildBands(raws []rawBand) ([]Band, error) {
	bands := make([]Band, 0, len(raws))
	for i, rb := range raws {
		if rb.Above <= 0 {
			return nil, fmt.Errorf("band %d: above must be a positive token count", i+1)
		}
		if i > 0 && rb.Above <= raws[i-1].Above {
			return nil, fmt.Errorf("band %d: above %d is not greater than the previous band's %d", i+1, rb.Above, raws[i-1].Above)
		}
		p, err := buildPrices(rb.Prices, fmt.Sprintf("band above %d: prices", rb.Above))
		if err != nil {
			return nil, err
		}
		bands = append(bands, Band{Above: rb.Above, Prices: p})
	}
	return bands, nil
}

// buildTiers parses the service tiers. Explicit tier prices are rejected on
// a row with long-context bands, because they would have to name the band
// they replace.
func buildTiers(raws map[string]rawTier, hasBands bool) (map[string]TierRule, error) {
	tiers := make(map[string]TierRule, len(raws))
	for name, rt := range raws {
		where := "service_tiers: " + name
		hasPrices := len(rt.Prices) > 0
		if rt.Multiplier.Set == hasPrices {
			return nil, fmt.Errorf("%s: give exactly one of multiplier or prices", where)
		}
		if hasPrices && hasBands {
			return nil, fmt.Errorf("%s: explicit prices are not supported on a row with long-context bands; use a multiplier", where)
		}
		rule, err := buildTier(rt, where)
		if err != nil {
			return nil, err
		}
		tiers[strings.ToLower(name)] = rule
	}
	return tiers, nil
}

func buildTier(rt rawTier, where string) (TierRule, error) {
	if rt.Multiplier.Set {
		f, err := parseMultiplier(rt.Multiplier.Text)
		if err != nil {
			return TierRule{}, fmt.Errorf("%s: multiplier: %w", where, err)
		}
		return TierRule{Multiplier: f}, nil
	}
	p, err := buildPrices(rt.Prices, where+": prices")
	if err != nil {
		return TierRule{}, err
	}
	return TierRule{Multiplier: one, Prices: &p}, nil
}

func buildFactors(raws map[string]scalar, key string) (map[string]Multiplier, error) {
	out := make(map[string]Multiplier, len(raws))
	for value, s := range raws {
		f, err := parseMultiplier(s.Text)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", key, value, err)
		}
		out[strings.ToLower(value)] = f
	}
	return out, nil
}

// fallback names the class whose price a class takes when the file leaves it
// out: a model without a cache price bills cached tokens as plain input, and
// a model without modality prices bills them as text.
var fallback = [NumClasses]Class{
	Input: Input, CacheRead: Input, CacheWrite5m: Input, CacheWrite1h: Input,
	Output: Output, AudioIn: Input, AudioOut: Output, ImageIn: Input,
}

// buildPrices parses a price list. input and output are required, so a
// missing price never silently becomes zero.
func buildPrices(raw rawPrices, where string) (PriceSet, error) {
	var ps PriceSet
	for name, s := range raw {
		c, ok := ClassByName(name)
		if !ok {
			return ps, fmt.Errorf("line %d: unknown key %q in %s (known: %s)", s.Line, name, where, strings.Join(classNames[:], ", "))
		}
		p, err := parseMTok(s.Text)
		if err != nil {
			return ps, fmt.Errorf("line %d: %s: %s: %w", s.Line, where, name, err)
		}
		ps.PerToken[c], ps.Billed[c] = p, true
	}

	for _, c := range []Class{Input, Output} {
		if !ps.Billed[c] {
			return ps, fmt.Errorf("%s: missing %s price", where, c)
		}
	}
	if err := checkCacheWrites(raw, where); err != nil {
		return ps, err
	}
	for c := range NumClasses {
		if !ps.Billed[c] {
			ps.PerToken[c] = ps.PerToken[fallback[c]]
		}
	}
	return ps, nil
}

// checkCacheWrites rejects a price list that gives one cache write duration
// but not the other, because the missing one would silently be billed at
// the input price. Cache prices are written out per model, never assumed.
func checkCacheWrites(raw rawPrices, where string) error {
	fiveMin, hasFiveMin := raw[CacheWrite5m.String()]
	oneHour, hasOneHour := raw[CacheWrite1h.String()]
	switch {
	case hasFiveMin && !hasOneHour:
		return fmt.Errorf("line %d: %s: missing %s beside %s; add the provider's %s price (Anthropic's is 2x input), or remove %s if the model has no cache writes",
			fiveMin.Line, where, CacheWrite1h, CacheWrite5m, CacheWrite1h, CacheWrite5m)
	case hasOneHour && !hasFiveMin:
		return fmt.Errorf("line %d: %s: missing %s beside %s; add the provider's %s price (Anthropic's is 1.25x input), or remove %s if the model has no cache writes",
			oneHour.Line, where, CacheWrite5m, CacheWrite1h, CacheWrite5m, CacheWrite1h)
	}
	return nil
}

// parseDate reads a YYYY-MM-DD date as midnight UTC.
func parseDate(s scalar, key string) (time.Time, error) {
	d, err := time.Parse(time.DateOnly, s.Text)
	if err != nil {
		return time.Time{}, fmt.Errorf("line %d: %s: %q is not a date (want YYYY-MM-DD)", s.Line, key, s.Text)
	}
	return d, nil
}
