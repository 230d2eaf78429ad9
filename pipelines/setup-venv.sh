#!/usr/bin/env bash
# Creates (once) the Python environment the DAG tests run in: Airflow 3 and pytest, pinned by
# pipelines/constraints.txt. The venv lives outside the checkout, keyed by the constraints' hash,
# so it is reused between runs and rebuilt when the pins change. Prints the venv's path.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
HASH="$(sha256sum "$HERE/constraints.txt" | cut -c1-12)"
VENV="${SONGHONG_AIRFLOW_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/songhong/airflow-venv-$HASH}"
if [ ! -x "$VENV/bin/airflow" ] || [ ! -f "$VENV/.complete" ]; then
  echo "setting up the Airflow environment in $VENV (first run: about ten seconds)..." >&2
  rm -rf "$VENV"
  # Bytecode compiled now (6 s on 2 cores): `airflow standalone` starts four processes that import
  # Airflow at once, each compiling the same modules while no bytecode is written yet (the first
  # standalone test's set-up took 30 s without it, 25 s with it, 18 s with pip's venv: one run each).
  "$HERE/../tools/python-venv.sh" "$VENV" --compile-bytecode -c "$HERE/constraints.txt" -r "$HERE/requirements.txt"
  touch "$VENV/.complete"
fi
echo "$VENV"
