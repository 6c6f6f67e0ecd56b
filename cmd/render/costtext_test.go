package render

import (
	"testing"

	"github.com/costctl/costctl/analyze"
)

func TestCostTextByPricedShare(t *testing.T) {
	cases := []struct {
		name             string
		f                analyze.Figures
		cost, perRequest string
	}{
		{"all priced", analyze.Figures{Requests: 2, CostUSD: 0.9, CostPerRequestUSD: 0.45}, "$0.9000", "$0.4500"},
		{"all unpriced", analyze.Figures{Requests: 2, UnpricedRequests: 2}, "unpriced", "unpriced"},
		{"unpriced and no usage", analyze.Figures{Requests: 3, UnpricedRequests: 2, UnknownCostRequests: 1}, "unpriced", "unpriced"},
		{"all without usage", analyze.Figures{Requests: 1, UnknownCostRequests: 1}, "unknown", "unknown"},
		{"partly unpriced", analyze.Figures{Requests: 3, UnpricedRequests: 2, CostUSD: 0.45, CostPerRequestUSD: 0.45}, "$0.4500*", "$0.4500"},
		// A request refused before any work costs a known $0.
		{"rejected only", analyze.Figures{Requests: 1}, "$0.00", "$0.00"},
	}
	for _, c := range cases {
		if got := CostText(c.f, c.f.CostUSD); got != c.cost {
			t.Errorf("%s: cost %q, want %q", c.name, got, c.cost)
		}
		if got := CostPerRequestText(c.f); got != c.perRequest {
			t.Errorf("%s: cost per request %q, want %q", c.name, got, c.perRequest)
		}
	}
}
