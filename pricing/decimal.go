package pricing

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"
)

// priceDecimals is the number of decimals a price per million tokens may
// have: $0.000001 per million tokens is one picodollar per token, the
// smallest amount Pico can hold.
const priceDecimals = 6

// multiplierDecimals is the precision of a modifier factor such as 0.5 or 1.1.
const multiplierDecimals = 6

var errNotDecimal = errors.New("not a plain decimal number")

// parseDecimal returns text × 10^scale as an integer, exactly. The text must
// be a non-negative plain decimal ("3", "0.075", "22.50") with at most scale
// digits after the point. Exponents and signs are rejected, because float
// parsing could round them.
func parseDecimal(text string, scale int) (int64, error) {
	whole, frac, hasPoint := strings.Cut(text, ".")
	if strings.HasPrefix(text, "-") {
		return 0, fmt.Errorf("%q is negative", text)
	}
	if whole == "" || (hasPoint && frac == "") || !allDigits(whole) || !allDigits(frac) {
		return 0, fmt.Errorf("%q: %w", text, errNotDecimal)
	}
	if len(frac) > scale {
		return 0, fmt.Errorf("%q has %d decimals, at most %d are allowed", text, len(frac), scale)
	}

	digits := whole + frac + strings.Repeat("0", scale-len(frac))
	v, ok := new(big.Int).SetString(digits, 10)
	if !ok || !v.IsInt64() {
		return 0, fmt.Errorf("%q is too large", text)
	}
	return v.Int64(), nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// parseMTok converts a price in USD per million tokens to picodollars per
// token. One dollar per million tokens is 10^12 / 10^6 = 10^6 picodollars
// per token, so the decimal text shifted by six places is the exact result.
func parseMTok(text string) (Pico, error) {
	v, err := parseDecimal(text, priceDecimals)
	return Pico(v), err
}

// parsePer1K converts a fee in USD per 1,000 calls to picodollars per call:
// 10^12 / 10^3 = 10^9 picodollars per call for each dollar per thousand.
func parsePer1K(text string) (Pico, error) {
	v, err := parseDecimal(text, 9)
	return Pico(v), err
}

// Multiplier is an exact decimal factor applied to unit prices, stored as
// millionths (1.1 is 1,100,000).
type Multiplier int64

// one is the multiplier that leaves a price unchanged.
const one Multiplier = 1_000_000

func parseMultiplier(text string) (Multiplier, error) {
	v, err := parseDecimal(text, multiplierDecimals)
	if err != nil {
		return 0, err
	}
	if v == 0 {
		return 0, fmt.Errorf("%q: a multiplier must be greater than zero", text)
	}
	return Multiplier(v), nil
}

// String formats the factor as the shortest decimal, such as "0.5" or "1.1".
func (m Multiplier) String() string {
	s := fmt.Sprintf("%d.%06d", m/one, m%one)
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
}

// apply multiplies a unit price by the factor. A result between two
// picodollars is rounded half away from zero. Every factor in the embedded
// table gives an exact result for its row's prices (a test checks this), so
// only user-supplied factors can round.
func (m Multiplier) apply(p Pico) Pico {
	if m == one {
		return p
	}
	prod := new(big.Int).Mul(big.NewInt(int64(p)), big.NewInt(int64(m)))
	q, r := new(big.Int).QuoRem(prod, big.NewInt(int64(one)), new(big.Int))
	if new(big.Int).Abs(r).Cmp(big.NewInt(int64(one/2))) >= 0 {
		q.Add(q, big.NewInt(int64(prod.Sign())))
	}
	if !q.IsInt64() {
		return Pico(math.MaxInt64)
	}
	return Pico(q.Int64())
}
