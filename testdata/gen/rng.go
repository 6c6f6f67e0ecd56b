package main

import "math/rand/v2"

// rng draws integers only. PCG's output stream is fixed by its algorithm,
// and avoiding floating point keeps results identical on architectures
// that fuse multiply-adds differently.
type rng struct{ src *rand.PCG }

// newRNG returns an independent stream, so tuning one endpoint's traffic
// does not shift the random draws of the others.
func newRNG(stream uint64) *rng {
	return &rng{src: rand.NewPCG(sampleSeed, stream)}
}

// intn returns a value in [0, n). The modulo bias is far below anything
// the sample's shape depends on.
func (r *rng) intn(n int64) int64 {
	return int64(r.src.Uint64() % uint64(n))
}

// between returns a value in [lo, hi].
func (r *rng) between(lo, hi int64) int64 {
	return lo + r.intn(hi-lo+1)
}

// chance reports true with probability num/den.
func (r *rng) chance(num, den int64) bool {
	return r.intn(den) < num
}

// hex returns n random lowercase hex digits.
func (r *rng) hex(n int) string {
	return r.fromAlphabet("0123456789abcdef", n)
}

// base62 returns n random letters and digits, the alphabet of OpenAI ids.
func (r *rng) base62(n int) string {
	return r.fromAlphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", n)
}

func (r *rng) fromAlphabet(alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.intn(int64(len(alphabet)))]
	}
	return string(b)
}
