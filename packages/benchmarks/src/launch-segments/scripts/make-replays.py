#!/usr/bin/python3
"""Builds the stdlib-only replay of launch-segments from the cells in replays/stdlib/ (fenced protocol:
one reply per section, its markdown then its code in a ```python block; the last ends with DONE).
The charts cell is prepended with replays/png-helpers.py (a raster, a bitmap font and a PNG writer).
Writes fixtures/stdlib-replay.json. Run: /usr/bin/python3 scripts/make-replays.py"""
import json
import pathlib

folder = pathlib.Path(__file__).resolve().parents[1]
cells = folder / 'replays' / 'stdlib'
helpers = (folder / 'replays' / 'png-helpers.py').read_text().strip()
sections = []
for stem in sorted({p.stem for p in cells.iterdir()}):
    code = (cells / f'{stem}.py').read_text().strip()
    if 'charts' in stem:
        code = f'{helpers}\n\n\n{code}'
    sections.append(((cells / f'{stem}.md').read_text().strip(), code))
fenced = [f"{md}\n\n```python\n{py}\n```\n" for md, py in sections]
fenced[-1] += '\nDONE\n'
out = folder / 'fixtures' / 'stdlib-replay.json'
out.write_text(json.dumps({'environment': 'stdlib-only', 'responses': fenced}, indent=2, ensure_ascii=False) + '\n')
print(f'wrote {out.relative_to(folder)} ({len(fenced)} replies)')

# Planted mistakes: the same program with one wrong definition each, by exact text substitution in one
# cell (each `old` must occur exactly once, so an edited cell cannot silently drop a mistake).
PLANTED = {
    'pooled_only': [('6-conclusion', """if cmh_p is not None and odds is not None and cmh_p < 0.05 and odds != 1:
    status, direction, recommendation = ('significant', 'worse', 'roll_back') if odds < 1 else ('significant', 'better', 'keep')""",
                     """if pooled_p is not None and pooled_p < 0.05 and raw['pooled_rate_after'] != raw['pooled_rate_before']:
    status, direction, recommendation = ('significant', 'worse', 'roll_back') if raw['pooled_rate_after'] < raw['pooled_rate_before'] else ('significant', 'better', 'keep')""")],
    'unweighted_mean_of_strata': [('4-stratified', "        odds = adn / bcn\n",
                                   "        odds = sum(a * d / (b * c) for a, b, c, d in tables) / len(tables)\n")],
    'continuity_corrected': [
        ('3-pooled', "(table[i][j] - rows_sum[i] * cols_sum[j] / total) ** 2",
         "max(abs(table[i][j] - rows_sum[i] * cols_sum[j] / total) - 0.5, 0) ** 2"),
        ('4-stratified', "math.sqrt(numerator ** 2 / variance / 2)", "math.sqrt((abs(numerator) - 0.5) ** 2 / variance / 2)"),
    ],
    'launch_boundary_by_date': [('2-quality', "LAUNCH = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)",
                                 "LAUNCH = datetime(2026, 3, 2, tzinfo=timezone.utc)")],
    'session_level_rate': [
        ('2-quality', "for r in rows:", "sessions = {}\nfor r in rows:"),
        ('2-quality', "        counts[(period, r['platform'])]['started' if r['event'] == 'puzzle_started' else 'completed'] += 1",
         "        sessions.setdefault((period, r['platform'], r['event']), set()).add(r['session_id'])"),
        ('2-quality', "print('excluded:', excluded)",
         "for (p, q) in counts:\n    counts[(p, q)] = {'started': len(sessions.get((p, q, 'puzzle_started'), ())),\n"
         "                      'completed': len(sessions.get((p, q, 'puzzle_completed'), ()))}\nprint('excluded:', excluded)"),
    ],
    'rates_as_percent': [('6-conclusion', "summary = {", "for k in list(raw):\n    if 'rate' in k and raw[k] is not None:\n        raw[k] *= 100\nsummary = {")],
    'first_page_only': [
        ('1-setup', "while total is None or len(rows) < total:", "while not rows:"),
        ('1-setup', "assert total is None or len(rows) == total, f\"fetched {len(rows)} of {total} rows\"", "pass"),
    ],
}


def planted(mistake):
    edits = PLANTED[mistake]
    out = []
    for (stem, md, code) in [(s, m, c) for s, (m, c) in zip(sorted({p.stem for p in cells.iterdir()}), sections)]:
        for (target, old, new) in edits:
            if target == stem:
                assert code.count(old) == 1, f'{mistake}: "{old[:40]}…" occurs {code.count(old)} times in {stem}'
                code = code.replace(old, new)
        out.append(f"{md}\n\n```python\n{code}\n```\n")
    out[-1] += '\nDONE\n'
    return out


for mistake in PLANTED:
    path = folder / 'fixtures' / 'planted' / f'{mistake}.json'
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps({'environment': 'stdlib-only', 'responses': planted(mistake)},
                               indent=2, ensure_ascii=False) + '\n')
print(f'wrote {len(PLANTED)} planted-mistake replays to fixtures/planted/')


# The reference solution as a replay (full environment: pandas, SciPy, matplotlib…), one reply per
# `# %%` code cell with the markdown cell before it, so `localds run --python native` can score it.
def reference_replay():
    import re
    text = (folder / 'reference' / 'launch_segments.py').read_text()
    body = text[text.index('# %% [markdown]'):]
    markers = re.findall(r'^# %%.*$', body, flags=re.M)
    chunks = re.split(r'^# %%.*$', body, flags=re.M)[1:]
    replies, markdown = [], ''
    for marker, chunk in zip(markers, chunks):
        if 'markdown' in marker:
            markdown = '\n'.join(line[2:] if line.startswith('# ') else line.lstrip('#') for line in chunk.strip().splitlines())
        else:
            replies.append(f"{markdown}\n\n```python\n{chunk.strip()}\n```\n")
            markdown = ''
    replies[-1] += '\nDONE\n'
    return replies


(folder / 'fixtures' / 'reference-replay.json').write_text(
    json.dumps({'environment': 'full', 'responses': reference_replay()}, indent=2, ensure_ascii=False) + '\n')
print('wrote fixtures/reference-replay.json')
