#!/usr/bin/env bash
# Ray tests against a real single-node Ray cluster (issue #6).
#
#   scripts/ray-tests.sh
#
# 1. creates/reuses the venv (.venv-ray: ray[default], synapse-sdk==2026.2.17, the bridge ./integrations/python)
# 2. starts the cluster in the loopback-only network namespace (scripts/ray-cluster.sh → ray-in-netns.sh)
# 3. builds, then runs the Swift Ray suites inside the namespace with SYNAPSE_RAY_URL set
# 4. always stops the cluster (trap), whatever happened
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
ns=${RAY_NETNS:-synapse-ray}
export RAY_NETNS=$ns

venv=$(scripts/ray-venv.sh "synapse-sdk==2026.2.17" | tail -n 1)
export RAY_VENV=$venv
if [ -d integrations/python ]; then
  # The bridge, from a copy (a build from the tree would leave integrations/python/build behind), always
  # reinstalled so the cluster runs the working tree's bridge.
  tmp=$(mktemp -d)
  cp -r integrations/python/. "$tmp/"
  rm -rf "$tmp/build" "$tmp"/src/*.egg-info
  "$venv/bin/python" -m pip install -q --no-deps --force-reinstall "$tmp" >/dev/null 2>&1 ||
    { echo "ray-tests: installing the bridge (integrations/python) into $venv failed" >&2; rm -rf "$tmp"; exit 1; }
  rm -rf "$tmp"
fi

echo "ray-tests: building"
log=$(mktemp)
swift build --build-tests >"$log" 2>&1 || { tail -n 40 "$log" >&2; rm -f "$log"; exit 1; }
rm -f "$log"

cleanup() { scripts/ray-cluster.sh stop || true; }
trap cleanup EXIT INT TERM
# A cluster left over from an interrupted run would hold the ports.
scripts/ray-cluster.sh stop >/dev/null 2>&1 || true
echo "ray-tests: starting a single-node Ray cluster in netns $ns"
scripts/ray-cluster.sh start

export SYNAPSE_RAY_URL=http://127.0.0.1:8265
export SYNAPSE_RAY_VENV=$venv
export SYNAPSE_RAY_REPO=$repo
# The restart test stops and starts this very cluster (it runs last, on its own).
export SYNAPSE_RAY_RESTART_CMD="$repo/scripts/ray-cluster.sh restart"
bin=$(swift build --show-bin-path)
export SYNAPSE_TUI_BIN=$bin/synapse-tui

echo "ray-tests: Swift Ray suites inside netns $ns"
ip netns exec "$ns" env SYNAPSE_RAY_SKIP_RESTART=1 swift test --skip-build --filter 'SynapseRayTests'
echo "ray-tests: cluster restart test"
ip netns exec "$ns" swift test --skip-build --filter 'SynapseRayTests.RayRestartTests'

echo "ray-tests: token mode (the cluster restarted with RAY_AUTH_MODE=token)"
token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
RAY_AUTH_TOKEN=$token scripts/ray-cluster.sh restart-token
ip netns exec "$ns" env SYNAPSE_RAY_TOKEN="$token" swift test --skip-build --filter 'SynapseRayTests.RayTokenTests'
