"""Run a synapse-sdk plugin folder with the bridge logger.

``python -m synapse_tui_bridge run --plugin DIR ACTION [--params JSON] [--job-id ID]``

The action is found the SDK's way (``PluginDiscovery.from_path(DIR)``: config.yaml, entrypoint
``pkg.mod:Class``), executed through the SDK's own ``LocalExecutor`` machinery (``BaseAction.dispatch``,
result validation, ``Result: {json}`` line) and, for pipelines, the SDK's ``ActionPipeline``; only the
logger differs (a :class:`BridgeLogger`, optionally teeing to the SDK's ConsoleLogger).

ACTION may also name a pipeline: ``--pipeline a,b,c`` or a ``pipelines: {name: [a, b, c]}`` map in
config.yaml (the SDK ignores that key). Exit status: 0 completed, 1 failed, 2 could not start
(bad arguments, plugin not loadable; also recorded as failed), 130 cancelled (SIGINT/SIGTERM).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import traceback
from pathlib import Path
from typing import Any

EXIT_COMPLETED = 0
EXIT_FAILED = 1
EXIT_START_FAILED = 2
EXIT_CANCELLED = 130


class RunCancelled(KeyboardInterrupt):
    """Raised in the main thread on SIGTERM so the run is recorded as cancelled."""


def serialize_result(result: Any) -> Any:
    """The SDK's result normalisation (dict as is, pydantic dumped, anything else as {'result': x})."""
    from pydantic import BaseModel

    if isinstance(result, BaseModel):
        return result.model_dump(mode='json')
    if isinstance(result, dict):
        return result
    return {'result': result}


def _load_yaml(path: Path) -> dict[str, Any]:
    import yaml

    cfg = path / 'config.yaml' if path.is_dir() else path
    with cfg.open() as f:
        data = yaml.safe_load(f) or {}
    return data if isinstance(data, dict) else {}


def _make_executor_cls():
    from synapse_sdk.plugins.action import NoResult, validate_result
    from synapse_sdk.plugins.context import RuntimeContext
    from synapse_sdk.plugins.executors.local import LocalExecutor

    class BridgeExecutor(LocalExecutor):
        """The SDK's LocalExecutor with the logger supplied by the caller (it hard-codes ConsoleLogger)."""

        def __init__(self, logger, checkpoint: dict[str, Any] | None = None, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.logger = logger
            self.checkpoint = checkpoint

        def context(self) -> RuntimeContext:
            return RuntimeContext(
                logger=self.logger,
                env=self._env,
                job_id=self._job_id,
                client=self._client,
                v2_client=self._v2_client,
                language=self._language,
                checkpoint=self.checkpoint,
            )

        def execute(self, action_cls, params: dict[str, Any], **kwargs: Any) -> Any:  # noqa: ARG002
            try:
                from synapse_sdk.observability import init_sentry

                init_sentry()
            except Exception:  # noqa: BLE001
                pass
            ctx = self.context()
            if hasattr(action_cls, 'dispatch'):
                result = action_cls.dispatch(params, ctx)
            else:  # deprecated @action function
                model = getattr(action_cls, '_action_params', None)
                result = action_cls(model.model_validate(params) if model else params, ctx)
            result_model = getattr(action_cls, 'result_model', NoResult)
            if result_model is not NoResult:
                result = validate_result(result, result_model, self.logger)
            return result

        def execute_pipeline(self, action_classes: list, params: dict[str, Any], on_progress) -> Any:
            from synapse_sdk.plugins.pipelines import ActionPipeline

            pipeline = ActionPipeline(action_classes, validate_schemas=True, strict=False)
            return pipeline.execute(params, self.context(), progress_callback=on_progress)

    return BridgeExecutor


def _install_sigterm() -> None:
    def handler(signum, frame):  # noqa: ARG001
        raise RunCancelled(f'terminated by signal {signal.Signals(signum).name}')

    try:
        signal.signal(signal.SIGTERM, handler)
        # A parent may have left SIGINT ignored (inherited across exec: nohup, background jobs, some
        # process launchers); Python then never raises KeyboardInterrupt. A cancel must always work.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        # ... and a blocked signal mask is inherited too.
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    except (ValueError, OSError, AttributeError):  # not the main thread / no pthread_sigmask
        pass


def run(
    plugin: str | Path,
    action: str,
    params: dict[str, Any] | None = None,
    *,
    job_id: str | None = None,
    pipeline: list[str] | None = None,
    home: str | Path | None = None,
    stdout_events: bool | None = None,
    console: bool = False,
    print_result: bool = True,
    checkpoint: dict[str, Any] | None = None,
    env: dict[str, Any] | None = None,
    capture_logging: bool = False,
) -> int:
    """Run ``action`` (or a pipeline) of the plugin folder ``plugin``; return the exit status.

    ``checkpoint`` becomes ``ctx.checkpoint``; ``env`` is laid over the plugin's ``config.yaml`` env in
    ``ctx.env``; ``capture_logging`` routes stdlib ``logging`` into messages (DEBUG too when
    ``SYNAPSE_DEBUG`` is on).
    """
    from synapse_tui_bridge.eventlog import env_flag, resolve_job_id
    from synapse_tui_bridge.logger import BridgeLogger, error_info

    params = dict(params or {})
    job_id = resolve_job_id(job_id)
    os.environ['SYNAPSE_JOB_ID'] = job_id  # what the SDK's own entrypoint passes to plugins

    echo = None
    if console:
        from synapse_sdk.loggers import ConsoleLogger

        echo = ConsoleLogger()
    logger = BridgeLogger(job_id, home=home, stdout=stdout_events, echo=echo)
    undo_logging = None
    if capture_logging:
        from synapse_tui_bridge import logcapture

        undo_logging = logcapture.install(logger.emit, debug=env_flag('SYNAPSE_DEBUG'))
    _install_sigterm()
    logger.run_status('pending', action, params=params)

    state: dict[str, Any] = {'names': [], 'index': -1}
    status = 'failed'
    code = EXIT_FAILED
    try:
        try:
            from synapse_sdk.plugins.discovery import PluginDiscovery

            path = Path(plugin).expanduser().resolve()
            if not path.exists():
                raise FileNotFoundError(f'plugin folder not found: {path}')
            folder = path if path.is_dir() else path.parent
            if str(folder) not in sys.path:
                sys.path.insert(0, str(folder))
            discovery = PluginDiscovery.from_path(path)
            config = discovery.config
            names = list(pipeline or [])
            if not names and not discovery.has_action(action):
                pipelines = _load_yaml(path).get('pipelines') or {}
                if isinstance(pipelines, dict) and action in pipelines:
                    names = [str(n) for n in pipelines[action]]
            classes = [discovery.get_action_class(n) for n in (names or [action])]
            executor = _make_executor_cls()(
                logger, checkpoint=checkpoint, env={**config.env, **(env or {})}, job_id=job_id
            )
        except (Exception, SystemExit) as exc:
            logger.finish()
            logger.run_status('failed', action, error=error_info(exc))
            traceback.print_exc()
            return EXIT_START_FAILED

        logger.run_status('running', action, **({'actions': names} if names else {}))
        if names:
            state['names'] = names
            total = len(names)
            for i, name in enumerate(names):
                logger.action_status(name, i, total, 'pending')

            def on_progress(current: int, total_: int, name: str) -> None:
                if state['index'] >= 0:
                    logger.action_status(names[state['index']], state['index'], total_, 'completed')
                if current < total_:
                    state['index'] = current
                    logger.action_status(names[current], current, total_, 'running')
                else:
                    state['index'] = -1

            result = executor.execute_pipeline(classes, params, on_progress)
        else:
            result = executor.execute(classes[0], params)
        logger.finish()
        serialized = serialize_result(result)
        logger.run_status('completed', action, result=serialized)
        if print_result:
            print(f'Result: {json.dumps(serialized, default=str)}', flush=True)
        status, code = 'completed', EXIT_COMPLETED
    except KeyboardInterrupt as exc:
        status, code = 'cancelled', EXIT_CANCELLED
        _close_actions(logger, state, 'failed', error_info(exc))
        logger.finish()
        logger.run_status('cancelled', action, error=error_info(exc))
        print(f'Cancelled: {error_info(exc)["message"]}', file=sys.stderr, flush=True)
    except BaseException as exc:  # noqa: BLE001 (SystemExit from a plugin is a failure too)
        info = error_info(exc)
        _close_actions(logger, state, 'failed', info)
        logger.finish()
        logger.run_status('failed', action, error=info)
        traceback.print_exc()
        status, code = 'failed', EXIT_FAILED
    finally:
        if undo_logging is not None:
            undo_logging()
        logger.close()
    del status
    return code


def _close_actions(logger, state: dict[str, Any], status: str, info: dict[str, str]) -> None:
    names = state['names']
    index = state['index']
    if not names or index < 0:
        return
    logger.action_status(names[index], index, len(names), status, error=info)
    for j in range(index + 1, len(names)):
        logger.action_status(names[j], j, len(names), 'skipped')


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog='python -m synapse_tui_bridge', description='synapse-sdk plugins with the synapse-tui event log'
    )
    sub = parser.add_subparsers(dest='command', required=True)
    r = sub.add_parser('run', help='run an action (or pipeline) of a plugin folder')
    r.add_argument('--plugin', required=True, help='plugin folder (holding config.yaml) or the config.yaml')
    r.add_argument('action', help='action name, or a pipeline name from config.yaml `pipelines:`')
    r.add_argument('--params', default=None, help='JSON object of action parameters')
    r.add_argument('--params-file', default=None, help='file holding the JSON parameters')
    r.add_argument('--job-id', default=None, help='job id (default $SYNAPSE_JOB_ID or a new UUID)')
    r.add_argument('--pipeline', default=None, help='comma-separated action names run as an ActionPipeline')
    r.add_argument('--home', default=None, help='SYNAPSE_HOME (default env or ~/.synapse)')
    r.add_argument(
        '--stdout-events',
        action='store_true',
        default=None,
        help='also print each record as a marked `__SYNAPSE_EVENT__ {json}` line (env SYNAPSE_TUI_STDOUT=1; '
        'not when $SYNAPSE_EVENT_FD gives a record descriptor)',
    )
    r.add_argument('--console', action='store_true', help="also print the SDK's ConsoleLogger output")
    r.add_argument('--no-result', action='store_true', help='do not print the `Result: {json}` line')
    r.add_argument('--checkpoint', default=None, help='ctx.checkpoint: category:path or a JSON object')
    r.add_argument('--env-file', default=None, help='ctx.env additions: key = value lines or a JSON object')
    r.add_argument(
        '--capture-logging',
        action='store_true',
        help='stdlib logging as messages with their levels (DEBUG with SYNAPSE_DEBUG=1)',
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    from synapse_tui_bridge.eventlog import event_channel

    event_channel()  # before any plugin code runs: it must not see (or inherit) the record channel
    args = build_parser().parse_args(argv)
    if args.command == 'run':
        try:
            if args.params_file:
                params = json.loads(Path(args.params_file).read_text())
            else:
                params = json.loads(args.params) if args.params else {}
            if not isinstance(params, dict):
                raise ValueError('params must be a JSON object')
        except (OSError, ValueError) as exc:
            print(f'error: invalid --params: {exc}', file=sys.stderr)
            return EXIT_START_FAILED
        from synapse_tui_bridge.options import parse_checkpoint, read_env_file

        try:
            checkpoint = parse_checkpoint(args.checkpoint) if args.checkpoint else None
        except ValueError as exc:
            print(f'error: invalid --checkpoint: {exc}', file=sys.stderr)
            return EXIT_START_FAILED
        try:
            env = read_env_file(args.env_file) if args.env_file else None
        except (OSError, ValueError) as exc:
            print(f'error: invalid --env-file: {exc}', file=sys.stderr)
            return EXIT_START_FAILED
        pipeline = [p.strip() for p in args.pipeline.split(',') if p.strip()] if args.pipeline else None
        return run(
            args.plugin,
            args.action,
            params,
            job_id=args.job_id,
            pipeline=pipeline,
            home=args.home,
            stdout_events=args.stdout_events,
            console=args.console,
            print_result=not args.no_result,
            checkpoint=checkpoint,
            env=env,
            capture_logging=args.capture_logging,
        )
    return EXIT_START_FAILED
