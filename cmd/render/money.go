// Package render writes costctl's documents as tables for people and as
// JSON, CSV and Markdown for programs and CI. It formats; it never decides.
package render

import (
	"fmt"
	"strconv"
	"strings"
)

// USD formats a dollar amount for people: cents for large amounts, more
// digits for the fractions of a cent that per-request costs are, and the
// sign of a negative amount first ("-$250.50").
func USD(v float64) string {
	if v < 0 {
		return "-" + USD(-v)
	}
	switch a := v; {
	case a == 0:
		return "$0.00"
	case a >= 100:
		return "$" + groupThousands(strconv.FormatFloat(v, 'f', 2, 64))
	case a >= 0.01:
		return "$" + strconv.FormatFloat(v, 'f', 4, 64)
	default:
		return "$" + strconv.FormatFloat(v, 'f', 6, 64)
	}
}

// Count formats an integer with thousands separators.
func Count(v int64) string {
	return groupThousands(strconv.FormatInt(v, 10))
}

// Pct formats a percentage with one decimal.
func Pct(v float64) string {
	return fmt.Sprintf("%.1f%%", v)
}

// Exact formats a number for programs: the shortest text that reads back
// as the same float64.
func Exact(v float64) string {
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func groupThousands(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i:]
	}
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return sign + b.String() + frac
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
