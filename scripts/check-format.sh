#!/usr/bin/env bash
# Fails when a C++ file that git tracks (or would track) is not formatted as .clang-format says.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files --cached --others --exclude-standard -- '*.cpp' '*.h' | sort -u)
[ ${#files[@]} -eq 0 ] && { echo "no C++ files"; exit 0; }
if ! clang-format --dry-run -Werror "${files[@]}"; then
    echo "Some files are not formatted. Fix them with: clang-format -i <file>" >&2
    exit 1
fi
echo "${#files[@]} files formatted correctly"
