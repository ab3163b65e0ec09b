"""Proof of life for a job's writer: ``writer.json`` in the job folder, rewritten every 5 s.

``{"pid", "host", "started", "beat"}``, written atomically (temporary file + rename) by a daemon thread,
so a quiet epoch never looks dead; readers (``synapse-tui attach/show/jobs``) show the job ``lost`` when the
pid is gone on this host or no beat came for 30 s (docs/event-log.md, "Liveness"). Not started when a
synapse-tui supervisor runs the bridge (``SYNAPSE_TUI_SUPERVISED=1``): that process beats for the job.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from pathlib import Path

FILE_NAME = 'writer.json'
INTERVAL = 5.0


class Heartbeat:
    def __init__(self, folder: Path, interval: float = INTERVAL) -> None:
        self.path = folder / FILE_NAME
        self.interval = interval
        self.record = {'pid': os.getpid(), 'host': socket.gethostname(), 'started': time.time(), 'beat': time.time()}
        self._stop = threading.Event()
        self.beat()
        self._thread = threading.Thread(target=self._run, name='synapse-tui-heartbeat', daemon=True)
        self._thread.start()

    def beat(self) -> None:
        self.record['beat'] = time.time()
        temporary = self.path.with_name(f'{FILE_NAME}.{os.getpid()}.tmp')
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, 'O_CLOEXEC', 0), 0o600)
            try:
                os.write(fd, (json.dumps(self.record) + '\n').encode())
            finally:
                os.close(fd)
            os.replace(temporary, self.path)
        except OSError:  # a full disk or a removed folder must not stop the run
            pass

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.beat()

    def stop(self) -> None:
        self._stop.set()


def start_for(events_path: Path | None) -> Heartbeat | None:
    """A heartbeat for the job folder holding ``events_path``, unless a supervisor beats for it."""
    if events_path is None or os.environ.get('SYNAPSE_TUI_SUPERVISED', '').strip() == '1':
        return None
    return Heartbeat(events_path.parent)
