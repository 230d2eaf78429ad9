#!/usr/bin/env bash
# Makes (once) a Python venv with moto's S3-compatible server, pinned by moto-constraints.txt beside
# this script, and prints its path. The cluster-on-S3 integration test (ClusterOnS3IT) runs it; so can you, to try
# the lake on s3a:// by hand:  "$(cli/src/test/s3/setup-moto.sh)/bin/moto_server" -H 127.0.0.1 -p 5000
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
HASH="$(sha256sum "$HERE/moto-constraints.txt" | cut -c1-12)"
VENV="${SONGHONG_MOTO_VENV:-$HOME/.cache/songhong/moto-venv-$HASH}"
if [ ! -f "$VENV/.complete" ]; then  # venvs cannot be moved, so the marker says it finished
  PY="$(command -v python3)"
  echo "setup-moto: creating $VENV with $PY" >&2
  rm -rf "$VENV"
  "$HERE/../../../../tools/python-venv.sh" "$VENV" -c "$HERE/moto-constraints.txt" "moto[server]"
  touch "$VENV/.complete"
fi
echo "$VENV"
