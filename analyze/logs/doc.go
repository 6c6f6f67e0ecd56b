// Package logs reads request logs in the formats costctl reads, detects the
// format of each file by content, and turns every billed call into an
// analyze.Request. Parsers stream: memory does not grow with the input, and
// a bad line becomes a Rejection instead of stopping the file.
//
// Layout. A file starting with "[" is a JSON array of records. A file
// whose first line is a whole JSON value is JSON Lines. Any other file
// starting with "{" is a sequence of JSON documents, usually one
// pretty-printed response. Anything else is read as CSV with a header row.
// Gzip and zstd content is recognised by its magic bytes.
//
// Detection. The first records of a file (up to 200, or 16 MiB) are offered
// to the formats in registry order, and the first format that claims a
// record reads the whole file. Options.Format skips detection.
//
// Rules that are choices rather than facts of the formats:
//   - A count must be a JSON number (or a CSV cell) holding a whole number:
//     1000.0 is read as 1000, while 1.5, "12", -3 and values beyond int64 reject
//     the record as invalid, naming the field. null and empty count as 0.
//   - A timestamp without a zone offset is taken as UTC. A numeric
//     timestamp is Unix seconds, or milliseconds, microseconds or
//     nanoseconds when too large to be seconds.
//   - An Anthropic error object becomes a request with status rejected: the
//     API did no billed work, so its cost is a known $0.
//   - Claude Code lines whose model is "<synthetic>" are skipped: Claude Code
//     writes them itself (API error notices, interrupted turns), no API call
//     was made, and their usage is zero.
//   - costctl-csv ignores columns that are not canonical field names, so an
//     export with extra columns reads as is, and rejects a header that names
//     a canonical column twice.
//   - Codex rollout totals are cumulative: each distinct total is one
//     request holding the difference from the previous one, and a total
//     lower than the previous one starts the count again.
//   - Whether an OpenTelemetry span's gen_ai.usage.input_tokens includes
//     cache tokens is decided per instrumentation scope (otelInputIncludesCache).
//     Unlisted scopes follow the semantic conventions (inclusive), and an input
//     smaller than the cache tokens is read as uncached whatever the scope.
//   - Proxy and tracing exports (LiteLLM, Helicone) read a prompt count as
//     including the cache tokens when it is at least as large as them.
//   - Cache writes without a lifetime (OpenTelemetry, AI SDK, LiteLLM,
//     Helicone, Langfuse) are billed as 5-minute writes.
//   - LiteLLM and Helicone responses served from their own cache made no
//     provider call and are skipped.
//   - A field mapping (Options.Map) wins over the dimension a format sets.
//     A path not found in a file's first 200 requests is reported in
//     FileResult.Warnings.
//   - A directory walk does not stop at a file that is no log: its
//     NotALogError is returned, joined with the others, after the walk.
package logs
