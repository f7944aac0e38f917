#!/usr/bin/env python3
"""SciPy parity fixtures for statistics of scores (packages/scorer/src/score-stats).

README
  Regenerate from the repository root, after `npm run build -w @localds/scorer`:
      npm run fixtures:score-stats -w @localds/scorer
  Needs Debian's python3 with numpy, scipy and statsmodels. Writes
  packages/scorer/fixtures/score-stats/score-stats.json with, for each procedure, its inputs and
  the values numpy/SciPy/statsmodels compute from them:
    bootstrap   the TypeScript side's resample indices (scripts/bootstrap-indices.mjs calls the built
                bootstrapIndices) are stored with the input; the resample means and their percentiles
                (np.percentile, the default linear method) are computed here from those indices.
    pass_k      C(c, k) / C(n, k) with exact integers (math.comb), then rounded once to a float.
    wilcoxon    scipy.stats.wilcoxon(x, y) with every default (zero_method='wilcox',
                correction=False, method='auto'); for the normal approximation also its z (the same
                call with method='approx'). SciPy's nan is null; a call SciPy refuses is null too.
    mcnemar     statsmodels' mcnemar(table, exact=True), checked against scipy.stats.binomtest.
  Every value records the interpreter, Python, numpy, SciPy and statsmodels versions.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import warnings
from fractions import Fraction
from pathlib import Path

import numpy as np
import scipy
import scipy.stats as st
import statsmodels
from statsmodels.stats.contingency_tables import mcnemar

REPO = Path(__file__).resolve().parents[3]
OUT = REPO / 'packages' / 'scorer' / 'fixtures' / 'score-stats' / 'score-stats.json'
INDICES = REPO / 'packages' / 'scorer' / 'scripts' / 'bootstrap-indices.mjs'

GENERATOR = {
    'script': 'packages/scorer/scripts/generate_score_stats_fixtures.py',
    'python': sys.executable,
    'python_version': sys.version.split()[0],
    'numpy': np.__version__,
    'scipy': scipy.__version__,
    'statsmodels': statsmodels.__version__,
}

rng = np.random.default_rng(20261206)

# Scores a 100-point scorecard can give, with the ties real runs have.
POINTS = [0, 10, 25, 40, 55, 63, 70, 78, 85, 92, 100]


def finite(x) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None


def scores(n: int) -> list[float]:
    return [float(v) for v in rng.choice(POINTS, size=n)]


def continuous(n: int, low=0.0, high=100.0) -> list[float]:
    return [float(v) for v in np.round(rng.uniform(low, high, size=n), 6)]


# ---------------------------------------------------------------------------------------------
# Bootstrap percentile interval of a mean, from the TypeScript side's indices
# ---------------------------------------------------------------------------------------------

BOOTSTRAP_CASES = [
    ('three-scores', [55.0, 85.0, 100.0], 1000, 1),
    ('ties', scores(8), 1000, 1),
    ('twenty', scores(20), 500, 7),
    ('continuous', continuous(12), 1000, 42),
    ('all-equal', [70.0] * 5, 200, 1),
    ('paired-differences', [float(v) for v in np.array(scores(15)) - np.array(scores(15))], 1000, 3),
    ('large-offset', [1e6 + v for v in continuous(6, 0, 1)], 1000, 11),
    ('resamples-1001', scores(10), 1001, 5),
]


def bootstrap_cases() -> list[dict]:
    requests = [{'n': len(v), 'resamples': b, 'seed': s} for _, v, b, s in BOOTSTRAP_CASES]
    out = subprocess.run(
        ['node', str(INDICES)], input=json.dumps(requests), capture_output=True, text=True, check=True
    )
    all_indices = json.loads(out.stdout)
    cases = []
    for (name, values, resamples, seed), indices in zip(BOOTSTRAP_CASES, all_indices):
        idx = np.array(indices, dtype=np.int64).reshape(resamples, len(values))
        means = np.asarray(values, dtype=np.float64)[idx].mean(axis=1)
        low, high = np.percentile(means, [2.5, 97.5])
        cases.append({
            'name': name,
            'values': values,
            'resamples': resamples,
            'seed': seed,
            'indices': indices,
            'expected': {'mean': float(np.mean(values)), 'low': float(low), 'high': float(high)},
        })
    return cases


# ---------------------------------------------------------------------------------------------
# pass^k
# ---------------------------------------------------------------------------------------------


def pass_k_cases() -> list[dict]:
    cases = []
    for perfect, n in [(0, 1), (1, 1), (0, 3), (1, 3), (2, 3), (3, 3), (5, 10), (9, 10), (17, 40), (40, 40)]:
        values = [float(Fraction(math.comb(perfect, k), math.comb(n, k))) for k in range(1, n + 1)]
        cases.append({'perfect': perfect, 'n': n, 'expected': values})
    return cases


# ---------------------------------------------------------------------------------------------
# Wilcoxon signed-rank, SciPy 1.10.1 defaults
# ---------------------------------------------------------------------------------------------


def wilcoxon_expected(x: list[float], y: list[float]) -> dict:
    d = np.asarray(x) - np.asarray(y)
    method = 'exact' if len(d) <= 50 and not np.any(d == 0) else 'approx'
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        try:
            res = st.wilcoxon(x, y)
        except ValueError as error:
            return {'statistic': None, 'p': None, 'method': None, 'z': None, 'raised': str(error)}
        if len(d) == 0:
            return {'statistic': None, 'p': None, 'method': None, 'z': None}
        z = None
        if method == 'approx':
            approx = st.wilcoxon(x, y, method='approx')
            assert float(approx.pvalue) == float(res.pvalue), 'auto chose the approximation'
            z = finite(approx.zstatistic)
    return {'statistic': finite(res.statistic), 'p': finite(res.pvalue), 'method': method, 'z': z}


def wilcoxon_cases() -> list[dict]:
    raw = [
        ('empty', [], []),
        ('all-zero', [70.0, 85.0, 40.0], [70.0, 85.0, 40.0]),
        ('one-pair', [85.0], [70.0]),
        ('small-distinct', [85.0, 70.0, 92.0, 100.0, 55.0], [70.0, 71.0, 63.0, 40.0, 56.5]),
        ('center', [1.0, 2.0, 3.0, 4.0], [0.0, 0.0, 4.0, 8.0]),
        ('exact-with-ties', scores(12), scores(12)),
        ('with-zeros', [70.0, 85.0, 100.0, 40.0, 92.0, 55.0, 63.0], [70.0, 78.0, 100.0, 25.0, 85.0, 70.0, 10.0]),
        ('all-positive-50', [float(v) for v in np.arange(1, 51) + 0.5], [0.0] * 50),
        ('n-51-distinct', continuous(51), continuous(51)),
        ('n-60-ties', scores(60), scores(60)),
        ('n-200-ties', scores(200), scores(200)),
        ('continuous-30', continuous(30), continuous(30)),
    ]
    cases = []
    for name, x, y in raw:
        if name == 'exact-with-ties':
            # make sure the draw has no zero difference but does have tied |d|
            y = [v + (1.0 if a == v else 0.0) for a, v in zip(x, y)]
        cases.append({'name': name, 'x': x, 'y': y, 'expected': wilcoxon_expected(x, y)})
    return cases


# ---------------------------------------------------------------------------------------------
# Exact McNemar
# ---------------------------------------------------------------------------------------------


def mcnemar_expected(a: list[bool], b: list[bool]) -> dict:
    only_a = sum(1 for x, y in zip(a, b) if x and not y)
    only_b = sum(1 for x, y in zip(a, b) if y and not x)
    both = sum(1 for x, y in zip(a, b) if x and y)
    neither = len(a) - only_a - only_b - both
    p = float(mcnemar([[both, only_a], [only_b, neither]], exact=True).pvalue)
    if only_a + only_b > 0:
        check = st.binomtest(only_a, only_a + only_b, 0.5).pvalue
        assert abs(check - p) <= 1e-12 * max(p, 1e-300), (check, p)
    return {'onlyA': only_a, 'onlyB': only_b, 'both': both, 'neither': neither, 'p': p}


def mcnemar_cases() -> list[dict]:
    raw = [
        ('empty', [], []),
        ('no-discordant', [True, False, True], [True, False, True]),
        ('one-way', [True] * 6, [False] * 6),
        ('balanced', [True, False, True, False], [False, True, False, True]),
        ('mixed-40', [bool(v) for v in rng.random(40) < 0.7], [bool(v) for v in rng.random(40) < 0.4]),
        ('lopsided-300', [True] * 250 + [False] * 50, [False] * 200 + [True] * 100),
        ('mixed-500', [bool(v) for v in rng.random(500) < 0.55], [bool(v) for v in rng.random(500) < 0.45]),
    ]
    return [{'name': n, 'a': a, 'b': b, 'expected': mcnemar_expected(a, b)} for n, a, b in raw]


def main() -> None:
    fixture = {
        'generator': GENERATOR,
        'bootstrap': bootstrap_cases(),
        'pass_k': pass_k_cases(),
        'wilcoxon': wilcoxon_cases(),
        'mcnemar': mcnemar_cases(),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(fixture, indent=None, separators=(',', ':')) + '\n')
    print(f'wrote {OUT.relative_to(REPO)}')


if __name__ == '__main__':
    main()
