"""Demo actions for the synapse-tui bridge tests (a real synapse-sdk plugin)."""

from __future__ import annotations

import sys
import time

from pydantic import BaseModel

from synapse_sdk.plugins.action import BaseAction
from synapse_sdk.plugins.models.logger import LogLevel


class TrainParams(BaseModel):
    epochs: int = 3
    sleep: float = 0.0


class TrainResult(BaseModel):
    epochs: int
    final_loss: float


class TrainAction(BaseAction[TrainParams]):
    """Calls every RuntimeContext method at least once."""

    result_model = TrainResult

    def execute(self) -> dict:
        ctx = self.ctx
        epochs = self.params.epochs
        print('plain stdout line from the plugin', flush=True)
        print('plain stderr line from the plugin', file=sys.stderr, flush=True)

        ctx.log_message('Starting training')
        ctx.log_message('GPU memory low, reducing batch size', LogLevel.WARNING)
        ctx.log_message('Debug detail', LogLevel.DEBUG)
        ctx.log_message('Checkpoint missing', LogLevel.DANGER)
        ctx.log_message('Recoverable error', LogLevel.ERROR)
        ctx.log_message('Critical but continuing', LogLevel.CRITICAL)
        ctx.log_message({'en': 'Processing {count} items', 'ko': '{count}개 항목 처리 중'}, count=epochs)
        ctx.log_message('Evaluating soon', step='evaluate')

        ctx.log_dev_event('env probe', {'job_id': ctx.job_id, 'env': ctx.env.get_str('DEMO_PLUGIN_ENV')})
        ctx.log_dev_event('no payload')

        ctx.log(
            'custom_event',
            {
                'hello': 'world',
                'n': 1,
                'ratio': 0.5,
                'flag': True,
                'nothing': None,
                'items': [1, 'two', 3.0],
                'pair': (1, 2),
                'nested': {'quote': "it's \"quoted\"", 'tab': 'a\tb'},
            },
        )
        ctx.log('prediction', {'class': 'cat', 'confidence': 0.95}, file='/data/img.jpg')
        ctx.log('warn_event', {'reason': 'slow disk'}, level=LogLevel.WARNING)

        ctx.set_progress(0, epochs, step='train')
        loss = 1.0
        for epoch in range(1, epochs + 1):
            if self.params.sleep:
                time.sleep(self.params.sleep)
            loss = round(1.0 / epoch, 4)
            ctx.set_progress(epoch, epochs, step='train')
            ctx.set_metrics({'epoch': epoch, 'loss': loss, 'acc': round(0.5 + 0.1 * epoch, 2)}, step='train')
            ctx.log_metric('train', 'epoch', epoch, loss=loss)

        ctx.set_metrics({'mAP': 0.87, 'model': 'resnet18', 'nan': float('nan'), 'inf': float('inf')}, step='validation')
        ctx.set_progress(1, 2)
        ctx.set_progress(2, 2)
        ctx.log_visualization('validation', 'epoch_1', 0, '/tmp/pred.png', score=0.9)
        ctx.log_trials(trials={'trial_1': {'loss': loss}}, metrics=['loss'], best_trial='trial_1')

        ctx.log_message('Training finished', LogLevel.SUCCESS)
        ctx.end_log()
        return {'epochs': epochs, 'final_loss': loss}


class FetchParams(BaseModel):
    count: int = 3


class FetchResult(BaseModel):
    items: list[int]


class FetchAction(BaseAction[FetchParams]):
    result_model = FetchResult

    def execute(self) -> FetchResult:
        items = []
        for i in range(self.params.count):
            items.append(i + 1)
            self.ctx.set_progress(i + 1, self.params.count, step='fetch')
        self.ctx.log_message(f'Fetched {len(items)} items')
        return FetchResult(items=items)


class TransformParams(BaseModel):
    items: list[int]


class TransformResult(BaseModel):
    total: int


class TransformAction(BaseAction[TransformParams]):
    result_model = TransformResult

    def execute(self) -> TransformResult:
        total = sum(self.params.items)
        self.ctx.set_progress(1, 1, step='transform')
        self.ctx.set_metrics({'total': total}, step='transform')
        return TransformResult(total=total)


class ReportParams(BaseModel):
    total: int


class ReportResult(BaseModel):
    report: str
    total: int


class ReportAction(BaseAction[ReportParams]):
    result_model = ReportResult

    def execute(self) -> ReportResult:
        self.ctx.log_message(f'Total is {self.params.total}', LogLevel.SUCCESS)
        return ReportResult(report=f'total={self.params.total}', total=self.params.total)


class FailParams(BaseModel):
    message: str = 'simulated failure'


class FailAction(BaseAction[FailParams]):
    def execute(self) -> dict:
        self.ctx.set_progress(1, 4, step='fail')
        self.ctx.log_message('About to fail', LogLevel.WARNING)
        raise ValueError(self.params.message)


class SlowParams(BaseModel):
    seconds: float = 30.0


class SlowAction(BaseAction[SlowParams]):
    def execute(self) -> dict:
        steps = max(1, int(self.params.seconds / 0.05))
        self.ctx.log_message('sleeping')
        print('slow action started', flush=True)
        for i in range(steps):
            time.sleep(0.05)
            self.ctx.set_progress(i + 1, steps, step='sleep')
        return {'slept': self.params.seconds}
