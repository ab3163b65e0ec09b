"""Python's stdlib ``logging`` as event-log messages, with their levels and the logger's name.

``synapse-tui run --plugin`` turns it on: a plugin's (or a library's) ``logging.getLogger(__name__).info(...)``
becomes a ``message`` record at level ``info`` instead of a plain output line (or nothing at all, since
Python prints only warnings without a configured handler).
"""

from __future__ import annotations

import logging
from typing import Any, Callable

# Records of these loggers already reach the log through the bridge (the SDK's ConsoleLogger copies its
# lines to ``synapse_sdk.loggers``): taking them again would show every message twice.
_SKIPPED = ('synapse_sdk.loggers', 'synapse_tui_bridge')


def level_name(levelno: int) -> str:
    """The event log's level for a stdlib level: DEBUG debug, INFO info, WARNING warning, ERROR danger,
    CRITICAL critical; a custom level takes the nearest standard one below it."""
    if levelno >= logging.CRITICAL:
        return 'critical'
    if levelno >= logging.ERROR:
        return 'danger'
    if levelno >= logging.WARNING:
        return 'warning'
    if levelno >= logging.INFO:
        return 'info'
    return 'debug'


class BridgeLogHandler(logging.Handler):
    """Writes each log record as a ``message``: ``{"content": "name: text", "logger": name}``."""

    def __init__(self, emit: Callable[..., Any]) -> None:
        super().__init__(logging.NOTSET)
        self._emit = emit
        self._formatter = logging.Formatter()

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(_SKIPPED):
            return
        try:
            text = record.getMessage()
            if record.exc_info:
                text += '\n' + self._formatter.formatException(record.exc_info)
            if record.stack_info:
                text += '\n' + self._formatter.formatStack(record.stack_info)
            content = text if record.name == 'root' else f'{record.name}: {text}'
            self._emit('message', {'content': content, 'logger': record.name}, level=level_name(record.levelno))
        except Exception:  # noqa: BLE001
            self.handleError(record)


def install(emit: Callable[..., Any], *, debug: bool = False) -> Callable[[], None]:
    """Routes the root logger into ``emit`` (``EventLogWriter.emit``'s signature); returns the undo.

    A root logger left at Python's default (WARNING) is opened to INFO, or DEBUG with ``debug``, so a
    plugin's ``logger.info`` shows; a level the plugin or its host set is kept.
    """
    root = logging.getLogger()
    handler = BridgeLogHandler(emit)
    previous = root.level
    root.addHandler(handler)
    if debug:
        root.setLevel(logging.DEBUG)
    elif previous == logging.WARNING:
        root.setLevel(logging.INFO)

    def undo() -> None:
        root.removeHandler(handler)
        root.setLevel(previous)

    return undo


__all__ = ['BridgeLogHandler', 'install', 'level_name']
