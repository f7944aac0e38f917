#!/usr/bin/env python3
"""SciPy parity fixtures for the oracle (packages/benchmarks/src/ab-test-analysis/oracle).

README
  Regenerate from the repository root, after `npm run build`:
      npm run fixtures:oracle -w @localds/benchmarks
  Needs python3 with numpy and scipy (no pandas). Writes packages/benchmarks/src/ab-test-analysis/fixtures/oracle/ (and packages/scorer/fixtures/oracle/distributions.json):
    scenarios/<name>.json  one per named scenario at its default seed. The rows come from
                           `node packages/cli/bin/localds.js dataset --scenario S --seed N --format json`;
                           only their sha256 is stored, and the tests regenerate the rows with
                           generateDataset and check the hash first ("regenerate fixtures" if it moved).
    random/<nn>-<name>.json  small datasets built here with a seeded numpy RNG, stored with their rows,
                           including the edge cases where a statistic is undefined.
    distributions.json     t, χ² and normal tail probabilities and quantiles on a grid reaching far
                           into the tails, for the distribution helpers (src/stats/distributions.ts).
  Every file records the interpreter, Python, numpy and SciPy versions that computed it.

The statistics below are an independent implementation of the benchmark's definitions (the
ab-test definitions in @localds/benchmarks) on top of scipy.stats: ttest_ind(equal_var=False),
t.ppf at the Welch df for the CI, chi2_contingency(correction=False), chisquare, norm.sf. A value
SciPy returns as nan/inf, or a call SciPy refuses (raises), is written as null; the TypeScript
oracle must then be null too and give a reason.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np
import scipy
import scipy.stats as st

REPO = Path(__file__).resolve().parents[5]
OUT = REPO / 'packages' / 'benchmarks' / 'src' / 'ab-test-analysis' / 'fixtures' / 'oracle'
# The distribution fixtures check the scorer's own helpers, so they live beside its tests.
DISTRIBUTIONS = REPO / 'packages' / 'scorer' / 'fixtures' / 'oracle' / 'distributions.json'
CLI = REPO / 'packages' / 'cli' / 'bin' / 'localds.js'

# The benchmark's definitions (packages/benchmarks/src/ab-test/definitions.ts).
CONTROL, TREATMENT = 'A', 'B'
STARTED, COMPLETED, FAILED, REPEATED = (
    'puzzle_started',
    'puzzle_completed',
    'puzzle_failed',
    'puzzle_repeated',
)
ALPHA, SRM_ALPHA, CI_LEVEL = 0.05, 0.01, 0.95

GENERATOR = {
    'script': 'packages/benchmarks/src/ab-test-analysis/scripts/generate_oracle_fixtures.py',
    'python': sys.executable,
    'python_version': sys.version.split()[0],
    'numpy': np.__version__,
    'scipy': scipy.__version__,
}


def finite(x) -> float | None:
    """A SciPy/numpy result as a JSON number, or None where it is nan/inf."""
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


# ---------------------------------------------------------------------------------------------
# Statistics from rows
# ---------------------------------------------------------------------------------------------


def tally(rows: list[dict]) -> dict:
    excluded = {'null_variant': 0, 'null_session': 0, 'unknown_variant': 0}
    unknown: set[str] = set()
    per = {v: {'events': 0, 'started': 0, 'completed': 0, 'failed': 0, 'repeated': 0, 'times': []}
           for v in (CONTROL, TREATMENT)}
    sessions = {v: set() for v in per}
    completed_sessions = {v: set() for v in per}
    players = {v: set() for v in per}
    for row in rows:
        variant, session = row['variant'], row['session_id']
        if variant is None:
            excluded['null_variant'] += 1
            continue
        if session is None:
            excluded['null_session'] += 1
            continue
        if variant not in per:
            excluded['unknown_variant'] += 1
            unknown.add(variant)
            continue
        p = per[variant]
        p['events'] += 1
        sessions[variant].add(session)
        if row['distinct_id'] is not None:
            players[variant].add(row['distinct_id'])
        event = row['event']
        if event == STARTED:
            p['started'] += 1
        elif event == COMPLETED:
            p['completed'] += 1
            completed_sessions[variant].add(session)
            if row['completion_time_seconds'] is not None:
                p['times'].append(row['completion_time_seconds'])
        elif event == FAILED:
            p['failed'] += 1
        elif event == REPEATED:
            p['repeated'] += 1
    for v in per:
        per[v]['sessions'] = len(sessions[v])
        per[v]['sessions_completed'] = len(completed_sessions[v])
        per[v]['players'] = len(players[v])
        per[v]['times'] = np.array(per[v]['times'], dtype=np.float64)
    return {
        'excluded': excluded,
        'unknown_variants': sorted(unknown),
        'sessions_in_both_variants': len(sessions[CONTROL] & sessions[TREATMENT]),
        'per': per,
    }


def ratio(num: int, den: int) -> float | None:
    return None if den == 0 else num / den


def variant_figures(p: dict) -> dict:
    times = p['times']
    n = len(times)
    return {
        'sessions': p['sessions'],
        'players': p['players'],
        'events': p['events'],
        'started': p['started'],
        'completed': p['completed'],
        'failed': p['failed'],
        'repeated': p['repeated'],
        'n_times': n,
        'mean_time': finite(np.mean(times)) if n > 0 else None,
        'std_time': finite(np.std(times, ddof=1)) if n > 1 else None,
        'completion_rate': ratio(p['completed'], p['started']),
        'repeat_rate': ratio(p['repeated'], p['completed']),
        'session_completion_rate': ratio(p['sessions_completed'], p['sessions']),
    }


def welch(a: np.ndarray, b: np.ndarray) -> dict:
    """scipy.stats.ttest_ind(b, a, equal_var=False) and the CI of mean_b − mean_a at the Welch df."""
    out = {'t_statistic': None, 'welch_df': None, 'p_value': None, 'mean_diff': None,
           'ci_low': None, 'ci_high': None}
    if len(a) > 0 and len(b) > 0:
        out['mean_diff'] = finite(np.mean(b) - np.mean(a))
    if len(a) < 2 or len(b) < 2:
        # SciPy returns nan here (a variance with ddof=1 needs two values); nothing to add.
        return out
    res = st.ttest_ind(b, a, equal_var=False)
    out['t_statistic'] = finite(res.statistic)
    out['p_value'] = finite(res.pvalue)
    va, vb = np.var(a, ddof=1) / len(a), np.var(b, ddof=1) / len(b)
    # The Welch–Satterthwaite df by its formula; SciPy substitutes 1 for its 0/0 (both variances
    # zero), a placeholder that is not a df, so the fixture keeps the formula's nan there.
    with np.errstate(all='ignore'):
        df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    out['welch_df'] = finite(df)
    if out['welch_df'] is not None:
        assert math.isclose(out['welch_df'], float(res.df), rel_tol=1e-12), (df, res.df)
    se = math.sqrt(va + vb)
    diff = float(np.mean(b) - np.mean(a))
    if se == 0:
        # Zero width: SciPy's confidence_interval gives [diff, diff] whatever the df.
        ci = res.confidence_interval(CI_LEVEL)
        out['ci_low'], out['ci_high'] = finite(ci.low), finite(ci.high)
    else:
        half = st.t.ppf(0.5 + CI_LEVEL / 2, df) * se
        out['ci_low'], out['ci_high'] = finite(diff - half), finite(diff + half)
        ci = res.confidence_interval(CI_LEVEL)
        assert math.isclose(out['ci_low'], float(ci.low), rel_tol=1e-9, abs_tol=1e-12)
        assert math.isclose(out['ci_high'], float(ci.high), rel_tol=1e-9, abs_tol=1e-12)
    return out


def cohens_d(a: np.ndarray, b: np.ndarray) -> dict:
    if len(a) < 2 or len(b) < 2:
        return {'pooled_sd': None, 'cohens_d': None}
    na, nb = len(a), len(b)
    pooled = math.sqrt(((na - 1) * np.var(a, ddof=1) + (nb - 1) * np.var(b, ddof=1)) / (na + nb - 2))
    d = None if pooled == 0 else (np.mean(b) - np.mean(a)) / pooled
    return {'pooled_sd': finite(pooled), 'cohens_d': finite(d)}


def completion_chi2(pa: dict, pb: dict) -> dict:
    table = np.array([[pa['completed'], pb['completed']],
                      [pa['started'] - pa['completed'], pb['started'] - pb['completed']]])
    try:
        res = st.chi2_contingency(table, correction=False)
    except ValueError:
        # SciPy refuses a negative cell or a zero expected frequency.
        return {'completion_chi2': None, 'completion_p_value': None}
    return {'completion_chi2': finite(res.statistic), 'completion_p_value': finite(res.pvalue)}


def repeat_z(pa: dict, pb: dict) -> dict:
    """Two-proportion z-test (pooled), two-sided: repeats out of completions, B vs A."""
    none = {'repeat_z': None, 'repeat_p_value': None}
    ca, cb, ra, rb = pa['completed'], pb['completed'], pa['repeated'], pb['repeated']
    if ca == 0 or cb == 0 or ra > ca or rb > cb:
        return none
    pooled = (ra + rb) / (ca + cb)
    se = math.sqrt(pooled * (1 - pooled) * (1 / ca + 1 / cb))
    if se == 0:
        return none
    z = (rb / cb - ra / ca) / se
    return {'repeat_z': finite(z), 'repeat_p_value': finite(2 * st.norm.sf(abs(z)))}


def srm(a: int, b: int) -> tuple[float | None, float | None]:
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        res = st.chisquare([a, b])
    return finite(res.statistic), finite(res.pvalue)


def decide(s: dict) -> tuple[str, str | None]:
    if s['srm_p_value'] is None or s['srm_p_value'] < SRM_ALPHA:
        return 'inconclusive', None
    if s['p_value'] is None or s['mean_a'] is None or s['mean_b'] is None:
        return 'inconclusive', None
    if s['p_value'] >= ALPHA:
        return 'not_significant', None
    faster, slower = ('A', 'B') if s['mean_a'] < s['mean_b'] else ('B', 'A')
    f, o = faster.lower(), slower.lower()

    def worse(metric: str, p: str) -> bool:
        mine, other, pv = s[f'{metric}_{f}'], s[f'{metric}_{o}'], s[p]
        return None not in (mine, other, pv) and pv < ALPHA and mine < other

    if worse('completion_rate', 'completion_p_value') or worse('repeat_rate', 'repeat_p_value'):
        return 'significant', slower
    return 'significant', faster


def analyse(rows: list[dict]) -> dict:
    t = tally(rows)
    pa, pb = t['per'][CONTROL], t['per'][TREATMENT]
    A, B = variant_figures(pa), variant_figures(pb)
    excluded = sum(t['excluded'].values())
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        s = {
            'mean_a': A['mean_time'], 'mean_b': B['mean_time'],
            'std_a': A['std_time'], 'std_b': B['std_time'],
            'completion_rate_a': A['completion_rate'], 'completion_rate_b': B['completion_rate'],
            'repeat_rate_a': A['repeat_rate'], 'repeat_rate_b': B['repeat_rate'],
            **welch(pa['times'], pb['times']),
            **cohens_d(pa['times'], pb['times']),
            **completion_chi2(pa, pb),
            **repeat_z(pa, pb),
        }
    s['srm_chi2'], s['srm_p_value'] = srm(pa['sessions'], pb['sessions'])
    s['srm_chi2_events'], s['srm_p_value_events'] = srm(pa['events'], pb['events'])
    status, recommended = decide(s)
    return {
        'rows_total': len(rows),
        'rows_used': len(rows) - excluded,
        'rows_excluded': excluded,
        'excluded': t['excluded'],
        'unknown_variants': t['unknown_variants'],
        'sessions_in_both_variants': t['sessions_in_both_variants'],
        'variants': {'A': A, 'B': B},
        'ci_level': CI_LEVEL,
        **s,
        'status': status,
        'recommended_variant': recommended,
    }


# ---------------------------------------------------------------------------------------------
# Random datasets (seeded numpy RNG), small, with the edge cases
# ---------------------------------------------------------------------------------------------


class Rows:
    """Builds EventRow dicts in table column order, ids and timestamps increasing."""

    def __init__(self) -> None:
        self.rows: list[dict] = []

    def add(self, event: str, session: str | None, variant: str | None, time: float | None = None,
            player: str | None = 'p0') -> None:
        i = len(self.rows) + 1
        completed = event == COMPLETED
        self.rows.append({
            'id': i,
            'event': event,
            'distinct_id': player,
            'session_id': session,
            'timestamp': f'2026-10-01T{(i // 3600) % 24:02d}:{(i // 60) % 60:02d}:{i % 60:02d}+00:00',
            'variant': variant,
            'feature_flag_response': variant,
            'completion_time_seconds': time,
            'correct_words_count': 4 if completed else None,
            'total_guesses_count': 5 if completed else None,
        })

    def attempts(self, session: str, variant: str | None, times: list[float | None], failures: int = 0,
                 repeats: int = 0, player: str = 'p0') -> None:
        """One session: each time is a started+completed attempt; failures add started+failed;
        the first `repeats` completions are followed by puzzle_repeated."""
        for k, time in enumerate(times):
            self.add(STARTED, session, variant, player=player)
            self.add(COMPLETED, session, variant, time, player=player)
            if k < repeats:
                self.add(REPEATED, session, variant, player=player)
        for _ in range(failures):
            self.add(STARTED, session, variant, player=player)
            self.add(FAILED, session, variant, player=player)


def random_game(rng: np.random.Generator, sessions: tuple[int, int], completion: tuple[float, float],
                median: tuple[float, float], sigma: float = 0.8, repeat: tuple[float, float] = (0.4, 0.4),
                blemish: float = 0.0, players: int = 0, round_to: float | None = None,
                scale: float = 1.0) -> list[dict]:
    """A small game-like dataset: sessions per variant, each with 1–4 attempts; lognormal times."""
    out = Rows()
    n_players = players or max(1, (sessions[0] + sessions[1]) // 2)
    order = [(v, k) for v, n in zip((CONTROL, TREATMENT), sessions) for k in range(n)]
    rng.shuffle(order)
    for v, k in order:
        i = 0 if v == CONTROL else 1
        session = f's-{v}-{k}'
        player = f'p{int(rng.integers(n_players))}'
        for _ in range(int(rng.integers(1, 5))):
            variant = None if blemish and rng.random() < blemish else v
            sid = None if blemish and rng.random() < blemish / 3 else session
            out.add(STARTED, sid, variant, player=player)
            if rng.random() < completion[i]:
                time = float(rng.lognormal(math.log(median[i]), sigma)) * scale
                if round_to:
                    time = round(time / round_to) * round_to
                if blemish and rng.random() < blemish / 3:
                    time = None
                out.add(COMPLETED, session, v, time, player=player)
                if rng.random() < repeat[i]:
                    out.add(REPEATED, session, v, player=player)
            else:
                out.add(FAILED, session, v, player=player)
    return out.rows


def edge_cases(rng: np.random.Generator) -> list[tuple[str, str, list[dict]]]:
    cases: list[tuple[str, str, list[dict]]] = []

    def case(name: str, description: str, build) -> None:
        r = Rows()
        build(r)
        cases.append((name, description, r.rows))

    case('n2-each', 'exactly two completion times per variant', lambda r: (
        r.attempts('a1', 'A', [4.2, 6.9]), r.attempts('b1', 'B', [8.1, 7.3], failures=1)))
    case('n2-vs-many', 'two times in A, many in B',
         lambda r: (r.attempts('a1', 'A', [3.0, 5.5]),
                    [r.attempts(f'b{k}', 'B', list(rng.lognormal(2, 0.5, 3))) for k in range(5)]))
    case('n1-in-b', 'a single completion time in B: t-test, SD and d undefined',
         lambda r: (r.attempts('a1', 'A', [4.0, 5.0, 6.5]), r.attempts('b1', 'B', [7.0], failures=2)))
    case('ties', 'times on a half-second grid with many ties',
         lambda r: [r.attempts(f'{v}{k}', v, [float(x) for x in rng.choice([4.0, 4.5, 5.0, 6.0], 4)])
                    for v in 'AB' for k in range(6)])
    case('zero-variance-a', 'every A time is 5.0; B varies',
         lambda r: (r.attempts('a1', 'A', [5.0] * 6), r.attempts('b1', 'B', [6.5, 7.25, 9.0, 8.5])))
    case('zero-variance-both-diff', 'both variants constant with different means: t infinite, p 0',
         lambda r: (r.attempts('a1', 'A', [5.0] * 4), r.attempts('b1', 'B', [7.5] * 3)))
    case('zero-variance-both-equal', 'both variants constant and equal: t and p undefined',
         lambda r: (r.attempts('a1', 'A', [6.25] * 4), r.attempts('b1', 'B', [6.25] * 5, failures=1)))
    case('empty-b', 'no rows of B at all', lambda r: [r.attempts(f'a{k}', 'A', [3.5 + k, 4.0]) for k in range(4)])
    case('b-no-completions', 'B sessions only fail: no B times, no B repeat rate',
         lambda r: (r.attempts('a1', 'A', [3.0, 4.5, 6.0], repeats=1), r.attempts('a2', 'A', [2.5]),
                    r.attempts('b1', 'B', [], failures=3), r.attempts('b2', 'B', [], failures=1)))
    case('all-completed', 'every attempt completed in both variants: χ² undefined',
         lambda r: [r.attempts(f'{v}{k}', v, list(rng.lognormal(1.7, 0.4, 3)), repeats=1) for v in 'AB' for k in range(4)])
    case('no-repeats', 'no puzzle_repeated anywhere: repeat z-test undefined',
         lambda r: [r.attempts(f'{v}{k}', v, list(rng.lognormal(1.7, 0.6, 2)), failures=1) for v in 'AB' for k in range(5)])
    case('all-repeated', 'every completion repeated in both variants: pooled proportion 1',
         lambda r: [r.attempts(f'{v}{k}', v, list(rng.lognormal(1.7, 0.6, 2)), repeats=2) for v in 'AB' for k in range(5)])
    case('empty', 'no rows', lambda r: None)
    case('only-null-variant', 'every row lacks a variant',
         lambda r: r.attempts('s1', None, [4.0, 5.0], failures=1))

    def unknown(r: Rows) -> None:
        for v in ('A', 'B', 'C', 'control', ''):
            r.attempts(f'{v or "empty"}1', v, list(rng.lognormal(1.8, 0.5, 3)), failures=1, repeats=1)
            r.attempts(f'{v or "empty"}2', v, list(rng.lognormal(1.9, 0.5, 2)))
    case('unknown-variants', 'rows with variants C, control and the empty string are excluded', unknown)

    def nulls(r: Rows) -> None:
        for k in range(8):
            v = 'AB'[k % 2]
            r.add(STARTED, f'{v}{k}', None)
            r.attempts(f'{v}{k}', v, list(rng.lognormal(1.8, 0.5, 2)), failures=k % 2, repeats=k % 3)
            r.add(COMPLETED, None, v, float(rng.lognormal(1.8, 0.5)))
            r.add(STARTED, None, None)
    case('null-variant-and-session', 'rows with null variant, null session, or both, mixed in', nulls)

    def null_times(r: Rows) -> None:
        r.attempts('a1', 'A', [4.0, None, 5.5, 6.1], repeats=2)
        r.attempts('b1', 'B', [None, 7.7, 9.2, 8.4, None])
    case('null-completion-times', 'completions without a time count for rates, not for the t-test', null_times)

    def both(r: Rows) -> None:
        r.attempts('s1', 'A', [4.0, 5.0])
        r.attempts('s1', 'B', [6.0, 7.5])
        r.attempts('s2', 'B', [8.0, 6.5], failures=1)
        r.attempts('s3', 'A', [3.5], failures=1)
    case('session-in-both', 'one session carries rows of both variants', both)

    def more_completions(r: Rows) -> None:
        r.attempts('a1', 'A', [4.0, 5.0, 3.5])
        r.add(COMPLETED, 'a1', 'A', 4.4)  # a completion without its start
        r.attempts('b1', 'B', [6.0, 7.0], failures=2)
    case('completions-exceed-starts', 'A has more completions than starts: χ² table has a negative cell', more_completions)

    def more_repeats(r: Rows) -> None:
        r.attempts('a1', 'A', [4.0, 5.0], repeats=2)
        r.add(REPEATED, 'a1', 'A')
        r.attempts('b1', 'B', [6.0, 7.0, 5.5], repeats=1)
    case('repeats-exceed-completions', 'A has more repeats than completions: z-test undefined', more_repeats)

    def no_starts(r: Rows) -> None:
        r.add(COMPLETED, 'a1', 'A', 4.0)
        r.add(COMPLETED, 'a1', 'A', 5.5)
        r.attempts('b1', 'B', [6.0, 7.0], failures=1)
    case('no-starts-in-a', 'A has completions but no puzzle_started: completion rate undefined', no_starts)

    def unknown_events(r: Rows) -> None:
        r.attempts('a1', 'A', [4.0, 5.0, 4.5], failures=1)
        r.add('page_view', 'a1', 'A')
        r.add('puzzle_hint', 'b1', 'B')
        r.attempts('b1', 'B', [6.0, 7.0, 8.5], repeats=1)
    case('unknown-events', 'event names outside the four types count as usable events only', unknown_events)

    def guardrail_completion(r: Rows) -> None:
        for k in range(12):
            r.attempts(f'a{k}', 'A', list(rng.normal(4.0, 0.6, 3)), failures=3)
            r.attempts(f'b{k}', 'B', list(rng.normal(6.0, 0.6, 3)))
    case('guardrail-completion', 'A is faster but completes significantly less often: B recommended', guardrail_completion)

    def guardrail_repeat(r: Rows) -> None:
        for k in range(12):
            r.attempts(f'a{k}', 'A', list(rng.normal(6.0, 0.6, 3)), failures=1, repeats=3)
            r.attempts(f'b{k}', 'B', list(rng.normal(4.0, 0.6, 3)), failures=1, repeats=int(k % 4 == 0))
    case('guardrail-repeat', 'B is faster but repeats significantly less: A recommended', guardrail_repeat)

    def srm_case(r: Rows) -> None:
        for k in range(30):
            r.attempts(f'a{k}', 'A', [float(rng.lognormal(1.6, 0.5))])
        for k in range(8):
            r.attempts(f'b{k}', 'B', [float(rng.lognormal(1.9, 0.5))])
    case('srm', '30 A sessions against 8 B sessions: inconclusive', srm_case)

    case('huge-times', 'times around 1e7 s with a proportional spread',
         lambda r: [r.attempts(f'{v}{k}', v, list(rng.lognormal(16.1 + 0.3 * (v == 'B'), 0.4, 3))) for v in 'AB' for k in range(5)])
    case('small-times', 'times around 1e-6 s',
         lambda r: [r.attempts(f'{v}{k}', v, list(rng.lognormal(-13.8 + 0.2 * (v == 'B'), 0.5, 3))) for v in 'AB' for k in range(5)])
    case('extreme-p', 'a very large effect: p far in the tail',
         lambda r: [r.attempts(f'{v}{k}', v, list(rng.normal(5.0 if v == 'A' else 9.0, 0.5, 10)), failures=k % 2) for v in 'AB' for k in range(6)])
    case('many-times', 'over 128 times per variant (pairwise summation blocks)',
         lambda r: [r.attempts(f'{v}{k}', v, list(rng.lognormal(1.7 + 0.1 * (v == 'B'), 0.8, 4)), repeats=k % 3) for v in 'AB' for k in range(36)])
    return cases


def random_cases(rng: np.random.Generator, count: int) -> list[tuple[str, str, list[dict]]]:
    cases = []
    for k in range(count):
        sessions = (int(rng.integers(2, 16)), int(rng.integers(2, 16)))
        completion = (float(rng.uniform(0.5, 0.98)), float(rng.uniform(0.5, 0.98)))
        median = (float(rng.uniform(3, 9)), float(rng.uniform(3, 9)))
        repeat = (float(rng.uniform(0, 0.6)), float(rng.uniform(0, 0.6)))
        blemish = float(rng.choice([0.0, 0.05, 0.15]))
        round_to = [None, None, 0.5, 1.0][k % 4]
        rows = random_game(rng, sessions, completion, median, float(rng.uniform(0.3, 1.0)), repeat,
                           blemish, round_to=round_to)
        cases.append((f'random-{k:02d}', f'random game: sessions {sessions}, blemish rate {blemish}', rows))
    return cases


# ---------------------------------------------------------------------------------------------
# Scenarios via the CLI
# ---------------------------------------------------------------------------------------------


def scenario_seeds() -> dict[str, int]:
    """Scenario names and default seeds, read from the built @localds/benchmarks."""
    script = ("import('@localds/benchmarks').then(b => console.log(JSON.stringify("
              "Object.fromEntries(b.SCENARIO_NAMES.map(s => [s, b.scenarios[s].defaultSeed])))))")
    out = subprocess.run(['node', '--input-type=module', '-e', script], cwd=REPO / 'packages' / 'benchmarks',
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def scenario_rows(name: str, seed: int, tmp: Path) -> bytes:
    out = tmp / f'{name}.json'
    subprocess.run(['node', str(CLI), 'dataset', '--scenario', name, '--seed', str(seed), '--format', 'json',
                    '--out', str(out)], cwd=REPO, check=True)
    return out.read_bytes()


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------


def write(path: Path, head: dict, expected: dict, rows: list[dict] | None = None) -> None:
    """JSON with one row per line, so fixtures diff readably."""
    body = {'generator': GENERATOR, **head, 'expected': expected}
    text = json.dumps(body, indent=2, allow_nan=False)
    if rows is not None:
        lines = ',\n'.join('    ' + json.dumps(r, allow_nan=False, separators=(',', ':')) for r in rows)
        text = text[:-2] + ',\n  "rows": [\n' + lines + ('\n  ]\n}' if rows else '  ]\n}')
    path.write_text(text + '\n')


def distributions() -> dict:
    """Reference values for the distribution helpers, including far tails and fractional df."""
    dfs = [1.0, 2.0, 2.5, 7.3, 30.0, 236.06505566698607, 1e4]
    xs = [0.0, 1e-8, 0.3, 1.959963984540054, 3.5, 12.0, 40.0, 300.0]
    t_p = [{'t': x, 'df': df, 'p': float(2 * st.t.sf(x, df))} for df in dfs for x in xs]
    t_q = [{'p': q, 'df': df, 'x': float(st.t.ppf(q, df))} for df in dfs for q in (0.5, 0.8, 0.975, 0.995, 1 - 1e-9)]
    chi = [{'x': x, 'k': k, 'sf': float(st.chi2.sf(x, k))} for k in (1, 2, 3.5)
           for x in (0.0, 1e-10, 0.2, 1.0, 3.841458820694124, 10.0, 80.0, 900.0)]
    z_p = [{'z': z, 'p': float(2 * st.norm.sf(abs(z)))} for z in (0.0, 1e-9, 0.5, -1.96, 3.0, -8.0, 20.0, 37.0)]
    return {'t_two_sided_p': t_p, 't_quantile': t_q, 'chi_square_sf': chi, 'normal_two_sided_p': z_p}


def main() -> None:
    if not CLI.exists():
        sys.exit(f'{CLI} not found: run `npm run build` first')
    for sub in ('scenarios', 'random'):
        shutil.rmtree(OUT / sub, ignore_errors=True)
        (OUT / sub).mkdir(parents=True)

    with tempfile.TemporaryDirectory() as tmp:
        for name, seed in scenario_seeds().items():
            data = scenario_rows(name, seed, Path(tmp))
            rows = json.loads(data)
            write(OUT / 'scenarios' / f'{name}.json',
                  {'kind': 'scenario', 'scenario': name, 'seed': seed,
                   'rows_sha256': hashlib.sha256(data).hexdigest(), 'rows_count': len(rows)},
                  analyse(rows))

    text = json.dumps({'generator': GENERATOR, **distributions()}, indent=1, allow_nan=False)
    DISTRIBUTIONS.write_text(text + '\n')

    rng = np.random.default_rng(20261124)
    cases = edge_cases(rng) + random_cases(rng, 36)
    for k, (name, description, rows) in enumerate(cases):
        rows = [{**r, 'completion_time_seconds': None if r['completion_time_seconds'] is None
                 else float(r['completion_time_seconds'])} for r in rows]
        write(OUT / 'random' / f'{k:02d}-{name}.json',
              {'kind': 'random', 'name': name, 'description': description, 'rng_seed': 20261124},
              analyse(rows), rows)
    print(f'wrote {len(cases)} random and the scenario fixtures to {os.path.relpath(OUT, REPO)}')


if __name__ == '__main__':
    main()
