#!/usr/bin/env bash
# libFuzzer over the SCIM protocol core and the SAML response reader. fuzz/ is a package of its own that builds the real Sources/SCIM (through the
# symlink fuzz/Sources/SCIM) with -sanitize=fuzzer,address, so the main package's build never changes. Four
# fuzzers, each starting from its seed corpus in fuzz/corpus/ (the request shapes of docs/IDP-BEHAVIOURS.md and
# RFC 7644):
#   filter  filter text: parsed, validated and evaluated against a fixed User and Group; also read as a PATCH path
#           and as `attributes`/`sortBy`
#   patch   PATCH bodies: parsed and applied to a fixed User, a bare User and a Group with members
#   json    request bodies: JSON parsing, POST and PUT of Users and Groups, POST /.search, PatchOp parsing
#   saml    SAML responses (documents and their base64 form): read, verified with libxmlsec1 against a fixed IdP
#           certificate (the seeds are signed for it), checked by the SP's rules; the same bytes as IdP metadata
# Thrown SCIM errors are expected. A crash or trap (a stored or rendered resource that does not read back as the
# same JSON traps too), an AddressSanitizer or LeakSanitizer report, an input that takes over 10 s, or more than
# 2 GB of memory fails the run.
#
#   scripts/fuzz.sh              # the same as `replay`
#   scripts/fuzz.sh replay       # what CI runs: builds the fuzzers, replays every corpus file, then fuzzes each
#                                # target for FUZZ_SECONDS (default 40; 0 replays only) seconds; new inputs go to a
#                                # temporary directory, never into fuzz/corpus/. About 3 minutes on 2 cores from a
#                                # cold build.
#   scripts/fuzz.sh long [RUNS]  # RUNS executions of each target in turn (default 10000000; one process, one job),
#                                # from the seed corpus; prints each target's executions, time, exec/s, final
#                                # coverage (cov, ft) and result, and keeps libFuzzer's output in the log it names.
#   FUZZ_TARGETS="patch json" scripts/fuzz.sh long 1000000   # only some targets
#
# A failing input is saved in fuzz/.build/artifacts/ (crash-…, timeout-…, leak-…, oom-…). Reproduce it with
#   SWIFT_BACKTRACE=enable=no fuzz/.build/release/fuzz-TARGET fuzz/.build/artifacts/TARGET-crash-…
# minimise it with `-minimize_crash=1 -runs=100000`, and once fixed add it to fuzz/corpus/TARGET/ under a name that
# says what it is.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
# Swift's own crash handler reads memory that AddressSanitizer reports as an overflow, hiding the real trap; without
# it a `fatalError` or failed precondition prints its message and libFuzzer reports a deadly signal.
export SWIFT_BACKTRACE=enable=no

MODE=${1:-replay}
TARGETS=${FUZZ_TARGETS:-filter patch json saml}
FUZZ_SECONDS=${FUZZ_SECONDS:-40}
BIN=$ROOT/fuzz/.build/release
ARTIFACTS=$ROOT/fuzz/.build/artifacts
case $MODE in
replay) [[ $FUZZ_SECONDS =~ ^[0-9]+$ ]] || die "FUZZ_SECONDS must be a number of seconds (0: replay only), not '$FUZZ_SECONDS'" ;;
long)
    RUNS=${2:-10000000}
    [[ $RUNS =~ ^[0-9]+$ ]] || die "RUNS must be a number of executions, not '$RUNS'"
    ;;
*) die "unknown mode '$MODE' (replay or long)" ;;
esac

# max_len TARGET: the longest input libFuzzer makes. Filters arrive in a query string; bodies are larger.
max_len() {
    case $1 in
    filter) echo 1024 ;;
    saml) echo 16384 ;;
    *) echo 4096 ;;
    esac
}
# dictionary TARGET: the tokens libFuzzer splices into inputs.
dictionary() {
    case $1 in
    filter) echo "$ROOT/fuzz/dictionaries/filter.dict" ;;
    saml) echo "$ROOT/fuzz/dictionaries/saml.dict" ;;
    *) echo "$ROOT/fuzz/dictionaries/scim-json.dict" ;;
    esac
}
# run_fuzzer TARGET LOG ARGS…: runs one fuzzer with the common options, its output in LOG; fails with the report.
run_fuzzer() {
    local target=$1 log=$2
    shift 2
    if ! "$BIN/fuzz-$target" -timeout=10 -rss_limit_mb=2048 -max_len="$(max_len "$target")" -dict="$(dictionary "$target")" \
        -artifact_prefix="$ARTIFACTS/$target-" -print_final_stats=1 "$@" >"$log" 2>&1; then
        say "$target: FAILED; the end of libFuzzer's output ($log):"
        grep -v -e '^#[0-9]' -e '^INFO:' "$log" | tail -n 60 >&2
        say "the failing input is in $ARTIFACTS/ (see the header of scripts/fuzz.sh to reproduce it)"
        return 1
    fi
}
# final_stat LOG NAME: a number from libFuzzer's final statistics (-print_final_stats=1) or its last status line.
final_stat() {
    case $2 in
    cov | ft) grep -E '^#[0-9]+' "$1" | tail -n 1 | sed -nE "s/.* $2: ([0-9]+).*/\\1/p" ;;
    *) sed -nE "s/^stat::$2: *([0-9]+).*/\\1/p" "$1" | tail -n 1 ;;
    esac
}

mkdir -p "$ARTIFACTS"
say "building the fuzzers (swift build -c release --package-path fuzz -Xswiftc -sanitize=fuzzer,address)"
BUILD_LOG=$(mktemp "${TMPDIR:-/tmp}/roster-fuzz-build.XXXXXX")
if ! swift build -c release --package-path fuzz -Xswiftc -sanitize=fuzzer,address >"$BUILD_LOG" 2>&1; then
    cat "$BUILD_LOG" >&2
    rm -f "$BUILD_LOG"
    die "the fuzzers did not build"
fi
rm -f "$BUILD_LOG"

if [[ $MODE == replay ]]; then
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/roster-fuzz.XXXXXX")
    # shellcheck disable=SC2317 # called on exit (install_cleanup)
    cleanup() { rm -rf "$WORK"; }
    install_cleanup cleanup
    for target in $TARGETS; do
        seeds=$(find "fuzz/corpus/$target" -type f | wc -l)
        [[ $seeds -gt 0 ]] || die "fuzz/corpus/$target is empty"
        run_fuzzer "$target" "$WORK/$target-replay.log" -runs=0 "fuzz/corpus/$target"
        if [[ $FUZZ_SECONDS -eq 0 ]]; then
            say "$target: $seeds corpus files replayed: no crash"
            continue
        fi
        mkdir -p "$WORK/$target"
        # New inputs go to the first directory, the temporary one; fuzz/corpus/ is only read.
        run_fuzzer "$target" "$WORK/$target-fuzz.log" -max_total_time="$FUZZ_SECONDS" "$WORK/$target" "fuzz/corpus/$target"
        log=$WORK/$target-fuzz.log
        say "$target: $seeds corpus files replayed; then $(final_stat "$log" number_of_executed_units) executions in ${FUZZ_SECONDS} s" \
            "($(final_stat "$log" average_exec_per_sec)/s), cov $(final_stat "$log" cov) ft $(final_stat "$log" ft): no crash"
    done
    exit 0
fi

STAMP=$(date +%Y%m%d-%H%M%S)
LONG=$ROOT/fuzz/.build/long/$STAMP
mkdir -p "$LONG"
say "long run: $RUNS executions per target ($TARGETS); libFuzzer's output and the inputs it finds go to $LONG/"
SUMMARY=$(printf '%-7s %12s %9s %8s %6s %6s  %s\n' target executions time exec/s cov ft result)
FAILED=0
for target in $TARGETS; do
    log=$LONG/$target.log
    mkdir -p "$LONG/$target"
    say "$target: running (log: $log)"
    started=$(date +%s)
    result=ok
    run_fuzzer "$target" "$log" -runs="$RUNS" "$LONG/$target" "fuzz/corpus/$target" || {
        result="FAILED (see $log)"
        FAILED=1
    }
    seconds=$(($(date +%s) - started))
    line=$(printf '%-7s %12s %8ss %8s %6s %6s  %s' "$target" "$(final_stat "$log" number_of_executed_units)" "$seconds" \
        "$(final_stat "$log" average_exec_per_sec)" "$(final_stat "$log" cov)" "$(final_stat "$log" ft)" "$result")
    say "$line"
    SUMMARY+=$'\n'$line
done
echo "$SUMMARY"
echo "logs: $LONG/"
exit "$FAILED"
