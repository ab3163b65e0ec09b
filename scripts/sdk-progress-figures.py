"""Prints synapse-sdk's own overall-progress figures (JobLogger._get_current_progress) for the scenarios
the dashboard's progress model is tested against (Tests/SynapseDashboardTests/OverallProgressTests.swift).

    .venv/bin/python scripts/sdk-progress-figures.py     # needs synapse-sdk==2026.2.17

Each scenario: declared proportions (or none) and a list of calls [step, current, total] or [step, "failed"];
printed as Swift literals: the calls and, after each call, the SDK's `overall` (0-100).
"""
import json

from synapse_sdk.loggers import JobLogger


class _NoClient:
    def __getattr__(self, name):
        return lambda *a, **k: None


def ramp(step, total, start=0):
    return [[step, i, total] for i in range(start, total + 1)]


SCENARIOS = {
    # synapse-sdk's export action: {'fetch': 10, 'convert_data': 35, 'save_files': 55}
    'declaredExport': ({'fetch': 10, 'convert_data': 35, 'save_files': 55},
                       ramp('fetch', 1) + ramp('convert_data', 8) + ramp('save_files', 6)),
    # the train action's steps (export_dataset 20, train 75, model_upload 5), one after another
    'declaredTrain': ({'export_dataset': 20, 'train': 75, 'model_upload': 5},
                      ramp('export_dataset', 4) + ramp('train', 10) + ramp('model_upload', 2)),
    # a step nobody declared takes half the unused non-core pool
    'dynamicSteps': ({'initialize': 5, 'analyze': 10, 'upload': 70, 'cleanup': 15},
                     ramp('initialize', 2) + ramp('generate', 4) + ramp('upload', 5) + ramp('cleanup', 1)),
    # a step restarting: b's second pass
    'restartingStep': ({'a': 50, 'b': 50}, ramp('a', 4) + ramp('b', 4)[:3] + ramp('b', 4)),
    # a step marked failed (set_progress_failed)
    'failedStep': ({'a': 40, 'b': 60}, ramp('a', 2) + ramp('b', 4)[:3] + [['b', 'failed']]),
    # steps reporting in another order than declared
    'outOfOrder': ({'a': 20, 'b': 30, 'c': 50}, ramp('c', 2) + ramp('a', 2) + ramp('b', 3)),
}

for name, (proportions, calls) in SCENARIOS.items():
    logger = JobLogger(_NoClient(), 'job', background_flush=False, progress_flush_interval=0)
    logger.set_step_proportions(proportions)
    figures = []
    for call in calls:
        if call[1] == 'failed':
            logger.set_progress_failed(call[0])
        else:
            logger.set_progress(call[1], call[2], step=call[0])
        figures.append(logger._get_current_progress()['overall'])
    logger.finish()
    print(f'    static let {name} = SDKScenario(')
    print(f'        proportions: {json.dumps(proportions).replace("{", "[").replace("}", "]")},')
    rendered = ', '.join(f'.failed("{c[0]}")' if c[1] == 'failed' else f'.set("{c[0]}", {c[1]}, {c[2]})' for c in calls)
    print(f'        calls: [{rendered}],')
    print(f'        figures: {json.dumps(figures)})')
