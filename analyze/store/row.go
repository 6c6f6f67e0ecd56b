package store

import (
	"database/sql"
	"fmt"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

// statusCodes encode Request.Status as a small integer. An empty status is
// stored as ok, the status of a request whose log names none.
var statusCodes = map[analyze.Status]int64{
	"":                       0,
	analyze.StatusOK:         0,
	analyze.StatusError:      1,
	analyze.StatusRejected:   2,
	analyze.StatusIncomplete: 3,
	analyze.StatusNoUsage:    4,
}

const statusNoUsage = 4

// row is one requests row with its dimensions as dictionary ids.
type row struct {
	id         int64
	key        string
	timeMS     int64
	dict       [numDictColumns]int64
	ints       [numIntColumns]int64
	sampleRate float64
	loggedCost sql.NullFloat64
	texts      [numTextColumns]string
}

// fields returns pointers to the row's fields in requestColumns order, for
// both Scan and statement arguments.
func (r *row) fields() []any {
	f := []any{&r.id, &r.key, &r.timeMS}
	for i := range r.dict {
		f = append(f, &r.dict[i])
	}
	for i := range r.ints {
		f = append(f, &r.ints[i])
	}
	f = append(f, &r.sampleRate, &r.loggedCost)
	for i := range r.texts {
		f = append(f, &r.texts[i])
	}
	return f
}

// dictStrings returns the request's dictionary-encoded values in dictColumns
// order.
func dictStrings(r *analyze.Request, priceTable string) [numDictColumns]string {
	var s [numDictColumns]string
	s[dProvider], s[dModel], s[dModelID], s[dPriceRowID] = r.Provider, r.Model, r.ModelID, r.PriceRowID
	s[dEndpoint], s[dTier], s[dCustomer] = r.Endpoint, r.Tier, r.Customer
	s[dUser], s[dSession] = r.User, r.Session
	s[dWorkspace], s[dProject], s[dAPIKey] = r.Workspace, r.Project, r.APIKey
	s[dServiceTier], s[dInferenceGeo], s[dSpeed] = r.ServiceTier, r.InferenceGeo, r.Speed
	s[dSource], s[dSourceSortKey], s[dFormat] = r.Source, r.SourceSortKey, r.Format
	s[dPriceTable] = priceTable
	return s
}

// encodeRow fills every row field except id and dict from the request.
func encodeRow(r *analyze.Request) (row, error) {
	status, ok := statusCodes[r.Status]
	if !ok {
		return row{}, fmt.Errorf("%s:%d: unknown status %q", r.Source, r.Line, r.Status)
	}
	if r.Time.IsZero() {
		return row{}, fmt.Errorf("%s:%d: request has no time", r.Source, r.Line)
	}

	out := row{key: r.DedupKey(), timeMS: r.Time.UnixMilli(), sampleRate: r.SampleRate}
	out.ints[iContextBand], out.ints[iStatus], out.ints[iLine] = int64(r.ContextBand), status, r.Line
	out.ints[iTurn], out.ints[iAttempt] = r.Turn, r.Attempt
	out.ints[iLatencyMS], out.ints[iTTFTMS], out.ints[iPrefixTokens] = r.LatencyMS, r.TTFTMS, r.PrefixTokens
	copy(out.ints[iTokens:iTokens+int(pricing.NumClasses)], r.Tokens[:])
	out.ints[iReasoning], out.ints[iWebSearches] = r.Reasoning, r.WebSearches
	out.loggedCost = sql.NullFloat64{Float64: r.LoggedCostUSD, Valid: r.HasLoggedCost}
	out.texts[tPrefixHash], out.texts[tRetryOf], out.texts[tRequestID] = r.PrefixHash, r.RetryOf, r.RequestID
	return out, nil
}

// usage returns the row's token counts.
func (r *row) usage() pricing.Usage {
	var u pricing.Usage
	copy(u.Tokens[:], r.ints[iTokens:iTokens+int(pricing.NumClasses)])
	u.Reasoning, u.WebSearches = r.ints[iReasoning], r.ints[iWebSearches]
	return u
}
