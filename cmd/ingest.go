package cmd

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/costctl/costctl/analyze/ingest"
	"github.com/costctl/costctl/analyze/logs"
	"github.com/costctl/costctl/cmd/render"
)

type ingestOptions struct {
	paths       []string
	inputFormat string
	assumeTime  time.Time
	strict      bool
	listFormats bool
	explain     string // a file to explain instead of ingesting
	output      string // summary format: table (text for people) or json
	// fieldMap is the dimensions: config section with the --map flags
	// laid over it.
	fieldMap map[string]string
	hashKey  []byte // set by --hash-ids
}

func newIngestCmd(a *app) *cobra.Command {
	c := &cobra.Command{
		Use:   "ingest [FILE|DIR|-]...",
		Short: "Load request logs into the store, pricing each request",
		Long: `Load request logs into the store, pricing each request with the price row
in effect at its time. The format of each file is detected from its content;
directories are read recursively and - reads standard input.

Re-ingesting a file stores nothing twice. A request with a provider response
id (msg_..., chatcmpl-..., resp_..., or the id field of costctl's own format)
is stored once across all files, keeping its most complete copy. A request
without one (Bedrock Converse responses, costctl rows with no id) is
identified by its file and line, because two identical rows in one file are
two requests: a renamed or copied file, such as a rotated log, stores those
requests again. Ingest rotated files under their final names, or log a
request id.

--map DIM=PATH sets a dimension from a dotted path into each raw record
(metadata.customer_id, attributes.app.tier, a CSV column name), over the
dimensions: section of the config file. Dimensions: ` + strings.Join(logs.MappableDimensions(), ", ") + `.
A path not found in a file's first records is reported on stderr.

--hash-ids stores user and customer ids as HMAC-SHA256 pseudonyms. The
first ingest into a store records whether its ids are hashed, and a
fingerprint of the key (never the key); a later ingest with the other
choice or another key exits 2 and stores nothing. A store written by an
older costctl, with no record, counts as hashed if any stored id is a
pseudonym (hmac:...) and as plain otherwise.`,
		RunE: func(c *cobra.Command, args []string) error {
			opts, err := a.ingestOptions(args)
			if err != nil {
				return err
			}
			return a.runIngest(c.Context(), opts)
		},
	}
	f := c.Flags()
	f.String("input-format", "", "force the input format (see --list-formats)")
	f.String("assume-time", "", "RFC 3339 time for records that carry none (else they are rejected)")
	f.Bool("strict", false, "store nothing from an input with any rejected line")
	f.Bool("list-formats", false, "list the input formats and exit")
	f.String("explain", "", "show FILE's detected format, the field mapping and its first requests, storing nothing")
	f.String("format", render.FormatTable, "summary format: table (text) or json")
	f.StringArray("map", nil, "set dimension DIM from PATH in each raw record, as DIM=PATH (repeatable)")
	f.Bool("hash-ids", false, "store user and customer ids as HMAC-SHA256 pseudonyms keyed with COSTCTL_HASH_KEY or the config's hash_key")
	a.bindFlags(c, "ingest", "input-format", "assume-time", "strict", "list-formats", "format", "map", "hash-ids", "explain")
	return c
}

func (a *app) ingestOptions(args []string) (ingestOptions, error) {
	opts := ingestOptions{
		paths:       args,
		inputFormat: a.v.GetString("ingest.input_format"),
		output:      a.v.GetString("ingest.format"),
		strict:      a.v.GetBool("ingest.strict"),
	}
	opts.listFormats = a.v.GetBool("ingest.list_formats")
	opts.explain = a.v.GetString("ingest.explain")
	if err := logs.CheckFormat(opts.inputFormat); err != nil {
		return opts, usageErrorf("--input-format: %w", err)
	}
	if opts.output != render.FormatTable && opts.output != render.FormatJSON {
		return opts, usageErrorf("--format %q: want table or json", opts.output)
	}

	if s := a.v.GetString("ingest.assume_time"); s != "" {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return opts, usageErrorf("--assume-time %q: want an RFC 3339 time such as 2025-01-31T12:00:00Z", s)
		}
		opts.assumeTime = t.UTC()
	}
	fieldMap, err := a.fieldMap()
	if err != nil {
		return opts, err
	}
	opts.fieldMap = fieldMap
	if opts.hashKey, err = a.hashKey(); err != nil {
		return opts, err
	}
	if !opts.listFormats && opts.explain == "" && len(opts.paths) == 0 {
		return opts, usageErrorf("ingest needs at least one FILE, DIR or - (standard input)")
	}
	return opts, nil
}

func (a *app) runIngest(ctx context.Context, opts ingestOptions) error {
	if opts.listFormats {
		return render.Formats(a.io.Out, logs.Formats())
	}
	if opts.explain != "" {
		return a.runExplain(ctx, opts)
	}
	table, err := a.priceTable()
	if err != nil {
		return err
	}
	st, err := a.openBackend(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()

	paths, missing := splitMissing(opts.paths)
	bar := newProgress(a.io, "ingesting", inputBytes(paths), false)
	sum, err := ingest.Run(ctx, st, table, a.inputs(paths), ingest.Options{
		Format: opts.inputFormat, AssumeTime: opts.assumeTime, Strict: opts.strict, Map: opts.fieldMap,
		Progress: func(c ingest.Counts) { bar.set(c.Requests, c.Bytes) }, HashKey: opts.hashKey,
	})
	bar.stop()
	var hashing *ingest.IDHashingError
	if errors.As(err, &hashing) {
		return usageErrorf("ingest into store %s: %w", a.v.GetString("db"), err)
	}
	if err != nil {
		return withCode(ExitRuntime, fmt.Errorf("ingest into store %s: %w", a.v.GetString("db"), err))
	}
	if len(missing) > 0 {
		sum.FileErrors = append(missing, sum.FileErrors...)
	}
	a.writeMapWarnings(sum)
	if err := a.writeIngestSummary(sum, opts.output); err != nil {
		return err
	}
	return ingestExit(sum)
}

func (a *app) writeIngestSummary(sum *ingest.Summary, format string) error {
	if format == render.FormatJSON {
		return render.JSON(a.io.Out, sum)
	}
	return render.IngestSummary(a.io.Out, sum)
}

// splitMissing returns the paths that exist (and "-") apart from messages
// for those that do not. The other inputs are still read, so a missing
// one is counted as an unreadable input, as a file that fails to open is.
func splitMissing(paths []string) (found, missing []string) {
	for _, p := range paths {
		if _, err := os.Stat(p); p != "-" && errors.Is(err, fs.ErrNotExist) {
			missing = append(missing, fmt.Sprintf("file not found: %s: check the path", p))
			continue
		}
		found = append(found, p)
	}
	return found, missing
}

func (a *app) inputs(paths []string) []ingest.Input {
	in := make([]ingest.Input, 0, len(paths))
	for _, p := range paths {
		if p == "-" {
			in = append(in, ingest.Input{Path: "-", Reader: a.io.In})
			continue
		}
		in = append(in, ingest.Input{Path: p})
	}
	return in
}

// ingestExit maps the summary to the documented exit codes: 2 when
// problems left nothing stored, 3 when some lines or files were rejected,
// or a compressed file ended early, but every valid request was stored.
func ingestExit(sum *ingest.Summary) error {
	problems := ingestProblems(sum)
	if problems == "" {
		return nil
	}
	if sum.Requests == 0 {
		return usageErrorf("nothing stored: %s", problems)
	}
	return withCode(ExitPartial, fmt.Errorf("partial ingest: %s; every valid request was stored", problems))
}

// ingestProblems lists what went wrong, such as "1 line rejected, 2 inputs
// unreadable", or returns "" when nothing did.
func ingestProblems(sum *ingest.Summary) string {
	var parts []string
	if n := sum.RejectedLines(); n > 0 {
		parts = append(parts, render.Plural(n, "line")+" rejected")
	}
	if n := len(sum.FileErrors); n > 0 {
		parts = append(parts, render.Plural(int64(n), "input")+" unreadable")
	}
	if n := len(sum.Truncated); n > 0 {
		parts = append(parts, render.Plural(int64(n), "compressed file")+" truncated")
	}
	return strings.Join(parts, ", ")
}

// fieldMap merges the dimensions: config section with the --map flags; a
// flag wins over the config for the same dimension.
func (a *app) fieldMap() (map[string]string, error) {
	m := map[string]string{}
	for dim, path := range a.v.GetStringMapString("dimensions") {
		m[dim] = path
	}
	for _, kv := range a.v.GetStringSlice("ingest.map") {
		dim, path, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, usageErrorf("--map %q: want DIM=PATH, such as customer=metadata.customer_id", kv)
		}
		m[strings.TrimSpace(dim)] = strings.TrimSpace(path)
	}
	if err := logs.CheckMap(m); err != nil {
		return nil, usageErrorf("%w", err)
	}
	return m, nil
}

// writeMapWarnings prints the field mapping paths that were not found.
func (a *app) writeMapWarnings(sum *ingest.Summary) {
	for _, f := range sum.Files {
		for _, w := range f.Warnings {
			fmt.Fprintf(a.io.Err, "warning: %s\n", w)
		}
	}
}

// hashKey returns the key for --hash-ids from COSTCTL_HASH_KEY or the
// config's hash_key, nil without --hash-ids. It rejects --hash-ids without a
// usable key rather than store raw ids the user asked to hide.
func (a *app) hashKey() ([]byte, error) {
	if !a.v.GetBool("ingest.hash_ids") {
		return nil, nil
	}
	key := a.v.GetString("hash_key")
	if key == "" {
		return nil, usageErrorf("--hash-ids needs a key: set COSTCTL_HASH_KEY or hash_key in the config file, for example to the output of openssl rand -hex 32")
	}
	if len(key) < ingest.MinHashKeyBytes {
		return nil, usageErrorf("--hash-ids: the hash key is %d bytes: use at least %d, for example the output of openssl rand -hex 32", len(key), ingest.MinHashKeyBytes)
	}
	return []byte(key), nil
}

// runExplain shows how a file would be read, storing nothing; a mapping
// path that matches nothing is a warning in its output.
func (a *app) runExplain(ctx context.Context, opts ingestOptions) error {
	e, err := ingest.Explain(ctx, opts.explain, logs.Options{
		Format: opts.inputFormat, AssumeTime: opts.assumeTime, Map: opts.fieldMap,
	})
	if err != nil {
		return usageErrorf("explain %s: %w", opts.explain, err)
	}
	if opts.output == render.FormatJSON {
		return render.JSON(a.io.Out, e)
	}
	return render.Explanation(a.io.Out, e)
}
