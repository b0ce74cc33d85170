#!/usr/bin/env bash
# Build the distribution's mosquitto with AFL++'s instrumentation, for `mqtk fuzz --edge-coverage`:
#   scripts/afl-mosquitto.sh DIR     ->  DIR/mosquitto, then prints the number of its edges
# The source package comes through apt-get source with a package list of its own under DIR (the
# machine's deb lines turned into deb-src lines; the system's sources and lists are not changed), is
# unpacked with its Debian patches, and only the broker is built, with afl-cc (Debian package afl++,
# which scripts/setup.sh --deps installs). Then, for example:
#   build/mqtk fuzz --broker 127.0.0.1:1883 --exec "exec DIR/mosquitto -c my.conf" --edge-coverage
# Exit codes: 0 built, 2 something missing or failed (said on stderr).
set -euo pipefail
dir=${1:?usage: scripts/afl-mosquitto.sh DIR}
die() { echo "afl-mosquitto: $*" >&2; exit 2; }
command -v afl-cc >/dev/null || die "afl-cc not found: scripts/setup.sh --deps installs afl++"
command -v dpkg-source >/dev/null || die "dpkg-source not found (Debian package dpkg-dev)"
mkdir -p "$dir/apt/parts" "$dir/apt/lists/partial" "$dir/src"
dir=$(cd "$dir" && pwd)
apt_dir=$dir/apt
: > "$apt_dir/sources.list"
[ -f /etc/apt/sources.list ] && sed -n 's/^deb /deb-src /p' /etc/apt/sources.list > "$apt_dir/sources.list"
for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && sed 's/^Types:.*/Types: deb-src/' "$f" > "$apt_dir/parts/$(basename "$f")"
done
apt=(apt-get -q -o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=$apt_dir/parts"
     -o "Dir::State::Lists=$apt_dir/lists")
"${apt[@]}" update >/dev/null || die "apt-get update of the source lists failed"
cd "$dir/src"
rm -rf mosquitto-*/
"${apt[@]}" source --download-only mosquitto >/dev/null 2>&1 || die "apt-get source mosquitto failed"
dpkg-source -x --no-check mosquitto_*.dsc >/dev/null || die "dpkg-source could not unpack mosquitto"
cd mosquitto-*/
# only the broker; no cJSON, docs, SRV, WebSockets, systemd or TLS: fewer dependencies, the edges that matter
make -C src -j"$(nproc)" CC=afl-cc AFL_QUIET=1 WITH_CJSON=no WITH_DOCS=no WITH_SRV=no WITH_WEBSOCKETS=no \
    WITH_SYSTEMD=no WITH_TLS=no > "$dir/build.log" 2>&1 || die "the build failed: see $dir/build.log"
cp src/mosquitto "$dir/mosquitto"
echo "afl-mosquitto: $dir/mosquitto ($(AFL_DUMP_MAP_SIZE=1 "$dir/mosquitto" || true) edges)"
