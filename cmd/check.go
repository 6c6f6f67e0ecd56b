package cmd

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/costctl/costctl/analyze/check"
	"github.com/costctl/costctl/cmd/render"
	"github.com/costctl/costctl/cmd/render/html"
)

type checkOptions struct {
	baseline     string
	current      []string
	since, until time.Time
	loc          *time.Location
	by           []string
	top          int
	format       string
	output       string
	thresholds   map[string]check.Level
	chartPNG     string
	monthToDate  bool
	asOf         time.Time
}

// thresholdFlags maps each threshold flag to its threshold and level.
var thresholdFlags = []struct {
	flag, threshold, level, help string
}{
	{"warn-increase-usd", check.IncreaseUSD, "warn", "warn when total cost rises by more than this many USD"},
	{"fail-increase-usd", check.IncreaseUSD, "fail", "fail when total cost rises by more than this many USD"},
	{"warn-increase-pct", check.IncreasePct, "warn", "warn when total cost rises by more than this percent (0-100 scale)"},
	{"fail-increase-pct", check.IncreasePct, "fail", "fail when total cost rises by more than this percent (0-100 scale)"},
	{"warn-group-increase-usd", check.GroupIncreaseUSD, "warn", "warn when any --by group's cost rises by more than this many USD"},
	{"fail-group-increase-usd", check.GroupIncreaseUSD, "fail", "fail when any --by group's cost rises by more than this many USD"},
	{"warn-group-increase-pct", check.GroupIncreasePct, "warn", "warn when any --by group's cost rises by more than this percent"},
	{"fail-group-increase-pct", check.GroupIncreasePct, "fail", "fail when any --by group's cost rises by more than this percent"},
	{"warn-cost-per-request", check.CostPerRequestUSD, "warn", "warn when the current cost per request is above this many USD"},
	{"fail-cost-per-request", check.CostPerRequestUSD, "fail", "fail when the current cost per request is above this many USD"},
	{"max-unpriced", check.UnpricedRequests, "fail", "fail when the current side has more unpriced requests than this"},
}

func newCheckCmd(a *app) *cobra.Command {
	c := &cobra.Command{
		Use:   "check --baseline FILE [--current FILE ...]",
		Short: "Compare cost with a baseline, explain the change and gate CI on thresholds",
		Long: `Compare the current cost with a baseline document written by
costctl report or costctl simulate with --format json, split the change
into volume, mix, price and tokens-per-request effects, and judge warn and
fail thresholds. Several --current files (shards of parallel jobs) are
merged by adding them up, so each file may be given once; without --current
the current figures come from the store over --since/--until. Windows of
different lengths are compared per day.

Thresholds come from the flags and from the config section
budgets.thresholds, each with a warn and a fail level:
  ` + strings.Join(check.ThresholdNames, ", ") + `
A flag overrides the config. The warn level must not be above the fail
level. A fail-level breach exits 1 after all output is written; a
warn-level one exits 0.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			opts, err := a.checkOptions(c)
			if err != nil {
				return err
			}
			return a.runCheck(c.Context(), opts)
		},
	}
	declareCheckFlags(c)
	names := []string{"baseline", "current", "since", "until", "tz", "by", "top", "format", "output", "chart-png", "month-to-date", "as-of"}
	for _, t := range thresholdFlags {
		names = append(names, t.flag)
	}
	a.bindFlags(c, "check", names...)
	return c
}

func declareCheckFlags(c *cobra.Command) {
	f := c.Flags()
	f.String("baseline", "", "baseline document (JSON from costctl report or simulate)")
	f.StringSlice("current", nil, "current document(s); several are merged; default: the store")
	f.String("since", "", "store mode: start of the current window, inclusive (RFC 3339 or YYYY-MM-DD in --tz)")
	f.String("until", "", "store mode: end of the current window, exclusive (RFC 3339 or YYYY-MM-DD in --tz)")
	f.String("tz", "UTC", "store mode: IANA time zone of the window")
	f.StringSlice("by", nil, "show and judge groups of these dimensions (both documents must have them)")
	f.Int("top", 10, "rows in the table of top changes")
	f.String("format", render.FormatTable, "output format: table, json, markdown or html (one self-contained file with charts)")
	f.StringP("output", "o", "", "write to FILE instead of standard output")
	f.String("chart-png", "", "also write the explanation charts as PNG files into DIR")
	f.Bool("month-to-date", false, "hold month-to-date spend and its forecast against budgets.monthly instead of comparing documents")
	f.String("as-of", "", "with --month-to-date: the time to judge at (RFC 3339; default now)")
	for _, t := range thresholdFlags {
		if t.threshold == check.UnpricedRequests {
			f.Int64(t.flag, 0, t.help)
			continue
		}
		f.Float64(t.flag, 0, t.help)
	}
}

func (a *app) checkOptions(c *cobra.Command) (checkOptions, error) {
	opts := checkOptions{
		baseline: a.v.GetString("check.baseline"),
		current:  splitList(a.v.GetStringSlice("check.current")),
		by:       splitList(a.v.GetStringSlice("check.by")),
		top:      a.v.GetInt("check.top"),
		format:   a.v.GetString("check.format"),
		output:   a.v.GetString("check.output"),
	}
	opts.chartPNG = a.v.GetString("check.chart_png")
	if err := a.checkMonthToDate(&opts); err != nil {
		return opts, err
	}
	if opts.baseline == "" && !opts.monthToDate {
		return opts, usageErrorf("--baseline is required: a document written by costctl report --format json (or use --month-to-date)")
	}
	if err := rejectRepeatedFiles(opts.current); err != nil {
		return opts, err
	}
	if err := checkDims(opts.by); err != nil {
		return opts, a.fromSetting(c, "check", err)
	}
	if !slices.Contains([]string{render.FormatTable, render.FormatJSON, render.FormatMarkdown, render.FormatHTML}, opts.format) {
		return opts, a.fromSetting(c, "check", usageErrorf("--format %q: want table, json, markdown or html", opts.format))
	}
	if opts.top < 1 {
		return opts, usageErrorf("--top %d: want 1 or more", opts.top)
	}

	var err error
	if opts.thresholds, err = a.checkThresholds(); err != nil {
		return opts, err
	}
	if len(opts.by) == 0 && (isSet(opts.thresholds[check.GroupIncreaseUSD]) || isSet(opts.thresholds[check.GroupIncreasePct])) {
		return opts, usageErrorf("group thresholds need --by: name the dimensions whose groups they judge, such as --by endpoint")
	}
	if opts.loc, err = loadZone(a.v.GetString("check.tz")); err != nil {
		return opts, a.fromSetting(c, "check", err)
	}
	opts.since, opts.until, err = parseWindow(a.v.GetString("check.since"), a.v.GetString("check.until"), opts.loc)
	if err != nil {
		return opts, a.fromSetting(c, "check", err)
	}
	return opts, nil
}

// checkThresholds reads budgets.thresholds from the config, then lets each
// threshold flag that was given (or set through its environment variable)
// override its level.
func (a *app) checkThresholds() (map[string]check.Level, error) {
	levels := map[string]check.Level{}
	for name := range a.v.GetStringMap("budgets.thresholds") {
		if !slices.Contains(check.ThresholdNames, name) {
			return nil, usageErrorf("config budgets.thresholds.%s: unknown threshold; use any of %s", name, strings.Join(check.ThresholdNames, ", "))
		}
	}
	// sources names where each level was set ("increase_usd.warn" to a
	// flag or config key), for the error about levels out of order.
	sources := map[string]string{}
	for _, name := range check.ThresholdNames {
		var l check.Level
		for _, level := range []string{"warn", "fail"} {
			if key := "budgets.thresholds." + name + "." + level; a.v.IsSet(key) {
				setLevel(&l, level, a.v.GetFloat64(key))
				sources[name+"."+level] = "config " + key
			}
		}
		levels[name] = l
	}

	for _, t := range thresholdFlags {
		if key := "check." + strings.ReplaceAll(t.flag, "-", "_"); a.v.IsSet(key) {
			l := levels[t.threshold]
			setLevel(&l, t.level, a.v.GetFloat64(key))
			levels[t.threshold] = l
			sources[t.threshold+"."+t.level] = "--" + t.flag
		}
	}
	return levels, checkLevelOrder(levels, sources)
}

// checkLevelOrder rejects a threshold whose warn level is above its fail
// level: a value between the two would fail without a warning first.
func checkLevelOrder(levels map[string]check.Level, sources map[string]string) error {
	for _, name := range check.ThresholdNames {
		l := levels[name]
		if l.Warn == nil || l.Fail == nil || *l.Warn <= *l.Fail {
			continue
		}
		return usageErrorf("threshold %s: warn level %g (%s) is above fail level %g (%s); set the warn level at or below the fail level",
			name, *l.Warn, sources[name+".warn"], *l.Fail, sources[name+".fail"])
	}
	return nil
}

// rejectRepeatedFiles rejects a --current file given twice, under the same
// or another path, or a copy of one: shards are merged by adding them up,
// so a repeated document would count its traffic twice.
func rejectRepeatedFiles(paths []string) error {
	for i, p := range paths {
		for _, q := range paths[:i] {
			switch {
			case p == q:
				return usageErrorf("--current %s is given twice: give each shard once, because shards are added up", p)
			case sameFile(p, q):
				return usageErrorf("--current %s and %s are the same file: give each shard once, because shards are added up", q, p)
			case sameContent(p, q):
				return usageErrorf("--current %s and %s have the same content: give each shard once, because shards are added up", q, p)
			}
		}
	}
	return nil
}

// sameContent reports whether two readable files hold the same bytes. Two
// shards of real traffic never do, since each lists its own cells.
func sameContent(a, b string) bool {
	dataA, errA := os.ReadFile(a)
	dataB, errB := os.ReadFile(b)
	return errA == nil && errB == nil && bytes.Equal(dataA, dataB)
}

// sameFile reports whether two paths name one file. Paths that cannot be
// read are compared as cleaned text; reading them reports the error later.
func sameFile(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	infoA, errA := os.Stat(a)
	infoB, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(infoA, infoB)
}

func isSet(l check.Level) bool { return l.Warn != nil || l.Fail != nil }

func setLevel(l *check.Level, level string, v float64) {
	if level == "warn" {
		l.Warn = &v
		return
	}
	l.Fail = &v
}

func (a *app) runCheck(ctx context.Context, opts checkOptions) error {
	if opts.monthToDate {
		return a.runBudgetCheck(ctx, opts)
	}
	baseline, err := readCheckDocs([]string{opts.baseline})
	if err != nil {
		return err
	}
	current, err := a.currentDoc(ctx, opts, baseline.By)
	if err != nil {
		return err
	}

	res, err := check.Compare(baseline, current, check.Options{By: opts.by, Thresholds: opts.thresholds, GeneratedBy: generatedBy()})
	if err != nil {
		return withCode(ExitUsage, fmt.Errorf("check: %w", err))
	}
	if err := writeCheckPNGs(opts.chartPNG, res); err != nil {
		return err
	}
	err = a.writeDocument(opts.output, func(w io.Writer) error {
		if opts.format == render.FormatHTML {
			return html.Check(w, res)
		}
		return render.Check(w, res, opts.format, opts.top)
	})
	if err != nil {
		return err
	}
	return checkExit(res)
}

// currentDoc reads and merges the --current files, or builds the current
// report from the store with the code report uses.
func (a *app) currentDoc(ctx context.Context, opts checkOptions, by []string) (*check.Document, error) {
	if len(opts.current) > 0 {
		return readCheckDocs(opts.current)
	}
	rep, err := a.buildReport(ctx, reportOptions{by: by, since: opts.since, until: opts.until, loc: opts.loc})
	if err != nil {
		return nil, err
	}
	return check.FromReport("store "+a.v.GetString("db"), rep), nil
}

func readCheckDocs(paths []string) (*check.Document, error) {
	docs := make([]*check.Document, 0, len(paths))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, usageErrorf("check: %w", err)
		}
		d, err := check.Parse(p, data)
		if err != nil {
			return nil, usageErrorf("check: %w", err)
		}
		docs = append(docs, d)
	}
	d, err := check.Merge(docs)
	if err != nil {
		return nil, usageErrorf("check: %w", err)
	}
	return d, nil
}

// writeCheckPNGs writes the explanation's charts into dir, if set.
func writeCheckPNGs(dir string, res *check.Result) error {
	if dir == "" {
		return nil
	}
	charts, err := html.CheckCharts(res)
	if err != nil {
		return withCode(ExitRuntime, fmt.Errorf("charts: %w", err))
	}
	return writeChartPNGs(dir, charts)
}

// checkMonthToDate reads --month-to-date and --as-of; the budget check
// judges the month of --as-of in --tz.
func (a *app) checkMonthToDate(opts *checkOptions) error {
	opts.monthToDate = a.v.GetBool("check.month_to_date")
	asOf := a.v.GetString("check.as_of")
	if !opts.monthToDate {
		if asOf != "" {
			return usageErrorf("--as-of needs --month-to-date")
		}
		return nil
	}
	if opts.baseline != "" || len(opts.current) > 0 {
		return usageErrorf("--month-to-date judges the store against budgets.monthly: drop --baseline and --current")
	}
	if opts.format == render.FormatHTML {
		return usageErrorf("--month-to-date writes table, json or markdown")
	}
	opts.asOf = time.Now().UTC()
	if asOf == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, asOf)
	if err != nil {
		return usageErrorf("--as-of %q: want an RFC 3339 time such as 2025-11-20T12:00:00Z", asOf)
	}
	opts.asOf = t.UTC()
	return nil
}

// checkExit turns a fail status into exit 1, once every output is written.
func checkExit(res *check.Result) error {
	if res.Status != check.StatusFail {
		return nil
	}
	var failed []string
	for _, t := range res.Thresholds {
		if t.Status == check.StatusFail {
			failed = append(failed, t.Name)
		}
	}
	return withCode(ExitRegression, fmt.Errorf("check failed: %s at fail level", strings.Join(failed, ", ")))
}
