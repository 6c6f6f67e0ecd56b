package clickhouse

import (
	"bytes"
	"fmt"
	"strconv"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/store"
	"github.com/costctl/costctl/pricing"
)

// statuses are the stored status values; an empty status is stored as ok,
// as in the SQLite store.
var statuses = map[analyze.Status]bool{
	analyze.StatusOK: true, analyze.StatusError: true, analyze.StatusRejected: true,
	analyze.StatusIncomplete: true, analyze.StatusNoUsage: true,
}

// stringValues returns the request's values in stringColumns order.
func stringValues(r *analyze.Request, priceTable string, status analyze.Status) []string {
	return []string{
		r.Provider, r.Model, r.ModelID, r.PriceRowID, r.Endpoint, r.Tier,
		r.Customer, r.User, r.Session, r.Workspace, r.Project, r.APIKey,
		r.ServiceTier, r.InferenceGeo, r.Speed, r.Source, r.SourceSortKey,
		r.Format, priceTable, string(status),
	}
}

// intValues returns the request's values in intColumns order.
func intValues(r *analyze.Request) []int64 {
	v := []int64{int64(r.ContextBand), r.Line, r.Turn, r.Attempt, r.LatencyMS, r.TTFTMS, r.PrefixTokens}
	v = append(v, r.Tokens[:]...)
	return append(v, r.Reasoning, r.WebSearches, r.Total())
}

// appendRow writes r as one TabSeparated row in requestColumns order.
func appendRow(buf *bytes.Buffer, r *analyze.Request, priceTable string, revision uint64) error {
	status := r.Status
	if status == "" {
		status = analyze.StatusOK
	}
	if !statuses[status] {
		return fmt.Errorf("%s:%d: unknown status %q", r.Source, r.Line, r.Status)
	}
	if r.Time.IsZero() {
		return fmt.Errorf("%s:%d: request has no time", r.Source, r.Line)
	}

	key := r.DedupKey()
	fields := []string{strconv.FormatInt(store.KeyHash(key), 10), tsvEscaper.Replace(key), strconv.FormatInt(r.Time.UnixMilli(), 10)}
	for _, s := range stringValues(r, priceTable, status) {
		fields = append(fields, tsvEscaper.Replace(s))
	}
	for _, n := range intValues(r) {
		fields = append(fields, strconv.FormatInt(n, 10))
	}
	fields = append(fields, strconv.FormatFloat(r.SampleRate, 'g', -1, 64), loggedCost(r),
		tsvEscaper.Replace(r.PrefixHash), tsvEscaper.Replace(r.RetryOf), tsvEscaper.Replace(r.RequestID),
		strconv.FormatUint(revision, 10))
	for i, f := range fields {
		if i > 0 {
			buf.WriteByte('\t')
		}
		buf.WriteString(f)
	}
	buf.WriteByte('\n')
	return nil
}

func loggedCost(r *analyze.Request) string {
	if !r.HasLoggedCost {
		return `\N`
	}
	return strconv.FormatFloat(r.LoggedCostUSD, 'g', -1, 64)
}

// selectColumns are the expressions that read a request back, in the order
// decodeRequest expects: requestColumns without total and revision, with
// logged_cost split in a null flag and a value.
func selectColumns() []string {
	cols := []string{"id", "dedup_key", "time_ms"}
	cols = append(cols, quoted(stringColumns)...)
	cols = append(cols, quoted(intColumns[:len(intColumns)-1])...)
	return append(cols, "sample_rate", "isNull(logged_cost)", "ifNull(logged_cost, 0)", "prefix_hash", "retry_of", "request_id")
}

func quoted(cols []string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = "`" + c + "`"
	}
	return out
}

// decodeRequest fills req from a row of selectColumns, ID or RecordHash
// restored from the dedup key, and returns the version of the table that
// priced it.
func decodeRequest(fields []string, req *analyze.Request) (string, error) {
	key, err := decodeFields(fields, req)
	if err != nil {
		return "", err
	}
	return key.priceTable, store.RestoreKey(req, key.dedupKey)
}

// storedKeys are the fields of a row that decodeFields leaves out of the
// request.
type storedKeys struct {
	dedupKey, priceTable string
}

// decodeFields fills req from a row of selectColumns, leaving its ID and
// RecordHash empty.
func decodeFields(fields []string, req *analyze.Request) (storedKeys, error) {
	f := &fieldReader{fields: fields}
	f.int() // id
	key := f.text()
	timeMS := f.int()
	var s [20]string
	for i := range stringColumns {
		s[i] = f.text()
	}
	var n [32]int64
	for i := range intColumns[:len(intColumns)-1] {
		n[i] = f.int()
	}
	sampleRate := f.float()
	isNull := f.int()
	cost := f.float()
	prefixHash, retryOf, requestID := f.text(), f.text(), f.text()
	if f.err != nil {
		return storedKeys{}, fmt.Errorf("scan requests: %w", f.err)
	}

	*req = analyze.Request{
		Time: time.UnixMilli(timeMS).UTC(), Provider: s[0], Model: s[1], ModelID: s[2], PriceRowID: s[3],
		Endpoint: s[4], Tier: s[5], Customer: s[6], User: s[7], Session: s[8],
		Workspace: s[9], Project: s[10], APIKey: s[11],
		ServiceTier: s[12], InferenceGeo: s[13], Speed: s[14], Source: s[15], SourceSortKey: s[16],
		Format: s[17], Status: analyze.Status(s[19]),
		ContextBand: int(n[0]), Line: n[1], Turn: n[2], Attempt: n[3], LatencyMS: n[4], TTFTMS: n[5], PrefixTokens: n[6],
		SampleRate: sampleRate, LoggedCostUSD: cost, HasLoggedCost: isNull == 0,
		PrefixHash: prefixHash, RetryOf: retryOf, RequestID: requestID,
	}
	copy(req.Tokens[:], n[7:7+int(pricing.NumClasses)])
	req.Reasoning, req.WebSearches = n[7+int(pricing.NumClasses)], n[8+int(pricing.NumClasses)]
	return storedKeys{dedupKey: key, priceTable: s[18]}, nil
}
