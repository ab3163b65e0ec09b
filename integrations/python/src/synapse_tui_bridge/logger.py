"""A synapse-sdk ``BaseLogger`` that writes the synapse-tui event log.

Plug it in wherever the SDK takes a logger::

    from synapse_sdk.plugins.context import PluginEnvironment, RuntimeContext
    from synapse_tui_bridge import BridgeLogger

    ctx = RuntimeContext(logger=BridgeLogger(), env=PluginEnvironment.from_environ())

or run a plugin folder with ``python -m synapse_tui_bridge run --plugin DIR ACTION``.
Every RuntimeContext call becomes one record (docs/event-log.md). ``echo=`` tees every call to another
logger (e.g. the SDK's ConsoleLogger) so the usual console output is kept.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from synapse_sdk.loggers import BaseLogger, ProgressData

from synapse_tui_bridge.eventlog import FLUSH_INTERVAL, EventLogWriter, progress_figures

_monotonic = time.monotonic
_time = time.time

if TYPE_CHECKING:
    from synapse_sdk.plugins.models.logger import LogLevel

END_LOG_KEY = 'PLUGIN_RUN_COMPLETE'


def _level_str(level: Any) -> str | None:
    if level is None:
        return None
    value = getattr(level, 'value', level)
    return str(value).lower()


def error_info(exc: BaseException) -> dict[str, str]:
    """``{type, message}`` for a failure; unwraps the SDK's ExecutionError/RuntimeError wrappers."""
    from synapse_sdk.plugins.errors import ExecutionError

    inner = exc
    seen = set()
    while id(inner) not in seen:
        seen.add(id(inner))
        cause = inner.__cause__
        wrapper = isinstance(inner, ExecutionError) or (
            type(inner) is RuntimeError and str(inner).startswith(('Action ', 'Failed to validate params'))
        )
        if cause is None or not wrapper:
            break
        inner = cause
    message = str(inner)
    if not message and isinstance(inner, KeyboardInterrupt):
        message = 'interrupted'
    return {'type': type(inner).__name__, 'message': message}


def _record_orchestrator_proportions() -> None:
    """The SDK's Orchestrator declares its steps' ``progress_proportion`` only to a JobLogger; give them to a
    BridgeLogger too (once per process), so the dashboard weighs steps as the Synapse backend does."""
    try:
        from synapse_sdk.plugins.steps.orchestrator import Orchestrator
    except ImportError:  # an SDK without step orchestration
        return
    original = Orchestrator._configure_step_proportions
    if getattr(original, '_synapse_tui', False):
        return

    def configure(self: Any) -> None:
        original(self)
        logger = getattr(getattr(self._context, 'runtime_ctx', None), 'logger', None)
        if isinstance(logger, BridgeLogger) and not logger._step_proportions:
            proportions = self._registry.get_step_proportions()
            if proportions:
                logger.set_step_proportions(proportions, orders=self._registry.get_step_orders())

    configure._synapse_tui = True  # type: ignore[attr-defined]
    Orchestrator._configure_step_proportions = configure  # type: ignore[method-assign]


class BridgeLogger(BaseLogger):
    """Writes every logger call as an event-log record (format v1).

    Args:
        job_id: the job id (default ``$SYNAPSE_JOB_ID`` or a new UUID4).
        home: ``$SYNAPSE_HOME`` override (default env or ``~/.synapse``).
        path: write to this file instead of ``<home>/jobs/<job_id>/events.jsonl``.
        stdout: also print ``__SYNAPSE_EVENT__ {json}`` lines (default: env ``SYNAPSE_TUI_STDOUT=1``).
        write_file: set False to only print marked lines.
        echo: another logger that receives every call too (e.g. ``ConsoleLogger()``).
        flush_interval: seconds between the flusher's writes (default 25 ms).
    """

    def __init__(
        self,
        job_id: str | None = None,
        *,
        home: Path | str | None = None,
        path: Path | str | None = None,
        stdout: bool | None = None,
        write_file: bool = True,
        echo: BaseLogger | None = None,
        stream: Any = None,
        flush_interval: float = FLUSH_INTERVAL,
    ) -> None:
        super().__init__()
        self.writer = EventLogWriter(
            job_id, home=home, path=path, stdout=stdout, write_file=write_file, stream=stream,
            flush_interval=flush_interval,
        )
        self.job_id = self.writer.job_id
        self.echo = echo
        self._lock = threading.RLock()
        self._pending_progress: tuple[int, int] | None = None
        self._last_counts: dict[str, tuple[int, int]] = {}
        # Each step's last fast-path progress value (see set_progress), until the SDK's own path settles it.
        self._raw_progress: dict[str, tuple] = {}
        self._end_written = False
        self._step_proportions: dict[str, int] = {}
        _record_orchestrator_proportions()

    # -- where records go ------------------------------------------------------------------------
    @property
    def path(self) -> Path | None:
        return self.writer.path

    def emit(self, event: str, data: Any = None, **kw: Any) -> dict[str, Any]:
        """Queue one record directly (``urgent=True``: write it, and all before it, at once). Allowed after
        ``finish()``."""
        return self.writer.emit(event, data, **kw)

    def flush(self) -> None:
        """Write every queued record now."""
        self.writer.flush()

    def run_status(
        self,
        status: str,
        action: str,
        *,
        params: Any = None,
        result: Any = None,
        error: dict[str, str] | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        data: dict[str, Any] = {'status': status, 'action': action, 'job_id': self.job_id}
        if params is not None:
            data['params'] = params
        if status == 'completed':
            data['result'] = result
        if error is not None:
            data['error'] = error
        data.update(extra)
        return self.emit('run_status', data, urgent=True)

    def action_status(
        self, action: str, index: int, total: int, status: str, *, error: dict[str, str] | None = None
    ) -> dict[str, Any]:
        data: dict[str, Any] = {'action': action, 'index': index, 'total': total, 'status': status}
        if error is not None:
            data['error'] = error
        return self.emit('action_status', data, urgent=True)

    def end(self) -> None:
        """Write the ``end`` record (once)."""
        with self._lock:
            if self._end_written:
                return
            self._end_written = True
        self.emit('end', {}, urgent=True)

    # -- BaseLogger hooks ------------------------------------------------------------------------
    def _log_impl(
        self,
        event: str,
        data: dict[str, Any],
        file: str | None,
        step: str | None,
        level: LogLevel | None = None,
    ) -> None:
        self.writer.send(event, data, step, _level_str(level), None if file is None else str(file))
        if event == 'message' and isinstance(data, dict) and data.get('key') == END_LOG_KEY:
            self.end()  # RuntimeContext.end_log()

    def set_progress(self, current: int, total: int, step: str | None = None) -> None:
        """BaseLogger.set_progress: the same checks, clock and ``get_progress`` figures. Int counts take the
        fast path: the call keeps ``(step, current, total, now, start, timestamp)`` and queues it; the
        figures (percent, elapsed, time remaining, rounded as the SDK rounds them) are computed when the
        record is written, or ``get_progress`` asks, and a value the step moved past within one batch is
        never computed at all (EventLogWriter.queue_progress)."""
        if type(current) is not int or type(total) is not int or not (step is None or type(step) is str):
            with self._lock:  # the general path: BaseLogger's bookkeeping, then _on_progress
                self._pending_progress = (current, total)
                try:
                    self._settle((step if step is not None else self._current_step) or '__default__')
                    super().set_progress(current, total, step)
                finally:
                    self._pending_progress = None
        else:
            if self._is_finished:
                self._raise_if_finished()
            if total <= 0:
                raise ValueError(f'total must be > 0, got {total}')
            if not 0 <= current <= total:
                raise ValueError(f'current must be between 0 and {total}, got {current}')
            effective_step = step if step is not None else self._current_step
            key = effective_step or '__default__'
            now = _monotonic()
            starts = self._step_start_times
            if current == 0 or key not in starts:
                start = starts[key] = now
            else:
                start = starts[key]
            raw = self._raw_progress
            last = raw.get(key)
            value = raw[key] = (effective_step, current, total, now, start, _time())
            # Kept whatever follows: a step's first value (or first after a status change), a restart, its
            # completion, a new pass, a new total.
            keep = last is None or current == 0 or current == total or current < last[1] or total != last[2]
            self.writer.queue_progress(value, keep)
        if self.echo is not None:
            self.echo.set_progress(current, total, step)

    def _settle(self, key: str) -> None:
        """Before the SDK's own path touches ``key``: its last fast-path value becomes its ``get_progress``
        figures and last counts."""
        value = self._raw_progress.pop(key, None)
        if value is not None:
            self._progress[key] = ProgressData(*progress_figures(value))
            self._last_counts[key] = (value[1], value[2])

    def get_progress(self, step: str | None = None) -> ProgressData | None:
        key = step or '__default__'
        value = self._raw_progress.get(key)
        if value is not None:
            return ProgressData(*progress_figures(value))
        return self._progress.get(key)

    def set_progress_failed(self, step: str | None = None) -> None:
        with self._lock:
            self._settle(step or '__default__')
            super().set_progress_failed(step)
        if self.echo is not None:
            self.echo.set_progress_failed(step)

    def _on_progress(self, progress: ProgressData, step: str | None) -> None:
        key = step or '__default__'
        counts = self._pending_progress
        if counts is None:  # set_progress_failed: keep the last known counts
            counts = self._last_counts.get(key, (0, 1))
        else:
            self._last_counts[key] = counts
        current, total = counts
        data: dict[str, Any] = {'current': current, 'total': total, 'percent': progress.percent}
        if progress.elapsed_time is not None:
            data['elapsed'] = progress.elapsed_time
        if progress.time_remaining is not None:
            data['time_remaining'] = progress.time_remaining
        if progress.status and progress.status != 'running':
            data['status'] = progress.status
        self.writer.send('progress', data, step)

    def set_metrics(self, value: dict[str, Any], step: str | None = None) -> None:
        """BaseLogger.set_metrics (its checks, copy and merge into ``get_metrics``, line for line), the record
        (the dict given) queued at once: no lock, no hand-off through ``_on_metrics``."""
        self._raise_if_finished()
        if not isinstance(value, Mapping):
            raise TypeError(f'value must be a dict, got {type(value).__name__}')
        effective_step = step if step is not None else self._current_step
        if not effective_step:
            raise ValueError('step must be specified or set via set_step()')
        data = dict(value)
        merged = self._metrics.get(effective_step)
        if merged is None:
            merged = self._metrics[effective_step] = {}
        merged.update(data)
        self.writer.send('metrics', data, effective_step)
        if self.echo is not None:
            self.echo.set_metrics(value, step)

    def set_step_proportions(self, proportions: dict[str, int], orders: dict[str, int] | None = None) -> None:
        """The steps' weights for overall progress (JobLogger's API): a ``step_proportions`` record."""
        self._step_proportions = dict(proportions)
        data: dict[str, Any] = {'proportions': dict(proportions)}
        if orders:
            data['orders'] = dict(orders)
        self.emit('step_proportions', data)
        if self.echo is not None and hasattr(self.echo, 'set_step_proportions'):
            self.echo.set_step_proportions(proportions, orders)

    def set_step(self, step: str | None, order: int | None = None) -> None:
        super().set_step(step, order)
        if self.echo is not None:
            self.echo.set_step(step, order)

    def log(self, level: LogLevel, event: str, data: dict[str, Any], file: str | None = None, step: str | None = None) -> None:
        super().log(level, event, data, file, step)
        if self.echo is not None:
            self.echo.log(level, event, data, file, step)

    def finish(self) -> None:
        if self._is_finished:
            return
        super().finish()
        self.writer.flush()
        if self.echo is not None:
            try:
                self.echo.finish()
            except Exception:  # noqa: BLE001
                pass

    # -- the SDK's logger extensions (ConsoleLogger/JobLogger have them; RuntimeContext prefers them) --
    def log_event(self, event: str, data: dict[str, Any], file: str | None = None) -> None:
        self._raise_if_finished()
        self.emit(event, dict(data), step=self._current_step, level='info', file=file)
        if self.echo is not None and hasattr(self.echo, 'log_event'):
            self.echo.log_event(event, data, file)

    def log_metric(self, category: str, key: str, value: float | int, **metrics: Any) -> None:
        self._raise_if_finished()
        data: dict[str, Any] = {'category': category, 'key': key, 'value': value, 'metrics': metrics}
        if os.environ.get('IS_TUNE') == 'true' and os.environ.get('SYNAPSE_TRIAL_ID'):
            data['trial_id'] = os.environ['SYNAPSE_TRIAL_ID']
        self.emit('metric', data, step=self._current_step)
        if self.echo is not None and hasattr(self.echo, 'log_metric'):
            self.echo.log_metric(category, key, value, **metrics)

    def log_visualization(self, category: str, group: str, index: int, image: str, **meta: Any) -> None:
        self._raise_if_finished()
        data = {'category': category, 'group': group, 'index': index, **meta}
        self.emit('visualization', data, step=self._current_step, file=image)
        if self.echo is not None and hasattr(self.echo, 'log_visualization'):
            self.echo.log_visualization(category, group, index, image, **meta)

    def log_trials(
        self,
        data: dict[str, Any] | None = None,
        *,
        trials: dict[str, Any] | None = None,
        base: list[str] | None = None,
        hyperparameters: list[str] | None = None,
        metrics: list[str] | None = None,
        best_trial: str = '',
    ) -> None:
        self._raise_if_finished()
        if data is None:
            data = {
                'base': base or [],
                'trials': trials or {},
                'hyperparameters': hyperparameters or [],
                'metrics': metrics or [],
                'best_trial': best_trial,
            }
        self.emit('trials', dict(data), step=self._current_step)
        if self.echo is not None and hasattr(self.echo, 'log_trials'):
            self.echo.log_trials(
                data, trials=trials, base=base, hyperparameters=hyperparameters, metrics=metrics, best_trial=best_trial
            )

    def log_message(self, message: str, level: LogLevel | None = None, *, context: Any = None) -> None:
        """``logger.log_message`` (ConsoleLogger's console-only helper): a ``message`` record."""
        from synapse_sdk.loggers import _resolve_level_with_deprecation

        resolved = _resolve_level_with_deprecation(level, context)
        self.log(resolved, 'message', {'content': message})

    # -- cleanup ---------------------------------------------------------------------------------
    def close(self) -> None:
        self.writer.close()


__all__ = ['BridgeLogger', 'error_info', 'END_LOG_KEY']
