"""A deterministic plugin run of many progress calls, written by the bridge twice: flushed after every call
(every value in the log) and flushed on a 25 ms clock (a batch keeps a step's latest value), with the
SDK's own figures for the same calls. The Swift tests read the committed copies
(``Tests/Fixtures/console/bridge-progress-*``) and check the dashboard says the same of both logs;
``test_progress_batching.py`` checks the copies are still what the bridge writes.

    python integrations/python/tests/progress_scenario.py Tests/Fixtures/console     # rewrite the copies

The clock is a fake one advanced by each call (0.2-3 ms, seeded), so both logs and the SDK figures come out
the same on every machine.
"""

from __future__ import annotations

import contextlib
import json
import random
import shutil
import sys
import tempfile
import types
from pathlib import Path
from typing import Any, Iterator

from synapse_sdk.plugins.context import PluginEnvironment, RuntimeContext

from synapse_tui_bridge import BridgeLogger, read_records

EVERY = 'bridge-progress-every.jsonl'
BATCHED = 'bridge-progress-batched.jsonl'
SDK = 'bridge-progress-sdk.json'
PROPORTIONS = {'fetch': 10, 'train': 70, 'upload': 15, 'report': 5}
BATCH = 0.025
START = 1_764_000_000.0


def calls(seed: int = 19) -> list[tuple]:
    """The run: ``('progress', step, current, total)``, ``('failed', step)``, ``('metrics', step, dict)``,
    ``('message', text)``. Steps one after another (so the SDK's overall figure is comparable), each with
    what a batch must keep: tight ramps, a restart at 0, a pass going back without 0, a new total, a step
    marked failed, progress without a step, metrics and messages between progress calls."""
    rng = random.Random(seed)
    out: list[tuple] = [('message', 'starting')]
    out += [('progress', 'fetch', i, 300) for i in range(0, 301)]
    for epoch in range(3):
        for batch in range(1, 201):
            out.append(('progress', 'train', epoch * 200 + batch, 600))
            if batch % 50 == 0:
                out.append(('metrics', 'train', {'epoch': epoch, 'batch': batch, 'loss': round(rng.random(), 4)}))
            if rng.random() < 0.01:
                out.append(('message', f'epoch {epoch} batch {batch}'))
    out += [('progress', None, i, 40) for i in range(1, 41)]
    out += [('progress', 'upload', i, 10) for i in range(0, 7)]
    out += [('progress', 'upload', i, 10) for i in range(3, 11)]  # a second pass, going back to 3
    out += [('progress', 'upload', i, 10) for i in range(0, 11)]  # a restart at 0
    out += [('progress', 'upload', i, 12) for i in range(10, 13)]  # a new total
    out += [('progress', 'report', i, 500) for i in range(1, 120)]
    out.append(('failed', 'report'))
    out += [('progress', 'report', i, 500) for i in range(120, 377)]  # after the failure, an unfinished step
    out.append(('message', 'stopping at 376/500'))
    return out


def gaps(count: int, seed: int = 19) -> list[float]:
    rng = random.Random(seed * 7 + 1)
    return [rng.uniform(0.0002, 0.003) for _ in range(count)]


class FakeClock:
    def __init__(self) -> None:
        self.now = START

    def time(self) -> float:
        return self.now

    def monotonic(self) -> float:
        return self.now - START + 100.0


@contextlib.contextmanager
def fake_clock(clock: FakeClock) -> Iterator[None]:
    """The bridge's and the SDK's clocks read ``clock`` (the flusher thread is never due: 1 hour)."""
    import synapse_sdk.loggers as sdk_loggers

    import synapse_tui_bridge.eventlog as eventlog
    import synapse_tui_bridge.logger as logger

    saved = (eventlog._time, logger._time, logger._monotonic, sdk_loggers.time)
    eventlog._time = logger._time = clock.time
    logger._monotonic = clock.monotonic
    sdk_loggers.time = types.SimpleNamespace(time=clock.time, monotonic=clock.monotonic)
    try:
        yield
    finally:
        eventlog._time, logger._time, logger._monotonic, sdk_loggers.time = saved


def apply(ctx: RuntimeContext, call: tuple) -> None:
    kind = call[0]
    if kind == 'progress':
        ctx.set_progress(call[2], call[3], step=call[1])
    elif kind == 'failed':
        ctx.logger.set_progress_failed(call[1])
    elif kind == 'metrics':
        ctx.set_metrics(call[2], step=call[1])
    else:
        ctx.log_message(call[1])


def run(path: Path, mode: str, seed: int = 19) -> BridgeLogger:
    """Writes the run to ``path``: ``mode`` 'every' flushes after each call, 'batched' when the fake clock
    passes each 25 ms mark (as the flusher thread does). Returns the (closed) logger."""
    the_calls = calls(seed)
    the_gaps = gaps(len(the_calls), seed)
    clock = FakeClock()
    with fake_clock(clock):
        logger = BridgeLogger('progress-scenario', path=path, flush_interval=3600)
        ctx = RuntimeContext(logger=logger, env=PluginEnvironment({}), job_id='progress-scenario')
        logger.run_status('running', 'train')
        logger.set_step_proportions(PROPORTIONS)
        next_flush = START + BATCH
        for call, gap in zip(the_calls, the_gaps):
            clock.now += gap
            if mode == 'batched' and clock.now >= next_flush:
                logger.flush()
                while next_flush <= clock.now:
                    next_flush += BATCH
            apply(ctx, call)
            if mode == 'every':
                logger.flush()
        logger.flush()
        logger.close()
    return logger


def sdk_figures(seed: int = 19) -> dict[str, Any]:
    """What the SDK says after the same calls: each step's ``get_progress`` (a BaseLogger's figures) and
    JobLogger's ``current_progress`` (what the Synapse backend is sent)."""
    from synapse_sdk.loggers import JobLogger, NoOpLogger

    class NoClient:
        def __getattr__(self, name: str) -> Any:
            return lambda *a, **k: None

    the_calls = calls(seed)
    the_gaps = gaps(len(the_calls), seed)
    clock = FakeClock()
    with fake_clock(clock), contextlib.redirect_stdout(None):
        base = NoOpLogger()
        job = JobLogger(NoClient(), 'progress-scenario', step_proportions=PROPORTIONS, background_flush=False,
                        progress_flush_interval=0)
        for call, gap in zip(the_calls, the_gaps):
            clock.now += gap
            for target in (base, job):
                apply(RuntimeContext(logger=target, env=PluginEnvironment({}), job_id='x'), call)
        current = job._get_current_progress()
    steps = {}
    for step in sorted({c[1] for c in the_calls if c[0] in ('progress', 'failed')}, key=str):
        p = base.get_progress(step)
        steps['' if step is None else step] = {
            'percent': p.percent, 'elapsed': p.elapsed_time, 'time_remaining': p.time_remaining, 'status': p.status}
    return {'steps': steps, 'overall': current['overall'], 'step': current['step'], 'percent': current['percent']}


def write(out_dir: Path, seed: int = 19) -> None:
    """The three files, in ``out_dir`` (each log in a job folder of its own first: the bridge beats there)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix='synapse-progress-scenario-') as tmp:
        for name, mode in ((EVERY, 'every'), (BATCHED, 'batched')):
            path = Path(tmp) / mode / 'events.jsonl'
            path.parent.mkdir()
            run(path, mode, seed)
            shutil.copyfile(path, out_dir / name)
    (out_dir / SDK).write_text(json.dumps(sdk_figures(seed), indent=2, sort_keys=True) + '\n')


def main() -> int:
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path('.')
    write(out_dir)
    every, batched = (read_records(out_dir / n) for n in (EVERY, BATCHED))
    print(f'{EVERY}: {len(every)} records; {BATCHED}: {len(batched)} records')
    return 0


if __name__ == '__main__':
    sys.exit(main())
