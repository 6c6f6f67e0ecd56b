package billing

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/costctl/costctl/pricing"
)

// FuzzParse checks that no input panics the parser and that every line it
// accepts has non-negative token counts.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "billing", "*", "bill", "*"))
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"data":[],"has_more":false}`))

	f.Fuzz(func(t *testing.T, data []byte) {
		exp, err := Parse(bytes.NewReader(data))
		if err != nil {
			return
		}
		for i, l := range exp.Lines {
			for c := pricing.Class(0); c < pricing.NumClasses; c++ {
				if l.Usage.Tokens[c] < 0 {
					t.Fatalf("line %d: negative %s tokens %d", i, c, l.Usage.Tokens[c])
				}
			}
		}
	})
}
