#!/usr/bin/env bash
# The HTML export in a real browser (issue #21): headless Chromium (Debian's package) opens an exported
# run and a comparison; a probe page measures the laid-out charts (each SVG has a size, each line a width,
# an x axis name) and the page must log nothing to the console (no CSP violation, no error).
#   scripts/html-export-check.sh [BINARY]   (default .build/debug/synapse-tui; built by scripts/test before)
#   HTML_CHECK_OUT=DIR keeps the pages and screenshots there.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bin=${1:-.build/debug/synapse-tui}

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing chromium (Debian package, only for this check)"
    start=$(date +%s)
    # A fresh machine may have no package lists at all (scripts/test updates them only when it installs).
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
    echo "chromium installed in $(( $(date +%s) - start )) s"
    browser=$(command -v chromium)
  else
    echo "chromium missing (sudo apt-get install chromium)" >&2
    exit 1
  fi
fi

out=${HTML_CHECK_OUT:-$(mktemp -d)}
mkdir -p "$out"
[ -n "${HTML_CHECK_OUT:-}" ] || trap 'rm -rf "$out"' EXIT
"$bin" export --file Tests/Fixtures/export-report.jsonl --format html -o "$out/one.html"
"$bin" export --file Tests/Fixtures/export-report.jsonl --file Tests/Fixtures/train-val-nan.jsonl --format html \
  -o "$out/compare.html"
cp scripts/html-export-probe.html "$out/probe.html"

chrome() {
  # No sandbox: CI runs as root, where Chromium refuses its own. The pages are ours and load nothing.
  "$browser" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$out/profile" \
    --enable-logging=stderr --v=0 --virtual-time-budget=10000 "$@"
}

status=0
for page in one compare; do
  chrome --allow-file-access-from-files --dump-dom "file://$out/probe.html?page=$page.html" >"$out/$page.dom" 2>"$out/$page.log"
  verdict=$(grep -o '<pre id="out">[^<]*' "$out/$page.dom" | sed 's/.*>//' || true)
  [ -n "$verdict" ] || verdict="PROBE FAIL no verdict"
  echo "$page.html: $verdict"
  case $verdict in "PROBE OK"*) ;; *) status=1 ;; esac
  # Chromium logs what a page says to its console (errors, CSP violations) as CONSOLE lines.
  if grep -q ':CONSOLE' "$out/$page.log"; then
    echo "$page.html: the browser's console reported:" >&2
    grep ':CONSOLE' "$out/$page.log" >&2
    status=1
  fi
  chrome --hide-scrollbars --window-size=1280,2400 --screenshot="$out/$page.png" "file://$out/$page.html" 2>/dev/null
  [ -s "$out/$page.png" ] || { echo "$page.html: no screenshot" >&2; status=1; }
done
exit $status
