"""What `synapse-tui run --plugin` hands the bridge reaches the plugin: checkpoint, env file, debug flag, job id,
and stdlib logging becomes messages with levels (through the real synapse-sdk)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import OPTIONS_PLUGIN
from synapse_tui_bridge.logcapture import level_name
from synapse_tui_bridge.options import parse_checkpoint, read_env_file


@pytest.fixture
def run_options(run_bridge):
    def _run(*args: str, **kw):
        return run_bridge('options', *args, plugin=OPTIONS_PLUGIN, **kw)

    return _run


def result(run) -> dict:
    status = run.events('run_status')[-1]
    assert status['data']['status'] == 'completed', run.stderr
    return status['data']['result']


def test_checkpoint_reaches_ctx(run_options):
    run = run_options('--checkpoint', 'base:/models/r18.pt')
    assert run.returncode == 0, run.stderr
    assert result(run)['checkpoint'] == {'category': 'base', 'path': '/models/r18.pt'}
    run = run_options('--checkpoint', '{"category": "trained", "path": "/m/best.pt", "id": 7, "name": "best"}',
                     job_id='job-2')
    assert result(run)['checkpoint'] == {'category': 'trained', 'path': '/m/best.pt', 'id': 7, 'name': 'best'}


def test_no_checkpoint_is_none(run_options):
    run = run_options()
    assert result(run)['checkpoint'] is None


def test_env_file_reaches_ctx_env_over_config(run_options, tmp_path: Path):
    env = tmp_path / 'plugin.env'
    env.write_text('# comment\nexport FROM_FILE="a \\"quoted\\" value"\ndb_password = s3cret # trailing\n'
                   'DEMO_PLUGIN_ENV=from-file\n[section]\nkey = \'literal \\n\'\n')
    run = run_options('--env-file', str(env))
    assert run.returncode == 0, run.stderr
    assert result(run)['env'] == {'DEMO_PLUGIN_ENV': 'from-file', 'FROM_FILE': 'a "quoted" value',
                                  'db_password': 's3cret', 'section_key': 'literal \\n', 'NUM': None}
    # the secret never reaches the log, the command line aside (the result is the plugin's own choice)
    records = [r for r in run.records() if r['event'] != 'run_status']
    assert 's3cret' not in json.dumps(records)


def test_json_env_file_keeps_value_types(run_options, tmp_path: Path):
    env = tmp_path / 'env.json'
    env.write_text('{"NUM": 5, "FROM_FILE": "x"}')
    run = run_options('--env-file', str(env))
    got = result(run)['env']
    assert got['NUM'] == 5 and got['FROM_FILE'] == 'x' and got['DEMO_PLUGIN_ENV'] == 'from-config'


@pytest.mark.parametrize('args,why', [
    (['--checkpoint', 'no-colon'], 'invalid --checkpoint'),
    (['--checkpoint', '{"path": "/x"}'], 'invalid --checkpoint'),
    (['--env-file', '/nonexistent/env'], 'invalid --env-file'),
])
def test_bad_options_fail_before_the_run(run_options, args, why):
    run = run_options(*args)
    assert run.returncode == 2
    assert why in run.stderr


def test_stdlib_logging_becomes_messages_with_levels(run_options):
    run = run_options('--capture-logging')
    assert run.returncode == 0, run.stderr
    logged = [m for m in run.events('message') if 'logger' in m['data']]
    got = [(m['level'], m['data']['logger'], m['data']['content'].split('\n')[0]) for m in logged]
    assert got == [
        ('info', 'tui_demo.options', 'tui_demo.options: info from logging'),
        ('warning', 'tui_demo.options', 'tui_demo.options: warning from logging'),
        ('danger', 'tui_demo.options', 'tui_demo.options: error from logging'),
        ('critical', 'tui_demo.options', 'tui_demo.options: critical from logging'),
        ('info', 'root', 'root info'),
        ('danger', 'tui_demo.options', 'tui_demo.options: with a traceback'),
    ]
    assert "KeyError: 'boom'" in logged[-1]['data']['content']
    # routed, not printed: Python's last-resort stderr handler no longer prints the warnings
    assert 'warning from logging' not in run.stderr


def test_debug_flag_opens_debug_logging_and_reaches_the_plugin(run_options):
    run = run_options('--capture-logging', env={'SYNAPSE_DEBUG': '1'})
    assert result(run)['synapse_debug'] == '1'
    first = [m for m in run.events('message') if 'logger' in m['data']][0]
    assert (first['level'], first['data']['content']) == ('debug', 'tui_demo.options: debug from logging')


def test_without_capture_logging_is_unchanged(run_options):
    run = run_options()
    assert not [m for m in run.events('message') if 'logger' in m.get('data', {})]
    assert 'warning from logging' in run.stderr


def test_job_id_reaches_the_plugin(run_options):
    run = run_options(job_id='job-77')
    got = result(run)
    assert got['job_id_env'] == 'job-77' and got['ctx_job_id'] == 'job-77'


def test_level_names():
    import logging

    assert [level_name(n) for n in (5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 60)] == [
        'debug', 'debug', 'debug', 'info', 'info', 'warning', 'warning', 'danger', 'danger', 'critical', 'critical']
    assert level_name(logging.ERROR) == 'danger'


def test_env_file_rules(tmp_path: Path):
    f = tmp_path / 'e'
    f.write_text('A=1\n  b = two words  # c\nC="x\\ty"\n')
    assert read_env_file(f) == {'A': '1', 'b': 'two words', 'C': 'x\ty'}
    for bad in ('no equals\n', '[\n', 'K="open\n', "K='a' b\n", 'bad key=1\n'):
        f.write_text(bad)
        with pytest.raises(ValueError):
            read_env_file(f)


def test_checkpoint_rules():
    assert parse_checkpoint(' base:/a:b ') == {'category': 'base', 'path': '/a:b'}
    for bad in (':x', 'x:', 'plain', '[1]', '{"category": 1, "path": "x"}'):
        with pytest.raises(ValueError):
            parse_checkpoint(bad)
