"""Records are written in batches (a flusher thread, one write per batch): none may be lost, whatever ends
the run, and none may wait for a flush nobody calls. Timing goals live in the harness (bench_bridge.py);
these tests only poll with generous time limits."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from synapse_sdk.plugins.context import PluginEnvironment, RuntimeContext

from conftest import HERE, clean_env
from synapse_tui_bridge import BridgeLogger, read_records
from synapse_tui_bridge.eventlog import encode_event, encode_record

PROBE_PLUGIN = HERE / 'plugins' / 'probe_plugin'


def wait_for(predicate, timeout: float = 10.0, what: str = 'condition'):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f'timed out after {timeout} s waiting for {what}')
        time.sleep(0.005)


@pytest.mark.parametrize('data', [
    {'content': 'héllo ✓ "quoted" \\ back\nline\t\x01'},
    {'a': 1, 'b': -2.5, 'c': True, 'd': False, 'e': None, 'big': 10**30, 'tiny': 1e-300},
    {'nan': math.nan, 'inf': math.inf, 'ninf': -math.inf, 'neg0': -0.0},
    {'surrogate': '\udcff'},
    {'nested': {'x': [1, 2]}, 'path': 3},
    {1: 'int key'},
    {},
])
def test_the_fast_encoder_writes_the_general_encoders_bytes(data):
    for step, level, file in [(None, None, None), ('train', 'info', '/x/y.png'), ('ü\n', 'danger', None)]:
        record = {'v': 1, 'event': 'message', 'timestamp': 1764076801.123456}
        for key, value in (('step', step), ('level', level), ('file', file)):
            if value is not None:
                record[key] = value
        record['data'] = data
        assert encode_event('message', data, 1764076801.123456, step, level, file) == encode_record(record)


def test_fast_progress_records_are_the_sdks_figures(tmp_path):
    """Int counts take the fast path; float counts the SDK's own: both write the same fields."""
    logger = BridgeLogger('p', home=tmp_path)
    ctx = RuntimeContext(logger=logger, env=PluginEnvironment({}), job_id='p')
    ctx.set_progress(0, 8, step='s')
    ctx.set_progress(3, 8, step='s')
    ctx.set_progress(3.0, 8.0, step='t')  # general path
    ctx.set_progress(2, 3)  # no step
    logger.flush()
    first, second, third, fourth = read_records(logger.path)
    assert first['data'] == {'current': 0, 'total': 8, 'percent': 0.0, 'elapsed': 0.0} and first['step'] == 's'
    assert set(second['data']) == {'current', 'total', 'percent', 'elapsed', 'time_remaining'}
    assert second['data']['percent'] == 37.5 and third['data']['percent'] == 37.5
    assert 'step' not in fourth and fourth['data']['percent'] == 66.67
    assert logger.get_progress('s').percent == 37.5
    with pytest.raises(ValueError):
        ctx.set_progress(9, 8)
    logger.close()


def test_records_reach_the_file_without_a_flush(tmp_path):
    """The flusher thread writes queued records by itself (the harness measures how soon)."""
    logger = BridgeLogger('f', home=tmp_path)
    ctx = RuntimeContext(logger=logger, env=PluginEnvironment({}), job_id='f')
    ctx.log_message('queued')
    wait_for(lambda: logger.path.exists() and read_records(logger.path), what='the flusher')
    assert read_records(logger.path)[0]['data'] == {'content': 'queued'}
    logger.close()


def test_a_status_record_is_written_at_once_with_everything_before_it(tmp_path):
    logger = BridgeLogger('s', home=tmp_path, )
    logger.writer._flush_interval = 3600.0  # no flusher help
    logger.writer._flusher = ('never', None)  # type: ignore[assignment]
    ctx = RuntimeContext(logger=logger, env=PluginEnvironment({}), job_id='s')
    for i in range(10):
        ctx.set_metrics({'i': i}, step='x')
    assert read_records(logger.path) == []  # queued
    logger.run_status('running', 'a')
    kinds = [r['event'] for r in read_records(logger.path)]
    assert kinds == ['metrics'] * 10 + ['run_status']
    logger.writer._flusher = None
    logger.close()


def test_a_script_that_never_closes_its_logger_loses_nothing_at_exit(home):
    """The atexit hook writes what is queued when the interpreter ends (the flusher thread is a daemon)."""
    code = (
        'from synapse_tui_bridge import BridgeLogger\n'
        'logger = BridgeLogger("exit")\n'
        'logger.writer._flusher = ("never", None)\n'  # only the exit hook can write them
        'for i in range(3000):\n'
        '    logger.set_metrics({"i": i}, step="s")\n'
    )
    proc = subprocess.run([sys.executable, '-c', code], env=clean_env(home), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    records = read_records(home / 'jobs' / 'exit' / 'events.jsonl')
    assert [r['data']['i'] for r in records] == list(range(3000))


def test_a_forked_child_does_not_write_its_parents_queue_again(home):
    code = (
        'import os\n'
        'from synapse_tui_bridge import BridgeLogger\n'
        'logger = BridgeLogger("fork")\n'
        'logger.writer._flusher = ("never", None)\n'
        'logger.set_metrics({"who": "parent"}, step="s")\n'
        'pid = os.fork()\n'
        'if pid == 0:\n'
        '    logger.set_metrics({"who": "child"}, step="s")\n'
        '    logger.flush()\n'
        '    os._exit(0)\n'
        'os.waitpid(pid, 0)\n'
    )
    proc = subprocess.run([sys.executable, '-c', code], env=clean_env(home), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    who = [r['data']['who'] for r in read_records(home / 'jobs' / 'fork' / 'events.jsonl')]
    assert sorted(who) == ['child', 'parent']


def numbered(records: list[dict]) -> tuple[list[int], list[int], list[str]]:
    metrics = [r['data']['i'] for r in records if r['event'] == 'metrics']
    progress = [r['data']['current'] for r in records if r['event'] == 'progress']
    messages = [r['data']['content'] for r in records if r['event'] == 'message']
    return metrics, progress, messages


@pytest.mark.parametrize('end,code,status', [('return', 0, 'completed'), ('raise', 1, 'failed'), ('exit', 1, 'failed')])
def test_every_record_of_a_run_is_in_the_log_however_it_ends(home, end, code, status):
    n = 4000
    cmd = [sys.executable, '-m', 'synapse_tui_bridge', 'run', '--plugin', str(PROBE_PLUGIN), 'burst',
           '--job-id', f'burst-{end}', '--params', json.dumps({'n': n, 'end': end})]
    proc = subprocess.run(cmd, env=clean_env(home), capture_output=True, text=True, timeout=120)
    assert proc.returncode == code, proc.stderr
    records = read_records(home / 'jobs' / f'burst-{end}' / 'events.jsonl')
    metrics, progress, messages = numbered(records)
    assert metrics == list(range(n)) and progress == list(range(1, n + 1))
    assert messages == [f'record {i}' for i in range(n)]
    assert records[-1]['event'] == 'run_status' and records[-1]['data']['status'] == status


@pytest.mark.parametrize('signum', [signal.SIGINT, signal.SIGTERM])
def test_a_cancelled_run_keeps_every_record_made_before_the_cancel(home, signum):
    """Cancelled just after a burst (its last records still queued): all of them precede `cancelled`."""
    n = 4000
    read_end, write_end = os.pipe()  # the record channel, as `synapse-tui run --plugin` gives it
    cmd = [sys.executable, '-m', 'synapse_tui_bridge', 'run', '--plugin', str(PROBE_PLUGIN), 'burst',
           '--job-id', 'cancel', '--params', json.dumps({'n': n, 'wait': 60})]
    proc = subprocess.Popen(cmd, env=clean_env(home, SYNAPSE_EVENT_FD=str(write_end)), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, pass_fds=(write_end,))
    os.close(write_end)
    chunks: list[bytes] = []

    def drain() -> None:  # the channel is read all along, as synapse-tui reads it
        with os.fdopen(read_end, 'rb', buffering=0) as channel:
            while chunk := channel.read(65536):
                chunks.append(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    try:
        assert proc.stdout.readline().strip() == 'burst done'
        proc.send_signal(signum)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
        reader.join(timeout=60)
    assert proc.returncode == 130, proc.stderr.read()
    records = [json.loads(line) for line in b''.join(chunks).splitlines()]
    metrics, progress, messages = numbered(records)
    assert metrics == list(range(n)) and progress == list(range(1, n + 1)) and len(messages) == n
    assert records[-1]['event'] == 'run_status' and records[-1]['data']['status'] == 'cancelled'
