"""The benchmark's plugin: times RuntimeContext calls as a plugin makes them, under whichever runner."""

from __future__ import annotations

import time

from pydantic import BaseModel

from synapse_sdk.plugins.action import BaseAction
from synapse_sdk.plugins.models.logger import LogLevel


class LoopParams(BaseModel):
    n: int = 20000
    # set_progress_2steps last: ConsoleLogger prints every later line through tqdm.write around its two bars
    calls: list[str] = ['set_progress', 'set_metrics', 'log_message', 'set_progress_2steps']


class LoopAction(BaseAction[LoopParams]):
    """Times ``n`` calls of each kind; the result holds microseconds per call (the plugin's own clock)."""

    def execute(self) -> dict:
        n = self.params.n
        ctx = self.ctx
        us: dict[str, float] = {}
        for call in self.params.calls:
            if call == 'set_progress':
                total = n + 1  # never 100 %: the SDK's ConsoleLogger closes its tqdm bar there
                start = time.perf_counter()
                for i in range(1, n + 1):
                    ctx.set_progress(i, total, step='train')
            elif call == 'set_progress_2steps':  # two steps alternating: no value supersedes the one before
                total = n + 1
                start = time.perf_counter()
                for i in range(1, n + 1):
                    ctx.set_progress(i, total, step='train' if i & 1 else 'validation')
            elif call == 'set_metrics':
                start = time.perf_counter()
                for i in range(n):
                    ctx.set_metrics({'epoch': i, 'loss': 0.5, 'acc': 0.9}, step='train')
            elif call == 'log_message':
                start = time.perf_counter()
                for _ in range(n):
                    ctx.log_message('processed a batch', LogLevel.INFO)
            else:
                raise ValueError(f'unknown call {call!r}')
            us[call] = round((time.perf_counter() - start) / n * 1e6, 3)
        return {'us_per_call': us, 'n': n}


class BeatParams(BaseModel):
    count: int = 40
    interval: float = 0.03


class BeatAction(BaseAction[BeatParams]):
    """``count`` messages ``interval`` s apart: a follower of the job log times each one's arrival against
    the record's own timestamp (the harness's latency figure)."""

    def execute(self) -> dict:
        for i in range(self.params.count):
            self.ctx.log_message(f'beat {i}', LogLevel.INFO)
            time.sleep(self.params.interval)
        return {'count': self.params.count}
