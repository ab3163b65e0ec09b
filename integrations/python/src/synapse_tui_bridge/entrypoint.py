"""The SDK's Ray-job entrypoint with the bridge logger: ``python -m synapse_tui_bridge.entrypoint``.

Use it in place of ``python -m synapse_sdk.plugins.entrypoint`` (same environment variables:
``SYNAPSE_ACTION_ENTRYPOINT``, ``SYNAPSE_ACTION_PARAMS``, ``SYNAPSE_JOB_ID``...). The SDK picks its logger
in ``entrypoint._create_logger``; this wraps whatever it picks (JobLogger or ConsoleLogger, so the backend
and console output are unchanged) in a :class:`BridgeLogger` that also writes the event log and, unless
``SYNAPSE_TUI_STDOUT=0``, prints ``__SYNAPSE_EVENT__:TOKEN`` lines (``$SYNAPSE_EVENT_TOKEN``, the secret the
submitter put in the job's runtime env) so the run can be followed from the Ray job's
log stream alone. ``run_status`` records (running, completed with the result, failed with the error)
are written around the SDK's ``main()``.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from synapse_tui_bridge.logger import BridgeLogger, error_info
from synapse_tui_bridge.runner import serialize_result


def main() -> Any:
    from synapse_tui_bridge.eventlog import event_channel

    event_channel()  # take the record channel (fd / marker secret) before the plugin is imported
    from synapse_sdk.plugins import entrypoint as sdk_entrypoint

    stdout_env = os.environ.get('SYNAPSE_TUI_STDOUT')
    stdout = True if stdout_env is None else stdout_env.strip().lower() in {'1', 'true', 'yes', 'on'}
    original = sdk_entrypoint._create_logger
    holder: dict[str, BridgeLogger] = {}
    action = os.environ.get('SYNAPSE_ACTION_ENTRYPOINT', '?')

    def create_logger(client, job_id):  # noqa: ANN001
        inner = original(client, job_id)
        logger = BridgeLogger(job_id, stdout=stdout, echo=inner)
        holder['logger'] = logger
        logger.run_status('running', action)
        return logger

    sdk_entrypoint._create_logger = create_logger
    try:
        result = sdk_entrypoint.main()
    except BaseException as exc:
        logger = holder.get('logger')
        if logger is not None:
            status = 'cancelled' if isinstance(exc, KeyboardInterrupt) else 'failed'
            logger.run_status(status, action, error=error_info(exc))
        raise
    logger = holder.get('logger')
    if logger is not None:
        logger.run_status('completed', action, result=serialize_result(result))
    return result


if __name__ == '__main__':
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
