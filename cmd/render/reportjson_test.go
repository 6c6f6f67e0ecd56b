package render

import (
	"bytes"
	"testing"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

// jsonCells are priced, unpriced and HTML-escaped cells by endpoint.
func jsonCells() []analyze.Cell {
	var cells []analyze.Cell
	for i, endpoint := range []string{"/chat", "<a&b>", ""} {
		c := analyze.Cell{
			Key: []string{endpoint}, Provider: "openai", Model: "gpt-4o-mini", ModelID: "gpt-4o-mini",
			PriceRowID: "gpt-4o-mini@2024-07-18", ServiceTier: "standard", Requests: int64(i + 1),
		}
		c.Usage.Tokens[pricing.Input] = int64(1000 * (i + 1))
		c.Usage.Tokens[pricing.Output] = 7
		cells = append(cells, c)
	}
	unpriced := analyze.Cell{Key: []string{"/chat"}, Provider: "openai", Model: "my-model", Requests: 2}
	unpriced.Usage.Tokens[pricing.Input] = 10
	return append(cells, unpriced)
}

func TestReportJSONStreamsSameBytes(t *testing.T) {
	table, err := pricing.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		cells []analyze.Cell
	}{{"cells", jsonCells()}, {"no cells", nil}} {
		opts := analyze.ReportOptions{By: []string{analyze.DimEndpoint}}
		whole, err := analyze.BuildReport(tc.cells, table, opts)
		if err != nil {
			t.Fatal(err)
		}
		opts.StreamCells = true
		streamed, err := analyze.BuildReport(tc.cells, table, opts)
		if err != nil {
			t.Fatal(err)
		}
		if !streamed.StreamsCells() || len(streamed.Cells) != 0 {
			t.Fatalf("%s: the streamed report holds %d cells", tc.name, len(streamed.Cells))
		}

		var want, got bytes.Buffer
		if err := JSON(&want, whole); err != nil {
			t.Fatal(err)
		}
		if err := reportJSON(&got, streamed); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%s: streamed JSON differs:\n got  %s\n want %s", tc.name, got.Bytes(), want.Bytes())
		}
	}
}
