"""BridgeLogger in-process: plugged into a RuntimeContext, encoding, concurrency, echo."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import threading
import time
from pathlib import Path

import pytest
from pydantic import BaseModel
from synapse_sdk.loggers import ConsoleLogger
from synapse_sdk.plugins.context import PluginEnvironment, RuntimeContext
from synapse_sdk.plugins.models.logger import LogLevel

from synapse_tui_bridge import BridgeLogger, EventLogWriter, read_records
from synapse_tui_bridge.eventlog import encode_record, job_dir


def logged(logger: BridgeLogger) -> list[dict]:
    """The records so far: what the logger still holds is written first (records are batched)."""
    logger.flush()
    return read_records(logger.path)


def make(tmp_path: Path, **kw) -> tuple[BridgeLogger, RuntimeContext]:
    logger = BridgeLogger('t1', home=tmp_path, **kw)
    ctx = RuntimeContext(logger=logger, env=PluginEnvironment({}), job_id='t1')
    return logger, ctx


def test_progress_timing_matches_the_sdk(tmp_path):
    logger, ctx = make(tmp_path)
    ctx.set_progress(0, 4, step='s')
    time.sleep(0.05)
    ctx.set_progress(1, 4, step='s')
    ctx.set_progress(0, 4, step='s')  # current 0 restarts the step's timer
    recs = logged(logger)
    first, second, third = (r['data'] for r in recs)
    assert first == {'current': 0, 'total': 4, 'percent': 0.0, 'elapsed': 0.0}
    assert second['elapsed'] >= 0.05 and second['time_remaining'] == pytest.approx(second['elapsed'] * 3, abs=0.02)
    assert third['elapsed'] == 0.0 and 'time_remaining' not in third


def test_set_step_applies_to_records(tmp_path):
    logger, ctx = make(tmp_path)
    logger.set_step('prepare')
    ctx.set_progress(1, 2)
    ctx.log_message('hi')
    ctx.set_metrics({'a': 1}, step='other')
    recs = logged(logger)
    assert [r.get('step') for r in recs] == ['prepare', 'prepare', 'other']


def test_metrics_records_hold_the_given_dict_and_sdk_keeps_merging(tmp_path):
    logger, ctx = make(tmp_path)
    ctx.set_metrics({'a': 1}, step='s')
    ctx.set_metrics({'b': 2}, step='s')
    assert [r['data'] for r in logged(logger)] == [{'a': 1}, {'b': 2}]
    assert logger.get_metrics('s') == {'a': 1, 'b': 2}
    with pytest.raises(ValueError):
        logger.set_metrics({'x': 1})  # no step: the SDK's rule
    with pytest.raises(TypeError):
        logger.set_metrics([('x', 1)], step='s')  # not a mapping: the SDK's rule
    logger.set_step('current')
    ctx.set_metrics({'c': 3}, step=None)  # the current step, as the SDK falls back
    assert logger.get_metrics('current') == {'c': 3} and logged(logger)[-1]['step'] == 'current'
    logger.finish()
    with pytest.raises(RuntimeError):
        logger.set_metrics({'a': 2}, step='s')


def test_progress_failed_keeps_last_counts(tmp_path):
    logger, ctx = make(tmp_path)
    ctx.set_progress(2, 5, step='s')
    logger.set_progress_failed('s')
    last = logged(logger)[-1]
    assert last['data']['status'] == 'failed' and (last['data']['current'], last['data']['total']) == (2, 5)


def test_end_log_once_and_finished_logger(tmp_path):
    logger, ctx = make(tmp_path)
    ctx.end_log()
    ctx.end_log()
    logger.finish()
    with pytest.raises(RuntimeError):
        ctx.log_message('late')
    logger.run_status('completed', 'x', result={'ok': True})
    kinds = [r['event'] for r in logged(logger)]
    assert kinds == ['message', 'end', 'message', 'run_status']


def test_values_that_json_cannot_encode(tmp_path):
    class M(BaseModel):
        a: int

    logger, ctx = make(tmp_path)
    ctx.log('odd', {
        'path': Path('/x/y'), 'when': dt.datetime(2026, 1, 2, 3, 4, 5), 'set': {3}, 'model': M(a=1),
        'bytes': b'\xffab', 'obj': object.__new__(type('Thing', (), {'__str__': lambda s: 'thing'})),
        1: 'int key', ('t', 1): 'tuple key', 'nan': float('nan'), 'ninf': float('-inf'), 'uni': 'héllo ✓',
        'surrogate': '\udcff',
    })
    logger.flush()
    raw = logger.path.read_bytes()
    assert raw.count(b'\n') == 1
    data = json.loads(raw)['data']
    assert data['path'] == '/x/y' and data['when'] == '2026-01-02T03:04:05' and data['set'] == [3]
    assert data['model'] == {'a': 1} and data['obj'] == 'thing' and data['1'] == 'int key'
    assert data["('t', 1)"] == 'tuple key' and data['uni'] == 'héllo ✓' and data['surrogate'] == '\udcff'
    assert b'"ninf":-Infinity' in raw


def test_concurrent_writers_never_interleave(tmp_path):
    path = tmp_path / 'shared.jsonl'
    writers = [EventLogWriter(f'w{i}', path=path) for i in range(4)]
    payload = 'x' * 5000

    def work(w: EventLogWriter, n: int) -> None:
        for k in range(200):
            w.emit('custom', {'writer': n, 'k': k, 'pad': payload})

    threads = [threading.Thread(target=work, args=(w, i)) for i, w in enumerate(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for w in writers:
        w.flush()
    recs = read_records(path)
    assert len(recs) == 800
    for n in range(4):
        assert [r['data']['k'] for r in recs if r['data']['writer'] == n] == list(range(200))


def test_echo_tees_to_console_logger(tmp_path, capsys):
    logger, ctx = make(tmp_path, echo=ConsoleLogger())
    ctx.log_message('teed', LogLevel.WARNING)
    ctx.set_metrics({'m': 1}, step='s')
    ctx.log_metric('train', 'loss', 0.1, acc=0.9)
    logger.finish()
    out = capsys.readouterr().out
    assert "message {'content': 'teed'}" in out and "Metrics: {'m': 1}" in out
    assert "[metric] category=train, loss=0.1, {'acc': 0.9}" in out
    assert [r['event'] for r in logged(logger)] == ['message', 'metrics', 'metric']


def test_stdout_only_writer(tmp_path):
    stream = io.StringIO()
    logger = BridgeLogger('s1', home=tmp_path, stdout=True, write_file=False, stream=stream)
    RuntimeContext(logger=logger, env=PluginEnvironment({})).log_dev_event('d', {'k': 1})
    logger.flush()
    assert not job_dir('s1', tmp_path).exists()
    line = stream.getvalue()
    assert line.startswith('__SYNAPSE_EVENT__ {') and line.endswith('\n') and line.count('\n') == 1
    assert json.loads(line.split(' ', 1)[1])['data'] == {'message': 'd', 'data': {'k': 1}}


def test_env_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv('SYNAPSE_HOME', str(tmp_path / 'h'))
    monkeypatch.setenv('SYNAPSE_JOB_ID', 'env-job')
    monkeypatch.setenv('SYNAPSE_TUI_STDOUT', '1')
    w = EventLogWriter(stream=io.StringIO())
    assert w.job_id == 'env-job' and w.stdout and w.path == tmp_path / 'h' / 'jobs' / 'env-job' / 'events.jsonl'
    with pytest.raises(ValueError):
        EventLogWriter('../escape', home=tmp_path)


def test_encode_record_is_one_line():
    line = encode_record({'v': 1, 'event': 'message', 'timestamp': 1.5, 'data': {'content': 'a\nb'}})
    assert line.endswith(b'\n') and line.count(b'\n') == 1


def test_declared_step_proportions_become_a_record(tmp_path):
    logger, ctx = make(tmp_path)
    logger.set_step_proportions({'fetch': 10, 'convert': 90}, orders={'fetch': 0, 'convert': 1})
    ctx.set_progress(1, 1, step='fetch')
    recs = logged(logger)
    assert recs[0]['event'] == 'step_proportions'
    assert recs[0]['data'] == {'proportions': {'fetch': 10, 'convert': 90}, 'orders': {'fetch': 0, 'convert': 1}}


def test_the_orchestrators_step_proportions_are_recorded(tmp_path):
    from synapse_sdk.plugins.steps import BaseStep, BaseStepContext, Orchestrator, StepRegistry, StepResult

    class Weighted(BaseStep):
        def __init__(self, name, weight):
            self._name, self._weight = name, weight

        @property
        def name(self):
            return self._name

        @property
        def progress_weight(self):
            return self._weight / 100

        @property
        def progress_proportion(self):
            return self._weight

        def execute(self, context):
            context.set_progress(1, 1)
            return StepResult(success=True)

    logger, ctx = make(tmp_path)
    registry = StepRegistry()
    registry.register(Weighted('prepare', 20))
    registry.register(Weighted('work', 80))
    Orchestrator(registry, BaseStepContext(runtime_ctx=ctx), progress_callback=lambda c, t: None).execute()
    recs = logged(logger)
    assert recs[0]['event'] == 'step_proportions'
    assert recs[0]['data']['proportions'] == {'prepare': 20, 'work': 80}
    assert [r.get('step') for r in recs if r['event'] == 'progress'] == ['prepare', 'work']


def test_a_bridge_writing_alone_proves_it_is_alive(tmp_path, monkeypatch):
    monkeypatch.delenv('SYNAPSE_TUI_SUPERVISED', raising=False)
    logger, ctx = make(tmp_path)
    sidecar = logger.path.parent / 'writer.json'
    record = json.loads(sidecar.read_text())
    assert record['pid'] == os.getpid() and record['beat'] >= record['started']
    assert set(record) == {'pid', 'host', 'started', 'beat'}
    logger.close()


def test_a_supervised_bridge_leaves_the_heartbeat_to_its_supervisor(tmp_path, monkeypatch):
    monkeypatch.setenv('SYNAPSE_TUI_SUPERVISED', '1')
    logger, ctx = make(tmp_path)
    assert not (logger.path.parent / 'writer.json').exists()
    logger.close()
