#!/usr/bin/python3
"""Runs a fenced replay's Python cells in CPython, with `pyodide.http.pyfetch` served from a rows file.

    /usr/bin/python3 run_replay_cells.py --replay REPLAY.json --rows ROWS.json --out DIR

A quick check of a stdlib-only replay's logic without Pyodide (the Pyodide runs of the same replays
are the integration tests): each ```python block runs in one namespace, top-level await allowed, in
DIR, next to a supabase.json whose URL the stand-in pyfetch answers like PostgREST (`order=id`,
`limit`/`offset`, at most 1000 rows, `Content-Range: a-b/total`). Prints {"cells": n}; a failing
cell stops with its traceback.
"""
import argparse
import ast
import asyncio
import json
import re
import sys
import types
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

CAP = 1000
URL = 'http://replay.invalid/rest/v1/posthog_events?select=*'


def fake_pyodide(rows):
    class Response:
        def __init__(self, status, body, headers):
            self.status, self._body, self.headers = status, body, headers

        async def json(self):
            return json.loads(self._body)

    async def pyfetch(url, headers=None, **_):
        query = parse_qs(urlsplit(url).query)
        ordered = sorted(rows, key=lambda r: r['id'])
        offset = int(query.get('offset', ['0'])[0])
        limit = min(int(query.get('limit', [str(CAP)])[0]), CAP)
        page = ordered[offset:offset + limit]
        total = str(len(rows)) if (headers or {}).get('Prefer') == 'count=exact' else '*'
        span = f'{offset}-{offset + len(page) - 1}' if page else '*'
        return Response(200, json.dumps(page), {'content-range': f'{span}/{total}'})

    pyodide = types.ModuleType('pyodide')
    http = types.ModuleType('pyodide.http')
    http.pyfetch = pyfetch
    pyodide.http = http
    sys.modules['pyodide'], sys.modules['pyodide.http'] = pyodide, http


async def run(cells, namespace):
    for source in cells:
        code = compile(source, '<cell>', 'exec', flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        result = eval(code, namespace)
        if asyncio.iscoroutine(result):
            await result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--replay', required=True, type=Path)
    parser.add_argument('--rows', required=True, type=Path)
    parser.add_argument('--out', required=True, type=Path)
    args = parser.parse_args()
    replies = json.loads(args.replay.read_text())['responses']
    cells = [m for reply in replies for m in re.findall(r'```python\n(.*?)```', reply, re.S)]
    fake_pyodide(json.loads(args.rows.read_text()))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / 'supabase.json').write_text(json.dumps({'url': URL, 'headers': {'apikey': 'k'}}))
    import os
    os.chdir(args.out)
    asyncio.run(run(cells, {'__name__': '__main__'}))
    print(json.dumps({'cells': len(cells)}))


if __name__ == '__main__':
    main()
