#!/usr/bin/env python3
"""Baseline for `npm run bench`: the oracle's headline statistics, vectorised with numpy/scipy.

Reads the same rows file the TypeScript oracle reads (a JSON array of posthog_events rows) and
prints one JSON line: the seconds spent parsing and computing, and the figures, so the bench can
check both sides computed the same thing before comparing their times.
"""

import json
import sys
import time

import numpy as np
import scipy.stats as st


def main(path: str) -> None:
    t0 = time.perf_counter()
    with open(path, 'rb') as f:
        rows = json.load(f)
    t1 = time.perf_counter()

    event = np.array([r['event'] for r in rows])
    variant = np.array([r['variant'] or '' for r in rows])
    session = np.array([r['session_id'] or '' for r in rows])
    seconds = np.array(
        [np.nan if r['completion_time_seconds'] is None else r['completion_time_seconds'] for r in rows],
        dtype=float,
    )
    usable = (session != '') & np.isin(variant, ['A', 'B'])

    def count(ev: str, v: str) -> int:
        return int(np.count_nonzero(usable & (event == ev) & (variant == v)))

    times = {
        v: seconds[usable & (event == 'puzzle_completed') & (variant == v) & ~np.isnan(seconds)]
        for v in 'AB'
    }
    welch = st.ttest_ind(times['B'], times['A'], equal_var=False)
    n_a, n_b = len(times['A']), len(times['B'])
    s_a, s_b = times['A'].std(ddof=1), times['B'].std(ddof=1)
    pooled = np.sqrt(((n_a - 1) * s_a**2 + (n_b - 1) * s_b**2) / (n_a + n_b - 2))
    d = (times['B'].mean() - times['A'].mean()) / pooled

    started = {v: count('puzzle_started', v) for v in 'AB'}
    completed = {v: count('puzzle_completed', v) for v in 'AB'}
    repeated = {v: count('puzzle_repeated', v) for v in 'AB'}
    table = [[completed[v], started[v] - completed[v]] for v in 'AB']
    chi2_completion = st.chi2_contingency(table, correction=False)

    p_pool = (repeated['A'] + repeated['B']) / (completed['A'] + completed['B'])
    se = np.sqrt(p_pool * (1 - p_pool) * (1 / completed['A'] + 1 / completed['B']))
    z = (repeated['B'] / completed['B'] - repeated['A'] / completed['A']) / se

    sessions = {v: len(np.unique(session[usable & (variant == v)])) for v in 'AB'}
    srm = st.chisquare([sessions['A'], sessions['B']])
    t2 = time.perf_counter()

    print(
        json.dumps(
            {
                'parse_s': t1 - t0,
                'compute_s': t2 - t1,
                'p_value': float(welch.pvalue),
                'cohens_d': float(d),
                'completion_rate_a': completed['A'] / started['A'],
                'completion_rate_b': completed['B'] / started['B'],
                'completion_p_value': float(chi2_completion.pvalue),
                'repeat_p_value': float(2 * st.norm.sf(abs(z))),
                'srm_p_value': float(srm.pvalue),
            }
        )
    )


if __name__ == '__main__':
    main(sys.argv[1])
