#!/usr/bin/env bash
# Install what mqtk needs from Debian's packages (only what is missing), then build it into build/.
#   scripts/setup.sh            install + build
#   scripts/setup.sh --deps     install only
# Exit codes: 0 ok, 2 a package could not be installed or the build failed.
set -euo pipefail
cd "$(dirname "$0")/.."

# afl++: its compiler builds the instrumented test broker of `mqtk fuzz --edge-coverage`'s tests.
PACKAGES=(build-essential cmake pkg-config check libpcap-dev libssl-dev openssl clang libclang-rt-14-dev mosquitto
          mosquitto-clients python3-pytest tshark unzip afl++)

missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# Node.js and npm (test peers only) are asked for by command, not by package: a machine may have them from
# another package (NodeSource's nodejs bundles npm and conflicts with Debian's npm package).
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)

if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 2; }
        SUDO=sudo
    fi
    export DEBIAN_FRONTEND=noninteractive
    # tshark asks whether non-root users may capture; answer no without a prompt.
    echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
    $SUDO apt-get update -q || { echo "setup: apt-get update failed" >&2; exit 2; }
    $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" ||
        { echo "setup: apt-get install failed for: ${missing[*]}" >&2; exit 2; }
fi

# The second WebSocket broker of the tests (aedes behind npm's ws package), pinned by
# scripts/peers/package-lock.json into scripts/peers/node_modules. Without it those tests skip, saying so.
if [ ! -d scripts/peers/node_modules/aedes ]; then
    npm ci --no-audit --no-fund --prefix scripts/peers >/dev/null 2>&1 ||
        echo "setup: npm could not install scripts/peers (aedes, ws): the aedes WebSocket tests will skip" >&2
fi

[ "${1:-}" = "--deps" ] && exit 0

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null || { echo "setup: cmake configure failed" >&2; exit 2; }
cmake --build build -j"$(nproc)" || { echo "setup: build failed" >&2; exit 2; }
echo "setup: built build/mqtk"
