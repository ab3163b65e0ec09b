"""Capture the unmodified SDK's ConsoleLogger output (local mode and the Ray-job entrypoint) and check it.

The committed sample in Tests/Fixtures/console/ (used by the Swift ConsoleLineParser golden tests) must
still be what this SDK prints: stdout is compared byte for byte, stderr (timestamps, tqdm timings) by shape.
"""

from __future__ import annotations

import json
import re

import pytest

from capture_console import capture
from conftest import REPO_ROOT

FIXTURES = REPO_ROOT / 'Tests' / 'Fixtures' / 'console'
ANSI = re.compile(r'\x1b\[[0-9;]*m')


@pytest.fixture(scope='module')
def captured(tmp_path_factory):
    return capture(tmp_path_factory.mktemp('console'))


def test_local_mode_console_output(captured):
    r = captured['local-train']
    assert r['returncode'] == 0
    out = r['stdout'].decode()
    assert "\x1b[1m\x1b[94m[LEVEL: INFO]\x1b[0m\x1b[94m message {'content': 'Starting training'}\x1b[0m" in out
    assert "\x1b[1m\x1b[94m[STEP: train]\x1b[0m\x1b[1m\x1b[94m [LEVEL: INFO]\x1b[0m\x1b[94m Metrics: {'epoch': 1" in out
    assert '[metric] category=train, epoch=1, {' in out
    assert "'nan': nan, 'inf': inf" in out
    assert 'Result: {"epochs": 3, "final_loss": 0.3333}' in out
    err = r['stderr'].decode()
    assert '\r' in err and '[STEP: train]' in err and '100%|' in err and 'Progress' in err
    assert 'plain stderr line from the plugin' in err


def test_failed_local_run(captured):
    r = captured['local-fail']
    assert r['returncode'] == 1
    assert 'disk on fire' in (r['stdout'] + r['stderr']).decode()


def test_failed_local_run_with_a_long_error_is_wrapped_by_rich(captured):
    r = captured['local-fail-wrapped']
    assert r['returncode'] == 1
    err = r['stderr'].decode().splitlines()
    start = next(i for i, ln in enumerate(err) if ln.startswith('Error: Action execution failed: '))
    # Rich wraps at COLUMNS=100 and keeps the space it wrapped at; the message's own line break stays one.
    assert len(err) - start >= 3 and err[start].endswith(' ') and err[-1].startswith('hint: ')
    # The committed sample's error lines are these, byte for byte (the Swift parser joins them back).
    committed = (FIXTURES / 'local-fail-wrapped.stderr').read_bytes().decode().splitlines()
    assert committed[-(len(err) - start):] == err[start:]


def test_job_entrypoint_output(captured):
    r = captured['job-train']
    assert r['returncode'] == 0
    out = r['stdout'].decode()
    assert '__SYNAPSE_RESULT_START__\n{"epochs": 2, "final_loss": 0.5}\n__SYNAPSE_RESULT_END__\n' in out
    assert re.search(r'^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} - synapse_sdk.loggers - INFO - ', r['stderr'].decode(), re.M)


@pytest.mark.parametrize('name', ['local-train', 'local-fail', 'local-fail-wrapped', 'job-train'])
def test_committed_fixture_matches_the_sdk(captured, name):
    committed = FIXTURES / f'{name}.stdout'
    assert committed.exists(), f'missing fixture {committed}: run capture_console.py {FIXTURES}'
    assert committed.read_bytes() == captured[name]['stdout']
    shape = lambda b: [ANSI.sub('', ln.split('\r')[-1])[:12] for ln in b.decode().splitlines()]  # noqa: E731
    committed_err = (FIXTURES / f'{name}.stderr').read_bytes()
    assert len(shape(committed_err)) == len(shape(captured[name]['stderr']))


def test_committed_bridge_log_matches_the_bridge(tmp_path):
    from capture_console import capture_bridge
    from synapse_tui_bridge import read_records

    def stable(records):
        out = []
        for r in records:
            r = dict(r)
            r.pop('timestamp')
            if r['event'] == 'progress':
                r['data'] = {k: v for k, v in r['data'].items() if k not in ('elapsed', 'time_remaining')}
            out.append(json.dumps(r, sort_keys=True))
        return out

    fresh = capture_bridge(tmp_path)
    assert stable(read_records(FIXTURES / 'bridge-train.jsonl')) == stable(read_records(fresh))
