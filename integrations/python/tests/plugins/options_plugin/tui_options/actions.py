"""What `synapse-tui run --plugin` hands over reaches this action, and it logs through stdlib logging."""

from __future__ import annotations

import logging
import os

from pydantic import BaseModel

from synapse_sdk.plugins.action import BaseAction


class OptionsParams(BaseModel):
    pass


class OptionsAction(BaseAction[OptionsParams]):
    def execute(self) -> dict:
        log = logging.getLogger('tui_demo.options')
        log.debug('debug from logging')
        log.info('info from logging')
        log.warning('warning from logging')
        log.error('error from logging')
        log.critical('critical from logging')
        logging.getLogger().info('root info')
        try:
            raise KeyError('boom')
        except KeyError:
            log.exception('with a traceback')
        ctx = self.ctx
        return {
            'checkpoint': ctx.checkpoint,
            'env': {k: ctx.env.get(k) for k in ('DEMO_PLUGIN_ENV', 'FROM_FILE', 'db_password', 'section_key', 'NUM')},
            'synapse_debug': os.environ.get('SYNAPSE_DEBUG'),
            'job_id_env': os.environ.get('SYNAPSE_JOB_ID'),
            'ctx_job_id': ctx.job_id,
        }
