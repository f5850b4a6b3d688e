#!/usr/bin/env bash
# Starts or stops the Wine environment of the Windows tests (CTest fixtures
# wine_prefix_init and wine_prefix_stop, see cmake/testing.cmake).
#   start: create the prefix if needed, start a persistent wineserver and the
#          system processes (wineboot), all writing to ${WINEPREFIX}.log so that
#          no daemon keeps CTest's output pipe open;
#   stop:  kill that wineserver and every Wine process of the prefix.
# Environment: WINEPREFIX, BPFHOST_WINE (wine64 loader), BPFHOST_WINESERVER.
set -euo pipefail

: "${WINEPREFIX:?WINEPREFIX must be set}"
: "${BPFHOST_WINE:=/usr/lib/wine/wine64}"
: "${BPFHOST_WINESERVER:=/usr/lib/wine/wineserver64}"
export WINEPREFIX WINEDEBUG="${WINEDEBUG:--all}"
export WINEDLLOVERRIDES="${WINEDLLOVERRIDES:-mscoree,mshtml,winemenubuilder.exe=d}"
log="${WINEPREFIX}.log"

case "${1:-}" in
start)
  start_ms=$(date +%s%3N)
  mkdir -p "$WINEPREFIX"
  fresh=yes
  [[ -f "$WINEPREFIX/system.reg" ]] && fresh=no
  # Fails harmlessly when a server for this prefix is already running.
  "$BPFHOST_WINESERVER" -p </dev/null >>"$log" 2>&1 || true
  if ! "$BPFHOST_WINE" wineboot -i </dev/null >>"$log" 2>&1; then
    echo "wineboot failed for $WINEPREFIX; see $log" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
  elapsed_ms=$(($(date +%s%3N) - start_ms))
  echo "wine prefix $WINEPREFIX ready (new: $fresh) in ${elapsed_ms} ms; log: $log" | tee -a "$log"
  ;;
stop)
  "$BPFHOST_WINESERVER" -k </dev/null >>"$log" 2>&1 || true
  echo "wineserver for $WINEPREFIX stopped"
  ;;
*)
  echo "usage: $0 start|stop" >&2
  exit 2
  ;;
esac
