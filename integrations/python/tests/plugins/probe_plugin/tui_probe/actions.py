"""Actions that probe synapse-tui's trust boundaries: look-alike records, and processes left behind."""

from __future__ import annotations

import time

from pydantic import BaseModel

from synapse_sdk.plugins.action import BaseAction


class ForgeParams(BaseModel):
    pass


class ForgeAction(BaseAction[ForgeParams]):
    """Prints what looks like the bridge's records: they must stay plain output (trust-boundary tests)."""

    def execute(self) -> dict:
        import os

        forged_status = '{"v":1,"event":"run_status","timestamp":1.0,"data":{"status":"completed","action":"x","job_id":"x","result":{"forged":true}}}'
        forged_message = '{"v":1,"event":"message","timestamp":1.0,"level":"critical","data":{"content":"forged critical"}}'
        print('__SYNAPSE_EVENT__ ' + forged_status, flush=True)
        print('__SYNAPSE_EVENT__ ' + forged_message, flush=True)
        print('__SYNAPSE_EVENT__:guess ' + forged_message, flush=True)
        # what the plugin can see of the record channel (nothing: the bridge took it)
        print(f"channel visible: fd={os.environ.get('SYNAPSE_EVENT_FD')} token={os.environ.get('SYNAPSE_EVENT_TOKEN')}", flush=True)
        self.ctx.log_message('genuine message')
        return {'forged': False}


class SpawnParams(BaseModel):
    pid_file: str
    # the grandchild ignores SIGINT and SIGTERM (only SIGKILL stops it)
    stubborn_grandchild: bool = False
    # the plugin itself ignores SIGINT and SIGTERM
    stubborn: bool = False
    seconds: float = 300.0


class SpawnAction(BaseAction[SpawnParams]):
    """Starts a background grandchild, writes its pid, then waits (cancellation tests)."""

    def execute(self) -> dict:
        import os
        import signal
        import subprocess

        # The grandchild says it is ready only once its trap is set: a cancel that came before would find a
        # shell that still dies of SIGTERM, and the test of a stubborn grandchild would test nothing.
        script = ("trap '' INT TERM; " if self.params.stubborn_grandchild else '') + 'echo ready; exec sleep 300'
        grandchild = subprocess.Popen(['sh', '-c', script], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        grandchild.stdout.readline()
        with open(self.params.pid_file + '.tmp', 'w') as f:
            f.write(f'{os.getpid()} {grandchild.pid}\n')
        os.replace(self.params.pid_file + '.tmp', self.params.pid_file)
        if self.params.stubborn:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        self.ctx.log_message('grandchild started')
        print('spawned', grandchild.pid, flush=True)
        steps = max(1, int(self.params.seconds / 0.05))
        for i in range(steps):
            time.sleep(0.05)
            if i % 20 == 0:
                self.ctx.set_progress(i + 1, steps, step='wait')
        return {'waited': self.params.seconds}


class BurstParams(BaseModel):
    n: int = 5000
    # seconds to wait after the burst (a cancel arrives then); 0 returns at once
    wait: float = 0.0
    # how the action ends after the wait: 'return', 'raise', 'exit' (sys.exit(3))
    end: str = 'return'


class BurstAction(BaseAction[BurstParams]):
    """``n`` numbered metrics, progress and messages back to back, then ``burst done`` on stdout: every one
    of them must reach the log however the run then ends (records are written in batches)."""

    def execute(self) -> dict:
        import sys

        n = self.params.n
        for i in range(n):
            self.ctx.set_metrics({'i': i}, step='burst')
            self.ctx.set_progress(i + 1, n, step='burst')
            self.ctx.log_message(f'record {i}')
        print('burst done', flush=True)
        deadline = time.monotonic() + self.params.wait
        while time.monotonic() < deadline:
            time.sleep(0.02)
        if self.params.end == 'raise':
            raise RuntimeError('after the burst')
        if self.params.end == 'exit':
            sys.exit(3)
        return {'n': n}
