"""synapse-tui bridge for synapse-sdk plugins: write runs to the synapse-tui event log."""

from synapse_tui_bridge.eventlog import (
    EVENT_FD_ENV,
    EVENT_MARKER,
    EVENT_MARKER_PREFIX,
    EVENT_TOKEN_ENV,
    FORMAT_VERSION,
    EventLogWriter,
    event_channel,
    job_dir,
    marker_for,
    read_records,
    resolve_job_id,
    synapse_home,
)
from synapse_tui_bridge.logger import BridgeLogger, error_info

__version__ = '0.1.0'

__all__ = [
    'BridgeLogger',
    'EVENT_FD_ENV',
    'EVENT_MARKER',
    'EVENT_MARKER_PREFIX',
    'EVENT_TOKEN_ENV',
    'EventLogWriter',
    'FORMAT_VERSION',
    'error_info',
    'event_channel',
    'job_dir',
    'marker_for',
    'read_records',
    'resolve_job_id',
    'synapse_home',
]
