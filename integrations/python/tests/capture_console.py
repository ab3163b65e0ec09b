"""Capture the real console output of the unmodified synapse-sdk running the demo plugin.

    python integrations/python/tests/capture_console.py OUT_DIR [--plugin DIR]

Writes, for each capture NAME, ``NAME.stdout`` and ``NAME.stderr`` (raw bytes: ANSI colours, the tqdm bar's
``\\r`` rewrites) and ``NAME.json`` (command, exit status, SDK version):

- ``local-train`` / ``local-fail``: ``synapse plugin run ACTION --mode local --path DIR --params JSON``,
  the SDK's own local mode (LocalExecutor + ConsoleLogger; prints ``Result: {json}``).
- ``job-train``: ``python -m synapse_sdk.plugins.entrypoint``, the exact command a Ray job runs
  (ConsoleLogger without a backend, ``logging`` lines, ``__SYNAPSE_RESULT_START__``/``END`` markers).

Credentials are kept away (empty HOME, no SYNAPSE_HOST/SYNAPSE_ACCESS_TOKEN) so no backend is contacted,
and Python warnings are silenced so the capture does not embed machine paths.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEMO_PLUGIN = HERE / 'plugins' / 'demo_plugin'
SECRET_ENV = ('SYNAPSE_HOST', 'SYNAPSE_ACCESS_TOKEN', 'SYNAPSE_AGENT_URL', 'SYNAPSE_AGENT_TOKEN', 'SYNAPSE_JOB_ID')


def _sdk_version() -> str:
    from importlib.metadata import version

    return version('synapse-sdk')


def _synapse_cli() -> list[str]:
    exe = Path(sys.executable).parent / 'synapse'
    if exe.exists():
        return [str(exe)]
    found = shutil.which('synapse')
    if found:
        return [found]
    return [sys.executable, '-c', 'from synapse_sdk.cli.main import main; main()']


def _env(home: str) -> dict[str, str]:
    # what changes rich's / tqdm's output must not leak in from the caller (CI sets some of these)
    volatile = {'NO_COLOR', 'FORCE_COLOR', 'CLICOLOR', 'CLICOLOR_FORCE', 'TTY_COMPATIBLE', 'TTY_INTERACTIVE',
                'LINES', 'COLUMNS', 'TQDM_DISABLE', 'TQDM_MININTERVAL', 'PYTHONIOENCODING', 'JUPYTER_COLUMNS'}
    env = {
        k: v for k, v in os.environ.items()
        if k not in SECRET_ENV and k not in volatile and not k.startswith(('SYNAPSE_TUI', 'TQDM_'))
    }
    env.update({'HOME': home, 'PYTHONWARNINGS': 'ignore', 'TERM': 'xterm-256color', 'COLUMNS': '100',
                'LANG': 'C.UTF-8', 'LC_ALL': 'C.UTF-8'})
    return env


WRAPPED_ERROR = (
    '書き込みに失敗しました: item #1700 „Ünïcödé“ — the storage backend refused the write after 3 retries '
    "(quota exceeded for bucket 'datasets-eu-west': 1.2 GiB over the limit of 500 GiB)\n"
    'hint: free some space or raise the quota, then run the action again'
)


def captures(plugin: Path) -> list[tuple[str, list[str], dict[str, str], Path]]:
    cli = _synapse_cli()
    return [
        ('local-train', cli + ['plugin', 'run', 'train', '--mode', 'local', '--path', str(plugin), '--params', '{"epochs": 3}'], {}, plugin),
        ('local-fail', cli + ['plugin', 'run', 'fail', '--mode', 'local', '--path', str(plugin), '--params', '{"message": "disk on fire"}'], {}, plugin),
        # A long error with a line break of its own: Rich wraps it at COLUMNS (100) over several stderr lines.
        ('local-fail-wrapped', cli + ['plugin', 'run', 'fail', '--mode', 'local', '--path', str(plugin), '--params',
                                      json.dumps({'message': WRAPPED_ERROR}, ensure_ascii=False)], {}, plugin),
        (
            'job-train',
            [sys.executable, '-m', 'synapse_sdk.plugins.entrypoint'],
            {
                'SYNAPSE_ACTION_ENTRYPOINT': 'tui_demo.actions.TrainAction',
                'SYNAPSE_ACTION_PARAMS': '{"epochs": 2}',
                'SYNAPSE_JOB_ID': 'capture-job-1',
            },
            plugin,  # a Ray job runs in the plugin's working_dir; the SDK adds cwd to sys.path
        ),
    ]


def capture(out_dir: Path, plugin: Path = DEMO_PLUGIN, names: list[str] | None = None) -> dict[str, dict]:
    out_dir.mkdir(parents=True, exist_ok=True)
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix='synapse-capture-home-') as home:
        for name, cmd, extra, cwd in captures(plugin):
            if names and name not in names:
                continue
            env = _env(home)
            env.update(extra)
            proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, timeout=300)
            (out_dir / f'{name}.stdout').write_bytes(proc.stdout)
            (out_dir / f'{name}.stderr').write_bytes(proc.stderr)
            shown = [Path(cmd[0]).name if i == 0 else a for i, a in enumerate(cmd)]
            shown = [a.replace(str(plugin), 'DEMO_PLUGIN') for a in shown]
            meta = {
                'name': name,
                'command': shown,
                'env': {k: v for k, v in extra.items()},
                'returncode': proc.returncode,
                'synapse_sdk': _sdk_version(),
                'python': sys.version.split()[0],
            }
            (out_dir / f'{name}.json').write_text(json.dumps(meta, indent=2) + '\n')
            results[name] = {**meta, 'stdout': proc.stdout, 'stderr': proc.stderr}
    return results


def capture_bridge(out_dir: Path, plugin: Path = DEMO_PLUGIN) -> Path:
    """The bridge's event log for the same run as ``local-train`` (``bridge-train.jsonl``), so the Swift tests
    can check that parsing the console output gives the same records the bridge writes."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix='synapse-capture-home-') as home:
        env = _env(home)
        env['SYNAPSE_HOME'] = home
        cmd = [sys.executable, '-m', 'synapse_tui_bridge', 'run', '--plugin', str(plugin), 'train',
               '--params', '{"epochs": 3}', '--job-id', 'capture-bridge-1', '--no-result']
        subprocess.run(cmd, env=env, capture_output=True, timeout=300, check=True)
        target = out_dir / 'bridge-train.jsonl'
        shutil.copyfile(Path(home) / 'jobs' / 'capture-bridge-1' / 'events.jsonl', target)
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('out_dir', type=Path)
    parser.add_argument('--plugin', type=Path, default=DEMO_PLUGIN)
    parser.add_argument('--only', action='append', default=None, help='capture only this name (repeatable)')
    args = parser.parse_args()
    results = capture(args.out_dir, args.plugin.resolve(), args.only)
    if not args.only or 'bridge-train' in args.only:
        print(f'bridge-train: {capture_bridge(args.out_dir, args.plugin.resolve())}')
    for name, r in results.items():
        print(f'{name}: exit {r["returncode"]}, {len(r["stdout"])} B stdout, {len(r["stderr"])} B stderr')
    return 0


if __name__ == '__main__':
    sys.exit(main())
