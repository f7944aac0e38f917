#!/usr/bin/python3
"""SciPy/statsmodels parity fixtures for the retention-cohorts oracle (../oracle.ts).

README
  Regenerate from the repository root, after `npm run build`:
      /usr/bin/python3 packages/benchmarks/src/retention-cohorts/scripts/generate_fixtures.py
  Needs Debian's python3 with numpy, pandas, scipy and statsmodels. Writes ../fixtures/oracle/:
    scenarios/<name>.json   one per named scenario at its default seed. The rows come from
                            `node scripts/export-rows.mjs <scenario>` (the TypeScript generator); only
                            their sha256 and count are stored, and the test regenerates the rows and
                            checks the hash first ("regenerate the fixtures" if it moved).
    random/<nn>-<name>.json small datasets built here with a seeded numpy RNG, stored with their rows,
                            including the issue's edge cases (a variant with no eligible player, a data
                            end one day after the first day) and undefined statistics.
  and ../fixtures/planted/<scenario>.json: for canonical and censoring-trap, the raw_stats a run reports
  when it makes each usual mistake the diagnostics name (computed here in pandas, independently of
  ../wrong-definitions.ts), for the diagnostics and checks tests.
  Every file records the interpreter and library versions that computed it.

This is an independent implementation of the issue's definitions in pandas, with statsmodels'
proportions_ztest (pooled) and confint_proportions_2indep(method='wald') for the D7 test and interval
and scipy.stats.chisquare for the SRM. A value they return as nan/inf, or refuse, is written as null;
the TypeScript oracle must then be null too.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
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
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

HERE = Path(__file__).resolve().parent
FOLDER = HERE.parent
REPO = FOLDER.parents[3]
OUT = FOLDER / 'fixtures' / 'oracle'
EXPORT = HERE / 'export-rows.mjs'

# The definitions (../definitions.ts).
HORIZONS = (1, 7, 14)
CURVE_DAYS = 14
ALPHA, SRM_ALPHA, CI_LEVEL = 0.05, 0.01, 0.95
SCENARIOS = ('canonical', 'no-effect', 'srm', 'censoring-trap', 'large-paginated')
COLUMNS = ('id', 'event', 'distinct_id', 'session_id', 'timestamp', 'variant', 'feature_flag_response',
           'completion_time_seconds', 'correct_words_count', 'total_guesses_count')

GENERATOR = {
    'script': 'packages/benchmarks/src/retention-cohorts/scripts/generate_fixtures.py',
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


# ---------------------------------------------------------------------------------------------
# The definitions, in pandas
# ---------------------------------------------------------------------------------------------


def oracle(rows: list[dict]) -> dict:
    df = pd.DataFrame(rows, columns=COLUMNS)
    null_variant = df['variant'].isna()
    unknown_variant = ~null_variant & ~df['variant'].isin(['A', 'B'])
    null_player = ~null_variant & ~unknown_variant & df['distinct_id'].isna()
    usable = df[df['variant'].isin(['A', 'B']) & df['distinct_id'].notna()].copy()
    usable['day'] = pd.to_datetime(usable['timestamp'], utc=True).dt.floor('D')

    per_player = usable.groupby('distinct_id').agg(n_variants=('variant', 'nunique'),
                                                    variant=('variant', 'first'),
                                                    day0=('day', 'min'))
    mixed = per_player[per_player['n_variants'] > 1]
    players = per_player[per_player['n_variants'] == 1]
    data_end = usable['day'].max() if len(usable) else None
    first_day = usable['day'].min() if len(usable) else None
    active = set(zip(usable['distinct_id'], usable['day']))

    def counts(group: pd.DataFrame, k: int) -> tuple[int, int]:
        if data_end is None:
            return 0, 0
        eligible = group[group['day0'] + pd.Timedelta(days=k) <= data_end]
        retained = sum((pid, d0 + pd.Timedelta(days=k)) in active for pid, d0 in eligible['day0'].items())
        return int(retained), int(len(eligible))

    def rate(retained: int, eligible: int) -> float | None:
        return retained / eligible if eligible else None

    by_variant = {v: players[players['variant'] == v] for v in ('A', 'B')}
    variants = {}
    for v, group in by_variant.items():
        fig = {'players': int(len(group)), 'eligible': {}, 'retained': {}, 'retention': {}}
        for k in HORIZONS:
            r, e = counts(group, k)
            fig['eligible'][f'd{k}'] = e
            fig['retained'][f'd{k}'] = r
            fig['retention'][f'd{k}'] = rate(r, e)
        variants[v] = fig

    ra, ea = variants['A']['retained']['d7'], variants['A']['eligible']['d7']
    rb, eb = variants['B']['retained']['d7'], variants['B']['eligible']['d7']
    z = p = None
    low = high = diff = None
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        if ea > 0 and eb > 0:
            z, p = proportions_ztest(count=[rb, ra], nobs=[eb, ea], value=0, alternative='two-sided',
                                     prop_var=False)
            z, p = finite(z), finite(p)
            low, high = confint_proportions_2indep(rb, eb, ra, ea, method='wald', compare='diff',
                                                   alpha=1 - CI_LEVEL)
            low, high = finite(low), finite(high)
            diff = rb / eb - ra / ea
        na, nb = variants['A']['players'], variants['B']['players']
        srm = st.chisquare([na, nb]) if na + nb > 0 else None
    srm_chi2 = finite(srm.statistic) if srm is not None else None
    srm_p = finite(srm.pvalue) if srm is not None else None

    # Decision, literally as the issue states it.
    d7a, d7b = variants['A']['retention']['d7'], variants['B']['retention']['d7']
    if srm_p is not None and srm_p < SRM_ALPHA:
        status, recommended = 'inconclusive', None
    elif p is not None and p < ALPHA:
        status, recommended = 'significant', ('B' if d7b > d7a else 'A')
    else:
        status, recommended = 'not_significant', None

    # Weekly cohorts by the Monday on or before day 0; one row per cohort and variant with players.
    cohort_rows = []
    if data_end is not None and len(players):
        with_cohort = players.assign(cohort=players['day0'] - pd.to_timedelta(players['day0'].dt.weekday, unit='D'))
        for (cohort, variant), group in sorted(with_cohort.groupby(['cohort', 'variant']), key=lambda g: g[0]):
            cells = [rate(*counts(group, k)) for k in HORIZONS]
            cohort_rows.append({'cohort_monday': cohort.strftime('%Y-%m-%d'), 'variant': variant,
                                'players': int(len(group)), 'd1': cells[0], 'd7': cells[1], 'd14': cells[2]})

    curve = []
    for k in range(CURVE_DAYS + 1):
        (r_a, e_a), (r_b, e_b) = counts(by_variant['A'], k), counts(by_variant['B'], k)
        curve.append({'day': k, 'eligible_a': e_a, 'eligible_b': e_b,
                      'retention_a': rate(r_a, e_a), 'retention_b': rate(r_b, e_b)})

    excluded = {'null_variant': int(null_variant.sum()), 'unknown_variant': int(unknown_variant.sum()),
                'null_player': int(null_player.sum())}
    return {
        'rows_total': len(df),
        'rows_used': len(usable),
        'rows_excluded': sum(excluded.values()),
        'excluded': excluded,
        'unknown_variants': sorted(df.loc[unknown_variant, 'variant'].unique().tolist()),
        'first_day': first_day.strftime('%Y-%m-%d') if first_day is not None else None,
        'data_end': data_end.strftime('%Y-%m-%d') if data_end is not None else None,
        'variants': variants,
        'd1_retention_a': variants['A']['retention']['d1'],
        'd1_retention_b': variants['B']['retention']['d1'],
        'd7_retention_a': d7a,
        'd7_retention_b': d7b,
        'd14_retention_a': variants['A']['retention']['d14'],
        'd14_retention_b': variants['B']['retention']['d14'],
        'd7_eligible_a': ea,
        'd7_eligible_b': eb,
        'd7_p_value': p,
        'd7_diff_ci_low': low,
        'd7_diff_ci_high': high,
        'srm_p_value': srm_p,
        'mixed_players': int(len(mixed)),
        'd7_z': z,
        'd7_diff': diff,
        'srm_chi2': srm_chi2,
        'curve': curve,
        'cohort_table': cohort_rows,
        'status': status,
        'recommended_variant': recommended,
    }


# ---------------------------------------------------------------------------------------------
# Random datasets
# ---------------------------------------------------------------------------------------------

START = datetime(2026, 8, 3, tzinfo=timezone.utc)
EVENTS = ('puzzle_started', 'puzzle_completed', 'puzzle_failed', 'puzzle_repeated')


def render(t: datetime, offset_minutes: int = 0, micro: bool = False) -> str:
    """PostgREST's timestamptz text; another offset or microseconds where a fixture asks for them."""
    local = t.astimezone(timezone(timedelta(minutes=offset_minutes)))
    text = local.strftime('%Y-%m-%dT%H:%M:%S')
    if micro:
        text += f'.{local.microsecond:06d}'
    elif local.microsecond:
        text += ('.%03d' % (local.microsecond // 1000)).rstrip('0')
    sign = '+' if offset_minutes >= 0 else '-'
    h, m = divmod(abs(offset_minutes), 60)
    return f'{text}{sign}{h:02d}:{m:02d}'


def dataset(rng: np.random.Generator, *, players: int, days: int, share_b: float = 0.5,
            return_a: float = 0.3, return_b: float = 0.3, null_variant: float = 0.0,
            unknown_variant: float = 0.0, null_player: float = 0.0, mixed: float = 0.0,
            offsets: bool = False, micro: bool = False, late_b: bool = False) -> list[dict]:
    """Players with a variant each, active on day 0 and on later days by chance, a few events per active day."""
    drafts = []
    for p in range(players):
        pid = f'p{p:03d}-{rng.integers(1 << 30):08x}'
        variant = 'B' if rng.random() < share_b else 'A'
        if late_b and variant == 'B':
            day0 = int(rng.integers(max(0, days - 3), days))
        else:
            day0 = int(rng.integers(0, days))
        is_mixed = rng.random() < mixed
        active = [day0] + [d for d in range(day0 + 1, days)
                           if rng.random() < (return_b if variant == 'B' else return_a)]
        for n, day in enumerate(active):
            session = f's{p:03d}-{n}-{rng.integers(1 << 30):08x}'
            v = ('A' if variant == 'B' else 'B') if (is_mixed and n == len(active) - 1 and n > 0) else variant
            at = START + timedelta(days=day, seconds=int(rng.integers(0, 86400)), milliseconds=int(rng.integers(0, 1000)))
            for e in range(int(rng.integers(1, 3))):
                drafts.append((at + timedelta(seconds=40 * e), pid, session, v))
    drafts.sort(key=lambda d: d[0])
    rows = []
    for i, (at, pid, session, v) in enumerate(drafts):
        variant = v
        if rng.random() < null_variant:
            variant = None
        elif rng.random() < unknown_variant:
            variant = str(rng.choice(['C', 'control', 'b']))
        player = None if rng.random() < null_player else pid
        offset = int(rng.choice([-480, -300, 0, 60, 330, 540])) if offsets else 0
        rows.append({
            'id': i + 1, 'event': str(rng.choice(EVENTS)), 'distinct_id': player, 'session_id': session,
            'timestamp': render(at, offset, micro), 'variant': variant, 'feature_flag_response': variant,
            'completion_time_seconds': None, 'correct_words_count': None, 'total_guesses_count': None,
        })
    return rows


def random_cases() -> list[tuple[str, str, list[dict]]]:
    rng = np.random.default_rng(20261206)
    cases = []

    def case(name, description, rows):
        cases.append((name, description, rows))

    case('no-eligible-b', 'every B player joins in the last 3 days: B has no player eligible for D7 (or D14)',
         dataset(rng, players=24, days=20, late_b=True))
    case('end-one-day-after-first', 'the data end is one day after the first day: D1 only, no D7 or D14',
         dataset(rng, players=12, days=2, return_a=0.5, return_b=0.5))
    case('empty', 'no rows at all', [])
    case('only-unusable', 'every row has a null variant', dataset(rng, players=5, days=9, null_variant=1.0))
    case('single-player', 'one player', dataset(rng, players=1, days=16, return_a=0.5, return_b=0.5))
    case('none-retained', 'nobody comes back: D7 pooled proportion 0',
         dataset(rng, players=30, days=20, return_a=0.0, return_b=0.0))
    case('all-retained', 'everyone plays every day: D7 pooled proportion 1',
         dataset(rng, players=20, days=18, return_a=1.0, return_b=1.0))
    case('offsets', 'timestamps in other UTC offsets: activity days are UTC dates, not local ones',
         dataset(rng, players=30, days=21, offsets=True))
    case('microseconds', 'timestamps with microseconds', dataset(rng, players=20, days=15, micro=True))
    case('all-mixed', 'every player with two or more active days is mixed',
         dataset(rng, players=15, days=15, mixed=1.0, return_a=0.4, return_b=0.4))
    case('blemishes', 'null and unknown variants, null distinct_id, mixed players',
         dataset(rng, players=40, days=30, null_variant=0.05, unknown_variant=0.05, null_player=0.05, mixed=0.1))
    case('skewed-split', 'a 30/70 split: SRM inconclusive',
         dataset(rng, players=80, days=10, share_b=0.7, return_a=0.15, return_b=0.15))
    case('strong-effect', 'B returns far more often: D7 significant',
         dataset(rng, players=70, days=16, return_a=0.1, return_b=0.5))
    # Mixed rows count for the data end: a mixed player's late row moves it.
    rows = dataset(rng, players=10, days=12)
    last = max(START + timedelta(days=12), START)
    rows.append({'id': len(rows) + 1, 'event': 'puzzle_started', 'distinct_id': 'mixed-late',
                 'session_id': 's-x', 'timestamp': render(START + timedelta(days=3)), 'variant': 'A',
                 'feature_flag_response': 'A', 'completion_time_seconds': None, 'correct_words_count': None,
                 'total_guesses_count': None})
    rows.append({'id': len(rows) + 1, 'event': 'puzzle_started', 'distinct_id': 'mixed-late',
                 'session_id': 's-y', 'timestamp': render(last + timedelta(days=2, hours=5)), 'variant': 'B',
                 'feature_flag_response': 'B', 'completion_time_seconds': None, 'correct_words_count': None,
                 'total_guesses_count': None})
    case('mixed-sets-data-end', "a mixed player's row is the latest: it sets the data end", rows)

    for i in range(20):
        days = int(rng.integers(2, 40))
        case(f'random-{i:02d}', f'random: {days} days',
             dataset(rng, players=int(rng.integers(2, 60)), days=days,
                     share_b=float(rng.uniform(0.3, 0.7)), return_a=float(rng.uniform(0, 0.6)),
                     return_b=float(rng.uniform(0, 0.6)), null_variant=float(rng.uniform(0, 0.08)),
                     unknown_variant=float(rng.uniform(0, 0.04)), null_player=float(rng.uniform(0, 0.05)),
                     mixed=float(rng.uniform(0, 0.15)), offsets=bool(rng.random() < 0.3)))
    return cases



# ---------------------------------------------------------------------------------------------
# Planted mistakes: the raw_stats a run following each usual wrong definition reports
# ---------------------------------------------------------------------------------------------

MISTAKES = ('censored_in_denominator', 'unbounded_retention', 'rolling_24h_windows', 'session_level_retention',
            'srm_on_eligible_only', 'rates_as_percent', 'first_page_only')
PAGE_ROWS = 1000


def planted(rows: list[dict], mistake: str) -> dict:
    """raw_stats as a run that makes exactly this mistake (and no other) computes them, in pandas."""
    if mistake == 'first_page_only':
        rows = sorted(rows, key=lambda r: r['id'])[:PAGE_ROWS]
    df = pd.DataFrame(rows, columns=COLUMNS)
    usable = df[df['variant'].isin(['A', 'B']) & df['distinct_id'].notna()].copy()
    usable['t'] = pd.to_datetime(usable['timestamp'], utc=True)
    usable['day'] = usable['t'].dt.floor('D')
    unit = 'session_id' if mistake == 'session_level_retention' else 'distinct_id'
    usable = usable[usable[unit].notna()]
    n_variants = usable.groupby(unit)['variant'].nunique()
    mixed_units = n_variants[n_variants > 1].index
    clean = usable[~usable[unit].isin(mixed_units)]
    units = clean.groupby(unit).agg(variant=('variant', 'first'), day0=('day', 'min'), t0=('t', 'min'))
    data_end, last_t = usable['day'].max(), usable['t'].max()
    day_sets = clean.groupby(unit)['day'].apply(set)
    time_lists = clean.groupby(unit)['t'].apply(list)
    one_day = pd.Timedelta(days=1)

    def counts(group: pd.DataFrame, k: int) -> tuple[int, int]:
        if mistake == 'rolling_24h_windows':
            eligible = group[group['t0'] + k * one_day <= last_t]
            retained = sum(any((t - t0) // one_day == k for t in time_lists[u]) for u, t0 in eligible['t0'].items())
            return retained, len(eligible)
        eligible = group[group['day0'] + k * one_day <= data_end]
        if mistake == 'unbounded_retention':
            retained = sum(max(day_sets[u]) >= d0 + k * one_day for u, d0 in eligible['day0'].items())
        else:
            retained = sum((d0 + k * one_day) in day_sets[u] for u, d0 in eligible['day0'].items())
        denominator = len(group) if mistake == 'censored_in_denominator' else len(eligible)
        return retained, denominator

    groups = {v: units[units['variant'] == v] for v in ('A', 'B')}
    scale = 100 if mistake == 'rates_as_percent' else 1
    out = {}
    for k in HORIZONS:
        for v in ('A', 'B'):
            r, e = counts(groups[v], k)
            out[f'd{k}_retention_{v.lower()}'] = r / e * scale if e else None
    (ra, ea), (rb, eb) = counts(groups['A'], 7), counts(groups['B'], 7)
    out['d7_eligible_a'], out['d7_eligible_b'] = ea, eb
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        z, p = proportions_ztest(count=[rb, ra], nobs=[eb, ea])
        low, high = confint_proportions_2indep(rb, eb, ra, ea, method='wald', compare='diff', alpha=1 - CI_LEVEL)
    out['d7_p_value'] = finite(p)
    out['d7_diff_ci_low'], out['d7_diff_ci_high'] = finite(low) * scale, finite(high) * scale
    if mistake == 'srm_on_eligible_only':
        srm_counts = [counts(groups['A'], 7)[1], counts(groups['B'], 7)[1]]
    else:
        srm_counts = [len(groups['A']), len(groups['B'])]
    out['srm_p_value'] = finite(st.chisquare(srm_counts).pvalue)
    out['mixed_players'] = int(len(mixed_units))  # mixed sessions, for a run whose unit is the session
    return out

# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------


def write(path: Path, payload: dict) -> None:
    """Indented JSON, except that rows and cohort-table lines take one line each (smaller, still diffable)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = {}

    def compact(items: list, key: str) -> str:
        lines[key] = '[' + ','.join('\n  ' + json.dumps(x, allow_nan=False) for x in items) + ('\n ]' if items else ']')
        return key

    body = dict(payload)
    if 'rows' in body:
        body['rows'] = compact(body['rows'], '@@rows@@')
    expected = dict(body['expected'])
    expected['curve'] = compact(expected['curve'], '@@curve@@')
    expected['cohort_table'] = compact(expected['cohort_table'], '@@cohorts@@')
    body['expected'] = expected
    text = json.dumps(body, indent=1, allow_nan=False)
    for key, value in lines.items():
        text = text.replace(json.dumps(key), value)
    path.write_text(text + '\n')


PLANTED_SCENARIOS = ('canonical', 'censoring-trap')


def write_planted(path: Path, scenario: str, text: str, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {'kind': 'planted', 'scenario': scenario, 'rows_sha256': hashlib.sha256(text.encode()).hexdigest(),
               'generator': GENERATOR, 'raw_stats': {m: planted(rows, m) for m in MISTAKES}}
    path.write_text(json.dumps(payload, indent=1, allow_nan=False) + '\n')


def main() -> None:
    node = shutil.which('node')
    if node is None:
        sys.exit('node is needed to export the scenarios\' rows (run after npm run build)')
    for stale in (OUT, OUT.parent / 'planted'):
        if stale.exists():
            shutil.rmtree(stale)
    for scenario in SCENARIOS:
        text = subprocess.run([node, str(EXPORT), scenario], check=True, capture_output=True, text=True).stdout
        rows = json.loads(text)
        write(OUT / 'scenarios' / f'{scenario}.json', {
            'kind': 'scenario', 'scenario': scenario,
            'rows_sha256': hashlib.sha256(text.encode()).hexdigest(), 'rows_count': len(rows),
            'generator': GENERATOR, 'expected': oracle(rows),
        })
        if scenario in PLANTED_SCENARIOS:
            write_planted(OUT.parent / 'planted' / f'{scenario}.json', scenario, text, rows)
    cases = random_cases()
    for n, (name, description, rows) in enumerate(cases):
        write(OUT / 'random' / f'{n:02d}-{name}.json', {
            'kind': 'random', 'name': name, 'description': description, 'rows': rows,
            'generator': GENERATOR, 'expected': oracle(rows),
        })
    print(f'wrote {len(SCENARIOS)} scenario and {len(cases)} random fixtures to {OUT.relative_to(REPO)}')


if __name__ == '__main__':
    main()
