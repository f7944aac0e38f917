#!/usr/bin/python3
"""Execute the retention-cohorts reference notebook for real and write a run folder.

    /usr/bin/python3 run_reference.py --supabase supabase.json --out RUN_DIR [--timeout S]

The notebook runs in a throw-away working directory next to a copy of supabase.json, on a Jupyter
kernel pinned to this interpreter (Debian's python3 with pandas, SciPy and matplotlib). RUN_DIR
receives the executed analysis.ipynb, summary.json, cohort-table.csv, both charts and metadata.json,
never supabase.json, and the API key is redacted from every file written. The kernel, redaction and
config checks are the A/B runner's (../../ab-test-analysis/reference/run_reference.py), loaded here.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import platform
import shutil
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The A/B runner's generic helpers (kernel pinned to this interpreter, redaction, config checks), loaded
# by path under another name: this file is also called run_reference.py.
_spec = importlib.util.spec_from_file_location(
    'ab_test_run_reference', HERE.parents[1] / 'ab-test-analysis' / 'reference' / 'run_reference.py'
)
shared = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(shared)

NOTEBOOK = HERE / 'retention-cohorts.ipynb'
BENCHMARK = {'id': 'retention-cohorts', 'title': 'Player Retention Analysis'}
MODEL = {'id': 'reference-solution', 'slug': 'reference'}
OUTPUTS = ['summary.json', 'cohort-table.csv', 'chart-retention-curve.png', 'chart-cohort-heatmap.png']


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--supabase', required=True, type=Path, help='supabase.json with url and headers')
    parser.add_argument('--out', required=True, type=Path, help='run folder to write (must be empty or absent)')
    parser.add_argument('--timeout', type=int, default=600, help='seconds allowed per cell (default 600)')
    args = parser.parse_args(argv)

    versions = shared.check_modules()
    config, secrets = shared.load_supabase_config(args.supabase)
    run_dir = args.out
    if run_dir.exists() and any(run_dir.iterdir()):
        raise shared.RunError(f'run folder {run_dir} already exists and is not empty')
    created = datetime.now(timezone.utc)

    with tempfile.TemporaryDirectory(prefix='localds-retention-reference-') as tmp:
        workdir, kernel_root = Path(tmp) / 'work', Path(tmp) / 'kernels'
        workdir.mkdir()
        shutil.copyfile(NOTEBOOK, workdir / 'analysis.ipynb')
        (workdir / 'supabase.json').write_text(json.dumps(config))
        notebook, error, seconds = shared.execute_notebook(workdir, kernel_root, args.timeout)

        import nbformat

        run_dir.mkdir(parents=True, exist_ok=True)
        shared.write_text(run_dir / 'analysis.ipynb', nbformat.writes(notebook), secrets)
        produced = [name for name in OUTPUTS if (workdir / name).is_file()]
        for name in produced:
            if name.endswith('.png'):
                shutil.copyfile(workdir / name, run_dir / name)
            else:
                shared.write_text(run_dir / name, (workdir / name).read_text('utf8'), secrets)

    finished = datetime.now(timezone.utc)
    metadata = {
        'schemaVersion': 1,
        'kind': 'data-science',
        'runId': run_dir.name,
        'benchmark': BENCHMARK,
        'model': MODEL,
        'status': 'failed' if error else 'completed',
        'createdAt': shared.iso(created),
        'completedAt': shared.iso(finished),
        'runner': {
            'mode': 'reference',
            'python': {'executable': sys.executable, 'version': platform.python_version()},
            'packages': versions,
        },
        'timings': {'notebookSeconds': round(seconds, 3)},
        'outputs': produced,
    }
    if error:
        metadata['error'] = f'{error.ename}: {error.evalue}'
    shared.write_text(run_dir / 'metadata.json', json.dumps(metadata, indent=2) + '\n', secrets)
    try:
        shared.assert_no_secret(run_dir, secrets)
    except shared.RunError:
        shutil.rmtree(run_dir)
        raise
    if error:
        raise shared.RunError(
            f"the notebook failed after {seconds:.1f} s with {shared.redact(metadata['error'], secrets)} "
            f"(the traceback is in {run_dir / 'analysis.ipynb'})"
        )
    print(json.dumps({'runDirectory': str(run_dir), 'notebookSeconds': round(seconds, 3), 'outputs': produced}))
    return 0


if __name__ == '__main__':
    try:
        sys.exit(main(sys.argv[1:]))
    except shared.RunError as failure:
        print(f'run_reference: {failure}', file=sys.stderr)
        sys.exit(1)
