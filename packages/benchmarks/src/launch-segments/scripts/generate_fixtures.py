#!/usr/bin/python3
"""SciPy/statsmodels parity fixtures for the launch-segments oracle (../oracle.ts).

README
  Regenerate from the repository root, after `npm run build -w @localds/benchmarks`:
      /usr/bin/python3 packages/benchmarks/src/launch-segments/scripts/generate_fixtures.py
  Needs Debian's python3 with numpy, pandas, scipy and statsmodels (scripts/install-system-deps.sh).
  Writes packages/benchmarks/src/launch-segments/fixtures/:
    scenarios/<name>.json  one per named scenario at its default seed. The rows come from
                           `node .../scripts/export-rows.mjs <scenario>` (JSON.stringify of the rows);
                           only their sha256 is stored, and the test regenerates the rows and checks
                           the hash first ("regenerate the fixtures" when the generator moved).
    random/<nn>-<name>.json  small datasets built here with a seeded numpy RNG, stored with their
                           rows: 30 random games plus the edge cases where a statistic is undefined.
  Every file records the interpreter and the library versions that computed it.

This is an independent implementation of the task's definitions (../definitions.ts, ../task.ts) in
pandas, with scipy.stats.chi2_contingency(correction=False) for the pooled test and statsmodels'
StratifiedTable for the Mantel–Haenszel odds ratio, its Robins–Breslow–Greenland interval
(oddsratio_pooled_confint) and the CMH test (test_null_odds(correction=False)). A value they return
as nan/inf is written as null; the TypeScript oracle must then be null too.
"""

from __future__ import annotations

import hashlib
import json
import math
import subprocess
import sys
import warnings
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pandas as pd
import scipy
import scipy.stats as st
import statsmodels
from statsmodels.stats.contingency_tables import StratifiedTable

HERE = Path(__file__).resolve().parent
FOLDER = HERE.parent
REPO = FOLDER.parents[3]
OUT = FOLDER / 'fixtures'
EXPORT = HERE / 'export-rows.mjs'

# The definitions (../definitions.ts).
LAUNCH = pd.Timestamp('2026-03-02T09:00:00Z')
PLATFORMS = ('mobile', 'desktop')
STARTED, COMPLETED = 'puzzle_started', 'puzzle_completed'
ALPHA = 0.05
SCENARIOS = {'canonical': 8, 'true-gain': 1, 'no-change': 1, 'large-paginated': 1}
RAW_FIELDS = ('pooled_rate_before', 'pooled_rate_after', 'pooled_p_value', 'rate_before_mobile',
              'rate_after_mobile', 'rate_before_desktop', 'rate_after_desktop', 'mh_odds_ratio',
              'mh_ci_low', 'mh_ci_high', 'cmh_p_value')

GENERATOR = {
    'script': 'packages/benchmarks/src/launch-segments/scripts/generate_fixtures.py',
    'python': sys.executable,
    'python_version': sys.version.split()[0],
    'numpy': np.__version__,
    'pandas': pd.__version__,
    'scipy': scipy.__version__,
    'statsmodels': statsmodels.__version__,
}


def finite(x) -> float | None:
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def analyse(rows: list[dict], cut: pd.Timestamp = LAUNCH) -> dict:
    df = pd.DataFrame(rows, columns=['id', 'event', 'session_id', 'timestamp', 'platform'])
    null_platform = df['platform'].isna()
    other_platform = ~null_platform & ~df['platform'].isin(PLATFORMS)
    null_session = ~null_platform & ~other_platform & df['session_id'].isna()
    usable = df[~null_platform & ~other_platform & ~null_session].copy()
    usable['at'] = pd.to_datetime(usable['timestamp'], utc=True)
    usable['period'] = np.where(usable['at'] < cut, 'before', 'after')
    counts = {}
    for period in ('before', 'after'):
        counts[period] = {}
        for platform in PLATFORMS:
            cell = usable[(usable['period'] == period) & (usable['platform'] == platform)]
            counts[period][platform] = {
                'started': int((cell['event'] == STARTED).sum()),
                'completed': int((cell['event'] == COMPLETED).sum()),
            }

    def rate(c: dict) -> float | None:
        return None if c['started'] == 0 else c['completed'] / c['started']

    pooled = {p: {k: sum(counts[p][q][k] for q in PLATFORMS) for k in ('started', 'completed')}
              for p in ('before', 'after')}
    raw = {
        'pooled_rate_before': rate(pooled['before']),
        'pooled_rate_after': rate(pooled['after']),
        'rate_before_mobile': rate(counts['before']['mobile']),
        'rate_after_mobile': rate(counts['after']['mobile']),
        'rate_before_desktop': rate(counts['before']['desktop']),
        'rate_after_desktop': rate(counts['after']['desktop']),
    }
    # Pooled: Pearson χ² on period × (completed, started − completed); SciPy raises on a negative
    # cell or a zero expected count, which the definitions leave undefined (null).
    table = np.array([[pooled['before']['completed'], pooled['before']['started'] - pooled['before']['completed']],
                      [pooled['after']['completed'], pooled['after']['started'] - pooled['after']['completed']]])
    pooled_chi2 = pooled_p = None
    if (table >= 0).all():
        try:
            res = st.chi2_contingency(table, correction=False)
            pooled_chi2, pooled_p = finite(res.statistic), finite(res.pvalue)
        except ValueError:
            pass
    raw['pooled_p_value'] = pooled_p

    # Stratified: platforms with any event, table [[a, b], [c, d]] = (after, before) × (completed, not).
    strata, tables = [], []
    for platform in PLATFORMS:
        after, before = counts['after'][platform], counts['before'][platform]
        if after['started'] + after['completed'] + before['started'] + before['completed'] == 0:
            continue
        strata.append(platform)
        tables.append([[after['completed'], after['started'] - after['completed']],
                       [before['completed'], before['started'] - before['completed']]])
    odds = low = high = cmh_stat = cmh_p = None
    if tables and all(cell >= 0 for t in tables for r in t for cell in r):
        arr = np.asarray(tables, dtype=np.float64).transpose(1, 2, 0)
        with warnings.catch_warnings(), np.errstate(all='ignore'):
            warnings.simplefilter('ignore')
            stt = StratifiedTable(arr)
            odds_value = float(stt.oddsratio_pooled)
            if math.isfinite(odds_value) and odds_value > 0:
                odds = odds_value
                ci = stt.oddsratio_pooled_confint(alpha=0.05, method='normal')
                low, high = finite(ci[0]), finite(ci[1])
                test = stt.test_null_odds(correction=False)
                cmh_stat, cmh_p = finite(test.statistic), finite(test.pvalue)
                if cmh_stat is not None:
                    # statsmodels takes 1 − cdf; the oracle takes the survival function. Same value
                    # to 1e-12 absolute, and the fixture keeps statsmodels' own.
                    assert abs(cmh_p - st.chi2.sf(cmh_stat, 1)) < 1e-12, (cmh_p, cmh_stat)
    raw.update({'mh_odds_ratio': odds, 'mh_ci_low': low, 'mh_ci_high': high, 'cmh_p_value': cmh_p})
    if cmh_p is not None and odds is not None and cmh_p < ALPHA and odds != 1:
        decision = ('significant', 'worse', 'roll_back') if odds < 1 else ('significant', 'better', 'keep')
    else:
        decision = ('not_significant', None, None)
    return {
        'usable_rows': int(len(usable)),
        'excluded': {'null_platform': int(null_platform.sum()), 'other_platform': int(other_platform.sum()),
                     'null_session': int(null_session.sum())},
        'counts': counts,
        'strata': strata,
        'raw_stats': {k: raw[k] for k in RAW_FIELDS},
        'pooled_chi2': pooled_chi2,
        'cmh_statistic': cmh_stat,
        'status': decision[0],
        'direction': decision[1],
        'recommendation': decision[2],
    }


def wrong_figures(rows: list[dict]) -> dict:
    """The figures of the usual wrong definitions on these rows, one entry per diagnostic, so the
    diagnostics are tested against values computed independently of the TypeScript."""
    right = analyse(rows)
    counts = right['counts']
    out = {}
    out['launch_boundary_by_date'] = analyse(rows, pd.Timestamp('2026-03-02T00:00:00Z'))['raw_stats']
    ordered = sorted(rows, key=lambda r: r['id'])[:1000]
    out['first_page_only'] = analyse(ordered)['raw_stats']
    # Session level: sessions with a completion / sessions with a start, per period and platform.
    df = pd.DataFrame(rows)
    df = df[df['platform'].isin(PLATFORMS) & df['session_id'].notna()].copy()
    df['period'] = np.where(pd.to_datetime(df['timestamp'], utc=True) < LAUNCH, 'before', 'after')
    sess = {}
    for period in ('before', 'after'):
        for platform in PLATFORMS + ('pooled',):
            cell = df[df['period'] == period]
            if platform != 'pooled':
                cell = cell[cell['platform'] == platform]
            started = set(cell.loc[cell['event'] == STARTED, 'session_id'])
            completed = set(cell.loc[cell['event'] == COMPLETED, 'session_id'])
            sess[(period, platform)] = len(completed) / len(started) if started else None
    out['session_level_rate'] = {
        'pooled_rate_before': sess[('before', 'pooled')], 'pooled_rate_after': sess[('after', 'pooled')],
        'rate_before_mobile': sess[('before', 'mobile')], 'rate_after_mobile': sess[('after', 'mobile')],
        'rate_before_desktop': sess[('before', 'desktop')], 'rate_after_desktop': sess[('after', 'desktop')],
    }
    # Continuity-corrected: SciPy's default Yates correction and statsmodels' corrected CMH.
    pooled = {p: [sum(counts[p][q]['completed'] for q in PLATFORMS), sum(counts[p][q]['started'] for q in PLATFORMS)]
              for p in ('before', 'after')}
    table = np.array([[pooled[p][0], pooled[p][1] - pooled[p][0]] for p in ('before', 'after')])
    tables = [[[counts['after'][q]['completed'], counts['after'][q]['started'] - counts['after'][q]['completed']],
               [counts['before'][q]['completed'], counts['before'][q]['started'] - counts['before'][q]['completed']]]
              for q in PLATFORMS]
    stt = StratifiedTable(np.asarray(tables, dtype=np.float64).transpose(1, 2, 0))
    out['continuity_corrected'] = {
        'pooled_p_value': finite(st.chi2_contingency(table, correction=True).pvalue),
        'cmh_p_value': finite(stt.test_null_odds(correction=True).pvalue),
    }
    # Unweighted means over platforms of the per-platform odds ratios and rates.
    ors = [st.contingency.odds_ratio(np.array(t), kind='sample').statistic for t in tables]
    r = right['raw_stats']
    out['unweighted_mean_of_strata'] = {
        'mh_odds_ratio': float(np.mean(ors)),
        'pooled_rate_before': (r['rate_before_mobile'] + r['rate_before_desktop']) / 2,
        'pooled_rate_after': (r['rate_after_mobile'] + r['rate_after_desktop']) / 2,
    }
    # Pooled only: the crude table's odds ratio and χ² p where the stratified ones belong, and its decision.
    crude = st.contingency.odds_ratio(table[::-1], kind='sample').statistic
    before, after = pooled['before'], pooled['after']
    p = r['pooled_p_value']
    decision = (None if p >= ALPHA else 'keep' if after[0] / after[1] > before[0] / before[1] else 'roll_back')
    out['pooled_only'] = {'mh_odds_ratio': float(crude), 'cmh_p_value': p, 'recommendation': decision}
    return out


# ---------------------------------------------------------------------------------------------
# Datasets
# ---------------------------------------------------------------------------------------------


def ts(at: datetime) -> str:
    """PostgREST's rendering: milliseconds, trailing zeros trimmed, +00:00."""
    ms = at.microsecond // 1000
    frac = f'.{ms:03d}'.rstrip('0').rstrip('.') if ms else ''
    return at.strftime('%Y-%m-%dT%H:%M:%S') + frac + '+00:00'


class Rows:
    def __init__(self) -> None:
        self.rows: list[dict] = []

    def add(self, event: str, at: datetime, platform: str | None, session: str | None = 's') -> None:
        self.rows.append({
            'id': len(self.rows) + 1, 'event': event, 'distinct_id': 'p', 'session_id': session,
            'timestamp': ts(at), 'variant': None, 'feature_flag_response': None,
            'completion_time_seconds': 5.0 if event == COMPLETED else None,
            'correct_words_count': None, 'total_guesses_count': None, 'platform': platform,
        })

    def cell(self, period: str, platform: str | None, started: int, completed: int, **kw) -> None:
        base = datetime(2026, 3, 1, 12, tzinfo=timezone.utc) if period == 'before' \
            else datetime(2026, 3, 3, 12, tzinfo=timezone.utc)
        for i in range(started):
            self.add(STARTED, base + timedelta(seconds=2 * i), platform, **kw)
        for i in range(completed):
            self.add(COMPLETED, base + timedelta(seconds=2 * i + 1), platform, **kw)


def random_game(rng: np.random.Generator) -> list[dict]:
    """A small launch: per period and platform a binomial number of completions, plus blemishes."""
    r = Rows()
    start = datetime(2026, 2, 28, tzinfo=timezone.utc)
    n = int(rng.integers(20, 250))
    share = {'before': rng.uniform(0.1, 0.9), 'after': rng.uniform(0.1, 0.9)}
    p = {(per, pl): rng.uniform(0.2, 0.95) for per in ('before', 'after') for pl in PLATFORMS}
    events = []
    for i in range(n):
        at = start + timedelta(milliseconds=int(rng.integers(0, 4 * 86400 * 1000)))
        period = 'before' if at < LAUNCH.to_pydatetime() else 'after'
        platform = 'desktop' if rng.random() < share[period] else 'mobile'
        roll = rng.random()
        recorded = None if roll < 0.03 else 'tablet' if roll < 0.05 else platform
        session = None if rng.random() < 0.02 else f's{i}'
        events.append((at, STARTED, recorded, session))
        if rng.random() < p[(period, platform)]:
            events.append((at + timedelta(seconds=int(rng.integers(8, 60))), COMPLETED, recorded, session))
        elif rng.random() < 0.8:
            events.append((at + timedelta(seconds=67), 'puzzle_failed', recorded, session))
    events.sort(key=lambda e: e[0])
    for at, event, platform, session in events:
        r.add(event, at, platform, session)
    return r.rows


def edge_cases() -> list[tuple[str, str, list[dict]]]:
    out = []

    def case(name: str, description: str, build) -> None:
        r = Rows()
        build(r)
        out.append((name, description, r.rows))

    case('no-started-mobile', 'mobile has no started or completed event in either period (left out)',
         lambda r: (r.cell('before', 'desktop', 30, 20), r.cell('after', 'desktop', 40, 25)))
    case('mobile-only-completions', 'mobile has completions but no starts: a negative cell, stratified null',
         lambda r: (r.cell('before', 'desktop', 30, 20), r.cell('after', 'desktop', 40, 25),
                    r.cell('after', 'mobile', 0, 3)))
    case('mobile-one-period', 'mobile only before the launch (a stratum with one empty row)',
         lambda r: (r.cell('before', 'desktop', 30, 20), r.cell('after', 'desktop', 40, 25),
                    r.cell('before', 'mobile', 25, 10)))
    case('single-event-stratum', 'mobile holds one started event: n − 1 = 0 in the CMH variance',
         lambda r: (r.cell('before', 'desktop', 30, 20), r.cell('after', 'desktop', 40, 25),
                    r.cell('before', 'mobile', 1, 0)))
    case('all-completed', 'every attempt completes: Σ b·c/n = 0, the odds ratio is undefined',
         lambda r: (r.cell('before', 'desktop', 10, 10), r.cell('after', 'desktop', 12, 12),
                    r.cell('before', 'mobile', 8, 8), r.cell('after', 'mobile', 9, 9)))
    case('none-completed-after', 'nothing completes after the launch: Σ a·d/n = 0, odds ratio 0 (undefined)',
         lambda r: (r.cell('before', 'desktop', 10, 6), r.cell('after', 'desktop', 12, 0),
                    r.cell('before', 'mobile', 8, 3), r.cell('after', 'mobile', 9, 0)))
    case('no-usable-rows', 'every row has a null or other platform or a null session',
         lambda r: (r.cell('before', None, 5, 3), r.cell('after', 'tablet', 5, 2),
                    r.cell('after', 'mobile', 4, 2, session=None)))
    case('empty', 'no rows at all', lambda r: None)
    case('only-before', 'no event after the launch: the pooled table has a zero margin',
         lambda r: (r.cell('before', 'desktop', 30, 20), r.cell('before', 'mobile', 25, 10)))

    def boundary(r: Rows) -> None:
        # Events exactly at the launch instant are `after`; one millisecond earlier, and the launch
        # morning before 09:00, are `before` (a cut at the calendar date gets these wrong).
        r.add(STARTED, datetime(2026, 3, 2, 8, 59, 59, 999000, tzinfo=timezone.utc), 'mobile')
        r.add(COMPLETED, datetime(2026, 3, 2, 9, 0, 0, tzinfo=timezone.utc), 'mobile')
        r.add(STARTED, datetime(2026, 3, 2, 9, 0, 0, tzinfo=timezone.utc), 'mobile')
        for h in range(0, 9):
            r.add(STARTED, datetime(2026, 3, 2, h, 30, tzinfo=timezone.utc), 'desktop')
            if h % 3:
                r.add(COMPLETED, datetime(2026, 3, 2, h, 31, tzinfo=timezone.utc), 'desktop')
        r.cell('before', 'desktop', 20, 12)
        r.cell('after', 'desktop', 20, 15)
        r.cell('before', 'mobile', 20, 8)
        r.cell('after', 'mobile', 20, 11)
    case('launch-boundary', 'events at the launch instant, a millisecond before it, and on the launch morning', boundary)

    def negative_pooled(r: Rows) -> None:
        r.cell('before', 'desktop', 3, 5)
        r.cell('after', 'desktop', 10, 4)
        r.cell('before', 'mobile', 1, 0)
        r.cell('after', 'mobile', 10, 3)
    case('negative-pooled', 'more completions than starts before the launch: pooled and stratified null', negative_pooled)
    return out


def write(path: Path, payload: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # One row per line keeps the files small and their diffs readable.
    rows = payload.pop('rows', None)
    text = json.dumps(payload, indent=1, ensure_ascii=False)
    if rows is not None:
        body = ',\n'.join(json.dumps(r, separators=(',', ':')) for r in rows)
        text = text[:-2] + f',\n "rows": [\n{body}\n ]\n}}'
    path.write_text(text + '\n')


def main() -> None:
    for old in list((OUT / 'random').glob('*.json')) + list((OUT / 'scenarios').glob('*.json')):
        old.unlink()
    for scenario, seed in SCENARIOS.items():
        raw = subprocess.run(['node', str(EXPORT), scenario], cwd=REPO, check=True,
                             capture_output=True).stdout
        rows = json.loads(raw)
        write(OUT / 'scenarios' / f'{scenario}.json', {
            'kind': 'scenario', 'scenario': scenario, 'seed': seed,
            'rows_sha256': hashlib.sha256(raw).hexdigest(), 'rows_count': len(rows),
            'expected': analyse(rows), 'wrong': wrong_figures(rows), 'generator': GENERATOR,
        })
    rng = np.random.default_rng(20260302)
    cases = [(f'random-{i:02d}', 'a random small launch with blemishes', random_game(rng)) for i in range(30)]
    cases += edge_cases()
    for i, (name, description, rows) in enumerate(cases):
        write(OUT / 'random' / f'{i:02d}-{name}.json', {
            'kind': 'random', 'name': name, 'description': description, 'rows': rows,
            'expected': analyse(rows), 'generator': GENERATOR,
        })
    print(f'wrote {len(SCENARIOS)} scenario and {len(cases)} random fixtures to {OUT.relative_to(REPO)}')


if __name__ == '__main__':
    main()
