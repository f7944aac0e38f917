import { z } from 'zod';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decodeSnapshotRows,
  encodeSnapshot,
  modelSlug,
  readPngSize,
  readRunFolderFiles,
  runFolderPath,
  RunJsonSchema,
  serializeRunJson,
  type RunFolderFiles,
} from '../src/index.js';
import { parsePythonJson } from '../src/run-folder/python-json.js';

const enc = (s: string) => new TextEncoder().encode(s);
const RUNS = join(import.meta.dirname, '../fixtures/runs');
const b64url = (s: string) => Buffer.from(s).toString('base64url');
const JWT = `${b64url('{"alg":"HS256"}')}.${b64url('{"role":"anon"}')}.c2lnbmF0dXJl`;

describe('readRunFolderFiles (import rules)', () => {
  it('drops supabase.json and redacts keys in every text file', () => {
    const files: RunFolderFiles = new Map([
      ['supabase.json', enc(`{"url": "https://x.supabase.co", "key": "${JWT}"}`)],
      ['./prompt.md', enc(`Use the key ${JWT}`)],
      ['response.raw.txt', enc(`headers = {"apikey": "${JWT}"}`)],
      ['summary.json', enc('{"status": "significant"}')],
    ]);
    const folder = readRunFolderFiles(files);
    expect(folder.dropped).toEqual(['supabase.json']);
    expect(folder.files.has('supabase.json')).toBe(false);
    expect(folder.redacted.sort()).toEqual(['prompt.md', 'response.raw.txt']);
    expect(folder.article.prompt).toBe('Use the key [REDACTED]');
    expect(new TextDecoder().decode(folder.files.get('response.raw.txt'))).not.toContain('eyJ');
    // Untouched files keep their exact bytes.
    expect(folder.files.get('summary.json')).toBe(files.get('summary.json'));
  });

  it('parses summary.json as Python does: NaN accepted, a BOM or invalid UTF-8 rejected', () => {
    const nan = readRunFolderFiles(new Map([['summary.json', enc('{"p": NaN, "q": -Infinity}')]]));
    expect(nan.summary?.json).toEqual({ ok: true, value: { p: NaN, q: -Infinity } });
    const bom = readRunFolderFiles(new Map([['summary.json', enc('\ufeff{}')]]));
    expect(bom.summary?.json.ok).toBe(false);
    const latin1 = readRunFolderFiles(
      new Map([['summary.json', new Uint8Array([0x7b, 0xe9, 0x7d])]]),
    );
    expect(latin1.summary).toEqual({ text: null, json: { ok: false, error: 'not valid UTF-8' } });
  });

  it('keeps NaN-looking text inside strings', () => {
    expect(parsePythonJson('{"a": "NaN Infinity", "b": [NaN]}')).toEqual({
      ok: true,
      value: { a: 'NaN Infinity', b: [NaN] },
    });
    expect(parsePythonJson('{"a": nan}').ok).toBe(false);
  });

  it('validates the notebook loosely and lists top-level PNGs and .py files', () => {
    const folder = readRunFolderFiles(
      new Map([
        ['analysis.ipynb', enc('{"nbformat": 4, "cells": [{"cell_type": "code", "source": 3}]}')],
        ['b.py', enc('print(1)')],
        ['a.py', enc('print(2)')],
        ['chart-distribution.png', new Uint8Array([0x89, 0x50])],
        ['sub/x.png', new Uint8Array([0x89])],
      ]),
    );
    expect(folder.notebook?.notebook).toBeNull();
    expect(folder.notebook?.error).toMatch(/not an nbformat 4 notebook/);
    expect(folder.pythonFiles).toEqual(['a.py', 'b.py']);
    expect([...folder.pngs.keys()]).toEqual(['chart-distribution.png']);
  });

  it('reads a fixture run.json and reports an invalid one by path', () => {
    const bytes = readFileSync(join(RUNS, 'full-first-page/run.json'));
    const ok = readRunFolderFiles(new Map([['run.json', new Uint8Array(bytes)]]));
    expect(ok.runJson?.ok).toBe(true);
    const bad = readRunFolderFiles(
      new Map([
        ['run.json', enc(JSON.stringify({ ...JSON.parse(bytes.toString()), isolation: 'docker' }))],
      ]),
    );
    expect(bad.runJson).toMatchObject({ ok: false });
    expect(bad.runJson?.ok === false && bad.runJson.error).toMatch(/^run.json: isolation: /);
  });
});

describe('run.json', () => {
  const run = RunJsonSchema.parse(
    JSON.parse(readFileSync(join(RUNS, 'full-first-page/run.json'), 'utf8')),
  );

  it('serialises a valid run and refuses one that carries a key', () => {
    expect(RunJsonSchema.parse(JSON.parse(serializeRunJson(run)))).toEqual(run);
    const leaky = { ...run, prompts: { ...run.prompts, user: `key: ${JWT}` } };
    expect(() => serializeRunJson(leaky)).toThrow(/would contain a key/);
  });

  it('round-trips a data snapshot and checks its hash', async () => {
    const rows = [
      {
        id: 1,
        event: 'puzzle_started',
        distinct_id: 'p1',
        session_id: 's1',
        timestamp: '2026-10-01T09:15:02.123+00:00',
        variant: 'A',
        feature_flag_response: 'A',
        completion_time_seconds: null,
        correct_words_count: null,
        total_guesses_count: null,
      },
    ];
    const snapshot = await encodeSnapshot(JSON.stringify(rows), 1, {
      kind: 'file',
      name: 'rows.json',
    });
    expect(await decodeSnapshotRows(snapshot, z.unknown())).toEqual(rows);
    // Deterministic bytes (gzip mtime 0).
    expect((await encodeSnapshot(JSON.stringify(rows), 1, snapshot.source)).data).toBe(
      snapshot.data,
    );
    await expect(
      decodeSnapshotRows({ ...snapshot, sha256: '0'.repeat(64) }, z.unknown()),
    ).rejects.toThrow(/sha256/);
    await expect(decodeSnapshotRows({ ...snapshot, row_count: 2 }, z.unknown())).rejects.toThrow(
      /has 1 rows/,
    );
  });
});

describe('layout and PNG size', () => {
  it('slugs model names and builds run paths', () => {
    expect(modelSlug('Qwen3-4B q4f16_1-MLC')).toBe('qwen3-4b-q4f16-1-mlc');
    expect(modelSlug('  Qwen3.5 9B (UD) ')).toBe('qwen3.5-9b-ud');
    expect(() => modelSlug('///')).toThrow(/no letters or digits/);
    expect(runFolderPath('ab-test-analysis', 'qwen3-4b', '2026-11-24T03-00-00Z')).toBe(
      'runs/ab-test-analysis/qwen3-4b/2026-11-24T03-00-00Z',
    );
    expect(() => runFolderPath('ab', '..', 'x')).toThrow(/cannot be a folder name/);
  });

  it('reads width and height from the IHDR and rejects non-PNGs', () => {
    const png = new Uint8Array(
      readFileSync(join(RUNS, 'full-tiny-chart/chart-treatment-effect.png')),
    );
    expect(readPngSize(png)).toEqual({ ok: true, width: 120, height: 90 });
    expect(readPngSize(enc('GIF89a and some more bytes here'))).toEqual({
      ok: false,
      error: 'no PNG signature',
    });
    expect(readPngSize(png.subarray(0, 10)).ok).toBe(false);
  });
});
