#!/usr/bin/env bash
# Times costctl against reference tools on generated logs and appends the
# figures to BENCHMARKS.md (or $OUT).
#
#   scripts/bench.sh                       # all sizes, 3 runs each
#   RUNS=1 JSONL_SIZES=200000 CC_SIZES=100000 scripts/bench.sh
#   RUNS=5 JSONL_SIZES= CC_SIZES= SIM_SIZES=1000000 scripts/bench.sh   # simulate only
#   JSONL_SIZES= CC_SIZES= CC_REAL_SIZES=100000 scripts/bench.sh   # ~20 KB per request
#
# Needs: go, sqlite3, python3, GNU time at /usr/bin/time, and ccusage
# 20.0.24 (npm install ccusage@20.0.24; set CCUSAGE to its binary).
# Data is generated once into $DATA by testdata/benchgen and reused.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
DATA=${DATA:-/tmp/costctl-bench}
RUNS=${RUNS:-3}
JSONL_SIZES=${JSONL_SIZES-"200000 1000000"}
CC_SIZES=${CC_SIZES-"100000 1000000"}
SIM_SIZES=${SIM_SIZES-"1000000"}
# Claude Code trees padded to the real transcripts' ~20 KB per request.
CC_REAL_SIZES=${CC_REAL_SIZES-""}
OUT=${OUT:-$ROOT/BENCHMARKS.md}
CCUSAGE=${CCUSAGE:-$(command -v ccusage || echo /tmp/ccusage/node_modules/.bin/ccusage)}
BIN=${BIN:-$DATA/costctl}
WORK=$DATA/work
mkdir -p "$DATA" "$WORK"

# timed LABEL CMD... runs CMD (a command or a function of this script) under
# GNU time and prints "LABEL seconds maxrss_mb". The maximum RSS is that of
# the largest process CMD started.
timed() {
	local label=$1
	shift
	/usr/bin/time -f '%e %M' -o "$WORK/time" "$0" __call "$@" >"$WORK/stdout" 2>"$WORK/stderr" || {
		echo "failed: $* (see $WORK/stderr)" >&2
		tail -5 "$WORK/stderr" >&2
		return 1
	}
	read -r secs kb <"$WORK/time"
	echo "$label $secs $((kb / 1024))"
}

# summary FILE prints min and median seconds and max RSS of timed lines.
summary() {
	python3 - "$1" <<'PY'
import sys, statistics, collections
runs = collections.OrderedDict()
for line in open(sys.argv[1]):
    label, secs, mb = line.rsplit(None, 2)
    runs.setdefault(label, []).append((float(secs), int(mb)))
for label, v in runs.items():
    s = [x[0] for x in v]
    print(f"| {label} | {min(s):.2f} | {statistics.median(s):.2f} | {max(x[1] for x in v)} | {len(s)} |")
PY
}

# gen KIND N generates N requests of KIND (jsonl, claude-code, or
# claude-code-real for the real transcripts' size) once and prints the folder.
gen() {
	local dir=$DATA/$1-$2 format=$1 flags=()
	if [[ $1 == claude-code-real ]]; then
		format=claude-code
		flags=(-real-size)
	fi
	if [[ ! -f $dir/totals.json ]]; then
		rm -rf "$dir"
		go run ./testdata/benchgen -n "$2" -format "$format" "${flags[@]}" -out "$dir" >&2
	fi
	echo "$dir"
}

sqlite_ref() {
	local csv=$1 db=$WORK/ref.db
	rm -f "$db" "$db"-wal "$db"-shm
	cat >"$WORK/ref.sql" <<SQL
PRAGMA journal_mode=WAL;
PRAGMA synchronous=NORMAL;
CREATE TABLE r(id TEXT PRIMARY KEY, time TEXT, provider TEXT, model TEXT, endpoint TEXT, tier TEXT, session TEXT, input INT, cache_read INT, output INT);
.mode csv
.import --skip 1 $csv r
SQL
	sqlite3 "$db" <"$WORK/ref.sql"
}

fresh_ingest() {
	rm -f "$2" "$2"-wal "$2"-shm
	"$BIN" --db "$2" ingest "$1"
}

bench_jsonl() {
	local n=$1 dir db=$WORK/jsonl.db
	dir=$(gen jsonl "$n")
	for _ in $(seq "$RUNS"); do
		timed "jsonl-$n sqlite3-import" sqlite_ref "$dir/requests.csv"
		timed "jsonl-$n costctl-ingest-fresh" fresh_ingest "$dir/requests.jsonl" "$db"
		timed "jsonl-$n costctl-ingest-repeat" "$BIN" --db "$db" ingest "$dir/requests.jsonl"
		timed "jsonl-$n costctl-report-endpoint,tier,hour" "$BIN" --db "$db" report --by endpoint,tier,hour --format json
	done
}

# bench_simulate N times simulate with every lever over a store of the N
# generated JSONL requests. The store is ingested once and kept; a repeat
# ingest of the unchanged file is skipped.
bench_simulate() {
	local n=$1 dir db=$WORK/sim-$1.db
	dir=$(gen jsonl "$n")
	"$BIN" --db "$db" ingest "$dir/requests.jsonl" >&2
	for _ in $(seq "$RUNS"); do
		timed "jsonl-$n costctl-simulate-all-levers" "$BIN" --db "$db" simulate --policy simulate/testdata/all-levers.yaml --format json -o "$WORK/sim.json"
	done
}

cc_first() {
	fresh_ingest "$1/projects" "$2" && "$BIN" --db "$2" report --by day --format json >"$WORK/cc-report.json"
}

cc_repeat() {
	"$BIN" --db "$2" ingest "$1/projects" && "$BIN" --db "$2" report --by day --format json >"$WORK/cc-report.json"
}

ccusage_daily() {
	TZ=UTC CLAUDE_CONFIG_DIR=$1 "$CCUSAGE" daily --json --offline >"$WORK/ccusage.json"
}

# check_totals DIR compares the token sums of costctl's and ccusage's last
# reports with the generator's totals.json and prints one table row.
check_totals() {
	python3 - "$1/totals.json" "$WORK/cc-report.json" "$WORK/ccusage.json" "$2" <<'PY'
import json, sys
want = json.load(open(sys.argv[1]))
c = json.load(open(sys.argv[2]))["totals"]
u = json.load(open(sys.argv[3]))["totals"]
w = (want["input"], want["output"], want["cache_read"], want["cache_write_5m"] + want["cache_write_1h"])
cc = (c["input_tokens"], c["output_tokens"], c["cache_read_tokens"], c["cache_write_tokens"])
cu = (u["inputTokens"], u["outputTokens"], u["cacheReadTokens"], u["cacheCreationTokens"])
ok = "same" if w == cc == cu else "DIFFERENT"
print(f"| {sys.argv[4]} | {w} | {cc} | {cu} | {ok} | {c['cost_usd']:.6f} | {u['totalCost']:.6f} |")
PY
}

# append_one_percent DIR appends a 1% tree of another seed to the tree's
# session files and records the old sizes in DIR.sizes for restore.
append_one_percent() {
	local dir=$1 n=$2 kind=$3 extra=$DATA/cc-extra-$2 flags=()
	if [[ $kind == claude-code-real ]]; then
		extra=$DATA/cc-real-extra-$2
		flags=(-real-size)
	fi
	[[ -f $extra/totals.json ]] || go run ./testdata/benchgen -n $((n / 100)) -format claude-code "${flags[@]}" -seed 2 -out "$extra" >&2
	: >"$dir.sizes"
	local i=0
	mapfile -t targets < <(find "$dir/projects" -name '*.jsonl' -path '*/proj-*' ! -path '*/subagents/*' | sort | head -200)
	while IFS= read -r f; do
		local t=${targets[$((i % ${#targets[@]}))]}
		echo "$(stat -c %s "$t") $t" >>"$dir.sizes"
		cat "$f" >>"$t"
		i=$((i + 1))
	done < <(find "$extra/projects" -name '*.jsonl' | sort)
}

restore_tree() {
	[[ -f $1.sizes ]] || return 0
	tac "$1.sizes" | while read -r size f; do truncate -s "$size" "$f"; done
	rm "$1.sizes"
}

# bench_cc N [KIND] times a Claude Code tree of N requests (KIND claude-code
# or claude-code-real) with ccusage and costctl.
bench_cc() {
	local n=$1 kind=${2:-claude-code} dir db=$WORK/cc.db label=cc-$1
	[[ $kind == claude-code-real ]] && label=cc-real-$n
	dir=$(gen "$kind" "$n")
	restore_tree "$dir"
	for _ in $(seq "$RUNS"); do
		timed "$label ccusage-daily" ccusage_daily "$dir"
		timed "$label costctl-ingest+daily-fresh" cc_first "$dir" "$db"
		check_totals "$dir" "$label" >>"$WORK/totals"
		timed "$label costctl-ingest+daily-unchanged" cc_repeat "$dir" "$db"
		append_one_percent "$dir" "$n" "$kind"
		timed "$label costctl-ingest+daily-after-1%-append" cc_repeat "$dir" "$db"
		restore_tree "$dir"
	done
}

main() {
	if [[ -z ${SKIP_BUILD:-} ]]; then
		go build -o "$BIN" .
	fi
	: >"$WORK/timings"
	: >"$WORK/totals"
	uptime >"$WORK/load-before"
	for n in $JSONL_SIZES; do bench_jsonl "$n" | tee -a "$WORK/timings"; done
	for n in $CC_SIZES; do bench_cc "$n" | tee -a "$WORK/timings"; done
	for n in $SIM_SIZES; do bench_simulate "$n" | tee -a "$WORK/timings"; done
	for n in $CC_REAL_SIZES; do bench_cc "$n" claude-code-real | tee -a "$WORK/timings"; done
	uptime >"$WORK/load-after"
	report >>"$OUT"
}

report() {
	cat <<MD

## Run of $(date -u +%Y-%m-%dT%H:%MZ)

- command: \`RUNS=$RUNS JSONL_SIZES="$JSONL_SIZES" CC_SIZES="$CC_SIZES" CC_REAL_SIZES="$CC_REAL_SIZES" SIM_SIZES="$SIM_SIZES" scripts/bench.sh\`
- commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- analyze && echo "" || echo " with uncommitted changes under analyze/"); binary: $BIN
- machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB
- $(go version); $(sqlite3 --version | cut -d' ' -f1-2 | sed 's/^/sqlite3 /'); $("$CCUSAGE" --version 2>/dev/null | tail -1); node $(node --version)
- load before: $(sed 's/.*load average/load average/' "$WORK/load-before"); after: $(sed 's/.*load average/load average/' "$WORK/load-after")

| case | min s | median s | max RSS MB | runs |
| --- | ---: | ---: | ---: | ---: |
$(summary "$WORK/timings")

Token totals (input, output, cache read, cache write) of the first ingest:

| tree | generator | costctl | ccusage | agree | costctl USD | ccusage USD |
| --- | --- | --- | --- | --- | ---: | ---: |
$(sort -u "$WORK/totals")
MD
}

# The script calls itself with __call to run one of its functions under time.
if [[ ${1:-} == __call ]]; then
	shift
	"$@"
	exit
fi
main
