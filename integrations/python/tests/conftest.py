"""Shared helpers: run the bridge runner on the demo plugin in a child process, read its job log."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
DEMO_PLUGIN = HERE / 'plugins' / 'demo_plugin'
OPTIONS_PLUGIN = HERE / 'plugins' / 'options_plugin'
REPO_ROOT = HERE.parents[2]
MARKER = '__SYNAPSE_EVENT__ '


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    job_dir: Path

    @property
    def log(self) -> Path:
        return self.job_dir / 'events.jsonl'

    def records(self) -> list[dict]:
        with open(self.log, 'rb') as f:
            lines = f.read().split(b'\n')
        assert lines[-1] == b'', 'the log must end with a newline'
        return [json.loads(line) for line in lines[:-1]]

    def marked(self) -> list[dict]:
        return [json.loads(line.split(MARKER, 1)[1]) for line in self.stdout.splitlines() if MARKER in line]

    def events(self, name: str) -> list[dict]:
        return [r for r in self.records() if r['event'] == name]


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(('SYNAPSE_', 'RAY_'))}
    env['SYNAPSE_HOME'] = str(home)
    env['HOME'] = str(home / 'user-home')
    env['PYTHONWARNINGS'] = 'ignore'
    env.update(extra)
    return env


@pytest.fixture
def home(tmp_path: Path) -> Path:
    h = tmp_path / 'synapse-home'
    (h / 'user-home').mkdir(parents=True)
    return h


@pytest.fixture
def run_bridge(home: Path):
    def _run(action: str, *args: str, job_id: str = 'job-1', env: dict[str, str] | None = None, timeout: float = 120,
             plugin: Path = DEMO_PLUGIN) -> Run:
        cmd = [sys.executable, '-m', 'synapse_tui_bridge', 'run', '--plugin', str(plugin), action]
        if job_id:
            cmd += ['--job-id', job_id]
        cmd += list(args)
        proc = subprocess.run(cmd, env=clean_env(home, **(env or {})), capture_output=True, text=True, timeout=timeout)
        return Run(proc.returncode, proc.stdout, proc.stderr, home / 'jobs' / (job_id or ''))

    return _run
