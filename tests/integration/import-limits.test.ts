import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupRunFolders, unzipFiles } from '../../apps/web/src/runs/files.js';
import { importRunFolder } from '../../apps/web/src/runs/import-run.js';
import { DEBIAN_PYTHON } from './helpers/python.js';

/**
 * The page's import reads zips by the same rules as `localds score` reads folders: entries that are
 * symbolic links, FIFOs or devices are refused (a link's content, its target path, is never read as
 * the file), and entries over the one-file cap are refused before they are inflated.
 */
let dir: string;
let zip: Uint8Array;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'localds-import-limits-'));
  const file = join(dir, 'run.zip');
  // Python's zipfile writes Unix modes as given; a 65 MiB entry of zeros compresses to ~65 KiB.
  execFileSync(DEBIAN_PYTHON, [
    '-c',
    `
import sys, zipfile
def entry(name, mode):
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = mode << 16
    return info
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr(entry('run/summary.json', 0o120777), '/etc/passwd')
    z.writestr(entry('run/fifo', 0o010644), '')
    z.writestr(entry('run/analysis.ipynb', 0o100644), '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    z.writestr(entry('run/big.json', 0o100644), b'0' * (65 * 1024 * 1024))
`,
    file,
  ]);
  zip = new Uint8Array(readFileSync(file));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('importing a zip in the page', () => {
  it('refuses links, FIFOs and oversize entries, keeps the regular files', () => {
    const picked = unzipFiles(zip, 'run.zip');
    expect([...picked.files.keys()]).toEqual(['run/analysis.ipynb']);
    expect(picked.refused).toEqual([
      { path: 'run/summary.json', reason: 'a symbolic link (not followed)' },
      { path: 'run/fifo', reason: 'a FIFO (not opened)' },
      { path: 'run/big.json', reason: '65 MiB, over the 64 MiB cap for one file (not read)' },
    ]);
  });

  it('scores the folder with the refusal named, and nothing of the link read', async () => {
    const groups = groupRunFolders(unzipFiles(zip, 'run.zip'));
    expect([...groups.keys()]).toEqual(['run']);
    const { files, refused } = groups.get('run')!;
    const { record } = await importRunFolder(
      files,
      'run',
      { benchmarkId: 'ab-test-analysis', scenario: 'canonical', seed: null },
      refused,
    );
    expect(record.scorecard!.checks.summary_valid!.detail).toBe(
      'summary.json refused: a symbolic link (not followed)',
    );
    expect(JSON.stringify(record)).not.toContain('/etc/passwd');
  });
});
