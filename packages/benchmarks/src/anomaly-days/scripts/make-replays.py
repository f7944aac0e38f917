#!/usr/bin/python3
"""Builds the stdlib-only replay of anomaly-days from the cells in replays/stdlib/ (fenced protocol:
one reply per section, its markdown then its code in a ```python block; the last ends with DONE).
The charts cell is prepended with ../launch-segments/replays/png-helpers.py (a raster, a bitmap font and a PNG writer).
Writes fixtures/stdlib-replay.json. Run: /usr/bin/python3 scripts/make-replays.py"""
import json
import pathlib

folder = pathlib.Path(__file__).resolve().parents[1]
cells = folder / 'replays' / 'stdlib'
helpers = (folder.parent / 'launch-segments' / 'replays' / 'png-helpers.py').read_text().strip()
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
    'global_zscore': [('4-anomalies', """for i in range(28, len(days)):
    c, b = counts[i], baselines[i]
    if b == 0:
        if c > 0:
            anomalies.append({'date': days[i].isoformat(), 'count': c, 'baseline': b, 'ratio': None, 'type': 'spike'})
        continue
    r = c / b - 1
    if abs(r) >= 0.35:""", """mean = sum(counts) / len(counts)
sd = (sum((c - mean) ** 2 for c in counts) / len(counts)) ** 0.5
for i in range(len(days)):
    c, b = counts[i], mean
    r = c / b - 1
    if abs(c - mean) / sd >= 1.5:""")],
    'bots_included': [('2-quality', "if n > 200})", "if n > 10 ** 9})")],
    'all_events_counted': [('2-quality', "if r['event'] == 'puzzle_started' and r['distinct_id'] is not None", "if r['distinct_id'] is not None")],
    'previous_day_baseline': [('3-counts', "baselines.append((lagged[1] + lagged[2]) / 2)", "baselines.append(counts[i - 1])")],
    'mean_baseline': [('3-counts', "baselines.append((lagged[1] + lagged[2]) / 2)", "baselines.append(sum(lagged) / 4)")],
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
    text = (folder / 'reference' / 'anomaly_days.py').read_text()
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
