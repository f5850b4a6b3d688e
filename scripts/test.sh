#!/usr/bin/env bash
# The README's test command: the whole test suite in four configurations.
#   release  optimised native build, every test
#   asan     AddressSanitizer + UndefinedBehaviorSanitizer, every test
#   mingw    Windows cross build of the portable libraries and their tests, run under Wine
#   fuzz     the libFuzzer targets (clang, ASan+UBSan), each briefly from its seeds
# Usage: scripts/test.sh [PRESET...]   (default: release asan mingw fuzz; also debug)
#   fuzz = build the libFuzzer targets and run each for BPFHOST_FUZZ_SECONDS from its seeds
# Each configuration (configure, build, ctest) runs under a time budget so the
# suite stays within about 25 minutes on 2 cores; a configuration that fails or
# runs out of time makes the script exit 1 after the others have run.
# Environment: CI=true makes tests that need ../shared/corpus fail instead of
# skipping; BPFHOST_BUILD_ROOT (default build), BPFHOST_JOBS (default 2),
# BPFHOST_BUDGET_<PRESET> (seconds) and BPFHOST_TEST_TIMEOUT (seconds per test).
set -euo pipefail
# The whole script is one { } block, so bash has read all of it before running
# any of it: editing this file while a run is in progress cannot break that run.
{

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
root=${BPFHOST_BUILD_ROOT:-$repo/build}
[[ "$root" = /* ]] || root=$repo/$root
export BPFHOST_BUILD_ROOT=$root
jobs=${BPFHOST_JOBS:-2}
test_timeout=${BPFHOST_TEST_TIMEOUT:-300}
[[ -n "${CI:-}" ]] && export CI
# CI builds a fresh clone in a new folder on the same machine: let ccache
# share results across clones (paths below the repo are hashed relative to it).
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$repo}
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-true}

# One configuration, run by the loop below under `timeout`.
if [[ "${1:-}" == --stage ]]; then
  preset=$2
  dir=$root/$preset
  # Build all that builds and run the tests even if something failed to
  # build (its tests then fail as "Not Run"), so one broken target does not
  # hide the state of the rest; the stage still fails.
  build_rc=0
  BPFHOST_KEEP_GOING=1 bash "$repo/scripts/build.sh" "$preset" || build_rc=$?
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
  if [[ "$preset" == fuzz ]]; then
    ((build_rc == 0)) || exit "$build_rc"
    # Each fuzzer briefly, from its committed seeds (tests/fuzz/corpus/NAME, read
    # only); what it finds goes to a scratch folder, crashers to the build folder.
    seconds=${BPFHOST_FUZZ_SECONDS:-20}
    count=0
    for fuzzer in "$dir"/tests/fuzz/*_fuzz; do
      name=$(basename "$fuzzer" _fuzz)
      scratch=$dir/fuzz-scratch/$name
      rm -rf "$scratch" && mkdir -p "$scratch" "$dir/fuzz-crashes"
      echo "== $name: ${seconds}s"
      seeds=("$repo/tests/fuzz/corpus/$name")
      # The assembler also starts from the project's own assembler sources.
      [[ "$name" == assemble ]] && seeds+=("$repo/examples/asm_demo" "$repo/bench/workloads")
      "$fuzzer" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$dir/fuzz-crashes/$name-" "$scratch" "${seeds[@]}"
      count=$((count + 1))
    done
    echo "fuzz: $count fuzzers ran ${seconds}s each without a finding"
    exit
  fi
  if [[ ! -f "$dir/CTestTestfile.cmake" ]]; then
    echo "BUILD FAILED (configure, exit $build_rc): see the CMake Error above"
    exit 1
  fi
  test_rc=0
  ctest --test-dir "$dir" --output-on-failure --no-tests=error \
    -j "$jobs" --timeout "$test_timeout" || test_rc=$?
  if ((build_rc != 0)); then
    echo "BUILD FAILED (exit $build_rc): see the first FAILED: line above"
    exit "$build_rc"
  fi
  exit "$test_rc"
fi

presets=("$@")
((${#presets[@]})) || presets=(release asan mingw fuzz)

bash "$repo/scripts/setup.sh"
command -v ccache >/dev/null && ccache --zero-stats >/dev/null

declare -A default_budget=([release]=900 [asan]=1200 [mingw]=900 [debug]=900 [fuzz]=600)
mkdir -p "$root/logs"
failed=0
summary=()
for preset in "${presets[@]}"; do
  var=BPFHOST_BUDGET_${preset^^}
  budget=${!var:-${default_budget[$preset]:-600}}
  log=$root/logs/$preset.log
  echo "==== $preset: configure, build, test (budget ${budget}s, log $log)"
  start=$SECONDS
  set +e
  timeout -k 30 "$budget" bash "$repo/scripts/test.sh" --stage "$preset" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  set -e
  elapsed=$((SECONDS - start))
  if [[ -f "$root/$preset/wine-prefix.log" ]]; then
    # Whatever happened, leave no wineserver of this build behind.
    WINEPREFIX=$root/$preset/wine-prefix bash "$repo/scripts/wine-prefix.sh" stop >/dev/null || true
  fi
  tests=$(grep -Eo '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+|fuzz: [0-9]+ fuzzers ran.*' "$log" | tail -n 1 || true)
  case $rc in
  0) result=PASS ;;
  124 | 137) result="TIMEOUT after ${budget}s" ;;
  *) result="FAIL (exit $rc)" ;;
  esac
  if ((rc != 0)) && grep -q '^BUILD FAILED' "$log"; then
    result="BUILD FAIL (exit $rc)"
  fi
  ((rc == 0)) || failed=1
  summary+=("$(printf '%-8s %-22s %5ss  %s' "$preset" "$result" "$elapsed" "${tests:-no test results}")")
done

echo
echo "==== summary (CI=${CI:-unset}, logs in $root/logs)"
printf '%s\n' "${summary[@]}"
if command -v ccache >/dev/null; then
  ccache --print-stats 2>/dev/null |
    awk -F'\t' '$1=="direct_cache_hit"||$1=="preprocessed_cache_hit"{h+=$2} $1=="cache_miss"{m=$2} END{if(h+m) printf "ccache: %d hits, %d misses\n", h, m}'
fi
if [[ " ${presets[*]} " == *" mingw "* && -f "$root/mingw/wine-prefix.log" ]]; then
  grep -h 'ready (new' "$root/mingw/wine-prefix.log" | tail -n 1 | sed 's/^/wine: /' || true
fi
exit "$failed"
}
