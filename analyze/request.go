// Package analyze holds costctl's canonical request record, the pricing of
// records against a price table, and the report model built from the store.
package analyze

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/costctl/costctl/pricing"
)

// Status is how far a request's usage can be trusted.
type Status string

// The request statuses of the data model.
const (
	StatusOK         Status = "ok"         // billed as logged
	StatusError      Status = "error"      // failed, but usage was billed as logged
	StatusRejected   Status = "rejected"   // refused before any work: a known $0
	StatusIncomplete Status = "incomplete" // stream cut off: last usage seen, a lower bound
	StatusNoUsage    Status = "no_usage"   // cost unknown: counted, never shown as $0
)

// Request is one LLM API call normalised from any log format. Token counts
// are exclusive buckets (see pricing.Usage); string dimensions are empty
// when the log does not carry them, never guessed.
type Request struct {
	// ID is the provider's response id (msg_…, chatcmpl-…, resp_…). Empty
	// when the log has none; then DedupKey falls back to the record hash.
	ID string
	// RequestID is provenance only (Claude Code's requestId): a sidechain
	// replay of a message carries another one but is the same request.
	RequestID string
	// RecordHash identifies an id-less record by content; with Source and
	// Line it keeps two identical rows of one file as two requests.
	RecordHash string

	Time     time.Time // request start, UTC; zero when the log has none
	Provider string    // anthropic, openai, google, aws_bedrock, vertex_ai
	Model    string    // as logged

	Endpoint, Tier, Customer, User, Session string
	Workspace, Project, APIKey              string
	Turn                                    int64

	pricing.Usage

	ServiceTier, InferenceGeo, Speed string

	Status     Status
	Attempt    int64
	RetryOf    string
	SampleRate float64 // 0 or 1 both mean every request was logged

	LatencyMS, TTFTMS, PrefixTokens int64
	PrefixHash                      string

	LoggedCostUSD float64
	HasLoggedCost bool
	Format        string // name of the log format it came from
	Source        string // file path, or "-" for stdin
	Line          int64  // 1-based line (or record index) in Source
	SourceSortKey string // Source as compared by the most-complete rule

	// Set by pricing (Price), stored with the request.
	ModelID     string // canonical price-table id; empty when unpriced
	PriceRowID  string // id of the dated price row that priced it
	ContextBand int    // index of the long-context band; 0 is the base band
}

// DedupKey is the store's identity of a request: (provider, id) when the
// log has a response id, else (format, record hash, source, line) so that
// re-reading a file is idempotent.
func (r *Request) DedupKey() string {
	if r.ID != "" {
		return r.Provider + "\x00" + r.ID
	}
	return r.Format + "\x00" + r.RecordHash + "\x00" + r.Source + "\x00" + strconv.FormatInt(r.Line, 10)
}

// MoreComplete reports whether a should replace b as the stored copy of one
// request: the highest output wins, then the highest total, then the
// smallest (source, line), so the result does not depend on reading order.
func MoreComplete(a, b *Request) bool {
	if a.Tokens[pricing.Output] != b.Tokens[pricing.Output] {
		return a.Tokens[pricing.Output] > b.Tokens[pricing.Output]
	}
	if at, bt := a.Total(), b.Total(); at != bt {
		return at > bt
	}
	if a.Source != b.Source {
		return a.Source < b.Source
	}
	return a.Line < b.Line
}

// ReplaceInvalidUTF8 replaces bytes that are not UTF-8 in the record's
// text fields with U+FFFD, so a log in another encoding can never put
// bytes into the store that reports and JSON documents cannot carry.
func (r *Request) ReplaceInvalidUTF8() {
	fields := []*string{
		&r.ID, &r.RequestID, &r.Provider, &r.Model, &r.Endpoint, &r.Tier, &r.Customer, &r.User,
		&r.Session, &r.Workspace, &r.Project, &r.APIKey, &r.ServiceTier, &r.InferenceGeo,
		&r.Speed, &r.RetryOf, &r.PrefixHash,
	}
	for _, f := range fields {
		if !utf8.ValidString(*f) {
			*f = strings.ToValidUTF8(*f, "\uFFFD")
		}
	}
}
