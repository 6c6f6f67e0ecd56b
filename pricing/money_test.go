package pricing

import (
	"math/big"
	"math/rand/v2"
	"testing"
)

func pico(v int64) Money {
	var m Money
	m.AddPico(Pico(v))
	return m
}

// The expected values are decimal literals: Go rounds a literal to the
// nearest float64, which is what USD must return for the exact quotient.
func TestMoneyUSDExact(t *testing.T) {
	var huge Money
	huge.AddTokens(1_000_000_000, 1_000_000_000_000) // 10^21 picodollars
	cases := []struct {
		name string
		m    Money
		want float64
	}{
		{"zero", Money{}, 0},
		{"one picodollar", pico(1), 0.000000000001},
		{"fraction of a cent", pico(123_456_789), 0.000123456789},
		{"negative", pico(-2_500_000_000_000), -2.5},
		{"largest exact", pico(1<<53 - 1), 9007.199254740991},
		{"smallest inexact", pico(1<<53 + 1), 9007.199254740993},
		{"negative largest exact", pico(-(1<<53 - 1)), -9007.199254740991},
		{"above 64 bits", huge, 1e9},
	}
	for _, c := range cases {
		if got := c.m.USD(); got != c.want {
			t.Errorf("%s: USD() = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestMoneyUSDMatchesRational checks the float64 division against the
// exact rational rounded once, for random amounts below 2^53.
func TestMoneyUSDMatchesRational(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 100_000 {
		v := r.Int64N(1<<54) - 1<<53
		want, _ := new(big.Rat).SetFrac(big.NewInt(v), big.NewInt(PicoPerUSD)).Float64()
		if got := pico(v).USD(); got != want {
			t.Fatalf("USD of %d picodollars = %v, want %v", v, got, want)
		}
	}
}

func TestMoneyCmp(t *testing.T) {
	var twoTo64, aboveTwoTo64 Money
	twoTo64.AddTokens(1<<62, 4) // 2^64
	aboveTwoTo64.AddTokens(1<<62, 4)
	aboveTwoTo64.AddPico(1) // 2^64 + 1
	cases := []struct {
		name string
		a, b Money
		want int
	}{
		{"equal", pico(5), pico(5), 0},
		{"smaller", pico(4), pico(5), -1},
		{"larger", pico(6), pico(5), 1},
		{"negative below positive", pico(-1), pico(1), -1},
		{"negative below zero", pico(-1), Money{}, -1},
		{"above 64 bits", aboveTwoTo64, twoTo64, 1},
		{"64 bits above int64", twoTo64, pico(1 << 62), 1},
	}
	for _, c := range cases {
		if got := c.a.Cmp(c.b); got != c.want {
			t.Errorf("%s: Cmp = %d, want %d", c.name, got, c.want)
		}
	}
}
