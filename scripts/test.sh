#!/usr/bin/env bash
# Builds Frontdesk and runs every test: the format check, the libFuzzer smoke runs and the
# Qt Test suites, ending with CTest's summary. Safe to run again: builds are incremental.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
jobs=$(nproc 2>/dev/null || echo 2)

step() { printf '\n==> %s\n' "$*"; }

step "Checking build dependencies (scripts/debian-packages.txt)"
bash scripts/ensure-deps.sh

step "Checking formatting (clang-format, .clang-format)"
bash scripts/check-format.sh

step "Building the libFuzzer targets with clang in build-fuzz/"
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_CXX_COMPILER=clang++ -DFRONTDESK_FUZZERS=ON -DBUILD_TESTING=ON \
    -DFRONTDESK_ONLY_GRAPH=ON \
    -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined,fuzzer-no-link -fno-omit-frame-pointer" \
    > build-fuzz.log 2>&1 || { cat build-fuzz.log; exit 1; }
cmake --build build-fuzz --target fuzzers -j "$jobs"

step "Building everything with the default compiler in build/"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DFRONTDESK_FUZZ_BUILD_DIR="$root/build-fuzz/tests/fuzz" \
    > build.log 2>&1 || { cat build.log; exit 1; }
cmake --build build -j "$jobs"

step "Running the tests (CTest)"
cd build
ctest --output-on-failure -j "$jobs" --timeout 600
