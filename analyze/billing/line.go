// Package billing reads the providers' own usage and cost exports and
// reconciles them with the requests costctl priced from logs. A bill is a
// separate kind of input: its lines are never requests.
package billing

import (
	"strings"
	"time"

	"github.com/costctl/costctl/pricing"
)

// Shape is one export format, detected by content.
type Shape string

// The export shapes costctl reads.
const (
	AnthropicUsage Shape = "anthropic-usage-report"
	AnthropicCost  Shape = "anthropic-cost-report"
	OpenAIUsage    Shape = "openai-usage-completions"
	OpenAICost     Shape = "openai-costs"
)

// Kind distinguishes usage lines (token counts) from cost lines (amounts).
type Kind string

// The two kinds of bill line.
const (
	KindUsage Kind = "usage"
	KindCost  Kind = "cost"
)

// Line is one result of one time bucket of an export: token counts for a
// usage line, an amount for a cost line. Dimensions an export was not
// grouped by are empty.
type Line struct {
	Provider string
	Kind     Kind
	Start    time.Time // bucket start, inclusive, UTC
	End      time.Time // bucket end, exclusive, UTC

	Model         string
	ServiceTier   string // "batch" for OpenAI lines with batch=true
	ContextWindow string // Anthropic "0-200k" or "200k-1M"
	InferenceGeo  string
	Workspace     string // Anthropic workspace_id
	Project       string // OpenAI project_id
	APIKey        string
	CostType      string // Anthropic cost_type: tokens, web_search, code_execution
	TokenType     string // Anthropic token_type of a token cost line
	Description   string // Anthropic cost line description
	LineItem      string // OpenAI costs line_item

	Usage    pricing.Usage // usage lines: exclusive buckets as in the canonical request
	Requests int64         // OpenAI num_model_requests; 0 when the export has none
	// CodeExecution counts billed code execution tool calls when a usage
	// export reports them.
	CodeExecution int64

	Amount   pricing.Pico // cost lines: the amount in picodollars
	Currency string       // lower case, "usd" for every line costctl can compare
}

// Identity returns the key that makes two copies the same line: the same
// bucket and group values, as an overlapping download or a re-download
// repeats them. The store keeps one line per identity.
// NOTE: two downloads of one bucket with different group_by settings have
// different identities, so both are kept and that bucket counts twice.
func (l *Line) Identity() string {
	parts := []string{
		l.Provider, string(l.Kind),
		l.Start.UTC().Format(time.RFC3339), l.End.UTC().Format(time.RFC3339),
		l.Model, l.ServiceTier, l.ContextWindow, l.InferenceGeo,
		l.Workspace, l.Project, l.APIKey,
		l.CostType, l.TokenType, l.Description, l.LineItem, l.Currency,
	}
	return strings.Join(parts, "\x1f")
}

// MoreComplete reports whether l should replace a stored copy o of the same
// line. A bucket downloaded while it was still open contains less than a
// later download, so the larger total wins. A tie keeps the stored copy,
// which makes the result independent of the order files are read in.
func (l *Line) MoreComplete(o *Line) bool {
	if l.Kind == KindCost {
		return absPico(l.Amount) > absPico(o.Amount)
	}
	return l.Usage.Total()+l.Usage.WebSearches+l.CodeExecution > o.Usage.Total()+o.Usage.WebSearches+o.CodeExecution
}

func absPico(p pricing.Pico) pricing.Pico {
	if p < 0 {
		return -p
	}
	return p
}
