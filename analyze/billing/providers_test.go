package billing

import (
	"testing"

	"github.com/costctl/costctl/pricing"
)

func TestLeftOutMessageUnpricedTokens(t *testing.T) {
	traffic := &leftOutTraffic{tokens: 1234567, unpriced: 10605}
	traffic.cost.AddPico(pricing.Pico(270_000_000_000))
	got := leftOutMessage("openai", traffic)
	want := "no bill for provider openai in this window: its logged $0.27 (1,234,567 tokens, 10,605 of them unpriced) is left out; ingest its usage or cost export"
	if got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
}
