package render

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/costctl/costctl/analyze/check"
)

// MarkdownLimit is the largest Markdown check comment, in bytes, which
// are never fewer than characters. The GitHub API rejects a longer comment
// with "Body is too long (maximum is 65536 characters)", and the margin
// leaves room for text that a CI step adds around the comment.
const MarkdownLimit = 60000

// effectMeanings describe in words what each effect measures.
var effectMeanings = [][2]string{
	{"volume", "more or fewer requests, at the baseline mix"},
	{"mix", "requests moving between endpoints, models, tiers and context bands"},
	{"price", "unit prices per token class (price table or tier changes)"},
	{"tokens", "tokens per request within the same cell (longer prompts or outputs, cache hits)"},
}

// Check writes a check result as a table, JSON or Markdown. top is the
// number of rows in the table of top changes.
func Check(w io.Writer, res *check.Result, format string, top int) error {
	switch format {
	case FormatJSON:
		return JSON(w, res)
	case FormatMarkdown:
		return checkMarkdown(w, res, top)
	default:
		return checkTable(w, res, top)
	}
}

func checkTable(w io.Writer, res *check.Result, top int) error {
	fmt.Fprintf(w, "costctl check: %s\n%s\n\n", strings.ToUpper(res.Status), summary(res))
	steps := []grid{effectsGrid(res, false), thresholdsGrid(res, false), topGrid(res, top, false)}
	for _, g := range steps {
		if len(g.rows) == 0 {
			continue
		}
		if err := writeTable(w, g); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	for _, warn := range res.Warnings {
		fmt.Fprintf(w, "warning: %s\n", warn)
	}
	return nil
}

// summary is the one sentence a reader needs: the change, its basis and
// its largest effect.
func summary(res *check.Result) string {
	per := ""
	if res.Basis == check.BasisPerDay {
		per = " per day"
	}
	s := fmt.Sprintf("Cost%s went from %s to %s: %s (%s)", per, USD(res.BaselineCostUSD), USD(res.CurrentCostUSD), signedUSD(res.ChangeUSD), pctText(res.ChangePct))
	if res.ChangeUSD != 0 {
		name, v := largestEffect(res.Effects)
		s += fmt.Sprintf(", mostly %s (%s)", name, signedUSD(v))
	}
	s += "."
	if n := res.Current.UnpricedRequests; n > 0 {
		s += fmt.Sprintf(" %s current requests are unpriced and not in the cost.", Count(n))
	}
	return s
}

func largestEffect(e check.Effects) (string, float64) {
	values := effectValues(e)
	best := 0
	for i, v := range values {
		if math.Abs(v) > math.Abs(values[best]) {
			best = i
		}
	}
	return effectMeanings[best][0], values[best]
}

func effectValues(e check.Effects) []float64 {
	return []float64{e.VolumeUSD, e.MixUSD, e.PriceUSD, e.TokensUSD}
}

func effectsGrid(res *check.Result, md bool) grid {
	g := grid{header: []string{"effect", "change", "what it measures"}, numeric: []bool{false, true, false}}
	for i, v := range effectValues(res.Effects) {
		g.rows = append(g.rows, []string{effectMeanings[i][0], signedUSD(v), effectMeanings[i][1]})
	}
	g.footer = []string{"total", signedUSD(res.ChangeUSD), ""}
	if md {
		g.rows = append(g.rows, []string{"**total**", "**" + signedUSD(res.ChangeUSD) + "**", ""})
		g.footer = nil
	}
	return g
}

func thresholdsGrid(res *check.Result, md bool) grid {
	g := grid{header: []string{"result", "threshold", "warn", "fail", "detail"}, numeric: []bool{false, false, true, true, false}}
	for _, t := range res.Thresholds {
		mark := t.Status
		if md {
			mark = statusMark(t.Status)
		}
		g.rows = append(g.rows, []string{mark, t.Name, levelText(t.Warn), levelText(t.Fail), cellText(t.Message, md)})
	}
	return g
}

func statusMark(s string) string {
	switch s {
	case check.StatusFail:
		return "❌ fail"
	case check.StatusWarn:
		return "⚠️ warn"
	}
	return "✅ pass"
}

func levelText(v *float64) string {
	if v == nil {
		return "-"
	}
	return Exact(*v)
}

// topGrid lists the groups that moved most, or the cells without --by.
func topGrid(res *check.Result, top int, md bool) grid {
	if len(res.By) > 0 {
		return groupsGrid(res, res.Groups[:min(top, len(res.Groups))], md)
	}
	return cellsGrid(res.Cells[:min(top, len(res.Cells))], md)
}

var changeHeader = []string{"baseline", "current", "change", "change %", "volume", "mix", "price", "tokens"}

func groupsGrid(res *check.Result, groups []check.GroupChange, md bool) grid {
	g := grid{header: append([]string{strings.Join(res.By, " / ")}, changeHeader...)}
	for _, grp := range groups {
		g.rows = append(g.rows, append([]string{cellText(keyText(res.By, grp.Key), md)}, changeCells(grp.Change)...))
	}
	g.numeric = numericAfterFirst(len(g.header))
	return g
}

func cellsGrid(cells []check.CellChange, md bool) grid {
	g := grid{header: append([]string{"cell"}, changeHeader...)}
	for _, c := range cells {
		g.rows = append(g.rows, append([]string{cellText(cellLabel(c), md)}, changeCells(c.Change)...))
	}
	g.numeric = numericAfterFirst(len(g.header))
	return g
}

func numericAfterFirst(n int) []bool {
	out := make([]bool, n)
	for i := 1; i < n; i++ {
		out[i] = true
	}
	return out
}

func changeCells(ch check.Change) []string {
	e := ch.Effects
	return []string{
		USD(ch.BaselineCostUSD), USD(ch.CurrentCostUSD), signedUSD(ch.ChangeUSD), pctText(ch.ChangePct),
		signedUSD(e.VolumeUSD), signedUSD(e.MixUSD), signedUSD(e.PriceUSD), signedUSD(e.TokensUSD),
	}
}

func keyText(by []string, key map[string]any) string {
	parts := make([]string, len(by))
	for i, d := range by {
		parts[i] = fmt.Sprint(key[d])
		if parts[i] == "" {
			parts[i] = "(none)"
		}
	}
	return strings.Join(parts, " / ")
}

// cellLabel names a cell by its key values, model and any price modifier
// that is not the default, and marks simulate's summariser calls, which
// would otherwise share the label of the requests beside them.
func cellLabel(c check.CellChange) string {
	parts := []string{}
	for _, k := range sortedKeys(c.Key) {
		parts = append(parts, fmt.Sprint(c.Key[k]))
	}
	parts = append(parts, c.Model)
	if c.ServiceTier != "" && c.ServiceTier != "standard" {
		parts = append(parts, c.ServiceTier)
	}
	if c.ContextBand > 0 {
		parts = append(parts, fmt.Sprintf("band %d", c.ContextBand))
	}
	for _, v := range []string{c.InferenceGeo, c.Speed} {
		if v != "" {
			parts = append(parts, v)
		}
	}
	if c.SummariserCalls() {
		parts = append(parts, "summariser calls")
	}
	return strings.Join(parts, " / ")
}

// signedUSD formats a change with an explicit sign before the dollar.
// Rounding noise of float sums (below a billionth of a cent) shows as
// zero, so an unchanged price does not read as "-$0.000000".
func signedUSD(v float64) string {
	if math.Abs(v) < 1e-11 {
		return USD(0)
	}
	if v < 0 {
		return "-" + USD(-v)
	}
	return "+" + USD(v)
}

func pctText(p *float64) string {
	if p == nil {
		return "new"
	}
	return fmt.Sprintf("%+.1f%%", *p)
}

// cellText escapes the characters that would end a Markdown table cell.
func cellText(s string, md bool) string {
	if !md {
		return s
	}
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}

func renderGrid(g grid, md bool) string {
	var b bytes.Buffer
	write := writeTable
	if md {
		write = writeMarkdown
	}
	if err := write(&b, g); err != nil {
		return fmt.Sprintf("(table could not be written: %v)\n", err)
	}
	return b.String()
}
