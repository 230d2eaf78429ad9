#!/usr/bin/env bash
# Makes (once) the Python venv of the notebooks and their tests (the Spark Connect client, Jupyter's
# kernel and runner, pandas, matplotlib) pinned by constraints.txt, and prints its path.
#   VENV=$(notebooks/setup-venv.sh); $VENV/bin/jupyter ... or $VENV/bin/python -m pytest notebooks/tests
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
HASH="$(cat "$HERE/constraints.txt" "$HERE/requirements.txt" | sha256sum | cut -c1-12)"
VENV="${SONGHONG_NOTEBOOK_VENV:-$HOME/.cache/songhong/notebook-venv-$HASH}"
if [ ! -f "$VENV/.complete" ]; then  # venvs cannot be moved, so the marker says it finished
  echo "setup-venv: creating $VENV" >&2
  rm -rf "$VENV"
  "$HERE/../tools/python-venv.sh" "$VENV" -c "$HERE/constraints.txt" -r "$HERE/requirements.txt"
  "$VENV/bin/python" -m ipykernel install --prefix "$VENV" --name python3 >&2
  touch "$VENV/.complete"
fi
echo "$VENV"
