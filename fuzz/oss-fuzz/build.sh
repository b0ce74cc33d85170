#!/bin/bash -eu
# OSS-Fuzz build script for mqtk (also run locally by scripts/oss-fuzz-local.sh).
#
# Uses only what OSS-Fuzz provides: $CC $CFLAGS (compile), $CXX $CXXFLAGS + $LIB_FUZZING_ENGINE (link),
# $OUT (results), $WORK (objects), $SRC (sources; the checkout is $SRC/mqtk, or $MQTK_ROOT).
# No cmake: the codec sources are compiled here directly.
#
# For each target it writes $OUT/<target>, <target>_seed_corpus.zip (fuzz/corpus/<target> plus
# fuzz/regressions/<target>), <target>.dict (fuzz/<target>.dict, else fuzz/mqtt.dict) and
# <target>.options. With libFuzzer it also builds <target>_structured for targets marked
# "MQTK_FUZZ_STRUCTURED: yes": the same harness plus fuzz/mutator.c (LLVMFuzzerCustomMutator, which
# needs libFuzzer's LLVMFuzzerMutate, so AFL and honggfuzz builds skip it).
#
# ADDING A TARGET is adding one file, fuzz/<name>.c, that defines
#     int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
# at the start of a line. Optional lines in its header comment (paths relative to the repository):
#     MQTK_FUZZ_LINK: lib/format lib/base                libraries it links, higher layers first
#                                                        (each lib/ folder built once into an archive)
#     MQTK_FUZZ_LIBS: -lpcap                             extra link flags (e.g. the pcap reader target)
#     MQTK_FUZZ_CORPUS: tests/data/pcaps/crafted         more seed folders, zipped with fuzz/corpus/<name>
#     MQTK_FUZZ_MAX_LEN: 65536                           libFuzzer max_len (default 4096)
#     MQTK_FUZZ_STRUCTURED: yes                          also build <name>_structured
#     MQTK_FUZZ_TRACE_HARNESS: yes                       instrument the harness file too (see below)
# A target whose extra sources do not exist yet is skipped with a message. fuzz/CMakeLists.txt
# reads the same lines for the plain replay build, and fuzz/corpus/<name>/ holds its seeds.
# libpcap: the capture reader target (fuzz/pcap.c) says "MQTK_FUZZ_LIBS: -lpcap". OSS-Fuzz's runner
# image has no libpcap, and MSan needs every library instrumented, so when libpcap's source is at
# $SRC/libpcap (the Dockerfile clones it; MQTK_LIBPCAP_SRC names another place) build.sh compiles it
# first, static, with $CC $CFLAGS, file reading only (PCAP_TYPE null: no capture back end), and links
# that instead. Without the source it links the system's libpcap, which runs here but is not
# instrumented; SANITIZER=memory builds then skip targets that link a system library.
#
# The harness files themselves (fuzz/*.c: targets, fuzz_support.c, mutator.c) are compiled without
# coverage instrumentation (fuzz/oss-fuzz/harness.ignorelist) when the compiler takes the flag: their
# loops and result comparisons say nothing about the code under test, and tracing them cost the stream
# target about a quarter of its speed. Everything they call (codec, CLI and runner sources) stays
# instrumented. A target whose harness holds logic worth steering by (topic's reference
# implementations of the standard's rules) says "MQTK_FUZZ_TRACE_HARNESS: yes".

ROOT=${MQTK_ROOT:-$SRC/mqtk}
: "${CXX:=clang++}" "${CXXFLAGS:=$CFLAGS}"
FUZZING_ENGINE=${FUZZING_ENGINE:-libfuzzer}
JOBS=${MQTK_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}
WARN="-Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes"
[ "${MQTK_WERROR:-0}" = 1 ] && WARN="$WARN -Werror"
BASE_FLAGS="-std=c11 -D_POSIX_C_SOURCE=200809L $WARN -I$ROOT/lib/codec/include -I$ROOT/lib/codec/src -I$ROOT/fuzz"
OBJ=$WORK/mqtk-obj
rm -rf "$OBJ"
mkdir -p "$OBJ/codec" "$OBJ/support" "$OUT"

# compile SRC OBJ [extra flags...]
compile() {
    local src=$1 obj=$2
    shift 2
    # shellcheck disable=SC2086
    $CC $CFLAGS $BASE_FLAGS "$@" -c "$src" -o "$obj"
}
export -f compile
export CC CFLAGS BASE_FLAGS

HARNESS_FLAGS=()
ignorelist="$ROOT/fuzz/oss-fuzz/harness.ignorelist"
if compile "$ROOT/fuzz/fuzz_support.c" "$OBJ/support/probe.o" -fsanitize-coverage-ignorelist="$ignorelist" 2>/dev/null; then
    HARNESS_FLAGS=(-fsanitize-coverage-ignorelist="$ignorelist")
else
    echo "build.sh: $CC does not take -fsanitize-coverage-ignorelist; harness code stays instrumented" >&2
fi
rm -f "$OBJ/support/probe.o"

# The codec, in parallel.
printf '%s\n' "$ROOT"/lib/codec/src/*.c |
    xargs -P "$JOBS" -I{} bash -c 'compile "$1" "$2/$(basename "$1" .c).o"' _ {} "$OBJ/codec"
compile "$ROOT/fuzz/fuzz_support.c" "$OBJ/support/fuzz_support.o" "${HARNESS_FLAGS[@]}"
compile "$ROOT/fuzz/mutator.c" "$OBJ/support/mutator.o" "${HARNESS_FLAGS[@]}"
CODEC_OBJS=("$OBJ"/codec/*.o "$OBJ/support/fuzz_support.o")

# libpcap from source, when present (see the top of this file).
PCAP_SRC=${MQTK_LIBPCAP_SRC:-${SRC:+$SRC/libpcap}}
PCAP_STATIC="" PCAP_INCLUDE=""
if [ -n "$PCAP_SRC" ] && [ -f "$PCAP_SRC/CMakeLists.txt" ]; then
    pcap_build=$WORK/libpcap-build
    rm -rf "$pcap_build"
    if ! CC="$CC" cmake -S "$PCAP_SRC" -B "$pcap_build" -DCMAKE_C_FLAGS="$CFLAGS" -DBUILD_SHARED_LIBS=OFF \
        -DPCAP_TYPE=null -DENABLE_REMOTE=OFF -DDISABLE_DBUS=ON -DDISABLE_RDMA=ON -DDISABLE_BLUETOOTH=ON \
        -DDISABLE_LINUX_USBMON=ON -DDISABLE_NETMAP=ON -DDISABLE_DPDK=ON -DBUILD_WITH_LIBNL=OFF \
        >"$WORK/libpcap-build.log" 2>&1 ||
        ! cmake --build "$pcap_build" --target pcap_static -j "$JOBS" >>"$WORK/libpcap-build.log" 2>&1; then
        echo "build.sh: building libpcap from $PCAP_SRC failed (it needs cmake, flex and bison); log:" >&2
        tail -n 20 "$WORK/libpcap-build.log" >&2
        exit 1
    fi
    PCAP_STATIC=$pcap_build/libpcap.a PCAP_INCLUDE=-I$PCAP_SRC
    echo "build.sh: libpcap built from $PCAP_SRC with the fuzzing flags: $PCAP_STATIC"
fi

# marker FILE NAME: the value of a "NAME:" line in a target's header comment.
marker() {
    sed -n "s/^.*$2:[[:space:]]*//p" "$1" | head -n 1 | sed 's/[[:space:]]*\*\/[[:space:]]*$//; s/[[:space:]]*$//'
}

zip_dirs() { # zip_dirs OUT.zip DIR... (flat, skipping missing or empty dirs; entries named
    # <folder>-<file> since seed folders may share file names, e.g. v3.1.1/connect.mqtt, v5.0/connect.mqtt)
    local out=$1 files=()
    shift
    for d in "$@"; do
        [ -d "$d" ] || continue
        while IFS= read -r -d '' f; do files+=("$f"); done < <(find "$d" -maxdepth 1 -type f ! -name '.*' -print0)
    done
    rm -f "$out"
    [ ${#files[@]} -gt 0 ] || return 0
    python3 -c 'import sys, zipfile, os
with zipfile.ZipFile(sys.argv[1], "w") as z:
    for f in sys.argv[2:]:
        z.write(f, os.path.basename(os.path.dirname(f)) + "-" + os.path.basename(f))' "$out" "${files[@]}"
}

# library_archive lib/FOLDER: compile the folder's library (FOLDER/*.c, or FOLDER/src/*.c with
# FOLDER/include) once, with the fuzzing flags, into an archive; prints its path.
library_archive() {
    local folder=$1 dir="$OBJ/lib/${1//\//_}" srcs=()
    local archive="$dir.a"
    if [ ! -f "$archive" ]; then
        mkdir -p "$dir"
        local flags=("-I$ROOT/lib" "-D_DEFAULT_SOURCE")
        [ -d "$ROOT/$folder/include" ] && flags+=("-I$ROOT/$folder/include" "-I$ROOT/$folder/src")
        for inc in "$ROOT"/lib/*/include; do flags+=("-I$inc"); done
        shopt -s nullglob
        srcs=("$ROOT/$folder"/*.c "$ROOT/$folder"/src/*.c)
        shopt -u nullglob
        [ ${#srcs[@]} -gt 0 ] || { echo "build.sh: $folder holds no C sources" >&2; return 1; }
        for s in "${srcs[@]}"; do compile "$s" "$dir/$(basename "$s" .c).o" "${flags[@]}" >&2 || return 1; done
        ar rcs "$archive" "$dir"/*.o >&2 || return 1
    fi
    echo "$archive"
}

built=()
for src in "$ROOT"/fuzz/*.c; do
    grep -q '^int LLVMFuzzerTestOneInput(' "$src" || continue
    name=$(basename "$src" .c)
    extra_flags=("-I$ROOT/lib") archives=()
    for folder in $(marker "$src" MQTK_FUZZ_LINK); do
        [ -d "$ROOT/$folder" ] || { echo "build.sh: fuzz/$name.c links $folder, which does not exist" >&2; exit 1; }
        [ -d "$ROOT/$folder/include" ] && extra_flags+=("-I$ROOT/$folder/include")
        archive=$(library_archive "$folder") || exit 1
        archives+=("$archive")
    done
    libs=$(marker "$src" MQTK_FUZZ_LIBS)
    if [ -n "$PCAP_STATIC" ] && [[ " $libs " == *" -lpcap "* ]]; then
        libs=$(echo " $libs " | sed "s| -lpcap | $PCAP_STATIC |")
        extra_flags+=("$PCAP_INCLUDE")
    fi
    if [[ " $libs " == *" -l"* ]] && [ "${SANITIZER:-}" = memory ]; then
        echo "build.sh: skipping fuzz target $name under MSan: it links a system library ($libs), which is not MSan-instrumented" >&2
        continue
    fi
    max_len=$(marker "$src" MQTK_FUZZ_MAX_LEN)
    mkdir -p "$OBJ/$name"
    harness_flags=("${HARNESS_FLAGS[@]}")
    [ "$(marker "$src" MQTK_FUZZ_TRACE_HARNESS)" = yes ] && harness_flags=()
    compile "$src" "$OBJ/$name/$name.o" "${extra_flags[@]}" "${harness_flags[@]}"
    objs=("$OBJ/$name/$name.o")
    variants=("$name")
    if [ "$(marker "$src" MQTK_FUZZ_STRUCTURED)" = yes ] && [ "$FUZZING_ENGINE" = libfuzzer ]; then
        variants+=("${name}_structured")
    fi
    for target in "${variants[@]}"; do
        link_objs=("${objs[@]}" "${archives[@]}" "${CODEC_OBJS[@]}")
        [ "$target" = "$name" ] || link_objs+=("$OBJ/support/mutator.o")
        # shellcheck disable=SC2086
        $CXX $CXXFLAGS "${link_objs[@]}" $LIB_FUZZING_ENGINE $libs -o "$OUT/$target"
        seed_dirs=("$ROOT/fuzz/corpus/$name" "$ROOT/fuzz/regressions/$name")
        for rel in $(marker "$src" MQTK_FUZZ_CORPUS); do seed_dirs+=("$ROOT/$rel"); done
        zip_dirs "$OUT/${target}_seed_corpus.zip" "${seed_dirs[@]}"
        dict="$ROOT/fuzz/$name.dict"
        [ -f "$dict" ] || dict="$ROOT/fuzz/mqtt.dict"
        cp "$dict" "$OUT/$target.dict"
        printf '[libfuzzer]\ndict = %s.dict\nmax_len = %s\n' "$target" "${max_len:-4096}" >"$OUT/$target.options"
        built+=("$target")
    done
done
echo "build.sh: built ${#built[@]} fuzz targets into $OUT: ${built[*]}"
