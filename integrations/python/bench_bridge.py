"""Measure the bridge logger's cost per RuntimeContext call next to the SDK's own ConsoleLogger.

    python integrations/python/bench_bridge.py [-n 20000] [--repeat 5] [--json]

Each call goes through ``RuntimeContext`` exactly as a plugin makes it. Console output (stdout lines, the
tqdm bar on stderr) and marked lines go to /dev/null, so terminal rendering is not measured; the event log
goes to a temporary SYNAPSE_HOME. The figure is the best of ``--repeat`` runs, in microseconds per call.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import sys
import tempfile
import time
from importlib.metadata import version

from synapse_sdk.loggers import ConsoleLogger, NoOpLogger
from synapse_sdk.plugins.context import PluginEnvironment, RuntimeContext
from synapse_sdk.plugins.models.logger import LogLevel

from synapse_tui_bridge import BridgeLogger

CALLS = ('set_progress', 'set_metrics', 'log_message')


def _call(ctx: RuntimeContext, name: str, n: int) -> float:
    if name == 'set_progress':
        total = n + 1  # never reach 100%: ConsoleLogger closes its tqdm bar there
        start = time.perf_counter()
        for i in range(1, n + 1):
            ctx.set_progress(i, total, step='train')
    elif name == 'set_metrics':
        start = time.perf_counter()
        for i in range(n):
            ctx.set_metrics({'epoch': i, 'loss': 0.5, 'acc': 0.9}, step='train')
    else:
        start = time.perf_counter()
        for i in range(n):
            ctx.log_message('processed a batch', LogLevel.INFO)
    return (time.perf_counter() - start) / n * 1e6


def measure(n: int, repeat: int) -> dict[str, dict[str, float]]:
    makers = {
        'NoOpLogger (SDK baseline)': lambda home: NoOpLogger(),
        'ConsoleLogger (SDK)': lambda home: ConsoleLogger(),
        'BridgeLogger (event log)': lambda home: BridgeLogger('bench', home=home, stdout=False),
        'BridgeLogger (event log + marked stdout)': lambda home: BridgeLogger('bench', home=home, stdout=True),
    }
    results: dict[str, dict[str, float]] = {}
    with open(os.devnull, 'w') as null, tempfile.TemporaryDirectory() as tmp:
        for label, make in makers.items():
            results[label] = {}
            for call in CALLS:
                best = float('inf')
                for r in range(repeat):
                    home = os.path.join(tmp, f'{len(results)}-{call}-{r}')
                    with contextlib.redirect_stdout(null), contextlib.redirect_stderr(null):
                        logger = make(home)
                        ctx = RuntimeContext(logger=logger, env=PluginEnvironment({}), job_id='bench')
                        best = min(best, _call(ctx, call, n))
                        logger.finish()
                        close = getattr(logger, 'close', None)
                        if close:
                            close()
                results[label][call] = round(best, 2)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-n', type=int, default=20000, help='calls per measurement')
    parser.add_argument('--repeat', type=int, default=5)
    parser.add_argument('--json', action='store_true')
    args = parser.parse_args()
    results = measure(args.n, args.repeat)
    env = {
        'python': platform.python_version(),
        'synapse_sdk': version('synapse-sdk'),
        'machine': f'{platform.machine()}, {os.cpu_count()} CPUs',
        'calls': args.n,
        'repeat': args.repeat,
    }
    if args.json:
        print(json.dumps({'env': env, 'us_per_call': results}, indent=2))
        return 0
    print(f"µs per call (best of {args.repeat} × {args.n} calls; Python {env['python']}, "
          f"synapse-sdk {env['synapse_sdk']}, {env['machine']})\n")
    print('| logger | ' + ' | '.join(CALLS) + ' |')
    print('|---|' + '---:|' * len(CALLS))
    for label, row in results.items():
        print(f'| {label} | ' + ' | '.join(f'{row[c]:.1f}' for c in CALLS) + ' |')
    return 0


if __name__ == '__main__':
    sys.exit(main())
