#!/usr/bin/python3
"""Builds the retention-cohorts replays from the cells in ../fixtures/stdlib-replay/.

    /usr/bin/python3 packages/benchmarks/src/retention-cohorts/scripts/make_replays.py

Writes, in ../fixtures/:
  stdlib-replay.json            the correct analysis in the standard library only (fenced protocol:
                                one reply per section, its markdown then its code; the last ends with
                                DONE), declaring "environment": "stdlib-only"; also the demo replay.
  planted-replays/<id>.json     the same analysis with exactly one usual mistake planted, one per
                                diagnostic id, by a textual edit of one or two lines (each edit must
                                apply exactly once, so a change to the cells cannot silently skip it).
"""
import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
CELLS = HERE.parent / 'fixtures' / 'stdlib-replay'
OUT = HERE.parent / 'fixtures'

# mistake id -> [(cell stem, old text, new text)]
MISTAKES = {
    'censored_in_denominator': [
        ('3-retention', '    return retained, len(eligible)', '    return retained, len(group)'),
    ],
    'unbounded_retention': [
        ('3-retention', "if p['day0'] + k in p['days'])", "if max(p['days']) >= p['day0'] + k)"),
    ],
    'rolling_24h_windows': [
        ('3-retention', "eligible = [p for p in group if p['day0'] + k <= data_end]",
         "eligible = [p for p in group if p['t0'] + k * DAY <= last_t]"),
        ('3-retention', "if p['day0'] + k in p['days'])", "if any((t - p['t0']) // DAY == k for t in p['times']))"),
    ],
    'session_level_retention': [
        ('2-quality', "UNIT = 'distinct_id'", "UNIT = 'session_id'"),
    ],
    'srm_on_eligible_only': [
        ('2-quality', 'srm_counts = [n_a, n_b]',
         "srm_counts = [sum(1 for p in players[v] if p['day0'] + 7 <= data_end) for v in ('A', 'B')]"),
    ],
    'rates_as_percent': [
        ('6-conclusion', 'SCALE = 1\n', 'SCALE = 100\n'),
    ],
    'first_page_only': [
        ('1-setup', 'while total is None or len(rows) < total:', 'for _ in range(1):'),
        ('1-setup', 'assert total is None or len(rows) == total, f"fetched {len(rows)} of {total} rows"\n', ''),
    ],
}


def sections():
    stems = sorted({p.stem for p in CELLS.iterdir()})
    return [(stem, (CELLS / f'{stem}.md').read_text().strip(), (CELLS / f'{stem}.py').read_text().strip() + '\n')
            for stem in stems]


def fenced(parts):
    replies = [f"{md}\n\n```python\n{py.strip()}\n```\n" for _, md, py in parts]
    replies[-1] += '\nDONE\n'
    return {'environment': 'stdlib-only', 'responses': replies}


def write(path, payload):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + '\n')


def main():
    parts = sections()
    write(OUT / 'stdlib-replay.json', fenced(parts))
    for mistake, edits in MISTAKES.items():
        planted = [list(p) for p in parts]
        for stem, old, new in edits:
            cell = next(p for p in planted if p[0] == stem)
            if cell[2].count(old) != 1:
                raise SystemExit(f'{mistake}: {old!r} occurs {cell[2].count(old)} times in {stem}.py, expected once')
            cell[2] = cell[2].replace(old, new)
        write(OUT / 'planted-replays' / f'{mistake}.json', fenced(planted))
    print(f'wrote stdlib-replay.json and {len(MISTAKES)} planted replays')


if __name__ == '__main__':
    main()
