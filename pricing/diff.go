package pricing

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Change is one difference between two price tables. Kind is "added",
// "removed" or "changed". For a change, Field names what changed ("input",
// "band above 200000: output", "web_search_per_1k", "service_tiers.batch",
// "inference_geo.us", "speed.fast", "until"),
// and Old and New are its values, with prices in USD per million tokens.
type Change struct {
	ModelID string `json:"model_id"`
	RowID   string `json:"row_id,omitempty"`
	Kind    string `json:"kind"`
	Field   string `json:"field,omitempty"`
	Old     string `json:"old,omitempty"`
	New     string `json:"new,omitempty"`
}

// Diff lists what changes from table a to table b, model by model in id
// order, then row by row. Rows are matched by id, so a new dated row is an
// addition, not a change of the previous one.
func Diff(a, b *Table) []Change {
	var out []Change
	for _, id := range unionIDs(a, b) {
		ma, inA := a.byID[id]
		mb, inB := b.byID[id]
		switch {
		case !inA:
			out = append(out, Change{ModelID: id, Kind: "added"})
		case !inB:
			out = append(out, Change{ModelID: id, Kind: "removed"})
		default:
			out = append(out, diffModel(ma, mb)...)
		}
	}
	return out
}

func unionIDs(a, b *Table) []string {
	var ids []string
	for id := range a.byID {
		ids = append(ids, id)
	}
	for id := range b.byID {
		if _, ok := a.byID[id]; !ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

func diffModel(a, b *Model) []Change {
	var out []Change
	if x, y := matchRules(a), matchRules(b); x != y {
		out = append(out, Change{ModelID: a.ID, Kind: "changed", Field: "match rules", Old: x, New: y})
	}
	if a.MinCacheTokens != b.MinCacheTokens {
		out = append(out, Change{ModelID: a.ID, Kind: "changed", Field: "min_cache_tokens",
			Old: fmt.Sprint(a.MinCacheTokens), New: fmt.Sprint(b.MinCacheTokens)})
	}

	rowsA, rowsB := rowsByID(a), rowsByID(b)
	for _, r := range a.Rows {
		if rb, ok := rowsB[r.ID]; ok {
			out = append(out, diffRow(a.ID, r, rb)...)
		} else {
			out = append(out, Change{ModelID: a.ID, RowID: r.ID, Kind: "removed"})
		}
	}
	for _, r := range b.Rows {
		if _, ok := rowsA[r.ID]; !ok {
			out = append(out, Change{ModelID: a.ID, RowID: r.ID, Kind: "added"})
		}
	}
	return out
}

func matchRules(m *Model) string {
	return strings.Join(append(append([]string{m.Provider, "|"}, m.ServedBy...), append(append([]string{"|"}, m.Names...), m.Patterns...)...), " ")
}

func rowsByID(m *Model) map[string]*Row {
	out := make(map[string]*Row, len(m.Rows))
	for _, r := range m.Rows {
		out[r.ID] = r
	}
	return out
}

func diffRow(modelID string, a, b *Row) []Change {
	change := func(field, old, new string) Change {
		return Change{ModelID: modelID, RowID: a.ID, Kind: "changed", Field: field, Old: old, New: new}
	}
	var out []Change
	if !a.Until.Equal(b.Until) {
		out = append(out, change("until", dateText(a.Until), dateText(b.Until)))
	}
	out = append(out, diffPrices("", a.Prices, b.Prices, change)...)
	for i := range max(len(a.Bands), len(b.Bands)) {
		out = append(out, diffBand(i, a.Bands, b.Bands, change)...)
	}
	if a.WebSearch != b.WebSearch {
		out = append(out, change("web_search_per_1k", FormatMTok(a.WebSearch/1000), FormatMTok(b.WebSearch/1000)))
	}
	out = append(out, diffTiers(a.ServiceTiers, b.ServiceTiers, change)...)
	out = append(out, diffFactors("inference_geo", a.InferenceGeo, b.InferenceGeo, change)...)
	out = append(out, diffFactors("speed", a.Speed, b.Speed, change)...)
	return out
}

// diffTiers compares service tier rules one tier at a time, each written
// as its multiplier or as the prices it lists.
func diffTiers(a, b map[string]TierRule, change func(string, string, string) Change) []Change {
	var out []Change
	for _, name := range unionKeys(a, b) {
		x, inA := a[name]
		y, inB := b[name]
		switch {
		case !inA:
			out = append(out, change("service_tiers."+name, "", tierText(y)))
		case !inB:
			out = append(out, change("service_tiers."+name, tierText(x), ""))
		case tierText(x) != tierText(y):
			out = append(out, change("service_tiers."+name, tierText(x), tierText(y)))
		}
	}
	return out
}

func tierText(r TierRule) string {
	if r.Prices == nil {
		return "multiplier " + r.Multiplier.String()
	}
	var parts []string
	for c := range NumClasses {
		if r.Prices.Billed[c] {
			parts = append(parts, c.String()+" "+FormatMTok(r.Prices.PerToken[c]))
		}
	}
	return "prices " + strings.Join(parts, ", ")
}

// diffFactors compares the factors of an inference_geo or speed map one
// value at a time.
func diffFactors(field string, a, b map[string]Multiplier, change func(string, string, string) Change) []Change {
	var out []Change
	for _, name := range unionKeys(a, b) {
		x, inA := a[name]
		y, inB := b[name]
		if inA == inB && x == y {
			continue
		}
		out = append(out, change(field+"."+name, factorText(x, inA), factorText(y, inB)))
	}
	return out
}

func factorText(m Multiplier, ok bool) string {
	if !ok {
		return ""
	}
	return m.String()
}

func unionKeys[V any](a, b map[string]V) []string {
	keys := slices.Collect(maps.Keys(a))
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

func diffBand(i int, a, b []Band, change func(string, string, string) Change) []Change {
	switch {
	case i >= len(a):
		return []Change{change(fmt.Sprintf("band above %d", b[i].Above), "", "added")}
	case i >= len(b):
		return []Change{change(fmt.Sprintf("band above %d", a[i].Above), "removed", "")}
	case a[i].Above != b[i].Above:
		return []Change{change(fmt.Sprintf("band %d threshold", i+1), fmt.Sprint(a[i].Above), fmt.Sprint(b[i].Above))}
	}
	return diffPrices(fmt.Sprintf("band above %d: ", a[i].Above), a[i].Prices, b[i].Prices, change)
}

func diffPrices(prefix string, a, b PriceSet, change func(string, string, string) Change) []Change {
	var out []Change
	for c := range NumClasses {
		// A class neither file lists follows its fallback class, whose own
		// change is already reported.
		listed := a.Billed[c] || b.Billed[c]
		if listed && a.PerToken[c] != b.PerToken[c] {
			out = append(out, change(prefix+c.String(), FormatMTok(a.PerToken[c]), FormatMTok(b.PerToken[c])))
		}
	}
	return out
}
