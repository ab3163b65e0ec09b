#!/usr/bin/env bash
# Create (or reuse) the Python >= 3.12 venv used for the Ray integration: ray[default] (+ extra packages).
#
#   scripts/ray-venv.sh [EXTRA_PIP_ARGS...]     # venv at $RAY_VENV (default: <repo>/.venv-ray)
#
# Prints the venv path on the last line of stdout. Idempotent: a venv that already has `ray` is reused,
# only the extra packages are installed.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${RAY_VENV:-$repo/.venv-ray}

find_python() {
  local c
  for c in "${SYNAPSE_PYTHON:-}" /root/.pyenv/versions/3.12.1/bin/python3.12 \
           "$(command -v pyenv >/dev/null 2>&1 && echo "$(pyenv root)/versions/3.12.1/bin/python3.12")" \
           python3.13 python3.12 python3; do
    [ -n "$c" ] || continue
    command -v "$c" >/dev/null 2>&1 || continue
    if "$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
      command -v "$c"; return 0
    fi
  done
  return 1
}

if [ ! -x "$venv/bin/python" ]; then
  py=$(find_python) || {
    echo "ray-venv: no Python >= 3.12 found (synapse-sdk needs it; tried \$SYNAPSE_PYTHON," \
         "/root/.pyenv/versions/3.12.1/bin/python3.12, python3.13, python3.12, python3)." \
         "Install one (e.g. pyenv install 3.12) or set SYNAPSE_PYTHON=/path/to/python3.12" >&2
    exit 1
  }
  echo "ray-venv: creating $venv with $py" >&2
  "$py" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade pip >&2
fi
if ! "$venv/bin/python" -c 'import ray, ray.dashboard' >/dev/null 2>&1; then
  echo "ray-venv: installing ray[default] (slow: ~1 min download)" >&2
  "$venv/bin/python" -m pip install -q "ray[default]" >&2
fi
if [ $# -gt 0 ]; then
  "$venv/bin/python" -m pip install -q "$@" >&2
fi
echo "$venv"
