package pricing

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"
)

// importModel is one model converted from LiteLLM, prices in USD per
// million tokens.
type importModel struct {
	id, provider string
	// names are the LiteLLM names written under a built-in model's id.
	names       []string
	servedBy    []string
	minCache    int64
	source      string // the LiteLLM key
	prices      classPrices
	bands       []importBand
	tiers       []importTier
	webSearch1K *big.Rat
}

type classPrices map[Class]*big.Rat

type importBand struct {
	above  int64
	suffix string // LiteLLM's key suffix, such as "_above_200k_tokens"
	prices classPrices
}

// importTier is a service tier as a factor on the row's prices when every
// listed price has the same ratio to the base price, else explicit prices.
type importTier struct {
	name       string
	multiplier *big.Rat
	prices     classPrices
}

var litellmBands = []struct {
	suffix string
	above  int64
}{{"_above_128k_tokens", 128000}, {"_above_200k_tokens", 200000}}

var litellmTiers = []struct{ name, suffix string }{
	{"batch", "_batches"}, {"flex", "_flex"}, {"priority", "_priority"},
}

func convertEntry(key string, e map[string]any) (*importModel, []string) {
	provider, ok := litellmProviders[fmt.Sprint(e["litellm_provider"])]
	if !ok {
		return nil, []string{fmt.Sprintf("%s: skipped: provider %q is not supported", key, fmt.Sprint(e["litellm_provider"]))}
	}
	if mode := fmt.Sprint(e["mode"]); !slices.Contains(litellmModes, mode) {
		return nil, []string{fmt.Sprintf("%s: skipped: mode %q is not priced per token", key, mode)}
	}

	var warn []string
	read := func(k string) (*big.Rat, bool) {
		r, exact, found := litellmPrice(e[k])
		if found && !exact {
			warn = append(warn, fmt.Sprintf("%s: %s is finer than one picodollar per token and was rounded", key, k))
		}
		return r, found
	}
	m := &importModel{id: normalizeName(key), provider: provider, source: key, prices: readClasses(read, "")}
	if m.prices[Input] == nil || m.prices[Output] == nil {
		return nil, append(warn, fmt.Sprintf("%s: skipped: missing input_cost_per_token or output_cost_per_token", key))
	}
	if v, ok := read(litellmKey(CacheWrite1h, "")); ok {
		m.prices[CacheWrite1h] = v
	}

	m.bands = readBands(read)
	warn = append(warn, m.readTiers(read)...)
	m.minCache = minCacheTokens(e["prompt_cache_min_tokens"])
	m.webSearch1K = webSearchPer1K(e["search_context_cost_per_query"])
	return m, warn
}

func readClasses(read func(string) (*big.Rat, bool), suffix string) classPrices {
	out := classPrices{}
	for _, c := range litellmClasses {
		if v, ok := read(c.key + suffix); ok {
			out[c.class] = v
		}
	}
	return out
}

// litellmKey returns LiteLLM's key for a class's price with a band or tier
// suffix ("" for the base price).
func litellmKey(c Class, suffix string) string {
	if c == CacheWrite1h {
		return "cache_creation_input_token_cost_above_1hr" + suffix
	}
	for _, lc := range litellmClasses {
		if lc.class == c {
			return lc.key + suffix
		}
	}
	return c.String() + suffix
}

// readBands builds the long-context bands from the prices each band lists.
// A band bills every class at its own price, so a class it leaves out is
// not filled in from the base prices: missingPrice reports it.
func readBands(read func(string) (*big.Rat, bool)) []importBand {
	var out []importBand
	for _, b := range litellmBands {
		listed := readClasses(read, b.suffix)
		if v, ok := read(litellmKey(CacheWrite1h, b.suffix)); ok {
			listed[CacheWrite1h] = v
		}
		if len(listed) == 0 {
			continue
		}
		out = append(out, importBand{above: b.above, suffix: b.suffix, prices: listed})
	}
	return out
}

// missingPrice returns the LiteLLM key of a price the entry needs but does
// not give: one of the two cache write prices when the other is given, or
// a class the base prices list but a long-context band does not. costctl
// never makes such a price up from another class or band (LiteLLM itself
// bills a band's missing class at the base price, which is wrong for
// Anthropic's 1-hour writes above 200k tokens, at 2x the band's input).
func (m *importModel) missingPrice() string {
	if key := missingCacheWrite(m.prices, ""); key != "" {
		return key
	}
	for _, b := range m.bands {
		for _, c := range sortedClasses(m.prices) {
			if b.prices[c] == nil {
				return litellmKey(c, b.suffix)
			}
		}
		if key := missingCacheWrite(b.prices, b.suffix); key != "" {
			return key
		}
	}
	return ""
}

func missingCacheWrite(p classPrices, suffix string) string {
	switch {
	case p[CacheWrite5m] != nil && p[CacheWrite1h] == nil:
		return litellmKey(CacheWrite1h, suffix)
	case p[CacheWrite1h] != nil && p[CacheWrite5m] == nil:
		return litellmKey(CacheWrite5m, suffix)
	}
	return ""
}

func sortedClasses(p classPrices) []Class {
	var out []Class
	for c := range NumClasses {
		if p[c] != nil {
			out = append(out, c)
		}
	}
	return out
}

func (m *importModel) readTiers(read func(string) (*big.Rat, bool)) []string {
	var warn []string
	for _, t := range litellmTiers {
		listed := readClasses(read, t.suffix)
		if len(listed) == 0 {
			continue
		}
		if f := commonRatio(listed, m.prices); f != nil {
			if w := m.checkTierFactor(read, t.name, t.suffix, listed, f); w != "" {
				warn = append(warn, w)
				continue
			}
			m.tiers = append(m.tiers, importTier{name: t.name, multiplier: f})
			continue
		}
		if len(m.bands) > 0 || listed[Input] == nil || listed[Output] == nil {
			warn = append(warn, fmt.Sprintf("%s: %s tier left out: its prices are not one factor of the base prices and cannot be written as explicit prices here", m.source, t.name))
			continue
		}
		m.tiers = append(m.tiers, importTier{name: t.name, prices: listed})
	}
	return warn
}

// checkTierFactor returns why a tier whose base prices are f times the
// standard ones is left out, or "". A factor of 1 bills the tier at
// standard prices, as an unlisted tier is billed, so writing it would only
// make a premium tier look checked. The LiteLLM copy in testdata/litellm
// lists gemini/gemini-2.5-pro's priority prices equal to standard, but
// Google sells priority inference at a premium (Gemini API docs, "Priority
// inference"). Each band's tier prices must have the same factor, because
// costctl applies one multiplier to whichever band prices a request.
func (m *importModel) checkTierFactor(read func(string) (*big.Rat, bool), name, suffix string, listed classPrices, f *big.Rat) string {
	if f.Cmp(big.NewRat(1, 1)) == 0 {
		return fmt.Sprintf("%s: %s tier left out: the entry lists %s equal to the standard prices, so %s requests are billed at standard prices; if the provider charges more, add the tier to your own price file",
			m.source, name, strings.Join(keysOf(listed, suffix), ", "), name)
	}
	for _, b := range m.bands {
		bandTier := readClasses(read, b.suffix+suffix)
		if len(bandTier) > 0 && !sameRatio(bandTier, b.prices, f) {
			return fmt.Sprintf("%s: %s tier left out: its prices above %d tokens (%s) are not %s times the band's prices, as its base prices are, and costctl applies one factor to every band",
				m.source, name, b.above, strings.Join(keysOf(bandTier, b.suffix+suffix), ", "), decimalText(f))
		}
	}
	return ""
}

func keysOf(p classPrices, suffix string) []string {
	var keys []string
	for _, c := range sortedClasses(p) {
		keys = append(keys, litellmKey(c, suffix))
	}
	return keys
}

func sameRatio(listed, base classPrices, f *big.Rat) bool {
	for c, v := range listed {
		b := base[c]
		if b == nil || new(big.Rat).Mul(b, f).Cmp(v) != 0 {
			return false
		}
	}
	return true
}

// commonRatio returns the factor f with listed[c] = f × base[c] for every
// listed class, when there is one with at most six decimals.
func commonRatio(listed, base classPrices) *big.Rat {
	var f *big.Rat
	for c, v := range listed {
		b := base[c]
		if b == nil || b.Sign() == 0 {
			return nil
		}
		r := new(big.Rat).Quo(v, b)
		if f != nil && f.Cmp(r) != 0 {
			return nil
		}
		f = r
	}
	scaled := new(big.Rat).Mul(f, big.NewRat(1_000_000, 1))
	if !scaled.IsInt() {
		return nil
	}
	return f
}

func litellmPrice(v any) (*big.Rat, bool, bool) {
	text, exact, ok := perMTokText(v)
	if !ok {
		return nil, false, false
	}
	r, _ := new(big.Rat).SetString(text)
	return r, exact, true
}

func minCacheTokens(v any) int64 {
	n, ok := v.(interface{ Int64() (int64, error) })
	if !ok {
		return 0
	}
	i, err := n.Int64()
	if err != nil || i < 0 {
		return 0
	}
	return i
}

// webSearchPer1K takes the medium search-context price per query, the one
// a web search tool call bills by default, as USD per 1,000 calls.
func webSearchPer1K(v any) *big.Rat {
	sizes, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	text, _, ok := perMTokText(sizes["search_context_size_medium"])
	if !ok {
		return nil
	}
	perQuery, _ := new(big.Rat).SetString(text)
	perQuery.Quo(perQuery, big.NewRat(1000, 1)) // per million queries → per 1,000
	if perQuery.Sign() == 0 {
		return nil
	}
	return perQuery
}

// fold merges an entry whose normalised name is already taken: its
// provider serves the same model, and differing prices are reported.
func (m *importModel) fold(o *importModel) []string {
	if o.provider != m.provider && !slices.Contains(m.servedBy, o.provider) {
		m.servedBy = append(m.servedBy, o.provider)
	}
	if rowText(m) != rowText(o) {
		return []string{fmt.Sprintf("%s: left out: same model as %s with other prices; the prices of %s are kept", o.source, m.source, m.source)}
	}
	m.names = union(m.names, o.names)
	return nil
}

func writeImport(models []*importModel, from, date time.Time) []byte {
	var b strings.Builder
	b.WriteString("# Converted from LiteLLM's model_prices_and_context_window.json by\n")
	b.WriteString("# costctl prices import. Prices are USD per million tokens.\n\n")
	fmt.Fprintf(&b, "date: %s\n\nmodels:\n", date.Format(time.DateOnly))
	for _, m := range models {
		fmt.Fprintf(&b, "  - id: %q\n    provider: %s\n", m.id, m.provider)
		if len(m.names) > 0 {
			fmt.Fprintf(&b, "    names: [%s]\n", quotedList(m.names))
		}
		if len(m.servedBy) > 0 {
			fmt.Fprintf(&b, "    served_by: [%s]\n", strings.Join(m.servedBy, ", "))
		}
		if m.minCache > 0 {
			fmt.Fprintf(&b, "    min_cache_tokens: %d\n", m.minCache)
		}
		fmt.Fprintf(&b, "    source: %q\n    rows:\n      - from: %s\n", "litellm "+m.source, from.Format(time.DateOnly))
		b.WriteString(rowText(m))
	}
	return []byte(b.String())
}

func quotedList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(quoted, ", ")
}

// rowText is the YAML of the model's one price row, without its from date.
func rowText(m *importModel) string {
	var b strings.Builder
	fmt.Fprintf(&b, "        prices: %s\n", pricesText(m.prices))
	if len(m.bands) > 0 {
		b.WriteString("        bands:\n")
		for _, band := range m.bands {
			fmt.Fprintf(&b, "          - above: %d\n            prices: %s\n", band.above, pricesText(band.prices))
		}
	}
	if len(m.tiers) > 0 {
		var tiers []string
		for _, t := range m.tiers {
			if t.multiplier != nil {
				tiers = append(tiers, fmt.Sprintf("%s: {multiplier: %s}", t.name, decimalText(t.multiplier)))
			} else {
				tiers = append(tiers, fmt.Sprintf("%s: {prices: %s}", t.name, pricesText(t.prices)))
			}
		}
		fmt.Fprintf(&b, "        service_tiers: {%s}\n", strings.Join(tiers, ", "))
	}
	if m.webSearch1K != nil {
		fmt.Fprintf(&b, "        fees: {web_search_per_1k: %s}\n", decimalText(m.webSearch1K))
	}
	return b.String()
}

func pricesText(p classPrices) string {
	var parts []string
	for c := range NumClasses {
		if v, ok := p[c]; ok {
			parts = append(parts, c.String()+": "+decimalText(v))
		}
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func decimalText(r *big.Rat) string {
	return strings.TrimSuffix(strings.TrimRight(r.FloatString(priceDecimals), "0"), ".")
}
