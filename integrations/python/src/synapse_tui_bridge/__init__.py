"""synapse-tui bridge for synapse-sdk plugins: write runs to the synapse-tui event log."""

from synapse_tui_bridge.eventlog import (
    EVENT_MARKER,
    FORMAT_VERSION,
    EventLogWriter,
    job_dir,
    read_records,
    resolve_job_id,
    synapse_home,
)
from synapse_tui_bridge.logger import BridgeLogger, error_info

__version__ = '0.1.0'

__all__ = [
    'BridgeLogger',
    'EVENT_MARKER',
    'EventLogWriter',
    'FORMAT_VERSION',
    'error_info',
    'job_dir',
    'read_records',
    'resolve_job_id',
    'synapse_home',
]
