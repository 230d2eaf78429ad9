#!/usr/bin/env bash
# Installs (once) uv, the Python package installer, at a pinned version from PyPI into the cache, and
# prints its path. The project's Python venvs (Airflow's, the notebooks', moto's for the S3 test) are
# made with it: on 2 cores pip took 26-55 CPU s per venv to install from its own cache, uv 1-3 s
# (bench/README.md, "CI on a slower machine").
set -euo pipefail
UV_VERSION=0.13.9
DIR="${XDG_CACHE_HOME:-$HOME/.cache}/songhong/uv-$UV_VERSION"
if [ ! -f "$DIR/.complete" ]; then  # venvs cannot be moved, so the marker says it finished
  echo "uv.sh: installing uv $UV_VERSION in $DIR" >&2
  rm -rf "$DIR"
  python3 -m venv "$DIR"
  "$DIR/bin/pip" install -q --disable-pip-version-check "uv==$UV_VERSION" >&2
  touch "$DIR/.complete"
fi
echo "$DIR/bin/uv"
