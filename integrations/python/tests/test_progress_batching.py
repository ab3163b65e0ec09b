"""What the bridge records for progress (docs/python-plugins.md, "What is recorded for progress"): every
value, except that a value still queued is replaced by the next one for the same step when nothing came
between and the step only moved on. A step's first value, restarts, passes going back, new totals, its
completion, status changes and its last value always stay; no other record is dropped or moved.
Checked against the real synapse-sdk: its own figures after the same calls."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from synapse_sdk.plugins.context import PluginEnvironment, RuntimeContext

import progress_scenario as scenario
from conftest import REPO_ROOT
from synapse_tui_bridge import BridgeLogger, read_records

FIXTURES = REPO_ROOT / 'Tests' / 'Fixtures' / 'console'


def matches(record: dict, call: tuple) -> bool:
    """``record`` is the one ``call`` writes (progress compared by step and counts)."""
    kind = call[0]
    data = record['data']
    if kind in ('progress', 'failed'):
        if record['event'] != 'progress' or record.get('step') != call[1]:
            return False
        if kind == 'failed':
            return data.get('status') == 'failed'
        return 'status' not in data and (data['current'], data['total']) == (call[2], call[3])
    if kind == 'metrics':
        return record['event'] == 'metrics' and record.get('step') == call[1] and data == call[2]
    return record['event'] == 'message' and data == {'content': call[1]}


def assert_batched(calls: list[tuple], records: list[dict]) -> int:
    """``records`` are the records of ``calls`` in their order, less superseded progress values only: a value
    missing from the log must be a step's plain step forward (not its first, not 0, not its total, not below
    the step's previous value, same total), and the very next call must be the same step moving on from it.
    Returns how many values were left out."""
    j = 0
    left_out = 0
    last: dict = {}
    for i, call in enumerate(calls):
        if j < len(records) and matches(records[j], call):
            j += 1
        else:
            assert call[0] == 'progress', f'call {i} {call} is not in the log (at record {j}: {records[j:j + 1]})'
            _, step, current, total = call
            prev = last.get(step)
            assert prev is not None, f'call {i}: the first value of step {step!r} was left out'
            assert current not in (0, total), f'call {i}: {call} (a restart or a completion) was left out'
            assert prev[1] == total and current >= prev[0], f'call {i}: {call} (a new pass or total) was left out'
            nxt = calls[i + 1] if i + 1 < len(calls) else None
            assert nxt is not None and nxt[0] == 'progress' and nxt[1] == step and nxt[3] == total and nxt[2] >= current, (
                f'call {i}: {call} was left out, but the next call {nxt} does not supersede it')
            left_out += 1
        if call[0] == 'progress':
            last[call[1]] = (call[2], call[3])
    assert j == len(records), f'{len(records) - j} records no call made: {records[j:j + 3]}'
    return left_out


def calls_only(records: list[dict]) -> list[dict]:
    """The records the scenario's calls made (not its opening run_status / step_proportions)."""
    assert [r['event'] for r in records[:2]] == ['run_status', 'step_proportions']
    return records[2:]


@pytest.fixture(scope='module')
def logs(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp('scenario')
    scenario.write(out)
    return {
        'dir': out,
        'every': read_records(out / scenario.EVERY),
        'batched': read_records(out / scenario.BATCHED),
        'sdk': json.loads((out / scenario.SDK).read_text()),
        'calls': scenario.calls(),
    }


def test_the_committed_scenario_files_are_what_the_bridge_writes(logs):
    """The Swift tests read the committed copies; they must not drift from the bridge."""
    for name in (scenario.EVERY, scenario.BATCHED, scenario.SDK):
        assert (logs['dir'] / name).read_bytes() == (FIXTURES / name).read_bytes(), (
            f'{name} differs: python integrations/python/tests/progress_scenario.py Tests/Fixtures/console')


def test_flushed_after_every_call_the_log_holds_every_value(logs):
    assert assert_batched(logs['calls'], calls_only(logs['every'])) == 0


def test_batched_the_log_leaves_out_only_superseded_values(logs):
    left_out = assert_batched(logs['calls'], calls_only(logs['batched']))
    progress_calls = sum(1 for c in logs['calls'] if c[0] == 'progress')
    assert left_out > progress_calls // 2, f'only {left_out} of {progress_calls} values were batched away'


def test_every_record_kept_is_byte_for_byte_the_one_written_when_flushing_every_call(logs):
    """Same figures, same timestamps, same order: the batched log is the every-value log less some lines."""
    every = [json.dumps(r, sort_keys=True) for r in logs['every']]
    batched = [json.dumps(r, sort_keys=True) for r in logs['batched']]
    i = 0
    for line in batched:
        while i < len(every) and every[i] != line:
            assert json.loads(every[i])['event'] == 'progress', f'a non-progress record was left out: {every[i]}'
            i += 1
        assert i < len(every), f'{line} is not in the every-value log (or out of order)'
        i += 1
    assert all(json.loads(rest)['event'] == 'progress' for rest in every[i:])


def test_each_steps_first_last_and_completing_values_are_kept(logs):
    batched = [r for r in logs['batched'] if r['event'] == 'progress']
    every = [r for r in logs['every'] if r['event'] == 'progress']
    for step in {r.get('step') for r in every}:
        mine = [r for r in batched if r.get('step') == step]
        theirs = [r for r in every if r.get('step') == step]
        assert mine[0] == theirs[0], f'{step}: first value'
        assert mine[-1] == theirs[-1], f'{step}: last value'
        for r in theirs:
            d = r['data']
            if d.get('status') or d['current'] in (0, d['total']):
                assert r in mine, f'{step}: {d} must be kept'
    # the completed steps read complete, the unfinished one its exact final value
    last = {r.get('step'): r['data'] for r in batched}
    assert all(last[s]['current'] == last[s]['total'] for s in ('fetch', 'train', 'upload', None))
    assert (last['report']['current'], last['report']['total']) == (376, 500)


def test_the_logs_last_values_are_the_sdks_figures(logs):
    """Each step's last record says what the SDK's get_progress says after the same calls."""
    last = {r.get('step') or '': r['data'] for r in logs['batched'] if r['event'] == 'progress'}
    for step, sdk in logs['sdk']['steps'].items():
        mine = last[step]
        assert mine['percent'] == sdk['percent'], step
        assert mine['elapsed'] == sdk['elapsed'], step
        assert mine.get('time_remaining') == sdk['time_remaining'], step
        assert mine.get('status', 'running') == sdk['status'], step


def test_the_sdks_overall_figure_from_the_batched_log_is_its_figure_from_every_call(logs):
    """JobLogger (what the Synapse backend is sent) fed the batched log's progress says what it says after
    every call."""
    import contextlib

    from synapse_sdk.loggers import JobLogger

    class NoClient:
        def __getattr__(self, name):
            return lambda *a, **k: None

    for name in ('batched', 'every'):
        job = JobLogger(NoClient(), 'replay', step_proportions=scenario.PROPORTIONS, background_flush=False,
                        progress_flush_interval=0)
        with contextlib.redirect_stdout(None):
            for r in logs[name]:
                if r['event'] != 'progress':
                    continue
                if r['data'].get('status') == 'failed':
                    job.set_progress_failed(r.get('step'))
                else:
                    job.set_progress(r['data']['current'], r['data']['total'], step=r.get('step'))
        current = job._get_current_progress()
        sdk = logs['sdk']
        assert (current['overall'], current['step'], current['percent']) == (sdk['overall'], sdk['step'], sdk['percent']), name


def _logger(tmp_path: Path, **kw) -> tuple[BridgeLogger, RuntimeContext]:
    logger = BridgeLogger('b', path=tmp_path / 'events.jsonl', **kw)
    return logger, RuntimeContext(logger=logger, env=PluginEnvironment({}), job_id='b')


def _progress(logger: BridgeLogger) -> list:
    logger.flush()
    out = []
    for r in read_records(logger.path):
        if r['event'] == 'progress':
            d = r['data']
            out.append('failed' if d.get('status') == 'failed' else (r.get('step'), d['current'], d['total']))
        else:
            out.append(r['event'])
    return out


@pytest.mark.parametrize('calls, kept', [
    # a ramp: the first value and the completion
    ([('a', i, 100) for i in range(1, 101)], [('a', 1, 100), ('a', 100, 100)]),
    # an unfinished ramp: the first value and the exact last one
    ([('a', i, 100) for i in range(0, 58)], [('a', 0, 100), ('a', 57, 100)]),
    # a pass going back without 0, then a new total: each turn is kept
    ([('a', i, 10) for i in range(1, 9)] + [('a', i, 10) for i in range(3, 11)] + [('a', i, 20) for i in range(12, 16)],
     [('a', 1, 10), ('a', 8, 10), ('a', 3, 10), ('a', 10, 10), ('a', 12, 20), ('a', 15, 20)]),
    # a restart at 0 after completing
    ([('a', i, 3) for i in range(0, 4)] * 2,
     [('a', 0, 3), ('a', 3, 3), ('a', 0, 3), ('a', 3, 3)]),
    # two steps alternating: nothing is replaced (another step's value came between)
    ([(s, i, 5) for i in range(1, 4) for s in ('a', 'b')],
     [(s, i, 5) for i in range(1, 4) for s in ('a', 'b')]),
    # no step
    ([(None, i, 9) for i in range(2, 8)], [(None, 2, 9), (None, 7, 9)]),
])
def test_a_batch_keeps_what_the_rule_says(tmp_path, calls, kept):
    logger, ctx = _logger(tmp_path, flush_interval=3600)
    for step, current, total in calls:
        ctx.set_progress(current, total, step=step)
    assert _progress(logger) == kept
    logger.close()


def test_records_between_progress_values_are_never_crossed(tmp_path):
    logger, ctx = _logger(tmp_path, flush_interval=3600)
    for i in range(1, 4):
        ctx.set_progress(i, 10, step='a')
    ctx.set_metrics({'loss': 0.5}, step='a')  # the step's own record
    for i in range(4, 7):
        ctx.set_progress(i, 10, step='a')
    ctx.log_message('between')  # any record
    for i in range(7, 9):
        ctx.set_progress(i, 10, step='a')
    logger.set_progress_failed('a')  # a status change
    for i in range(9, 10):
        ctx.set_progress(i, 10, step='a')
    ctx.set_progress(9.0, 10.0, step='a')  # float counts (the SDK's own path): never replaced, never crossed
    ctx.set_progress(9, 10, step='a')
    assert _progress(logger) == [
        ('a', 1, 10), ('a', 3, 10), 'metrics', ('a', 6, 10), 'message', ('a', 8, 10), 'failed', ('a', 9, 10),
        ('a', 9.0, 10.0), ('a', 9, 10)]
    logger.close()


def test_a_value_written_is_never_replaced_afterwards(tmp_path):
    """A flush ends the batch: the next value is queued after what was written, even for the same step."""
    logger, ctx = _logger(tmp_path, flush_interval=3600)
    ctx.set_progress(1, 10, step='a')
    ctx.set_progress(2, 10, step='a')
    logger.flush()
    ctx.set_progress(3, 10, step='a')
    ctx.set_progress(4, 10, step='a')
    assert _progress(logger) == [('a', 1, 10), ('a', 2, 10), ('a', 4, 10)]
    logger.close()


def test_under_the_real_flusher_every_other_record_stays_in_order(tmp_path):
    """A tight loop with the 25 ms flusher thread running, two threads calling: each thread's calls are in
    the log in order, less superseded progress values only, and each step ends at its last value."""
    logger, ctx = _logger(tmp_path)
    plans: dict[str, list[tuple]] = {}
    for name in ('t1', 't2'):
        plan: list[tuple] = []
        for i in range(1, 20001):
            plan.append(('progress', f'{name}-a', i, 20000))
            if i % 3 == 0:
                plan.append(('progress', f'{name}-b', i // 3, 20000 // 3))
            if i % 997 == 0:
                plan.append(('metrics', f'{name}-a', {'i': i}))
            if i % 1499 == 0:
                plan.append(('message', f'{name} message {i}'))
        plans[name] = plan
    start = threading.Barrier(2)

    def work(plan: list[tuple]) -> None:
        start.wait()
        for call in plan:
            scenario.apply(ctx, call)

    threads = [threading.Thread(target=work, args=(plan,)) for plan in plans.values()]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    logger.flush()
    records = read_records(logger.path)
    for name, plan in plans.items():
        mine = [r for r in records if name in str(r.get('step', '')) or name in str(r['data'].get('content', ''))]
        left_out = assert_batched(plan, mine)
        assert left_out > len(plan) // 3, f'{name}: only {left_out} of {len(plan)} calls were batched away'
    logger.close()


def test_a_queued_value_is_encoded_as_the_general_encoder_writes_its_record():
    """encode_progress (the flusher's) writes the bytes json writes for the record, with the SDK's figures."""
    import math
    import random

    from synapse_tui_bridge.eventlog import _make_record, encode_progress, encode_record, progress_figures

    rng = random.Random(19)
    values = [('train', 0, 5, 1.0, 1.0, 2.5), (None, 3, 7, 5.5, 1.25, 1764076801.1), ('ü\n"x', 1, 3, 2.0, 1.0, 1.0),
              ('\udcff', 1, 2, 3.0, 1.0, 5.0), ('a', 1, 2, math.inf, 1.0, 5.0), ('a', 1, 2, 1.0, 0.0, math.nan)]
    for _ in range(5000):
        total = rng.randint(1, 10**6)
        values.append((rng.choice([None, 's', 'é']), rng.randint(0, total), total, rng.uniform(0, 1e5),
                       rng.uniform(0, 1e4), rng.uniform(1.7e9, 1.8e9)))
    for value in values:
        percent, remaining, elapsed = progress_figures(value)
        data = {'current': value[1], 'total': value[2], 'percent': percent, 'elapsed': elapsed}
        if remaining is not None:
            data['time_remaining'] = remaining
        assert encode_progress(value) == encode_record(_make_record('progress', data, value[5], value[0])), value
