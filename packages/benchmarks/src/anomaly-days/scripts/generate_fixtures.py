#!/usr/bin/python3
"""pandas parity fixtures for the anomaly-days oracle (../oracle.ts).

README
  Regenerate from the repository root, after `npm run build -w @localds/benchmarks`:
      /usr/bin/python3 packages/benchmarks/src/anomaly-days/scripts/generate_fixtures.py
  Needs Debian's python3 with numpy and pandas (scripts/install-system-deps.sh). Writes
  packages/benchmarks/src/anomaly-days/fixtures/:
    scenarios/<name>.json  one per named scenario at its default seed; rows from
                           `node .../scripts/export-rows.mjs <scenario>`, stored by sha256 only (the
                           test regenerates and hash-checks them). Also the figures of the usual wrong
                           definitions ("wrong"), which the diagnostics are tested against.
    random/<nn>-<name>.json  30 random datasets built here with a seeded numpy RNG plus the edge cases
                           (too short to evaluate, zero baselines, a bot at exactly 200 and 201 rows,
                           a bot that widens the date range), stored with their rows.

An independent implementation of the task's definitions in pandas (groupby, date_range, median); the
test checks dates and counts exactly and baselines and ratios at 1e-9.
"""

from __future__ import annotations

import hashlib
import json
import math
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
FOLDER = HERE.parent
REPO = FOLDER.parents[3]
OUT = FOLDER / 'fixtures'
EXPORT = HERE / 'export-rows.mjs'

# The definitions (../definitions.ts).
EVENT = 'puzzle_started'
BOT_ROWS_PER_DAY = 200
LAGS = (7, 14, 21, 28)
FIRST_EVALUATED = 29
THRESHOLD = 0.35
SCENARIOS = {'canonical': 1, 'quiet': 1, 'weekend-trap': 1, 'large-paginated': 2}
FIRST_PAGE = 1000

GENERATOR = {
    'script': 'packages/benchmarks/src/anomaly-days/scripts/generate_fixtures.py',
    'python': sys.executable,
    'python_version': sys.version.split()[0],
    'numpy': np.__version__,
    'pandas': pd.__version__,
}


def analyse(rows: list[dict], baseline: str = 'median', all_events: bool = False,
            include_bots: bool = False) -> dict:
    df = pd.DataFrame(rows, columns=['id', 'event', 'distinct_id', 'session_id', 'timestamp'])
    keep = df['distinct_id'].notna() & df['session_id'].notna()
    if not all_events:
        keep &= df['event'] == EVENT
    usable = df[keep].copy()
    usable['date'] = pd.to_datetime(usable['timestamp'], utc=True).dt.strftime('%Y-%m-%d')
    per_player_day = usable.groupby(['distinct_id', 'date']).size()
    bots = sorted(set(per_player_day[per_player_day > BOT_ROWS_PER_DAY].index.get_level_values(0)))
    is_bot = usable['distinct_id'].isin(bots)
    counted = usable if include_bots else usable[~is_bot]
    days, anomalies = [], []
    first = last = None
    if len(usable):
        first, last = usable['date'].min(), usable['date'].max()
        index = pd.date_range(first, last, freq='D').strftime('%Y-%m-%d')
        c = counted.groupby('date').size().reindex(index, fill_value=0).astype(int).to_list()
        for i, date in enumerate(index):
            if i < FIRST_EVALUATED - 1:
                days.append({'date': date, 'count': c[i], 'baseline': None, 'ratio': None, 'type': None})
                continue
            if baseline == 'previous_day':
                b = float(c[i - 1])
            elif baseline == 'mean':
                b = float(np.mean([c[i - k] for k in LAGS]))
            else:
                b = float(np.median([c[i - k] for k in LAGS]))
            if b == 0:
                ratio, kind = None, ('spike' if c[i] > 0 else None)
            else:
                ratio = c[i] / b - 1
                kind = ('drop' if ratio < 0 else 'spike') if abs(ratio) >= THRESHOLD else None
            days.append({'date': date, 'count': c[i], 'baseline': b, 'ratio': ratio, 'type': kind})
            if kind:
                anomalies.append({'date': date, 'count': c[i], 'baseline': b, 'ratio': ratio, 'type': kind})
    return {
        'first_date': first, 'last_date': last, 'days': days, 'anomalies': anomalies, 'bot_ids': bots,
        'raw_stats': {
            'days_evaluated': max(0, len(days) - (FIRST_EVALUATED - 1)),
            'anomaly_count': len(anomalies),
            'usable_rows': int(len(usable)),
            'bot_rows': int(is_bot.sum()),
        },
    }


def global_zscore(result: dict, threshold: float) -> list[str]:
    """Days whose count is ≥ threshold population SDs from the mean count of all days."""
    counts = np.array([d['count'] for d in result['days']], dtype=float)
    if len(counts) == 0 or counts.std() == 0:
        return []
    z = (counts - counts.mean()) / counts.std()
    return [d['date'] for d, zi in zip(result['days'], z) if abs(zi) >= threshold]


def wrong_figures(rows: list[dict]) -> dict:
    right = analyse(rows)
    brief = lambda r: {'anomalies': r['anomalies'], 'raw_stats': r['raw_stats'], 'bot_ids': r['bot_ids']}
    return {
        'bots_included': brief(analyse(rows, include_bots=True)),
        'all_events_counted': brief(analyse(rows, all_events=True)),
        'previous_day_baseline': brief(analyse(rows, baseline='previous_day')),
        'mean_baseline': brief(analyse(rows, baseline='mean')),
        'first_page_only': brief(analyse(sorted(rows, key=lambda r: r['id'])[:FIRST_PAGE])),
        'global_zscore': {str(t): global_zscore(right, t) for t in (1.5, 2.0, 3.0)},
    }


# ---------------------------------------------------------------------------------------------
# Datasets
# ---------------------------------------------------------------------------------------------


def ts(at: datetime) -> str:
    ms = at.microsecond // 1000
    frac = f'.{ms:03d}'.rstrip('0') if ms else ''
    return at.strftime('%Y-%m-%dT%H:%M:%S') + frac + '+00:00'


class Rows:
    def __init__(self) -> None:
        self.events: list[tuple] = []

    def add(self, at: datetime, event: str = EVENT, player: str | None = 'p1', session: str | None = 's1') -> None:
        self.events.append((at, event, player, session))

    def day(self, start: datetime, day: int, n: int, player: str = 'p1', session: str = 's1', event: str = EVENT) -> None:
        for i in range(n):
            self.add(start + timedelta(days=day, seconds=30 * i + 1), event, player, session)

    def rows(self) -> list[dict]:
        out = []
        for i, (at, event, player, session) in enumerate(sorted(self.events, key=lambda e: e[0])):
            out.append({'id': i + 1, 'event': event, 'distinct_id': player, 'session_id': session,
                        'timestamp': ts(at), 'variant': None, 'feature_flag_response': None,
                        'completion_time_seconds': None, 'correct_words_count': None,
                        'total_guesses_count': None, 'platform': 'mobile'})
        return out


START = datetime(2026, 1, 5, tzinfo=timezone.utc)


def random_game(rng: np.random.Generator) -> list[dict]:
    r = Rows()
    days = int(rng.integers(20, 62))
    level = rng.uniform(1, 4)
    weekly = rng.uniform(0.3, 2.5, size=7)
    players = [f'p{i}' for i in range(int(rng.integers(3, 40)))]
    for day in range(days):
        mean = level * weekly[day % 7] * (0 if rng.random() < 0.05 else 1)
        for _ in range(int(rng.poisson(mean))):
            at = START + timedelta(days=day, milliseconds=int(rng.integers(0, 86_400_000)))
            player = None if rng.random() < 0.02 else str(rng.choice(players))
            session = None if rng.random() < 0.02 else f's{int(rng.integers(0, 500))}'
            r.add(at, EVENT, player, session)
            if rng.random() < 0.3:
                r.add(at + timedelta(seconds=30), 'puzzle_completed', player, session)
    if rng.random() < 0.3:
        bot_day = int(rng.integers(0, days))
        for _ in range(int(rng.integers(195, 260))):
            r.add(START + timedelta(days=bot_day, milliseconds=int(rng.integers(0, 86_400_000))), EVENT, 'bot', 'sb')
    return r.rows()


def edge_cases() -> list[tuple[str, str, list[dict]]]:
    out = []

    def case(name: str, description: str, build) -> None:
        r = Rows()
        build(r)
        out.append((name, description, r.rows()))

    case('too-short', '28 days of data: no day can be evaluated',
         lambda r: [r.day(START, d, 5) for d in range(28)])
    case('exactly-29-days', '29 days: only the last day is evaluated',
         lambda r: [r.day(START, d, 5 if d < 28 else 9) for d in range(29)])
    case('empty', 'no rows at all', lambda r: None)
    case('no-usable-rows', 'only completions and rows without ids', lambda r: (
        r.day(START, 0, 3, event='puzzle_completed'), r.add(START, EVENT, None, 's'), r.add(START, EVENT, 'p', None)))

    def zero_baseline(r: Rows) -> None:
        # No traffic on Tuesdays (d % 7 == 1) until day 50: Tuesdays have a zero baseline, normal at a
        # count of 0 and a spike with a null ratio at day 50's 3 rows.
        for d in range(0, 60):
            if d % 7 != 1:
                r.day(START, d, 4)
            elif d == 50:
                r.day(START, d, 3)
    case('zero-baselines', 'days whose baseline is 0: null ratio, a spike when the count is > 0', zero_baseline)

    def bot_threshold(r: Rows) -> None:
        for d in range(40):
            r.day(START, d, 10)
        r.day(START, 30, 200, player='edge', session='se')   # exactly 200: not a bot
        r.day(START, 33, 201, player='bot', session='sb')    # 201: a bot, all of its rows go
        r.day(START, 35, 3, player='bot', session='sb')
    case('bot-threshold', 'a player with exactly 200 rows on a day is not a bot; one with 201 is', bot_threshold)

    def bot_range(r: Rows) -> None:
        for d in range(2, 40):
            r.day(START, d, 8)
        r.day(START, 0, 250, player='bot', session='sb')     # the bot's rows widen the date range
        r.day(START, 45, 1, player='bot', session='sb')
    case('bot-widens-range', 'the bot alone has rows on the first and last dates; they set the range', bot_range)

    def midnight(r: Rows) -> None:
        for d in range(35):
            r.day(START, d, 6)
        r.add(START + timedelta(days=31) - timedelta(milliseconds=1))
        r.add(START + timedelta(days=31))
    case('midnight', 'events a millisecond before and at midnight UTC', midnight)
    return out


def write(path: Path, payload: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
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
        raw = subprocess.run(['node', str(EXPORT), scenario], cwd=REPO, check=True, capture_output=True).stdout
        rows = json.loads(raw)
        write(OUT / 'scenarios' / f'{scenario}.json', {
            'kind': 'scenario', 'scenario': scenario, 'seed': seed,
            'rows_sha256': hashlib.sha256(raw).hexdigest(), 'rows_count': len(rows),
            'expected': analyse(rows), 'wrong': wrong_figures(rows), 'generator': GENERATOR,
        })
    rng = np.random.default_rng(20260105)
    cases = [(f'random-{i:02d}', 'a random short series with blemishes', random_game(rng)) for i in range(30)]
    cases += edge_cases()
    for i, (name, description, rows) in enumerate(cases):
        write(OUT / 'random' / f'{i:02d}-{name}.json', {
            'kind': 'random', 'name': name, 'description': description, 'rows': rows,
            'expected': analyse(rows), 'generator': GENERATOR,
        })
    print(f'wrote {len(SCENARIOS)} scenario and {len(cases)} random fixtures to {OUT.relative_to(REPO)}')


if __name__ == '__main__':
    main()
