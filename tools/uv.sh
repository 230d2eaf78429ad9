#!/usr/bin/env bash
# Installs (once) uv, the Python package installer, at a pinned version from PyPI into the cache, and
# prints its path. The project's Python venvs (Airflow's, the notebooks', moto's for the S3 test) are
# made with it: on 2 cores pip took 28-55 CPU s per venv with every package in its cache, uv 1-8 s
# from an empty one (bench/README.md, "ci: the test run on a slower host").
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
