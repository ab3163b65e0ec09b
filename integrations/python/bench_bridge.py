"""The bridge's cost per RuntimeContext call, side by side with the SDK's own ConsoleLogger, in one run.

    python integrations/python/bench_bridge.py [-n 20000] [--rounds 3] [--json]
        [--tui PATH/synapse-tui] [--synapse PATH/synapse]     (adds the plugin rows and the follower latency)

    [--baseline SRC]     (adds an older bridge's rows: SRC holds its synapse_tui_bridge package)

``scripts/bench-plugin`` builds the release binary and runs this with both (the harness; docs/benchmarks.md);
``scripts/bench-plugin --baseline REF`` measures the bridge of git commit REF in the same rounds.

- In-process rows: ``n`` calls through ``RuntimeContext`` as a plugin makes them, console output (stdout lines,
  the tqdm bar on stderr) and marked lines to /dev/null, the event log in a temporary SYNAPSE_HOME. The clock
  stops after the logger wrote everything (``flush``), so batching hides nothing.
- Plugin rows: ``integrations/python/bench_plugin``'s ``loop`` action times the same loops inside the plugin,
  run by ``synapse-tui run --plugin --headless`` (console lines to a file) and by the SDK's
  ``synapse plugin run --mode local > file 2>&1``.
- Follower latency: the ``beat`` action logs a message every 30 ms under ``synapse-tui run --plugin``; this
  script follows the job log (reading it every millisecond, as the dashboard's inotify wake-up would) and
  times each message's arrival against the record's own timestamp.

- Baseline rows (``--baseline SRC``): the older bridge in-process (imported under another name from a copy of
  SRC) and under ``synapse-tui run --plugin`` (``PYTHONPATH=SRC`` for the plugin's Python), so a change is
  measured before and after in the same rounds.

Every round runs every variant (the order rotating each round); the figures are medians over rounds, so the
machine's drift hits all of them alike, and the ratios are taken within each round before the median.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from importlib.metadata import version
from pathlib import Path

from synapse_sdk.loggers import ConsoleLogger, NoOpLogger
from synapse_sdk.plugins.context import PluginEnvironment, RuntimeContext
from synapse_sdk.plugins.models.logger import LogLevel

from synapse_tui_bridge import BridgeLogger

# set_progress_2steps: progress of two steps alternating, so every value is written (no call supersedes the
# one before it: docs/python-plugins.md, "What is recorded for progress"). Last: in the plugin the calls share
# one logger, and ConsoleLogger prints every later line through tqdm.write around its two open bars.
CALLS = ('set_progress', 'set_metrics', 'log_message', 'set_progress_2steps')
PLUGIN = Path(__file__).resolve().parent / 'bench_plugin'
CONSOLE = 'synapse-sdk ConsoleLogger, in-process loop'
BRIDGE = 'our bridge, in-process loop'
MARKED = 'bridge + marked lines (Ray jobs), in-process loop'
NOOP = 'synapse-sdk NoOpLogger (its own bookkeeping only)'
UNDER_TUI = 'inside a plugin under `synapse-tui run --plugin --headless`'
UNDER_SDK = 'inside a plugin under `synapse plugin run > file`'
BEFORE = 'baseline bridge ({}), in-process loop'
UNDER_TUI_BEFORE = 'baseline bridge ({}) inside a plugin under `synapse-tui run --plugin --headless`'


class Baseline:
    """An older bridge: its package copied under another name (in-process rows) and its source folder
    (``PYTHONPATH`` for the plugin rows)."""

    def __init__(self, src: str, name: str, tmp: str) -> None:
        import importlib
        import shutil

        self.src = str(Path(src).resolve())
        self.name = name
        copy = Path(tmp) / 'baseline-import'
        target = copy / 'synapse_tui_bridge_baseline'
        shutil.copytree(Path(self.src) / 'synapse_tui_bridge', target)
        for file in target.rglob('*.py'):
            file.write_text(file.read_text().replace('synapse_tui_bridge', 'synapse_tui_bridge_baseline'))
        sys.path.insert(0, str(copy))
        self.BridgeLogger = importlib.import_module('synapse_tui_bridge_baseline').BridgeLogger


def _loop(ctx: RuntimeContext, name: str, n: int, logger) -> float:
    if name == 'set_progress':
        total = n + 1  # never 100 %: ConsoleLogger closes its tqdm bar there
        start = time.perf_counter()
        for i in range(1, n + 1):
            ctx.set_progress(i, total, step='train')
    elif name == 'set_progress_2steps':
        total = n + 1
        start = time.perf_counter()
        for i in range(1, n + 1):
            ctx.set_progress(i, total, step='train' if i & 1 else 'validation')
    elif name == 'set_metrics':
        start = time.perf_counter()
        for i in range(n):
            ctx.set_metrics({'epoch': i, 'loss': 0.5, 'acc': 0.9}, step='train')
    else:
        start = time.perf_counter()
        for _ in range(n):
            ctx.log_message('processed a batch', LogLevel.INFO)
    flush = getattr(logger, 'flush', None)
    if flush is not None:
        flush()  # what the bridge still holds is part of the cost
    return (time.perf_counter() - start) / n * 1e6


def in_process(label: str, call: str, n: int, tmp: str, baseline: Baseline | None = None) -> float:
    home = os.path.join(tmp, uuid.uuid4().hex)
    makers = {
        NOOP: lambda: NoOpLogger(),
        CONSOLE: lambda: ConsoleLogger(),
        BRIDGE: lambda: BridgeLogger('bench', home=home, stdout=False),
        MARKED: lambda: BridgeLogger('bench', home=home, stdout=True),
    }
    if baseline is not None:
        makers[BEFORE.format(baseline.name)] = lambda: baseline.BridgeLogger('bench', home=home, stdout=False)
    with open(os.devnull, 'w') as null, contextlib.redirect_stdout(null), contextlib.redirect_stderr(null):
        logger = makers[label]()
        ctx = RuntimeContext(logger=logger, env=PluginEnvironment({}), job_id='bench')
        us = _loop(ctx, call, n, logger)
        logger.finish()
        close = getattr(logger, 'close', None)
        if close is not None:
            close()
    return us


def _result(text: str) -> dict:
    for line in reversed(text.splitlines()):
        if line.startswith('Result: ') and 'us_per_call' in line:
            return json.loads(line[len('Result: '):])['us_per_call']
    raise RuntimeError(f'no result line in the output:\n{text[-2000:]}')


def plugin_run(label: str, n: int, tmp: str, tui: str, synapse: str, baseline: Baseline | None = None) -> dict[str, float]:
    home = os.path.join(tmp, uuid.uuid4().hex)
    env = {**os.environ, 'SYNAPSE_HOME': home, 'PYTHONWARNINGS': 'ignore'}
    env.pop('SYNAPSE_JOB_ID', None)
    params = json.dumps({'n': n})
    out = os.path.join(tmp, 'out-' + uuid.uuid4().hex)
    if baseline is not None and label == UNDER_TUI_BEFORE.format(baseline.name):
        env['PYTHONPATH'] = baseline.src + os.pathsep + env.get('PYTHONPATH', '')
    if label != UNDER_SDK:
        cmd = [tui, 'run', '--plugin', str(PLUGIN), 'loop', '--headless', '--params', params, '--python', sys.executable]
    else:
        cmd = [synapse, 'plugin', 'run', 'loop', '--mode', 'local', '--path', str(PLUGIN), '--params', params]
    with open(out, 'w') as f:
        code = subprocess.run(cmd, env=env, stdout=f, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, timeout=600).returncode
    text = Path(out).read_text(errors='replace')
    if code != 0:
        raise RuntimeError(f'{" ".join(cmd)} exited {code}:\n{text[-2000:]}')
    return _result(text)


def follower_latency(tmp: str, tui: str, count: int = 40) -> list[float]:
    """Milliseconds from each message's timestamp to its line being readable in the job log."""
    home = os.path.join(tmp, uuid.uuid4().hex)
    job = 'latency-' + uuid.uuid4().hex[:8]
    env = {**os.environ, 'SYNAPSE_HOME': home, 'PYTHONWARNINGS': 'ignore'}
    log = Path(home) / 'jobs' / job / 'events.jsonl'
    cmd = [tui, 'run', '--plugin', str(PLUGIN), 'beat', '--headless', '--job-id', job, '--python', sys.executable,
           '--params', json.dumps({'count': count, 'interval': 0.03})]
    latencies: list[float] = []
    partial = b''
    offset = 0
    with open(os.devnull, 'w') as null:
        proc = subprocess.Popen(cmd, env=env, stdout=null, stderr=null, stdin=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                done = proc.poll() is not None
                if log.exists():
                    with open(log, 'rb') as f:
                        f.seek(offset)
                        chunk = f.read()
                    now = time.time()
                    offset += len(chunk)
                    lines = (partial + chunk).split(b'\n')
                    partial = lines.pop()
                    for line in lines:
                        record = json.loads(line)
                        content = record.get('data', {}).get('content', '') if record['event'] == 'message' else ''
                        if isinstance(content, str) and content.startswith('beat '):
                            latencies.append((now - record['timestamp']) * 1000)
                if done:
                    break
                time.sleep(0.001)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
    if len(latencies) != count:
        raise RuntimeError(f'the follower saw {len(latencies)} of {count} messages')
    return latencies


def measure(n: int, rounds: int, tui: str | None, synapse: str | None, baseline_src: str | None = None,
            baseline_name: str = 'baseline') -> dict:
    labels = [CONSOLE, BRIDGE, MARKED, NOOP]
    runs = [UNDER_TUI, UNDER_SDK] if tui and synapse else []
    ratio_names = {'bridge / ConsoleLogger': (BRIDGE, CONSOLE)}
    if runs:
        ratio_names['run --plugin / synapse plugin run'] = (UNDER_TUI, UNDER_SDK)
    with contextlib.suppress(ImportError):
        import tqdm  # noqa: F401  (ConsoleLogger imports it on its first bar: not a cost of any round)
    with tempfile.TemporaryDirectory() as tmp:
        baseline = Baseline(baseline_src, baseline_name, tmp) if baseline_src else None
        if baseline is not None:
            before = BEFORE.format(baseline.name)
            labels.insert(2, before)
            ratio_names['baseline bridge / ConsoleLogger'] = (before, CONSOLE)
            ratio_names['bridge / baseline bridge'] = (BRIDGE, before)
            if runs:
                under_before = UNDER_TUI_BEFORE.format(baseline.name)
                runs.insert(1, under_before)
                ratio_names['baseline run --plugin / synapse plugin run'] = (under_before, UNDER_SDK)
                ratio_names['run --plugin / baseline run --plugin'] = (UNDER_TUI, under_before)
        samples: dict[str, dict[str, list[float]]] = {label: {c: [] for c in CALLS} for label in labels + runs}
        ratios: dict[str, dict[str, list[float]]] = {name: {c: [] for c in CALLS} for name in ratio_names}
        for r in range(rounds):
            shift = r % len(labels)
            order = labels[shift:] + labels[:shift]
            this: dict[str, dict[str, float]] = {}
            for call in CALLS:
                for label in order:
                    this.setdefault(label, {})[call] = in_process(label, call, n, tmp, baseline)
            shift = r % len(runs) if runs else 0
            for label in runs[shift:] + runs[:shift]:
                this[label] = plugin_run(label, n, tmp, tui, synapse, baseline)  # type: ignore[arg-type]
            for label, row in this.items():
                for call in CALLS:
                    samples[label][call].append(row[call])
            for name, (top, bottom) in ratio_names.items():
                for call in CALLS:
                    ratios[name][call].append(this[top][call] / this[bottom][call])
            print(f'round {r + 1}/{rounds} done', file=sys.stderr, flush=True)
        latency = follower_latency(tmp, tui) if tui else []
    return {
        'us_per_call': {label: {c: statistics.median(v) for c, v in row.items()} for label, row in samples.items()},
        'ranges': {label: {c: (min(v), max(v)) for c, v in row.items()} for label, row in samples.items()},
        'ratios': {name: {c: statistics.median(v) for c, v in row.items()} for name, row in ratios.items()},
        'follower_latency_ms': {
            'median': statistics.median(latency), 'max': max(latency), 'messages': len(latency)
        } if latency else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-n', type=int, default=20000, help='calls per measurement')
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--tui', default=None, help='synapse-tui binary (adds the plugin rows and the latency)')
    parser.add_argument('--synapse', default=None, help="the SDK's synapse CLI (default: next to this Python)")
    parser.add_argument('--baseline', default=None, help="an older bridge's source folder (holding synapse_tui_bridge)")
    parser.add_argument('--baseline-name', default='baseline', help='what the baseline rows call it (e.g. a commit)')
    parser.add_argument('--json', action='store_true')
    args = parser.parse_args()
    synapse = args.synapse or str(Path(sys.executable).parent / 'synapse')
    if args.tui and not os.access(synapse, os.X_OK):
        parser.error(f'no synapse CLI at {synapse} (--synapse PATH)')
    load = os.getloadavg()[0]
    result = measure(args.n, args.rounds, args.tui, synapse if args.tui else None, args.baseline, args.baseline_name)
    env = {
        'python': platform.python_version(),
        'synapse_sdk': version('synapse-sdk'),
        'machine': f'{platform.machine()}, {os.cpu_count()} CPUs',
        'calls': args.n,
        'rounds': args.rounds,
        'load_average': [round(load, 2), round(os.getloadavg()[0], 2)],
    }
    if args.json:
        print(json.dumps({'env': env, **result}, indent=2))
        return 0
    print(f"µs per call, median of {args.rounds} alternated rounds × {args.n} calls (min–max in brackets); "
          f"Python {env['python']}, synapse-sdk {env['synapse_sdk']}, {env['machine']}, "
          f"load average {env['load_average'][0]} → {env['load_average'][1]}\n")
    print('| | ' + ' | '.join(CALLS) + ' |')
    print('|---|' + '---:|' * len(CALLS))
    for label, row in result['us_per_call'].items():
        ranges = result['ranges'][label]
        cells = [f'{row[c]:.1f} ({ranges[c][0]:.1f}–{ranges[c][1]:.1f})' for c in CALLS]
        print(f'| {label} | ' + ' | '.join(cells) + ' |')
    for name, row in result['ratios'].items():
        print(f'| **ratio {name}** (median of per-round ratios) | ' + ' | '.join(f'{row[c]:.2f}x' for c in CALLS) + ' |')
    latency = result['follower_latency_ms']
    if latency:
        print(f"\nfollower latency under `synapse-tui run --plugin` (record timestamp → line readable in the job log): "
              f"median {latency['median']:.1f} ms, max {latency['max']:.1f} ms over {latency['messages']} messages")
    return 0


if __name__ == '__main__':
    sys.exit(main())
