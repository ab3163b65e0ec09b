#!/usr/bin/env bash
# Python side of synapse-tui: the synapse-sdk bridge (integrations/python) and its tests.
#
#   scripts/python-tests.sh            # venv + install + pytest
#   scripts/python-tests.sh --setup    # only create/refresh the venv (for the Swift tests that drive real plugins)
#   PYTHON=/path/to/python3.12 scripts/python-tests.sh
#
# Finds a Python >= 3.12 ($PYTHON, pyenv's 3.12.1, python3.13/python3.12/python3 on PATH), creates .venv in the
# repo root if missing, installs synapse-sdk==2026.2.17 + pytest + the bridge, runs pytest. pytest's exit 5
# (no test collected) is a failure. Prints the venv's python path as the last line of --setup.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SYNAPSE_TUI_VENV:-$ROOT/.venv}"
SDK_VERSION="2026.2.17"

ok_python() { # $1: interpreter; true when it runs and is >= 3.12
  [ -n "$1" ] && command -v "$1" >/dev/null 2>&1 &&
    "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1
}

find_python() {
  local candidates=()
  [ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
  local pyenv_root="${PYENV_ROOT:-}"
  if [ -z "$pyenv_root" ] && command -v pyenv >/dev/null 2>&1; then pyenv_root="$(pyenv root 2>/dev/null || true)"; fi
  for r in "$pyenv_root" "$HOME/.pyenv" /root/.pyenv; do
    [ -n "$r" ] && candidates+=("$r/versions/3.12.1/bin/python3.12")
  done
  candidates+=(python3.13 python3.12 python3)
  for c in "${candidates[@]}"; do
    if ok_python "$c"; then command -v "$c"; return 0; fi
  done
  return 1
}

if [ ! -x "$VENV/bin/python" ] || ! ok_python "$VENV/bin/python"; then
  if ! PY="$(find_python)"; then
    echo "python-tests: no Python >= 3.12 found (synapse-sdk ${SDK_VERSION} needs it)." >&2
    echo "  tried \$PYTHON, pyenv's versions/3.12.1, python3.13, python3.12, python3 on PATH." >&2
    echo "  install one (e.g. 'pyenv install 3.12.1') or set PYTHON=/path/to/python3.12." >&2
    exit 2
  fi
  echo "python-tests: creating $VENV with $PY ($("$PY" --version 2>&1))"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
fi

PIP=("$VENV/bin/python" -m pip --disable-pip-version-check -q)
if ! "$VENV/bin/python" -c "import importlib.metadata as m, sys; sys.exit(0 if m.version('synapse-sdk') == '$SDK_VERSION' else 1)" 2>/dev/null ||
   ! "$VENV/bin/python" -c 'import pytest' 2>/dev/null; then
  echo "python-tests: installing synapse-sdk==${SDK_VERSION} and pytest"
  "${PIP[@]}" install "synapse-sdk==${SDK_VERSION}" pytest
fi
# The bridge itself, editable so the tests run the working tree (skipped when already linked here).
if ! "$VENV/bin/python" -c "import sys, synapse_tui_bridge as b; sys.exit(0 if b.__file__.startswith('$ROOT/integrations/python/src/') else 1)" 2>/dev/null; then
  "${PIP[@]}" install --no-deps -e "$ROOT/integrations/python"
fi

if [ "${1:-}" = "--setup" ]; then
  echo "$VENV/bin/python"
  exit 0
fi

cd "$ROOT/integrations/python"
set +e
"$VENV/bin/python" -m pytest -q -p no:cacheprovider tests "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "python-tests: pytest collected no tests: failing" >&2
  exit 1
fi
exit "$rc"
