package render

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/costctl/costctl/analyze/check"
)

// checkMarkdown writes a pull-request comment: a summary sentence, the top
// changes, the explanation, the thresholds and the full detail in a
// collapsible block whose middle is elided to keep the whole comment
// within MarkdownLimit.
func checkMarkdown(w io.Writer, res *check.Result, top int) error {
	var head strings.Builder
	fmt.Fprintf(&head, "### costctl check: %s\n\n%s\n\n", statusMark(res.Status), summary(res))
	if g := topGrid(res, top, true); len(g.rows) > 0 {
		fmt.Fprintf(&head, "#### Top changes\n\n%s\n", renderGrid(g, true))
	}
	fmt.Fprintf(&head, "#### Why the cost changed\n\n%s\n", renderGrid(effectsGrid(res, true), true))
	if len(res.Thresholds) > 0 {
		fmt.Fprintf(&head, "#### Thresholds\n\n%s\n", renderGrid(thresholdsGrid(res, true), true))
	}
	for _, warn := range res.Warnings {
		fmt.Fprintf(&head, "> warning: %s\n", cellText(warn, true))
	}

	const open, closing = "<details>\n<summary>Full detail</summary>\n\n", "\n</details>\n"
	budget := MarkdownLimit - head.Len() - len(open) - len(closing) - 1
	_, err := fmt.Fprintf(w, "%s\n%s%s%s", head.String(), open, detail(res, budget), closing)
	return err
}

// detail renders every group and cell, keeping the first and last rows of
// each table and eliding the middle until the text fits in budget bytes.
func detail(res *check.Result, budget int) string {
	groups, cells := len(res.Groups), len(res.Cells)
	keep := max(groups, cells)
	for {
		text := detailText(res, min(keep, groups), min(keep, cells))
		if len(text) <= budget || keep == 0 {
			return text
		}
		// Shrink in proportion to the excess, and by at least one row.
		next := int(float64(keep) * float64(budget) / float64(len(text)) * 0.95)
		keep = min(next, keep-1)
	}
}

func detailText(res *check.Result, keepGroups, keepCells int) string {
	var b strings.Builder
	if len(res.By) > 0 {
		g := elide(groupsGrid(res, res.Groups, true), keepGroups)
		fmt.Fprintf(&b, "**Groups** (%d)\n\n%s\n", len(res.Groups), renderGrid(g, true))
	}
	g := elide(cellsGrid(res.Cells, true), keepCells)
	fmt.Fprintf(&b, "**Cells** (%d)\n\n%s", len(res.Cells), renderGrid(g, true))
	return b.String()
}

// elide keeps the first and last rows of g, keep in all, with one row
// saying how many were left out between them.
func elide(g grid, keep int) grid {
	if keep >= len(g.rows) {
		return g
	}
	first := (keep + 1) / 2
	last := keep - first
	marker := make([]string, len(g.header))
	marker[0] = fmt.Sprintf("… %d rows omitted …", len(g.rows)-keep)
	rows := append(append(append([][]string{}, g.rows[:first]...), marker), g.rows[len(g.rows)-last:]...)
	g.rows = rows
	return g
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
