#!/usr/bin/env bash
# The README's demo command: installs what is missing, builds the release
# preset and runs the main demo.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$repo/scripts/setup.sh"
bash "$repo/scripts/build.sh" release
dir=${BPFHOST_BUILD_ROOT:-$repo/build}/release
[[ "$dir" = /* ]] || dir=$repo/$dir

# For now the demo assembles examples/asm_demo/ipv4_checksum.s, prints it in
# bpftool's syntax and runs it in the interpreter (issue 3 makes it a
# clang-built XDP program).
exec "$dir/examples/asm_demo/asm_demo" "$@"
