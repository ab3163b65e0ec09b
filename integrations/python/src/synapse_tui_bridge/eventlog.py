"""The synapse-tui event log, format v1 (docs/event-log.md), written from Python.

One JSON object per line, each written with a single ``write(2)`` on a file opened with ``O_APPEND``
(so concurrent writers, e.g. the Swift CLI adding ``output`` records, never interleave).

Records also reach whoever runs the bridge on a channel the plugin's own output cannot imitate:

- ``SYNAPSE_EVENT_FD=N`` (``synapse-tui run --plugin`` / ``run -- CMD``): each record is written as one
  JSON line on that descriptor, never on stdout, and the reader writes the job log (one channel: the bridge
  does not write the file too, unless the reader goes away). The variable is removed from the environment
  and the descriptor is made non-inheritable when taken, so the plugin's subprocesses get neither.
- otherwise, with stdout events on (a Ray job, whose log stream is the only channel), each record is
  printed as a marked line: ``__SYNAPSE_EVENT__:TOKEN {json}`` with the per-run secret
  ``SYNAPSE_EVENT_TOKEN`` (also removed from the environment when taken), or the legacy
  ``__SYNAPSE_EVENT__ {json}`` without one.

Records are not written one by one: a call encodes its record and queues it, and a flusher thread writes
what is queued every ``FLUSH_INTERVAL`` seconds with one ``write(2)`` per destination (whole lines only).
Progress is queued as its figures and encoded when written; a progress value still queued is replaced by the
next one for the same step when nothing was queued after it, the step only moved on (same total, not lower)
and the queued value is not one that must stay (a step's first, a restart at 0, its completion, a new pass
or total): :meth:`EventLogWriter.queue_progress`. A batch so keeps a step's latest value, as the SDK's
JobLogger keeps only the latest for the backend.
Status records (``run_status``, ``action_status``, ``end``) are written at once with everything queued
before them, ``close()`` and ``flush()`` write the rest, and an ``atexit`` hook flushes every open writer,
so a run that ends, fails or is cancelled keeps every record; only a process killed outright (SIGKILL, a
crashed interpreter) can lose the last ``FLUSH_INTERVAL`` of them.
"""

from __future__ import annotations

import atexit
import collections
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
import weakref
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

# Seconds between the flusher's writes: a follower sees each record within this (plus its own reading),
# well inside the 100 ms the dashboard promises; 40 writes a second cost nothing measurable.
FLUSH_INTERVAL = 0.025
# Records queued before the caller writes them itself (a flusher starved of the GIL must not let memory grow).
MAX_PENDING = 4096


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


try:
    from _json import encode_basestring as _quote  # the C version, ensure_ascii=False
except ImportError:  # pragma: no cover - CPython always has it
    from json.encoder import py_encode_basestring as _quote  # type: ignore[assignment]

_NON_FINITE = {'nan': 'NaN', 'inf': 'Infinity', '-inf': '-Infinity'}
_float_repr = float.__repr__
_int_repr = int.__repr__
_isfinite = math.isfinite
_time = time.time  # the records' clock (one name, so a test can replace it)


def _flat_object(data: Any) -> str | None:
    """``data`` as a JSON object when it is a dict of str keys to str/int/float/bool/None values (what
    progress, metrics and messages hold), else None. The same text ``json`` writes, some 4x faster: a
    general encoder costs more per record than the SDK's ConsoleLogger does per call."""
    if type(data) is not dict:
        return None
    parts = []
    for key, value in data.items():
        if type(key) is not str:
            return None
        kind = type(value)
        if kind is float:
            text = _float_repr(value)
            text = _NON_FINITE.get(text, text)
        elif kind is int:
            text = _int_repr(value)
        elif kind is str:
            text = _quote(value)
        elif value is None:
            text = 'null'
        elif value is True:
            text = 'true'
        elif value is False:
            text = 'false'
        else:
            return None
        parts.append(_quote(key) + ':' + text)
    return '{' + ','.join(parts) + '}'


def encode_event(
    event: str, data: Any, timestamp: float, step: Any = None, level: Any = None, file: Any = None
) -> bytes:
    """The record ``{v, event, timestamp, step?, level?, file?, data}`` as a UTF-8 JSON line, the same bytes
    as ``encode_record`` of that dict, through the fast path when ``data`` is flat."""
    body = _flat_object(data)
    if (
        body is not None
        and type(event) is str
        and type(timestamp) is float
        and (step is None or type(step) is str)
        and (level is None or type(level) is str)
        and (file is None or type(file) is str)
    ):
        ts = _float_repr(timestamp)
        text = '{"v":1,"event":' + _quote(event) + ',"timestamp":' + _NON_FINITE.get(ts, ts)
        if step is not None:
            text += ',"step":' + _quote(step)
        if level is not None:
            text += ',"level":' + _quote(level)
        if file is not None:
            text += ',"file":' + _quote(file)
        text += ',"data":' + body + '}\n'
        try:
            return text.encode('utf-8')
        except UnicodeEncodeError:  # lone surrogates: the general path escapes them
            pass
    return encode_record(_make_record(event, data, timestamp, step, level, file))


def _make_record(
    event: str, data: Any, timestamp: float, step: Any = None, level: Any = None, file: Any = None
) -> dict[str, Any]:
    """The record dict ``{v, event, timestamp, step?, level?, file?, data}`` in the log's key order."""
    record: dict[str, Any] = {'v': FORMAT_VERSION, 'event': event, 'timestamp': timestamp}
    if step is not None:
        record['step'] = step
    if level is not None:
        record['level'] = level
    if file is not None:
        record['file'] = str(file)
    record['data'] = {} if data is None else data
    return record


def progress_figures(value: tuple) -> tuple[float, float | None, float]:
    """``(percent, time_remaining, elapsed)`` of a queued progress value ``(step, current, total, now, start,
    timestamp)``: BaseLogger.set_progress's arithmetic and rounding, step for step (ProgressData's order)."""
    current = value[1]
    total = value[2]
    elapsed = value[3] - value[4]
    percent = round((current / total) * 100, 2)
    remaining = round(elapsed / current * (total - current), 2) if current > 0 else None
    return percent, remaining, round(elapsed, 2)


def encode_progress(value: tuple) -> bytes:
    """A queued progress value (see :func:`progress_figures`) as its record line, the same bytes as
    ``encode_record`` of the record (``time_remaining`` absent when None, as at a step's 0)."""
    step, current, total, _, _, timestamp = value
    percent, remaining, elapsed = progress_figures(value)
    if remaining is None:
        figures = '%r,"elapsed":%r}}\n' % (percent, elapsed)
    else:
        figures = '%r,"elapsed":%r,"time_remaining":%r}}\n' % (percent, elapsed, remaining)
    if _isfinite(timestamp) and _isfinite(elapsed) and (remaining is None or _isfinite(remaining)):
        line = '{"v":1,"event":"progress","timestamp":%r%s,"data":{"current":%d,"total":%d,"percent":%s' % (
            timestamp, '' if step is None else ',"step":' + _quote(step), current, total, figures)
        try:
            return line.encode('utf-8')
        except UnicodeEncodeError:  # a step name with lone surrogates: the general encoder escapes them
            pass
    data: dict[str, Any] = {'current': current, 'total': total, 'percent': percent, 'elapsed': elapsed}
    if remaining is not None:
        data['time_remaining'] = remaining
    return encode_record(_make_record('progress', data, timestamp, step))


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


_WRITERS: weakref.WeakSet[EventLogWriter] = weakref.WeakSet()


def _flush_all() -> None:
    """At exit: whatever any writer still holds reaches its log (daemon flusher threads stop unannounced)."""
    for writer in list(_WRITERS):
        try:
            writer.flush()
        except Exception:  # noqa: BLE001
            pass


def _after_fork_in_child() -> None:
    """A forked child (multiprocessing) must not write its parent's queued records a second time, and
    cannot use a lock the parent's flusher held at the fork, nor the parent's flusher thread."""
    for writer in list(_WRITERS):
        writer._pending.clear()
        writer._progress_tail = None
        writer._write_lock = threading.Lock()
        writer._queue_lock = threading.Lock()
        writer._lock = threading.Lock()
        writer._flusher = None


atexit.register(_flush_all)
if hasattr(os, 'register_at_fork'):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _flusher_loop(ref: weakref.ref[EventLogWriter], stop: threading.Event, interval: float) -> None:
    # Holds the writer only weakly, so a writer nobody closed is still collected (and closed).
    while not stop.wait(interval):
        writer = ref()
        if writer is None:
            return
        try:
            writer.flush()
        except Exception:  # noqa: BLE001 (a full disk must not end the thread: the next flush retries)
            pass
        del writer


class EventLogWriter:
    """Appends records to ``$SYNAPSE_HOME/jobs/<job_id>/events.jsonl``, or sends them on the record channel
    (``$SYNAPSE_EVENT_FD``) whose reader writes that log, or, when there is none and ``stdout`` is on, also
    prints them as marked stdout lines. Records are queued and written in batches (see the module's doc)."""

    def __init__(
        self,
        job_id: str | None = None,
        *,
        home: Path | str | None = None,
        path: Path | str | None = None,
        stdout: bool | None = None,
        write_file: bool = True,
        stream: Any = None,
        flush_interval: float = FLUSH_INTERVAL,
    ) -> None:
        self.job_id = validate_job_id(resolve_job_id(job_id))
        self.stdout = env_flag(STDOUT_ENV) if stdout is None else bool(stdout)
        self._stream = stream
        self._channel_fd, token = event_channel()
        self.marker = marker_for(token)
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        # Every change to the queue holds this (a progress value may replace the newest queued item).
        self._queue_lock = threading.Lock()
        # Encoded lines, and progress values (tuples, see encode_progress) encoded when written.
        self._pending: collections.deque[bytes | tuple] = collections.deque()
        # The newest queued progress value a next one for its step may replace (None: none may be).
        self._progress_tail: tuple | None = None
        self._flush_interval = flush_interval
        self._flusher: tuple[threading.Thread, threading.Event] | None = None
        self._fd: int | None = None
        self._open_failed = False
        self.path: Path | None = None
        if write_file:
            self.path = Path(path) if path is not None else job_dir(self.job_id, home) / EVENTS_FILE
            if self._channel_fd is None:
                self._fd = self._open(self.path)
            # else the channel's reader writes the log; the file is opened only if the reader goes away
        self._closed = False
        _WRITERS.add(self)
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
        return self._closed

    @property
    def writes_file(self) -> bool:
        """True when this process appends to the job log itself (no record channel, or its reader went away)."""
        return self._fd is not None

    def write(self, record: dict[str, Any], *, urgent: bool = False) -> bytes:
        """Queue one record (already holding ``v``, ``event``, ``timestamp``); ``urgent`` writes it, and all
        queued before it, at once."""
        line = encode_record(record)
        self.write_line(line, urgent=urgent)
        return line

    def write_line(self, line: bytes, *, urgent: bool = False) -> None:
        """Queue one encoded record line (see :func:`encode_event`)."""
        pending = self._pending
        with self._queue_lock:
            pending.append(line)
        if urgent or len(pending) >= MAX_PENDING or self._closed:
            self.flush()
        elif self._flusher is None:
            self._start_flusher()

    def queue_progress(self, value: tuple, keep: bool) -> None:
        """Queue one progress value of int counts, ``(step, current, total, now, start, timestamp)`` (its
        figures computed and encoded when written: :func:`encode_progress`).

        It replaces the newest queued item when that is a progress value of the same step and total that
        nothing came after, was not kept (``keep``), and is not above this one's ``current``: the step only
        moved on, and a batch holds its latest value, as JobLogger's backend snapshot does. The caller sets
        ``keep`` for a value that must stay in the log whatever follows: a step's first, a restart at 0, its
        completion, a step going back (a new pass) or changing its total. Nothing else is ever replaced or
        moved, so a step's last value, every status change and every other record stay where they were.
        """
        pending = self._pending
        with self._queue_lock:
            tail = self._progress_tail
            if (
                tail is not None
                and pending
                and pending[-1] is tail
                and tail[0] == value[0]
                and tail[2] == value[2]
                and tail[1] <= value[1]
            ):
                pending[-1] = value
            else:
                pending.append(value)
            self._progress_tail = None if keep else value
        if len(pending) >= MAX_PENDING or self._closed:
            self.flush()
        elif self._flusher is None:
            self._start_flusher()

    def _start_flusher(self) -> None:
        with self._lock:
            if self._flusher is not None or self._closed:
                return
            stop = threading.Event()
            thread = threading.Thread(
                target=_flusher_loop,
                args=(weakref.ref(self), stop, self._flush_interval),
                name='synapse-tui-flusher',
                daemon=True,
            )
            self._flusher = (thread, stop)
            thread.start()

    def flush(self) -> None:
        """Write every queued record now: one ``write(2)`` per destination."""
        with self._write_lock:
            pending = self._pending
            with self._queue_lock:
                if not pending:
                    return
                items = list(pending)
                pending.clear()
                self._progress_tail = None
            lines = [item if type(item) is bytes else encode_progress(item) for item in items]
            batch = b''.join(lines)
            channel = self._channel_fd
            if channel is not None:
                try:
                    _write_all(channel, batch)
                except OSError:  # the reader went away: from now on the file holds every record
                    self._channel_fd = None
                    self._reopen_file()
                    if self._fd is not None:
                        _write_all(self._fd, batch)
            else:
                if self._fd is not None:
                    _write_all(self._fd, batch)
                if self.stdout:
                    stream = self._stream or sys.stdout
                    marker = self.marker
                    stream.write(''.join(marker + line.decode('utf-8') for line in lines))
                    stream.flush()

    def _reopen_file(self) -> None:
        if self._fd is None and self.path is not None and not self._closed and not self._open_failed:
            try:
                self._fd = self._open(self.path)
            except OSError:
                self._open_failed = True

    def emit(
        self,
        event: str,
        data: Any = None,
        *,
        step: str | None = None,
        level: str | None = None,
        file: str | None = None,
        timestamp: float | None = None,
        urgent: bool = False,
    ) -> dict[str, Any]:
        """Queue one record (``urgent``: write it at once) and return it."""
        record = _make_record(event, data, _time() if timestamp is None else timestamp, step, level, file)
        self.write(record, urgent=urgent)
        return record

    def send(
        self, event: str, data: Any, step: str | None = None, level: str | None = None, file: str | None = None
    ) -> None:
        """Queue one record, returning nothing: the hot path of every RuntimeContext call."""
        self.write_line(encode_event(event, data, _time(), step, level, file))

    def close(self) -> None:
        """Write what is queued, stop the flusher and the heartbeat, close the file (idempotent)."""
        if self._closed:
            return
        try:
            self.flush()
        finally:
            self._closed = True
            flusher, self._flusher = self._flusher, None
            if flusher is not None:
                flusher[1].set()
            heartbeat, self._heartbeat = getattr(self, '_heartbeat', None), None
            if heartbeat is not None:
                heartbeat.stop()
            fd, self._fd = self._fd, None
            if fd is not None:
                os.close(fd)
            _WRITERS.discard(self)

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
