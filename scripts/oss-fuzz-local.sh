#!/usr/bin/env bash
# Run fuzz/oss-fuzz/build.sh here, with the environment OSS-Fuzz would give it (clang, libFuzzer,
# sanitizer CFLAGS, $SRC/$OUT/$WORK), check every built target as OSS-Fuzz's bad-build check does
# (scripts/fuzz-bad-build-check.sh: 4 runs from an empty corpus find coverage, >= 100 edges), then
# run each one briefly on its seed corpus.
#
# usage: scripts/oss-fuzz-local.sh [--build-dir DIR] [--sanitizer S] [--seconds N] [--jobs N] [--no-run] [TARGET...]
#   --build-dir DIR  where src/ (a link to this checkout), out/, work/, run/ and logs/ go
#                    (default: build-fuzz in the repository; MQTK_FUZZ_BUILD also sets it)
#   --sanitizer S    address+undefined (default: both at once, what CI runs), or one of OSS-Fuzz's
#                    separate builds: address, undefined, memory (MSan; skips targets linking system libs)
#   --seconds N      fuzz each target N seconds (default 5); 0 only replays the seed corpus
#   --no-run         build only
#   --jobs N         fuzz N targets at a time (default 1; each takes a core)
#   TARGET...        run only these targets (default: every target build.sh built)
#   MQTK_LIBPCAP_SRC libpcap source tree: build.sh compiles it with the fuzzing flags and links it
#                    instead of the system's (as in OSS-Fuzz, where the Dockerfile clones it)
# Exit codes: 0 built (and every check and run clean), 1 a target crashed (reproducer path and hex
# printed) or failed the bad-build check, 2 usage or setup error (e.g. clang or the libFuzzer runtime
# missing, named with its package).
# Per-target logs land in BUILD/logs/<target>.log, crash inputs in BUILD/run/<target>/artifacts/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${MQTK_FUZZ_BUILD:-$ROOT/build-fuzz}
SECONDS_EACH=5
RUN=1
JOBS=1
SANITIZERS=address+undefined
TARGETS=()

usage() { sed -n '2,/^[^#]/{/^#/p}' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
    case $1 in
    --build-dir) BUILD=${2:?--build-dir needs a directory}; shift 2 ;;
    --seconds) SECONDS_EACH=${2:?--seconds needs a number}; shift 2 ;;
    --sanitizer) SANITIZERS=${2:?--sanitizer needs address+undefined, address, undefined or memory}; shift 2 ;;
    --no-run) RUN=0; shift ;;
    --jobs) JOBS=${2:?--jobs needs a number}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "oss-fuzz-local.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) TARGETS+=("$1"); shift ;;
    esac
done
case $SECONDS_EACH in '' | *[!0-9]*) echo "oss-fuzz-local.sh: --seconds wants a whole number" >&2; exit 2 ;; esac
case $JOBS in '' | *[!0-9]* | 0) echo "oss-fuzz-local.sh: --jobs wants a positive whole number" >&2; exit 2 ;; esac
# The sanitizer flags OSS-Fuzz's base-builder sets for each SANITIZER (for UBSan, clang's whole
# -fsanitize=undefined group, each report fatal, where OSS-Fuzz lists the checks one by one).
ASAN_FLAGS="-fsanitize=address -fsanitize-address-use-after-scope"
UBSAN_FLAGS="-fsanitize=undefined -fno-sanitize-recover=undefined"
MSAN_FLAGS="-fsanitize=memory -fsanitize-memory-track-origins"
case $SANITIZERS in
address+undefined) SANITIZER_FLAGS="$ASAN_FLAGS $UBSAN_FLAGS" ;;
address) SANITIZER_FLAGS=$ASAN_FLAGS ;;
undefined) SANITIZER_FLAGS=$UBSAN_FLAGS ;;
memory) SANITIZER_FLAGS=$MSAN_FLAGS ;;
*) echo "oss-fuzz-local.sh: --sanitizer wants address+undefined, address, undefined or memory, not '$SANITIZERS'" >&2; exit 2 ;;
esac
mkdir -p "$BUILD"
BUILD=$(cd "$BUILD" && pwd)

setup_error() { echo "oss-fuzz-local.sh: $*" >&2; exit 2; }
for t in "${TARGETS[@]}"; do
    [ -f "$ROOT/fuzz/${t%_structured}.c" ] || setup_error "no fuzz target $t (fuzz/${t%_structured}.c does not exist)"
done

# shellcheck disable=SC2086 # $CC / $CXX may carry flags, as in OSS-Fuzz
# ---- probe the toolchain before building, so a missing piece gets named, not a link error ----
export CC=${CC:-clang} CXX=${CXX:-clang++}
command -v "${CC%% *}" >/dev/null || setup_error "${CC%% *} not found: install clang (Debian: apt-get install clang)"
command -v "${CXX%% *}" >/dev/null || setup_error "${CXX%% *} not found: install clang (Debian: apt-get install clang)"
$CC --version 2>/dev/null | grep -q clang || setup_error "CC=$CC is not clang: libFuzzer builds need clang"
CLANG_MAJOR=$($CC -dumpversion | cut -d. -f1)
RT_PACKAGE="libclang-rt-$CLANG_MAJOR-dev"
probe_dir=$(mktemp -d)
trap 'rm -rf "$probe_dir"' EXIT
printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' >"$probe_dir/probe.c"
if ! $CC -fsanitize=address,undefined,fuzzer-no-link -c "$probe_dir/probe.c" -o "$probe_dir/probe.o" 2>"$probe_dir/err"; then
    setup_error "clang cannot compile with -fsanitize=address,undefined,fuzzer-no-link: install $RT_PACKAGE" \
        "(Debian: apt-get install $RT_PACKAGE). Compiler said: $(head -n 3 "$probe_dir/err")"
fi
if ! $CXX -fsanitize=address,undefined "$probe_dir/probe.o" -fsanitize=fuzzer -o "$probe_dir/probe" 2>"$probe_dir/err"; then
    setup_error "clang cannot link libFuzzer with ASan+UBSan (the libFuzzer / sanitizer runtime is missing):" \
        "install $RT_PACKAGE (Debian: apt-get install $RT_PACKAGE). Linker said: $(grep -m 2 -i 'error\|cannot' "$probe_dir/err")"
fi
"$probe_dir/probe" -runs=1 >/dev/null 2>&1 || setup_error "a probe libFuzzer binary does not run (check $RT_PACKAGE)"
command -v python3 >/dev/null || setup_error "python3 not found: build.sh packs the seed corpora with it (Debian: apt-get install python3)"

# ---- the OSS-Fuzz environment (libFuzzer, the chosen sanitizers) ----
export SRC=$BUILD/src OUT=$BUILD/out WORK=$BUILD/work
# build.sh reads SANITIZER as OSS-Fuzz sets it: one name per build ("address" for the combined build)
export FUZZING_ENGINE=libfuzzer SANITIZER=${SANITIZERS%+undefined} ARCHITECTURE=x86_64
export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only $SANITIZER_FLAGS -fsanitize=fuzzer-no-link"
export CXXFLAGS="$CFLAGS"
export LIB_FUZZING_ENGINE="-fsanitize=fuzzer"
export MQTK_WERROR=1 # warnings are errors here; OSS-Fuzz's newer clang may warn about more
rm -rf "$OUT" # nothing left from a build with other sanitizers
mkdir -p "$SRC" "$OUT" "$WORK"
ln -sfn "$ROOT" "$SRC/mqtk"
echo "== build.sh (CC=$CC, clang $CLANG_MAJOR, sanitizers $SANITIZER_FLAGS, OUT=$OUT)"
(cd "$SRC/mqtk" && bash "$ROOT/fuzz/oss-fuzz/build.sh")

[ "$RUN" = 1 ] || exit 0

# ---- run each target on its seed corpus, JOBS at a time ----
if [ ${#TARGETS[@]} -eq 0 ]; then
    for options in "$OUT"/*.options; do TARGETS+=("$(basename "$options" .options)"); done
fi
built=()
for t in "${TARGETS[@]}"; do
    if [ -x "$OUT/$t" ]; then
        built+=("$t")
    else # build.sh said why it left this one out
        echo "== $(printf '%-22s' "$t") not built with --sanitizer $SANITIZERS: skipped"
    fi
done
[ ${#built[@]} -gt 0 ] || exit 0
TARGETS=("${built[@]}")
option() { sed -n "s/^$2 = //p" "$OUT/$1.options"; }
mkdir -p "$BUILD/logs"
rm -f "$BUILD"/logs/*.report "$BUILD/logs/bad-build-check.log" # nothing left from an earlier run

# ---- OSS-Fuzz's bad-build check (a target that fails it would be rejected there) ----
bad_build=0
"$ROOT/scripts/fuzz-bad-build-check.sh" "$OUT" "${TARGETS[@]}" | tee "$BUILD/logs/bad-build-check.log" || bad_build=1

# run_target T: fuzz T, write its one-paragraph report to logs/T.report; exit 1 on a crash.
run_target() {
    local t=$1 run="$BUILD/run/$1" log="$BUILD/logs/$1.log" report="$BUILD/logs/$1.report"
    rm -rf "$run"
    mkdir -p "$run/corpus" "$run/artifacts"
    [ -f "$OUT/${t}_seed_corpus.zip" ] && unzip -q -o "$OUT/${t}_seed_corpus.zip" -d "$run/corpus"
    local args=(-dict="$OUT/$(option "$t" dict)" -max_len="$(option "$t" max_len)" -timeout=10
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$run/artifacts/")
    if [ "$SECONDS_EACH" = 0 ]; then args+=(-runs=0); else args+=(-max_total_time="$SECONDS_EACH"); fi
    local head
    head=$(printf '== %-22s %ss on %s seeds ... ' "$t" "$SECONDS_EACH" "$(find "$run/corpus" -type f | wc -l)")
    if "$OUT/$t" "${args[@]}" "$run/corpus" >"$log" 2>&1; then
        local cov execs
        cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
        execs=$(sed -n 's/^stat::average_exec_per_sec:[[:space:]]*//p' "$log")
        echo "${head}ok (${execs:-?} exec/s, ${cov:-?} edges)" >"$report"
        return 0
    fi
    if grep -q 'ERROR: no interesting inputs were found' "$log"; then # nothing crashed: nothing ran
        echo "${head}NO COVERAGE (no input reaches instrumented code; log: $log)" >"$report"
        return 1
    fi
    {
        echo "${head}CRASH"
        grep -m 1 -E 'ERROR: |WARNING: MemorySanitizer|invariant broken|runtime error' "$log" || true
        for a in "$run"/artifacts/*; do
            [ -f "$a" ] || continue
            echo "   reproducer: $a"
            echo "   hex: $(od -An -v -tx1 "$a" | tr -d ' \n' | cut -c1-2048)"
            echo "   replay: $OUT/$t $a   (log: $log)"
        done
    } >"$report"
    return 1
}

crashed=0
pids=() names=()
for t in "${TARGETS[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n || true; done
    run_target "$t" &
    pids+=($!) names+=("$t")
done
for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || crashed=1
    cat "$BUILD/logs/${names[$i]}.report"
done
[ "$bad_build" = 0 ] || echo "oss-fuzz-local.sh: a target failed OSS-Fuzz's bad-build check (see above): OSS-Fuzz would reject this build" >&2
exit $((crashed | bad_build))
