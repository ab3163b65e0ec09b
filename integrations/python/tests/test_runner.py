"""The bridge runner drives the demo plugin through the real synapse-sdk; the job log must hold every record."""

from __future__ import annotations

import math
import os
import signal
import stat
import subprocess
import sys
import time

import pytest

from conftest import DEMO_PLUGIN, MARKER, Run, clean_env

LEVELS = ['info', 'warning', 'debug', 'danger', 'error', 'critical', 'info', 'info']


def common_keys(rec: dict) -> None:
    assert rec['v'] == 1
    assert isinstance(rec['event'], str) and rec['event']
    assert isinstance(rec['timestamp'], float) and rec['timestamp'] > 1.7e9
    assert 'data' in rec
    assert set(rec) <= {'v', 'event', 'timestamp', 'step', 'level', 'file', 'data'}


def test_train_writes_every_runtime_context_call(run_bridge):
    run = run_bridge('train', '--params', '{"epochs": 3}')
    assert run.returncode == 0, run.stderr
    recs = run.records()
    for rec in recs:
        common_keys(rec)
    kinds = [r['event'] for r in recs]

    # run status: pending (with params) -> running -> ... -> completed (with result), last record
    statuses = run.events('run_status')
    assert [s['data']['status'] for s in statuses] == ['pending', 'running', 'completed']
    assert statuses[0]['data'] == {'status': 'pending', 'action': 'train', 'job_id': 'job-1', 'params': {'epochs': 3}}
    assert statuses[-1]['data']['result'] == {'epochs': 3, 'final_loss': 0.3333}
    assert recs[-1] is statuses[-1] or recs[-1] == statuses[-1]

    # messages with their levels (log_message with every level, i18n dict, explicit step, end_log)
    msgs = run.events('message')
    assert [m['level'] for m in msgs[:8]] == LEVELS
    assert msgs[0]['data'] == {'content': 'Starting training'}
    assert msgs[6]['data'] == {'content': 'Processing 3 items'}
    assert msgs[7]['step'] == 'evaluate'
    assert msgs[-2]['level'] == 'success' and msgs[-2]['data']['content'] == 'Training finished'
    assert msgs[-1]['data'] == {'content': 'Plugin run is complete.', 'key': 'PLUGIN_RUN_COMPLETE'}

    # dev events
    dev = run.events('dev_event')
    assert [d['level'] for d in dev] == ['debug', 'debug']
    assert dev[0]['data'] == {'message': 'env probe', 'data': {'job_id': 'job-1', 'env': 'from-config'}}
    assert dev[1]['data'] == {'message': 'no payload', 'data': None}

    # custom log events, with a file and with a level
    custom = run.events('custom_event')[0]
    assert custom['level'] == 'info'
    assert custom['data']['pair'] == [1, 2] and custom['data']['nothing'] is None
    assert custom['data']['nested'] == {'quote': 'it\'s "quoted"', 'tab': 'a\tb'}
    pred = run.events('prediction')[0]
    assert pred['file'] == '/data/img.jpg' and pred['data'] == {'class': 'cat', 'confidence': 0.95}
    assert run.events('warn_event')[0]['level'] == 'warning'

    # progress per step with current/total/percent/elapsed/time_remaining
    prog = run.events('progress')
    train = [p for p in prog if p.get('step') == 'train']
    assert [(p['data']['current'], p['data']['total'], p['data']['percent']) for p in train] == [
        (0, 3, 0.0), (1, 3, 33.33), (2, 3, 66.67), (3, 3, 100.0)]
    assert 'time_remaining' not in train[0]['data']
    for p in train[1:]:
        assert p['data']['elapsed'] >= 0 and p['data']['time_remaining'] >= 0
    default = [p for p in prog if 'step' not in p]
    assert [(p['data']['current'], p['data']['total']) for p in default] == [(1, 2), (2, 2)]

    # metrics per step (the dict given), non-finite values as NaN / Infinity
    mets = run.events('metrics')
    assert [m['step'] for m in mets] == ['train', 'train', 'train', 'validation']
    assert mets[1]['data'] == {'epoch': 2, 'loss': 0.5, 'acc': 0.7}
    val = mets[3]['data']
    assert math.isnan(val['nan']) and val['inf'] == math.inf and val['model'] == 'resnet18'
    raw = run.log.read_text()
    assert '"nan":NaN' in raw and '"inf":Infinity' in raw

    # log_metric, log_visualization, log_trials
    metric = run.events('metric')
    assert metric[0]['data'] == {'category': 'train', 'key': 'epoch', 'value': 1, 'metrics': {'loss': 1.0}}
    assert 'level' not in metric[0]
    vis = run.events('visualization')[0]
    assert vis['file'] == '/tmp/pred.png' and vis['data']['group'] == 'epoch_1' and vis['data']['score'] == 0.9
    assert run.events('trials')[0]['data']['best_trial'] == 'trial_1'

    # end_log -> exactly one end record, right after its message
    assert kinds.count('end') == 1
    end_at = kinds.index('end')
    assert recs[end_at]['data'] == {} and recs[end_at - 1]['data'].get('key') == 'PLUGIN_RUN_COMPLETE'

    # the plugin's own output and the SDK result line are kept on the child's streams
    assert 'plain stdout line from the plugin' in run.stdout
    assert 'plain stderr line from the plugin' in run.stderr
    assert 'Result: {"epochs": 3, "final_loss": 0.3333}' in run.stdout
    assert MARKER not in run.stdout  # marked lines only when asked


def test_job_folder_and_file_modes(run_bridge):
    run = run_bridge('transform', '--params', '{"items": [1, 2]}')
    assert run.returncode == 0, run.stderr
    assert stat.S_IMODE(os.stat(run.job_dir).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(run.log).st_mode) == 0o600


def test_marked_stdout_lines_equal_the_file(run_bridge):
    run = run_bridge('train', env={'SYNAPSE_TUI_STDOUT': '1'})
    assert run.returncode == 0, run.stderr
    assert run.marked() == run.records()
    lines = run.stdout.splitlines()
    assert all(line.startswith(MARKER) for line in lines if MARKER in line)
    assert 'plain stdout line from the plugin' in lines
    # the flag works too
    run2 = run_bridge('transform', '--params', '{"items": [4]}', '--stdout-events', job_id='job-2')
    assert run2.marked() == run2.records() and len(run2.records()) >= 4


def test_pipeline_from_config(run_bridge):
    run = run_bridge('etl', '--params', '{"count": 4}')
    assert run.returncode == 0, run.stderr
    st = [(a['data']['action'], a['data']['index'], a['data']['total'], a['data']['status']) for a in run.events('action_status')]
    assert st == [
        ('fetch', 0, 3, 'pending'), ('transform', 1, 3, 'pending'), ('report', 2, 3, 'pending'),
        ('fetch', 0, 3, 'running'), ('fetch', 0, 3, 'completed'),
        ('transform', 1, 3, 'running'), ('transform', 1, 3, 'completed'),
        ('report', 2, 3, 'running'), ('report', 2, 3, 'completed'),
    ]
    runs = run.events('run_status')
    assert runs[1]['data']['actions'] == ['fetch', 'transform', 'report']
    assert runs[-1]['data']['status'] == 'completed'
    assert runs[-1]['data']['result'] == {'report': 'total=10', 'total': 10}
    # records of each action land between its running and completed
    kinds = [(r['event'], r.get('step')) for r in run.records()]
    assert kinds.index(('metrics', 'transform')) > kinds.index(('progress', 'fetch'))


def test_pipeline_from_flag(run_bridge):
    run = run_bridge('custom', '--pipeline', 'fetch,transform', '--params', '{"count": 2}')
    assert run.returncode == 0, run.stderr
    assert run.events('run_status')[-1]['data']['result'] == {'total': 3}


def test_pipeline_failure_marks_action_failed_and_rest_skipped(run_bridge):
    run = run_bridge('etl_fail')
    assert run.returncode == 1
    last = {a['data']['action']: a['data'] for a in run.events('action_status')}
    assert last['fetch']['status'] == 'completed'
    assert last['fail']['status'] == 'failed'
    assert last['fail']['error'] == {'type': 'ValueError', 'message': 'simulated failure'}
    assert last['report']['status'] == 'skipped'
    final = run.records()[-1]
    assert final['event'] == 'run_status' and final['data']['status'] == 'failed'
    assert final['data']['error'] == {'type': 'ValueError', 'message': 'simulated failure'}


def test_failing_action(run_bridge):
    run = run_bridge('fail', '--params', '{"message": "disk on fire"}')
    assert run.returncode == 1
    final = run.records()[-1]
    assert final['event'] == 'run_status'
    assert final['data'] == {
        'status': 'failed', 'action': 'fail', 'job_id': 'job-1',
        'error': {'type': 'ValueError', 'message': 'disk on fire'},
    }
    assert run.events('progress')[0]['data']['current'] == 1
    assert run.events('message')[0]['level'] == 'warning'
    assert 'ValueError: disk on fire' in run.stderr
    assert 'Result:' not in run.stdout


def test_invalid_params_fail_with_validation_error(run_bridge):
    run = run_bridge('train', '--params', '{"epochs": "many"}')
    assert run.returncode == 1
    err = run.records()[-1]['data']['error']
    assert err['type'] == 'ValidationError' and 'epochs' in err['message']


def test_unknown_action_is_recorded_as_failed(run_bridge):
    run = run_bridge('nope')
    assert run.returncode == 2
    recs = run.records()
    assert [r['data']['status'] for r in recs] == ['pending', 'failed']
    assert recs[-1]['data']['error']['type'] == 'ActionNotFoundError'


def test_bad_params_json_exits_2(run_bridge):
    run = run_bridge('train', '--params', '{not json')
    assert run.returncode == 2 and 'invalid --params' in run.stderr


def test_job_id_from_env_and_generated(home, run_bridge):
    run = run_bridge('transform', '--params', '{"items": [1]}', job_id='', env={'SYNAPSE_JOB_ID': 'from-env'})
    assert run.returncode == 0
    assert (home / 'jobs' / 'from-env' / 'events.jsonl').exists()
    run = run_bridge('transform', '--params', '{"items": [1]}', job_id='')
    jobs = sorted(p.name for p in (home / 'jobs').iterdir())
    assert len(jobs) == 2
    new = next(j for j in jobs if j != 'from-env')
    import uuid

    assert str(uuid.UUID(new)) == new


def test_console_echo_keeps_sdk_console_output(run_bridge):
    run = run_bridge('train', '--console')
    assert run.returncode == 0
    assert "\x1b[94m message {'content': 'Starting training'}" in run.stdout
    assert '[STEP: train]' in run.stderr  # the tqdm bar
    assert len(run.events('message')) == 10


@pytest.mark.parametrize('sig, kind', [(signal.SIGINT, 'KeyboardInterrupt'), (signal.SIGTERM, 'RunCancelled')])
def test_cancel(home, sig, kind):
    cmd = [sys.executable, '-m', 'synapse_tui_bridge', 'run', '--plugin', str(DEMO_PLUGIN), 'slow', '--job-id', 'c1']
    proc = subprocess.Popen(cmd, env=clean_env(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    line = ''
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if 'slow action started' in line or not line:
            break
    assert 'slow action started' in line
    time.sleep(0.2)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    run = Run(proc.returncode, out, err, home / 'jobs' / 'c1')
    final = run.records()[-1]
    assert final['event'] == 'run_status' and final['data']['status'] == 'cancelled'
    assert final['data']['error']['type'] == kind
    assert run.events('progress'), 'progress was recorded before the cancel'


def test_ray_job_entrypoint_with_bridge(home):
    env = clean_env(
        home,
        SYNAPSE_JOB_ID='ray-1',
        SYNAPSE_ACTION_ENTRYPOINT='tui_demo.actions.TransformAction',
        SYNAPSE_ACTION_PARAMS='{"items": [2, 3]}',
    )
    proc = subprocess.run(
        [sys.executable, '-m', 'synapse_tui_bridge.entrypoint'], cwd=DEMO_PLUGIN, env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    run = Run(0, proc.stdout, proc.stderr, home / 'jobs' / 'ray-1')
    assert run.marked() == run.records()
    assert [r['data']['status'] for r in run.events('run_status')] == ['running', 'completed']
    assert run.events('run_status')[-1]['data']['result'] == {'total': 5}
    # the SDK's own console lines and result markers are still there
    assert "Metrics: {'total': 5}" in proc.stdout
    assert '__SYNAPSE_RESULT_START__\n{"total": 5}\n__SYNAPSE_RESULT_END__' in proc.stdout
