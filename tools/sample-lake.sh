#!/usr/bin/env bash
# Builds (once) the sample lake the read-only test suites share, and prints its path:
#   tools/sample-lake.sh DIR      -> DIR/lake (DIR/lake/_built marks a finished build; DIR/demo.out is
#                                    what the demo printed)
# It is the demo's lake (`songhong demo`): provincial statistics, the ports' monthly reports, December
# 2025 of terminal events, a generated year of hourly readings for six air stations and four
# discharge points, every mart; then the release yearbook-2025 is pinned. The JVM client test
# (clients/), the command-line tests (CliTest), the demo marts test (DemoMartsIT: the gold tables
# against a fixture) and the notebook
# tests (notebooks/tests) read it, named by SONGHONG_TEST_LAKE; run-tests builds it once for all.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
DIR="${1:?usage: tools/sample-lake.sh DIR}"
LAKE="$DIR/lake"
if [ ! -f "$LAKE/_built" ]; then
  mkdir -p "$DIR"
  # The demo's output is kept beside the lake (DIR/demo.out): CliTest checks what it printed.
  "$ROOT/songhong" demo --lake "$LAKE" | tee "$DIR/demo.out" >&2
  "$ROOT/songhong" pin create yearbook-2025 --lake "$LAKE" --note "figures cited in the 2025 report" >&2
  echo ok > "$LAKE/_built"
fi
echo "$LAKE"
