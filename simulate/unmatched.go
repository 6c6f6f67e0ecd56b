package simulate

import (
	"fmt"
	"sort"
)

// policyEndpoints lists every endpoint the policy names, with where it
// names it, so that one no request carries (a typo, or traffic outside
// the window) is reported instead of silently saving nothing.
func (p *Policy) policyEndpoints() map[string][]string {
	out := map[string][]string{}
	add := func(where string, names []string) {
		for _, n := range names {
			if n != DefaultKey {
				out[n] = append(out[n], where)
			}
		}
	}
	for i, rule := range p.Route {
		add(fmt.Sprintf("route rule %d", i+1), rule.Match.Endpoint)
	}
	if p.Compress != nil {
		add("compress.endpoints", p.Compress.Endpoints)
	}
	if p.Cache != nil {
		add("cache.endpoints", p.Cache.Endpoints)
		add("cache.prefix_tokens", keys(p.Cache.PrefixTokens))
	}
	if p.Batch != nil {
		add("batch.endpoints", p.Batch.Endpoints)
	}
	if p.StructuredOutput != nil {
		add("structured_output.output_change", keys(p.StructuredOutput.OutputChange))
		add("structured_output.input_overhead_tokens", keys(p.StructuredOutput.InputOverheadTokens))
	}
	return out
}

// unmatchedWarnings names each policy endpoint that no replayed request had.
func unmatchedWarnings(p *Policy, seen map[string]bool) []string {
	var out []string
	for name, where := range p.policyEndpoints() {
		if !seen[name] {
			out = append(out, fmt.Sprintf("policy: endpoint %q (in %s) matches no request in the window, so it changes nothing; check its spelling", name, joinUnique(where)))
		}
	}
	sort.Strings(out)
	return out
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func joinUnique(where []string) string {
	seen := map[string]bool{}
	var out string
	for _, w := range where {
		if seen[w] {
			continue
		}
		seen[w] = true
		if out != "" {
			out += ", "
		}
		out += w
	}
	return out
}
