#!/usr/bin/env bash
# Ray tests against a real single-node Ray cluster (issue #6).
#
#   scripts/ray-tests.sh
#
# 1. creates/reuses the venv (.venv-ray: ray[default], synapse-sdk==2026.2.17, the bridge ./integrations/python)
# 2. starts the cluster in the loopback-only network namespace (scripts/ray-cluster.sh → ray-in-netns.sh)
# 3. builds, then runs the Swift Ray suites inside the namespace with SYNAPSE_RAY_URL set, and over TLS
#    (SYNAPSE_RAY_TLS_URL: stunnel4 from Debian on 127.0.0.1:8443, with a CA and certificate made for this run)
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

# TLS: a CA and a server certificate made for this run, and stunnel (Debian's stunnel4) inside the namespace
# terminating https:// and wss:// on 127.0.0.1:8443 in front of the dashboard.
if ! command -v stunnel4 >/dev/null && ! command -v stunnel >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    echo "ray-tests: installing stunnel4"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq stunnel4 >/dev/null 2>&1 ||
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq stunnel4 >/dev/null; }
  else
    echo "ray-tests: stunnel4 is missing (apt-get install stunnel4)" >&2; exit 1
  fi
fi
stunnel_bin=$(command -v stunnel4 || command -v stunnel)
tls=$(mktemp -d)
make_ca() { # $1: name
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=synapse-tui test $1" \
    -keyout "$tls/$1.key" -out "$tls/$1.pem" >/dev/null 2>&1
}
make_ca ca
make_ca other-ca
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
  -keyout "$tls/server.key" -out "$tls/server.csr" >/dev/null 2>&1
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n' >"$tls/ext.cnf"
openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" -CAcreateserial -days 2 \
  -extfile "$tls/ext.cnf" -out "$tls/server.pem" >/dev/null 2>&1
cat >"$tls/stunnel.conf" <<CONF
foreground = no
pid = $tls/stunnel.pid
[ray-dashboard]
accept = 127.0.0.1:8443
connect = 127.0.0.1:8265
cert = $tls/server.pem
key = $tls/server.key
CONF

cleanup() {
  [ -f "$tls/stunnel.pid" ] && kill "$(cat "$tls/stunnel.pid")" 2>/dev/null || true
  rm -rf "$tls"
  scripts/ray-cluster.sh stop || true
}
trap cleanup EXIT INT TERM
# A cluster left over from an interrupted run would hold the ports.
scripts/ray-cluster.sh stop >/dev/null 2>&1 || true
echo "ray-tests: starting a single-node Ray cluster in netns $ns"
scripts/ray-cluster.sh start

ip netns exec "$ns" "$stunnel_bin" "$tls/stunnel.conf"
for _ in $(seq 50); do [ -f "$tls/stunnel.pid" ] && break; sleep 0.1; done
echo "ray-tests: stunnel terminates TLS on https://127.0.0.1:8443 (CA made for this run)"

export SYNAPSE_RAY_URL=http://127.0.0.1:8265
export SYNAPSE_RAY_TLS_URL=https://127.0.0.1:8443
export SYNAPSE_RAY_CA=$tls/ca.pem
export SYNAPSE_RAY_OTHER_CA=$tls/other-ca.pem
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
