package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

// notesOf returns the report notes of one unpriced model.
func notesOf(m analyze.UnpricedModel) string {
	var b bytes.Buffer
	ReportNotes(&b, &analyze.Report{UnpricedModels: []analyze.UnpricedModel{m}})
	return b.String()
}

func TestNotesBuiltInPricesNeedReprice(t *testing.T) {
	got := notesOf(analyze.UnpricedModel{Model: "claude-x", Provider: "anthropic", Requests: 3,
		Causes: analyze.UnpricedCauses{Repriceable: 3, PriceOrigin: pricing.EmbeddedName}})

	want := `note: the active price table prices model "claude-x" (provider "anthropic") but the store holds it unpriced, so the cost leaves out 3 requests; run costctl reprice` + "\n"
	if got != want {
		t.Errorf("notes:\n%s\nwant:\n%s", got, want)
	}
}

func TestNotesSplitCauses(t *testing.T) {
	// 6 requests: 1 priced by a row the table lacks, 2 repriceable, 1
	// known with no row in effect, and the other 2 of an unknown model.
	got := notesOf(analyze.UnpricedModel{Model: "m", Provider: "p", Requests: 6, StalePrices: 1,
		Causes: analyze.UnpricedCauses{Repriceable: 2, PriceOrigin: "own.yaml", NoRow: 1}})

	for _, want := range []string{
		"lacks the rows that priced 1 request",
		"own.yaml prices model \"m\" (provider \"p\") but the store holds it unpriced, so the cost leaves out 2 requests",
		"no price row in effect",
		"unknown model \"m\" (provider \"p\") has no price, so the cost leaves out 2 requests",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("notes lack %q:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "note: "); n != 4 {
		t.Errorf("%d notes, want 4:\n%s", n, got)
	}
}
