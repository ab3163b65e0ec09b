"""The synapse-tui event log, format v1 (docs/event-log.md), written from Python.

One JSON object per line, each written with a single ``write(2)`` on a file opened with ``O_APPEND``
(so concurrent writers, e.g. the Swift CLI adding ``output`` records, never interleave).

Records also reach whoever runs the bridge on a channel the plugin's own output cannot imitate:

- ``SYNAPSE_EVENT_FD=N`` (``synapse-tui run --plugin`` / ``run -- CMD``): each record is written as one
  JSON line on that descriptor, never on stdout. The variable is removed from the environment and the
  descriptor is made non-inheritable when taken, so the plugin's subprocesses get neither.
- otherwise, with stdout events on (a Ray job, whose log stream is the only channel), each record is
  printed as a marked line: ``__SYNAPSE_EVENT__:TOKEN {json}`` with the per-run secret
  ``SYNAPSE_EVENT_TOKEN`` (also removed from the environment when taken), or the legacy
  ``__SYNAPSE_EVENT__ {json}`` without one.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import enum
import json
import math
import os
import sys
import threading
import time
import uuid
from pathlib import Path, PurePath
from typing import Any

FORMAT_VERSION = 1
EVENT_MARKER = '__SYNAPSE_EVENT__ '
EVENT_MARKER_PREFIX = '__SYNAPSE_EVENT__'
EVENT_FD_ENV = 'SYNAPSE_EVENT_FD'
EVENT_TOKEN_ENV = 'SYNAPSE_EVENT_TOKEN'
EVENTS_FILE = 'events.jsonl'
STDOUT_ENV = 'SYNAPSE_TUI_STDOUT'

_TRUE = {'1', 'true', 'yes', 'on'}


def env_flag(name: str, environ: Any = None) -> bool:
    """True when the environment variable ``name`` is set to 1/true/yes/on."""
    value = (environ if environ is not None else os.environ).get(name, '')
    return value.strip().lower() in _TRUE


class _Channel:
    """The record channel handed over by the process that runs us, taken from the environment once."""

    lock = threading.Lock()
    taken = False
    fd: int | None = None
    token: str | None = None


def event_channel() -> tuple[int | None, str | None]:
    """``(fd, token)``: the record descriptor (``$SYNAPSE_EVENT_FD``) and the marker secret
    (``$SYNAPSE_EVENT_TOKEN``), each ``None`` when not given.

    Taken once per process: both variables are removed from ``os.environ`` and the descriptor is made
    non-inheritable, so plugin code and its subprocesses cannot write records by accident.
    """
    with _Channel.lock:
        if not _Channel.taken:
            _Channel.taken = True
            raw = os.environ.pop(EVENT_FD_ENV, None)
            token = os.environ.pop(EVENT_TOKEN_ENV, None)
            if raw is not None:
                try:
                    fd = int(raw)
                    os.fstat(fd)
                    os.set_inheritable(fd, False)
                    _Channel.fd = fd
                except (ValueError, OSError):
                    _Channel.fd = None
            if token and all(c.isalnum() or c in '-_' for c in token):
                _Channel.token = token
        return _Channel.fd, _Channel.token


def marker_for(token: str | None) -> str:
    """The marker before a record on a text stream: with the run's secret when there is one."""
    return f'{EVENT_MARKER_PREFIX}:{token} ' if token else EVENT_MARKER


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def synapse_home(environ: Any = None) -> Path:
    """``$SYNAPSE_HOME``, default ``~/.synapse``."""
    env = environ if environ is not None else os.environ
    home = env.get('SYNAPSE_HOME')
    return Path(home).expanduser() if home else Path.home() / '.synapse'


def resolve_job_id(job_id: str | None = None, environ: Any = None) -> str:
    """An explicit id, else ``$SYNAPSE_JOB_ID``, else a new UUID4."""
    env = environ if environ is not None else os.environ
    return job_id or env.get('SYNAPSE_JOB_ID') or str(uuid.uuid4())


def validate_job_id(job_id: str) -> str:
    """A job id names a folder: refuse empty ids, path separators and dot names."""
    if not job_id or job_id in ('.', '..') or '/' in job_id or '\x00' in job_id or '\\' in job_id:
        raise ValueError(f'invalid job id: {job_id!r}')
    return job_id


def job_dir(job_id: str, home: Path | str | None = None) -> Path:
    base = Path(home).expanduser() if home is not None else synapse_home()
    return base / 'jobs' / validate_job_id(job_id)


def _json_default(obj: Any) -> Any:
    """Make the values plugins commonly log JSON-encodable (never raise)."""
    model_dump = getattr(obj, 'model_dump', None)  # pydantic v2
    if callable(model_dump):
        try:
            return model_dump(mode='json')
        except Exception:  # noqa: BLE001
            pass
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, PurePath):
        return str(obj)
    if isinstance(obj, (_dt.datetime, _dt.date, _dt.time)):
        return obj.isoformat()
    if isinstance(obj, _dt.timedelta):
        return obj.total_seconds()
    if isinstance(obj, (set, frozenset)):
        return list(obj)
    if isinstance(obj, (bytes, bytearray)):
        return bytes(obj).decode('utf-8', 'replace')
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.asdict(obj)
    item = getattr(obj, 'item', None)  # numpy scalars
    if callable(item):
        try:
            return item()
        except Exception:  # noqa: BLE001
            pass
    tolist = getattr(obj, 'tolist', None)  # numpy arrays
    if callable(tolist):
        try:
            return tolist()
        except Exception:  # noqa: BLE001
            pass
    return str(obj)


def _sanitize_keys(value: Any) -> Any:
    """json.dumps refuses dict keys that are not str/int/float/bool/None: stringify them."""
    if isinstance(value, dict):
        return {
            (k if isinstance(k, (str, int, float, bool)) or k is None else str(k)): _sanitize_keys(v)
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [_sanitize_keys(v) for v in value]
    return value


_ENCODER = json.JSONEncoder(separators=(',', ':'), ensure_ascii=False, default=_json_default)


def encode_record(record: dict[str, Any]) -> bytes:
    """One record as a UTF-8 JSON line (with the trailing newline).

    Non-finite floats are written as Python's json writes them (NaN, Infinity, -Infinity).
    """
    try:
        text = _ENCODER.encode(record)
    except TypeError:
        text = json.dumps(
            _sanitize_keys(record), separators=(',', ':'), ensure_ascii=False, default=_json_default
        )
    try:
        return (text + '\n').encode('utf-8')
    except UnicodeEncodeError:  # lone surrogates: escape them, keeping the JSON valid
        text = json.loads(text)
        return (json.dumps(text, separators=(',', ':'), ensure_ascii=True) + '\n').encode('ascii')


class EventLogWriter:
    """Appends records to ``$SYNAPSE_HOME/jobs/<job_id>/events.jsonl`` and sends them on the record channel
    (``$SYNAPSE_EVENT_FD``) or, when there is none and ``stdout`` is on, as marked stdout lines."""

    def __init__(
        self,
        job_id: str | None = None,
        *,
        home: Path | str | None = None,
        path: Path | str | None = None,
        stdout: bool | None = None,
        write_file: bool = True,
        stream: Any = None,
    ) -> None:
        self.job_id = validate_job_id(resolve_job_id(job_id))
        self.stdout = env_flag(STDOUT_ENV) if stdout is None else bool(stdout)
        self._stream = stream
        self._channel_fd, token = event_channel()
        self.marker = marker_for(token)
        self._lock = threading.Lock()
        self._fd: int | None = None
        self.path: Path | None = None
        if write_file:
            self.path = Path(path) if path is not None else job_dir(self.job_id, home) / EVENTS_FILE
            self._fd = self._open(self.path)
        from synapse_tui_bridge.heartbeat import start_for

        self._heartbeat = start_for(self.path)

    @staticmethod
    def _open(path: Path) -> int:
        folder = path.parent
        if not folder.is_dir():
            folder.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            try:
                os.mkdir(folder, 0o700)
            except FileExistsError:
                pass
            else:
                os.chmod(folder, 0o700)
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, 'O_CLOEXEC', 0)
        existed = path.exists()
        fd = os.open(path, flags, 0o600)
        if not existed:
            os.fchmod(fd, 0o600)
        return fd

    @property
    def closed(self) -> bool:
        return self._fd is None

    def write(self, record: dict[str, Any]) -> bytes:
        """Write one record (already holding ``v``, ``event``, ``timestamp``)."""
        line = encode_record(record)
        fd = self._fd
        if fd is not None:
            # One write(2) per record; loop only if the kernel took less (disk full, signals).
            _write_all(fd, line)
        channel = self._channel_fd
        if channel is not None:
            try:
                with self._lock:
                    _write_all(channel, line)
            except OSError:  # the reader went away: the file still has every record
                self._channel_fd = None
        elif self.stdout:
            stream = self._stream or sys.stdout
            text = self.marker + line.decode('utf-8')
            with self._lock:
                stream.write(text)
                stream.flush()
        return line

    def emit(
        self,
        event: str,
        data: Any = None,
        *,
        step: str | None = None,
        level: str | None = None,
        file: str | None = None,
        timestamp: float | None = None,
    ) -> dict[str, Any]:
        record: dict[str, Any] = {
            'v': FORMAT_VERSION,
            'event': event,
            'timestamp': time.time() if timestamp is None else timestamp,
        }
        if step is not None:
            record['step'] = step
        if level is not None:
            record['level'] = level
        if file is not None:
            record['file'] = str(file)
        record['data'] = {} if data is None else data
        self.write(record)
        return record

    def close(self) -> None:
        heartbeat, self._heartbeat = getattr(self, '_heartbeat', None), None
        if heartbeat is not None:
            heartbeat.stop()
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)

    def __enter__(self) -> EventLogWriter:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001
            pass


def read_records(path: Path | str) -> list[dict[str, Any]]:
    """Read complete lines of an event log (tests, tools). Skips a partial last line."""
    records = []
    with open(path, 'rb') as f:
        for raw in f:
            if not raw.endswith(b'\n'):
                break
            records.append(json.loads(raw))
    return records


def is_finite_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
