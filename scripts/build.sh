#!/usr/bin/env bash
# Configures and builds one CMake preset: scripts/build.sh PRESET [TARGET...]
#   The build folder is $BPFHOST_BUILD_ROOT/PRESET (default build/PRESET, as the
#   presets say); $BPFHOST_JOBS parallel jobs (default 2); BPFHOST_KEEP_GOING=1
#   builds every target it can after a failure (the exit status still says so).
#   Uses ccache if installed.
set -euo pipefail

if (($# < 1)); then
  echo "usage: $0 PRESET [TARGET...]   (presets: release debug asan mingw)" >&2
  exit 2
fi
preset=$1
shift
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
root=${BPFHOST_BUILD_ROOT:-$repo/build}
[[ "$root" = /* ]] || root=$repo/$root
dir=$root/$preset
jobs=${BPFHOST_JOBS:-2}

cd "$repo"
cmake --preset "$preset" -B "$dir"
targets=()
for target in "$@"; do targets+=(--target "$target"); done
keep_going=()
[[ "${BPFHOST_KEEP_GOING:-0}" == 1 ]] && keep_going=(-- -k 0)
cmake --build "$dir" -j "$jobs" "${targets[@]}" "${keep_going[@]}"
