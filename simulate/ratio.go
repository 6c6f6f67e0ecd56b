package simulate

import (
	"fmt"
	"math/big"
	"math/bits"
	"strconv"
)

// ratioScale is the denominator of ratio: policy factors are exact
// decimals with up to nine places.
const ratioScale = 1_000_000_000

// ratio is a non-negative decimal factor num / 1e9. Keeping it exact makes
// round(n × factor) round a true half away from zero, as written in the
// policy, instead of whatever the nearest float64 gives.
type ratio struct{ num int64 }

var ratioOne = ratio{num: ratioScale}

// parseRatio converts a YAML number to an exact decimal, using the
// shortest text that reads back as the same float64 (0.35, not
// 0.34999999999999997).
func parseRatio(key string, v float64) (ratio, error) {
	r, ok := new(big.Rat).SetString(strconv.FormatFloat(v, 'f', -1, 64))
	if !ok {
		return ratio{}, fmt.Errorf("%s %v: not a decimal number", key, v)
	}
	r.Mul(r, big.NewRat(ratioScale, 1))
	if !r.IsInt() || !r.Num().IsInt64() {
		return ratio{}, fmt.Errorf("%s %v: use at most nine decimal places", key, v)
	}
	return ratio{num: r.Num().Int64()}, nil
}

// apply returns round(n × r) with halves rounded away from zero; n and r
// are non-negative. The product is taken in 128 bits, so it cannot overflow
// for any token count and any factor below 2^64/1e9.
func (r ratio) apply(n int64) int64 {
	if r.num == ratioScale || n <= 0 {
		return n
	}
	if r.num <= 0 {
		return 0
	}
	hi, lo := bits.Mul64(uint64(n), uint64(r.num))
	lo, carry := bits.Add64(lo, ratioScale/2, 0)
	hi += carry
	q, _ := bits.Div64(hi, lo, ratioScale)
	return int64(q)
}
