package logs

import "encoding/binary"

// validJSON reports whether data is one JSON value with optional
// whitespace around it, by the grammar of RFC 8259 as encoding/json
// applies it (strings are not checked for valid UTF-8). It is a faster
// json.Valid for the Claude Code fast path: a byte loop instead of a state
// machine call per byte. It may reject what json.Valid accepts (values
// nested deeper than maxScanDepth), never the reverse, because a rejected
// line falls back to json.Unmarshal.
func validJSON(data []byte) bool {
	i, ok := validValue(data, skipSpace(data, 0), 0)
	return ok && skipSpace(data, i) == len(data)
}

// maxScanDepth bounds the recursion of validValue.
const maxScanDepth = 512

func validValue(data []byte, i, depth int) (int, bool) {
	if i >= len(data) || depth > maxScanDepth {
		return i, false
	}
	switch c := data[i]; {
	case c == '"':
		return validString(data, i)
	case c == '{':
		return validObject(data, i, depth)
	case c == '[':
		return validArray(data, i, depth)
	case c == '-' || (c >= '0' && c <= '9'):
		return validNumber(data, i)
	}
	for _, lit := range []string{"true", "false", "null"} {
		if len(data)-i >= len(lit) && string(data[i:i+len(lit)]) == lit {
			return i + len(lit), true
		}
	}
	return i, false
}

func validObject(data []byte, i, depth int) (int, bool) {
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == '}' {
		return i + 1, true
	}
	ok := false
	for {
		if i >= len(data) || data[i] != '"' {
			return i, false
		}
		if i, ok = validString(data, i); !ok {
			return i, false
		}
		i = skipSpace(data, i)
		if i >= len(data) || data[i] != ':' {
			return i, false
		}
		if i, ok = validValue(data, skipSpace(data, i+1), depth+1); !ok {
			return i, false
		}
		i = skipSpace(data, i)
		if i < len(data) && data[i] == '}' {
			return i + 1, true
		}
		if i >= len(data) || data[i] != ',' {
			return i, false
		}
		i = skipSpace(data, i+1)
	}
}

func validArray(data []byte, i, depth int) (int, bool) {
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == ']' {
		return i + 1, true
	}
	ok := false
	for {
		if i, ok = validValue(data, i, depth+1); !ok {
			return i, false
		}
		i = skipSpace(data, i)
		if i < len(data) && data[i] == ']' {
			return i + 1, true
		}
		if i >= len(data) || data[i] != ',' {
			return i, false
		}
		i = skipSpace(data, i+1)
	}
}

// validString checks the string literal at i: no control characters, and
// only the escapes JSON defines.
func validString(data []byte, i int) (int, bool) {
	for j := i + 1; j < len(data); j++ {
		if j = skipPlainWords(data, j); j >= len(data) {
			break
		}
		switch c := data[j]; {
		case c == '"':
			return j + 1, true
		case c < 0x20:
			return j, false
		case c == '\\':
			n, ok := validEscape(data, j)
			if !ok {
				return j, false
			}
			j += n - 1
		}
	}
	return len(data), false
}

// Byte masks for testing eight bytes of a string at once.
const (
	eachByte01 = 0x0101010101010101
	eachByte80 = 0x8080808080808080
)

// skipPlainWords returns the index of the first 8-byte word from j that
// holds a quote, a backslash or a control character, or of the tail
// shorter than a word. Transcript text is mostly such plain words, and
// testing a word at a time made validJSON about 1.4 times as fast on lines
// of 5 to 14 KB (minimum of 6 runs on a loaded 2-core machine).
func skipPlainWords(data []byte, j int) int {
	for j+8 <= len(data) && !hasSpecialByte(binary.LittleEndian.Uint64(data[j:])) {
		j += 8
	}
	return j
}

// hasSpecialByte reports whether a byte of x is '"', '\\' or below 0x20.
// The value (v - 0x01…) &^ v has a byte's high bit set exactly when some
// byte of v is zero. With 0x20 in place of 0x01, it does so when some byte
// is below 0x20.
func hasSpecialByte(x uint64) bool {
	quote := x ^ (eachByte01 * '"')
	backslash := x ^ (eachByte01 * '\\')
	zeroQuote := (quote - eachByte01) &^ quote
	zeroBackslash := (backslash - eachByte01) &^ backslash
	control := (x - eachByte01*0x20) &^ x
	return (zeroQuote|zeroBackslash|control)&eachByte80 != 0
}

// validEscape returns the length of the escape sequence at j.
func validEscape(data []byte, j int) (int, bool) {
	if j+1 >= len(data) {
		return 0, false
	}
	switch data[j+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2, true
	case 'u':
		if j+6 > len(data) {
			return 0, false
		}
		for _, h := range data[j+2 : j+6] {
			if !isHex(h) {
				return 0, false
			}
		}
		return 6, true
	}
	return 0, false
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// validNumber checks -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? at i.
func validNumber(data []byte, i int) (int, bool) {
	if data[i] == '-' {
		i++
	}
	switch {
	case i < len(data) && data[i] == '0':
		i++
	case i < len(data) && data[i] >= '1' && data[i] <= '9':
		i = skipDigits(data, i)
	default:
		return i, false
	}
	if i < len(data) && data[i] == '.' {
		j := skipDigits(data, i+1)
		if j == i+1 {
			return j, false
		}
		i = j
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		j := skipDigits(data, i)
		if j == i {
			return j, false
		}
		i = j
	}
	return i, true
}

func skipDigits(data []byte, i int) int {
	for i < len(data) && data[i] >= '0' && data[i] <= '9' {
		i++
	}
	return i
}
