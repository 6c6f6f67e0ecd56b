package billing

import "sort"

// Merge keeps one copy per Line.Identity, the most complete one, as the
// store does across ingests, and orders the result by start and identity.
func Merge(lines []Line) []Line {
	byIdentity := map[string]Line{}
	for _, l := range lines {
		id := l.Identity()
		if old, ok := byIdentity[id]; ok && !l.MoreComplete(&old) {
			continue
		}
		byIdentity[id] = l
	}

	out := make([]Line, 0, len(byIdentity))
	for _, l := range byIdentity {
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Start.Equal(out[j].Start) {
			return out[i].Start.Before(out[j].Start)
		}
		return out[i].Identity() < out[j].Identity()
	})
	return out
}
