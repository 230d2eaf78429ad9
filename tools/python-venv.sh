#!/usr/bin/env bash
# Makes a Python venv with uv (tools/uv.sh) and installs into it: python-venv.sh VENV ARGS..., where
# ARGS are `uv pip install`'s (-c constraints.txt -r requirements.txt, or package names). The
# interpreter is the python3 on the PATH, as `python3 -m venv` would take; the venv is seeded with
# pip, so `$VENV/bin/pip install` works in it as in one pip made.
set -euo pipefail
VENV="$1"; shift
UV="$("$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/uv.sh")"
export UV_PYTHON_DOWNLOADS=never   # the python3 given, never one uv would download
"$UV" venv -q --seed --python "$(command -v python3)" "$VENV" >&2
"$UV" pip install -q --python "$VENV/bin/python" "$@" >&2
