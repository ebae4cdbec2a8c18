#!/usr/bin/env bash
# Builds Frontdesk and launches it. Safe to run again: the build is incremental.
# Extra arguments go to the launched program.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
jobs=$(nproc 2>/dev/null || echo 2)

step() { printf '\n==> %s\n' "$*"; }

step "Checking build dependencies (scripts/debian-packages.txt)"
bash scripts/ensure-deps.sh

step "Configuring and building in build/"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Debug > build.log 2>&1 || { cat build.log; exit 1; }
cmake --build build -j "$jobs"

# Launch the console; a checkout built without it (an older one) falls back to the sandbox.
if [ -x build/app/frontdesk ]; then
    step "Starting the console (build/app/frontdesk)"
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
        echo "    No display found: run this from a desktop session (or under xvfb-run)."
    fi
    echo "    With no relay configured it runs in sandbox mode: simulated calls, nothing real."
    exec build/app/frontdesk "$@"
elif [ -x build/sandbox/frontdesk-sandbox ]; then
    step "Starting the local Graph sandbox with the front-desk-morning scenario"
    echo "    The console is not built yet; the sandbox serves Graph's calling API on loopback."
    echo "    Point a callback receiver at it with --callback-url; see docs/sandbox.md."
    exec build/sandbox/frontdesk-sandbox --listen 127.0.0.1:8765 \
        --scenario sandbox/scenarios/front-desk-morning.json "$@"
else
    step "Nothing to launch yet"
    echo "    This checkout has the graph library and its tests only; run scripts/test.sh."
fi
