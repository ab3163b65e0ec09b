"""The benchmark's plugin: times RuntimeContext calls as a plugin makes them, under whichever runner."""

from __future__ import annotations

import time

from pydantic import BaseModel

from synapse_sdk.plugins.action import BaseAction
from synapse_sdk.plugins.models.logger import LogLevel


class LoopParams(BaseModel):
    n: int = 20000
    calls: list[str] = ['set_progress', 'set_metrics', 'log_message']


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
