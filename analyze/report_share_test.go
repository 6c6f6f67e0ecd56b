package analyze

import (
	"math/big"
	"testing"

	"github.com/costctl/costctl/pricing"
)

func TestSharePctExact(t *testing.T) {
	var part, total pricing.Money
	part.AddPico(pricing.Pico(3 * 1_000_000_000)) // $0.003
	total.AddPico(pricing.Pico(5 * 1_000_000_000))
	if got := sharePct(part, total.Big()); got != 60 {
		t.Errorf("share of 3 in 5 = %v, want 60", got)
	}
	if got := sharePct(part, big.NewInt(0)); got != 0 {
		t.Errorf("share of a zero total = %v, want 0", got)
	}
}
