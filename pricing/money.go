package pricing

import (
	"math"
	"math/big"
	"math/bits"
)

// Pico is an amount of US dollars in units of 1e-12. A price of $0.075 per
// million tokens is 75,000 picodollars per token, so every price published
// with up to six decimals per million tokens is an exact integer and the
// cost of one request (tokens × price) is exact.
type Pico int64

// PicoPerUSD is the number of picodollars in one dollar.
const PicoPerUSD = 1_000_000_000_000

// Money accumulates picodollar amounts in 128 bits, so sums over billions of
// tokens neither overflow nor depend on the order they were added in.
type Money struct {
	hi int64
	lo uint64
}

// AddPico adds one amount.
func (m *Money) AddPico(p Pico) {
	var carry uint64
	m.lo, carry = bits.Add64(m.lo, uint64(p), 0)
	ext := int64(0)
	if p < 0 {
		ext = -1
	}
	m.hi += ext + int64(carry)
}

// AddTokens adds tokens × unit price without overflowing for any int64
// token count and price.
func (m *Money) AddTokens(tokens int64, unit Pico) {
	if tokens == 0 || unit == 0 {
		return
	}
	neg := (tokens < 0) != (unit < 0)
	hi, lo := bits.Mul64(abs64(tokens), abs64(int64(unit)))
	if neg {
		lo = ^lo + 1
		hi = ^hi
		if lo == 0 {
			hi++
		}
	}
	var carry uint64
	m.lo, carry = bits.Add64(m.lo, lo, 0)
	m.hi += int64(hi) + int64(carry)
}

// Add adds another accumulated amount.
func (m *Money) Add(o Money) {
	var carry uint64
	m.lo, carry = bits.Add64(m.lo, o.lo, 0)
	m.hi += o.hi + int64(carry)
}

// Sub subtracts another accumulated amount.
func (m *Money) Sub(o Money) {
	var borrow uint64
	m.lo, borrow = bits.Sub64(m.lo, o.lo, 0)
	m.hi -= o.hi + int64(borrow)
}

// IsZero reports whether the amount is exactly zero.
func (m Money) IsZero() bool { return m.hi == 0 && m.lo == 0 }

// Big returns the exact amount in picodollars.
func (m Money) Big() *big.Int {
	v := new(big.Int).SetInt64(m.hi)
	v.Lsh(v, 64)
	return v.Add(v, new(big.Int).SetUint64(m.lo))
}

// Cmp compares m with o and returns -1, 0 or +1.
func (m Money) Cmp(o Money) int {
	switch {
	case m.hi != o.hi:
		return cmpInt(m.hi, o.hi)
	case m.lo < o.lo:
		return -1
	case m.lo > o.lo:
		return 1
	}
	return 0
}

func cmpInt(a, b int64) int {
	if a < b {
		return -1
	}
	return 1
}

// exactFloat is 2^53: every integer of smaller magnitude is a float64.
const exactFloat = 1 << 53

// USD converts to dollars as a float64, the form JSON documents carry.
// The conversion rounds once, at the end, so the result is the float64
// nearest to the exact sum. Below $9,007 (2^53 picodollars) the amount and
// 10^12 are both exact float64 values. IEEE division rounds their quotient
// once, so it gives that nearest float64 without allocating a big.Rat,
// which a report does for every figure of every group.
func (m Money) USD() float64 {
	if v, ok := m.asInt64(); ok && v > -exactFloat && v < exactFloat {
		return float64(v) / PicoPerUSD
	}
	r := new(big.Rat).SetFrac(m.Big(), big.NewInt(PicoPerUSD))
	f, _ := r.Float64()
	return f
}

// asInt64 returns the amount when it fits in an int64.
func (m Money) asInt64() (int64, bool) {
	v := int64(m.lo)
	if (m.hi == 0 && v >= 0) || (m.hi == -1 && v < 0) {
		return v, true
	}
	return 0, false
}

// FromUSD converts a dollar amount, rounding to the nearest picodollar.
func FromUSD(usd float64) Money {
	var m Money
	m.AddPico(Pico(math.Round(usd * PicoPerUSD)))
	return m
}

func abs64(v int64) uint64 {
	if v < 0 {
		return uint64(-v)
	}
	return uint64(v)
}
