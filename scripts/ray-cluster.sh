#!/usr/bin/env bash
# Start or stop the real single-node Ray cluster used by the Ray tests, inside the network namespace
# made by shared/recipes/ray-in-netns.sh (loopback only; the Jobs API answers at http://127.0.0.1:8265
# inside the namespace).
#
#   scripts/ray-cluster.sh start|restart|restart-token|stop     # venv: $RAY_VENV (default <repo>/.venv-ray), ns: $RAY_NETNS
#   ip netns exec synapse-ray <command>      # run anything that talks to Ray inside the namespace
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${RAY_VENV:-$repo/.venv-ray}
ns=${RAY_NETNS:-synapse-ray}
recipe=${RAY_NETNS_RECIPE:-}
if [ -z "$recipe" ]; then
  for c in "$repo/../shared/recipes/ray-in-netns.sh" /work/shared/recipes/ray-in-netns.sh; do
    [ -f "$c" ] && { recipe=$c; break; }
  done
fi
[ -n "$recipe" ] && [ -f "$recipe" ] || { echo "ray-cluster: ray-in-netns.sh not found (looked in ../shared/recipes)" >&2; exit 1; }
case ${1:-} in
  start)
    [ -x "$venv/bin/ray" ] || { echo "ray-cluster: no ray in $venv; run scripts/ray-venv.sh first" >&2; exit 1; }
    # Jobs run their entrypoint in a shell that inherits this PATH: put the venv first so that `python` in a
    # job is the cluster's own Python (ray, synapse-sdk, the bridge), as on a real cluster image.
    PATH="$venv/bin:$PATH" bash "$recipe" start "$venv" "$ns" ;;
  restart)
    # Same namespace (processes inside it keep their network), new Ray session: all jobs are gone.
    ip netns exec "$ns" "$venv/bin/ray" stop >/dev/null 2>&1 || true
    PATH="$venv/bin:$PATH" bash "$recipe" start "$venv" "$ns" ;;
  restart-token)
    # Same namespace, new Ray session in Ray's token mode (token from RAY_AUTH_TOKEN). The recipe's readiness
    # check cannot send the token, so this starts the head with the recipe's flags and checks with it.
    : "${RAY_AUTH_TOKEN:?restart-token needs RAY_AUTH_TOKEN}"
    ip netns exec "$ns" "$venv/bin/ray" stop >/dev/null 2>&1 || true
    PATH="$venv/bin:$PATH" RAY_AUTH_MODE=token ip netns exec "$ns" "$venv/bin/ray" start --head --num-cpus 2 \
      --dashboard-host 127.0.0.1 --include-dashboard true --disable-usage-stats >/dev/null
    for _ in $(seq 60); do
      ip netns exec "$ns" curl -sf -H "Authorization: Bearer $RAY_AUTH_TOKEN" http://127.0.0.1:8265/api/version \
        >/dev/null && exit 0
      sleep 0.5
    done
    echo "ray dashboard (token mode) did not answer on 127.0.0.1:8265 inside netns $ns" >&2; exit 1 ;;
  stop)
    bash "$recipe" stop "$venv" "$ns" ;;
  *) echo "usage: $0 start|restart|restart-token|stop" >&2; exit 2 ;;
esac
