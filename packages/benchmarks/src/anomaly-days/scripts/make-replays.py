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
