package pricing

import (
	"strings"
	"testing"
)

func TestParseMTok(t *testing.T) {
	tests := []struct {
		text    string
		want    Pico
		wantErr string
	}{
		{"0.075", 75_000, ""},
		{"3.75", 3_750_000, ""},
		{"0.30", 300_000, ""},
		{"22.50", 22_500_000, ""},
		{"0", 0, ""},
		{"0.000001", 1, ""},
		{"75", 75_000_000, ""},
		{"0.0000001", 0, "has 7 decimals"},
		{"-1", 0, "is negative"},
		{"1e3", 0, "not a plain decimal"},
		{".5", 0, "not a plain decimal"},
		{"5.", 0, "not a plain decimal"},
		{"1_000", 0, "not a plain decimal"},
		{"abc", 0, "not a plain decimal"},
		{"", 0, "not a plain decimal"},
		{"99999999999999", 0, "too large"},
	}
	for _, tc := range tests {
		got, err := parseMTok(tc.text)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("parseMTok(%q) error = %v, want %q", tc.text, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("parseMTok(%q) = %d, %v, want %d", tc.text, got, err, tc.want)
		}
	}
}

func TestParsePer1K(t *testing.T) {
	// $10 per 1,000 calls = $0.01 per call = 10^10 picodollars.
	got, err := parsePer1K("10")
	if err != nil || got != 10_000_000_000 {
		t.Errorf("parsePer1K(10) = %d, %v, want 10000000000", got, err)
	}
}

func TestMultiplier(t *testing.T) {
	tests := []struct {
		factor string
		price  Pico
		want   Pico
		str    string
	}{
		{"0.5", 75_000, 37_500, "0.5"},
		{"1.1", 300_000, 330_000, "1.1"},
		{"6", 25_000_000, 150_000_000, "6"},
		{"1", 7, 7, "1"},
		{"0.5", 1, 1, "0.5"}, // 0.5 pico rounds half away from zero
		{"0.5", 3, 2, "0.5"}, // 1.5 pico rounds to 2
		{"0.25", 3, 1, "0.25"},
	}
	for _, tc := range tests {
		m, err := parseMultiplier(tc.factor)
		if err != nil {
			t.Fatalf("parseMultiplier(%q): %v", tc.factor, err)
		}
		if got := m.apply(tc.price); got != tc.want {
			t.Errorf("%s × %d = %d, want %d", tc.factor, tc.price, got, tc.want)
		}
		if got := m.String(); got != tc.str {
			t.Errorf("String() = %q, want %q", got, tc.str)
		}
	}
}
