"""The record channel: records reach the runner on a descriptor (or as marked lines carrying the run's
secret), so nothing a plugin prints can pass for one of them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import DEMO_PLUGIN, HERE, clean_env

PROBE_PLUGIN = HERE / 'plugins' / 'probe_plugin'


def run_with_fd(home, action: str, *args: str, job_id: str = 'fd-1', extra_env: dict[str, str] | None = None, plugin=DEMO_PLUGIN):
    """The runner with a record pipe (what `synapse-tui run --plugin` does, there on descriptor 3)."""
    read_end, write_end = os.pipe()
    env = clean_env(home, SYNAPSE_EVENT_FD=str(write_end), **(extra_env or {}))
    cmd = [sys.executable, '-m', 'synapse_tui_bridge', 'run', '--plugin', str(plugin), action, '--job-id', job_id, *args]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, pass_fds=(write_end,))
    os.close(write_end)
    with os.fdopen(read_end, 'rb') as channel:
        raw = channel.read()
    out, err = proc.communicate(timeout=120)
    log = home / 'jobs' / job_id / 'events.jsonl'
    # One channel: the descriptor's reader writes the job log; the bridge writes no file of its own.
    assert not log.exists()
    channel_records = [json.loads(line) for line in raw.splitlines()]
    return proc.returncode, out, err, channel_records, channel_records


def test_records_travel_on_the_descriptor_not_stdout(home):
    code, out, err, records, channel = run_with_fd(home, 'train', extra_env={'SYNAPSE_TUI_STDOUT': '1'})
    assert code == 0, err
    assert channel == records and len(records) > 10
    assert '__SYNAPSE_EVENT__' not in out  # the descriptor replaces marked lines, even when asked for
    assert 'plain stdout line from the plugin' in out


def test_a_plugin_cannot_forge_records_or_see_the_channel(home):
    code, out, err, records, channel = run_with_fd(home, 'forge', extra_env={'SYNAPSE_EVENT_TOKEN': 'tok123'}, plugin=PROBE_PLUGIN)
    assert code == 0, err
    assert channel == records
    # what the plugin printed stayed on stdout, and is no record
    assert out.count('__SYNAPSE_EVENT__') == 3
    assert 'channel visible: fd=None token=None' in out
    assert not any(r['event'] == 'message' and r['data'].get('content') == 'forged critical' for r in records)
    statuses = [r['data']['status'] for r in records if r['event'] == 'run_status']
    assert statuses == ['pending', 'running', 'completed']
    assert [r['data'] for r in records if r['event'] == 'run_status'][-1]['result'] == {'forged': False}


def test_marked_lines_carry_the_runs_secret(run_bridge):
    run = run_bridge('transform', '--params', '{"items": [4]}', env={'SYNAPSE_TUI_STDOUT': '1', 'SYNAPSE_EVENT_TOKEN': 'a1B2-c3_d4'})
    assert run.returncode == 0, run.stderr
    marked = [line for line in run.stdout.splitlines() if '__SYNAPSE_EVENT__' in line]
    assert marked and all(line.startswith('__SYNAPSE_EVENT__:a1B2-c3_d4 {') for line in marked)
    assert [json.loads(line.split(' ', 1)[1]) for line in marked] == run.records()


def test_subprocesses_do_not_inherit_the_descriptor(home):
    """Once taken, the descriptor is not inherited (even with close_fds=False) and the variable is gone."""
    read_end, write_end = os.pipe()
    os.set_inheritable(write_end, True)
    code = (
        'import os, subprocess, sys\n'
        'from synapse_tui_bridge.eventlog import event_channel\n'
        'fd, token = event_channel()\n'
        'probe = "import os, sys\\ntry:\\n    os.fstat(int(sys.argv[1])); print(\'open\')\\nexcept OSError:\\n    print(\'closed\')"\n'
        'out = subprocess.run([sys.executable, "-c", probe, str(fd)], capture_output=True, text=True, close_fds=False).stdout\n'
        'print(fd, token, os.environ.get("SYNAPSE_EVENT_FD"), out.strip())\n'
    )
    proc = subprocess.run([sys.executable, '-c', code], env=clean_env(home, SYNAPSE_EVENT_FD=str(write_end), SYNAPSE_EVENT_TOKEN='t0k'),
                          capture_output=True, text=True, pass_fds=(write_end,), timeout=60)
    os.close(write_end)
    os.close(read_end)
    assert proc.stdout.split() == [str(write_end), 't0k', 'None', 'closed'], proc.stderr


def test_when_the_reader_goes_away_the_file_gets_every_later_record(home):
    """A record pipe whose reader closed it: the bridge falls back to the job log, nothing after is lost."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first record
    env = clean_env(home, SYNAPSE_EVENT_FD=str(write_end))
    cmd = [sys.executable, '-m', 'synapse_tui_bridge', 'run', '--plugin', str(DEMO_PLUGIN), 'train', '--job-id', 'gone']
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, pass_fds=(write_end,), timeout=120)
    os.close(write_end)
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in (home / 'jobs' / 'gone' / 'events.jsonl').read_bytes().splitlines()]
    assert [r['data']['status'] for r in records if r['event'] == 'run_status'] == ['pending', 'running', 'completed']
    assert sum(r['event'] == 'progress' for r in records) > 3
