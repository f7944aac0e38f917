import { execFileSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRunFolderFromDisk, readRunFolderFromDisk } from '../src/node.js';
import {
  jsonNestingExceeds,
  parsePythonJson,
  readRunFolderFiles,
  RUN_FOLDER_LIMITS,
  scoreRun,
} from '../src/index.js';
import { tinyScoring } from './tiny-benchmark.js';

const RUNS = join(import.meta.dirname, '../fixtures/runs');
const SECRET = 'root:x:0:0:the-secret-line-localds';

let root: string;
let secretFile: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'localds-hostile-'));
  secretFile = join(root, 'secret.txt');
  writeFileSync(secretFile, `${SECRET}\n`);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A copy of the article-shaped `correct` fixture, for one hostile change. */
function folderFrom(name: string): string {
  const dir = join(root, name);
  cpSync(join(RUNS, 'correct'), dir, { recursive: true });
  return dir;
}

const oracle = { total: 3 };

describe('reading a hostile run folder from disk', () => {
  it('refuses symlinks (outside and inside the folder) without reading their targets', async () => {
    const dir = folderFrom('symlinks');
    rmSync(join(dir, 'summary.json'));
    symlinkSync(secretFile, join(dir, 'summary.json'));
    symlinkSync(secretFile, join(dir, 'chart-extra.png'));
    symlinkSync(join(dir, 'analysis.ipynb'), join(dir, 'inside-link.ipynb'));
    mkdirSync(join(dir, 'sub'));
    symlinkSync(root, join(dir, 'sub', 'dir-link'));
    const { files, refused } = await readRunFolderFromDisk(dir);
    expect(refused).toEqual([
      { path: 'chart-extra.png', reason: 'a symbolic link (not followed)' },
      { path: 'inside-link.ipynb', reason: 'a symbolic link (not followed)' },
      { path: 'sub/dir-link', reason: 'a symbolic link (not followed)' },
      { path: 'summary.json', reason: 'a symbolic link (not followed)' },
    ]);
    expect(files.has('summary.json')).toBe(false);
    expect(files.has('analysis.ipynb')).toBe(true);

    const card = await scoreRun(await loadRunFolderFromDisk(dir), {
      benchmark: tinyScoring,
      oracle,
    });
    expect(card.checks.summary_valid!.detail).toBe(
      'summary.json refused: a symbolic link (not followed)',
    );
    expect(card.notes).toContain('summary.json refused: a symbolic link (not followed)');
    expect(JSON.stringify(card)).not.toContain('the-secret-line');
  });

  it('does not open a FIFO (no hang) and names it', async () => {
    const dir = folderFrom('fifo');
    rmSync(join(dir, 'summary.json'));
    execFileSync('mkfifo', [join(dir, 'summary.json')]);
    const card = await scoreRun(await loadRunFolderFromDisk(dir), {
      benchmark: tinyScoring,
      oracle,
    });
    expect(card.checks.summary_valid!.detail).toBe('summary.json refused: a FIFO (not opened)');
  });

  it('rejects a 200 MB summary.json by its size, before reading it', async () => {
    const dir = folderFrom('huge');
    truncateSync(join(dir, 'summary.json'), 200 * 1024 * 1024); // sparse: no 200 MB written
    const before = process.memoryUsage().rss;
    const folder = await loadRunFolderFromDisk(dir);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
    const card = await scoreRun(folder, { benchmark: tinyScoring, oracle });
    expect(card.checks.summary_valid!.detail).toBe(
      'summary.json refused: 200 MiB, over the 64 MiB cap for one file (not read)',
    );
  });

  it('reports a 100,000-level nested summary.json plainly', async () => {
    const dir = folderFrom('nested');
    writeFileSync(join(dir, 'summary.json'), `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    const card = await scoreRun(await loadRunFolderFromDisk(dir), {
      benchmark: tinyScoring,
      oracle,
    });
    expect(card.checks.summary_valid!.detail).toBe(
      `parse error: nested more than ${RUN_FOLDER_LIMITS.maxJsonDepth} levels deep (not read)`,
    );
    expect(JSON.stringify(card)).not.toMatch(/call stack/i);
  });
});

describe('the entry cap', () => {
  it('reads the first 10,000 entries and names the first one past the cap, once', async () => {
    const dir = join(root, 'many');
    mkdirSync(join(dir, 'a'), { recursive: true });
    for (let i = 0; i < RUN_FOLDER_LIMITS.maxFiles; i++)
      writeFileSync(join(dir, 'a', `f${String(i).padStart(5, '0')}`), '');
    writeFileSync(join(dir, 'z.txt'), '');
    const { files, refused } = await readRunFolderFromDisk(dir);
    // `a` itself is one entry, so the last file in it is the first past the cap.
    expect(files.size).toBe(RUN_FOLDER_LIMITS.maxFiles - 1);
    expect(refused).toEqual([
      { path: 'a/f09999', reason: 'past the cap of 10000 entries: it and the rest were not read' },
    ]);
  }, 60_000);
});

describe('caps on files already in memory (the page) and JSON depth', () => {
  it('refuses an oversize file in memory and keeps the reader’s refusals', () => {
    const big = new Uint8Array(RUN_FOLDER_LIMITS.maxFileBytes + 1);
    const folder = readRunFolderFiles(new Map([['summary.json', big]]), [
      { path: './chart.png', reason: 'a symbolic link (not followed)' },
    ]);
    expect(folder.summary).toBeNull();
    expect(folder.refused).toEqual([
      { path: 'chart.png', reason: 'a symbolic link (not followed)' },
      { path: 'summary.json', reason: '64 MiB, over the 64 MiB cap for one file (not read)' },
    ]);
  });

  it('counts nesting outside strings only', () => {
    expect(jsonNestingExceeds('[[1]]', 2)).toBe(false);
    expect(jsonNestingExceeds('[[[1]]]', 2)).toBe(true);
    expect(jsonNestingExceeds('["[[[[\\"[[["]', 2)).toBe(false);
    expect(parsePythonJson(`${'{"a":'.repeat(600)}1${'}'.repeat(600)}`)).toEqual({
      ok: false,
      error: 'nested more than 512 levels deep (not read)',
    });
    expect(parsePythonJson(`${'['.repeat(512)}${']'.repeat(512)}`).ok).toBe(true);
  });
});
