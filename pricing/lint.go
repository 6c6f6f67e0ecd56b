package pricing

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Lint returns warnings about prices that parse but break a provider's own
// published rules, so a typo or a bad import is seen before it prices
// anything. Each warning names the row and the field.
//
// The checks are:
//   - a chat model (any id without "embedding") with an output price of 0;
//   - an Anthropic row whose 1-hour cache write is not 2× its input price
//     (Anthropic prices 1-hour writes at twice base input for every model);
//   - a provider that is not one of Providers, which only matches requests
//     logged under exactly that name.
func (t *Table) Lint() []string {
	var out []string
	for _, m := range t.models {
		if !slices.Contains(Providers, m.Provider) {
			out = append(out, fmt.Sprintf("model %s: provider %q is not one of %s; it prices only requests logged with that provider",
				m.ID, m.Provider, strings.Join(Providers, ", ")))
		}
		for _, r := range m.Rows {
			out = append(out, lintRow(m, r)...)
		}
	}
	return out
}

func lintRow(m *Model, r *Row) []string {
	var out []string
	type named struct {
		where string
		ps    PriceSet
	}
	sets := []named{{"prices", r.Prices}}
	for _, b := range r.Bands {
		sets = append(sets, named{fmt.Sprintf("band above %d", b.Above), b.Prices})
	}

	for _, s := range sets {
		where, ps := s.where, s.ps
		p := ps.PerToken
		if p[Output] == 0 && !strings.Contains(m.ID, "embedding") {
			out = append(out, fmt.Sprintf("row %s: %s: output price is 0 for a chat model", r.ID, where))
		}
		if m.Provider == "anthropic" && ps.Billed[CacheWrite1h] && p[CacheWrite1h] != 2*p[Input] {
			out = append(out, fmt.Sprintf("row %s: %s: cache_write_1h %s is not 2x input %s (Anthropic's rule)",
				r.ID, where, FormatMTok(p[CacheWrite1h]), FormatMTok(p[Input])))
		}
	}
	return out
}

// FormatMTok writes a per-token price as USD per million tokens, exactly,
// in the decimal form price files use ("3", "0.075").
func FormatMTok(p Pico) string {
	sign := ""
	if p < 0 {
		sign, p = "-", -p
	}
	whole, frac := int64(p)/1_000_000, int64(p)%1_000_000
	if frac == 0 {
		return fmt.Sprintf("%s%d", sign, whole)
	}
	return strings.TrimRight(fmt.Sprintf("%s%d.%06d", sign, whole, frac), "0")
}

// dateText formats a row bound, empty for the zero time.
func dateText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}
