#!/usr/bin/env bash
# Builds (once) the sample lake the read-only test suites share, and prints its path:
#   tools/sample-lake.sh DIR      -> DIR/lake (DIR/lake/_built marks a finished build)
# Provincial statistics, the ports' monthly reports, a generated year of hourly readings for two air
# stations and one discharge point, every mart; then the release yearbook-2025 is pinned. The JVM
# client test (clients/, SONGHONG_TEST_LAKE) and the notebook tests (notebooks/tests) read it;
# run-tests builds it once for both.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
DIR="${1:?usage: tools/sample-lake.sh DIR}"
LAKE="$DIR/lake"
if [ ! -f "$LAKE/_built" ]; then
  mkdir -p "$DIR"
  "$ROOT/songhong" generate environment --from 2025-01-01 --to 2025-12-31 --air-stations 2 --discharge-points 1 \
    --out "$DIR/environment" >&2
  "$ROOT/songhong" run provincial_stats_bronze provincial_stats_silver logistics_stats logistics_marts \
    environment_bronze environment_silver environment_marts provincial_marts --date 2025-12-31 --lake "$LAKE" \
    --conf "songhong.environment.dir=$DIR/environment" --conf songhong.environment.lookback.days=366 >&2
  "$ROOT/songhong" pin create yearbook-2025 --lake "$LAKE" --note "figures cited in the 2025 report" >&2
  echo ok > "$LAKE/_built"
fi
echo "$LAKE"
