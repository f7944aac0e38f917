// The scorer's counterfactual: a finished run's cells run again, without the model, in a fresh
// sandbox whose endpoint serves other rows at the same URL (with a new key, by the same mechanism).
import type { TableSpec } from '@localds/benchmarks';
import type { Reexecute, ReexecuteResult, RunFolderFiles } from '@localds/scorer';
import { randomAnonKey, serveRows, projectOfTableUrl, EMBEDDED_URL } from './data.js';
import { collectFiles } from './files.js';
import type { SandboxFactory } from './sandbox-factory.js';

export interface ReexecuteOptions {
  sandboxFactory: SandboxFactory;
  /** The served table: the benchmark's name and columns. */
  table: TableSpec;
  /** The config file the cells read (the benchmark's `dataAccess.configFile`). */
  configFile: string;
  /** Per-cell timeout; default 120 s. */
  cellTimeoutMs?: number;
  signal?: AbortSignal;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A `Reexecute` for `scoreRun`. Every recorded cell runs, also after one fails: the recorded cells
 * include the ones the model later corrected, and the run itself went on past them.
 */
export function createReexecute(options: ReexecuteOptions): Reexecute {
  const { table, configFile } = options;
  return async ({ cells, rows, tableUrl }): Promise<ReexecuteResult> => {
    const key = randomAnonKey();
    const served = serveRows(
      rows,
      tableUrl ? projectOfTableUrl(tableUrl) : EMBEDDED_URL,
      table,
      key,
    );
    const timeoutMs = options.cellTimeoutMs ?? 120_000;
    const { sandbox } = await options.sandboxFactory({
      fetchHandler: served.fetchHandler,
      data: Promise.resolve(served.spec),
      allowedUrlPrefixes: [served.allowedPrefix],
      timeoutMs,
    });
    try {
      await sandbox.ready;
      await sandbox.writeFile(configFile, encoder.encode(served.supabaseJson));
      const failures: string[] = [];
      for (const [i, code] of cells.entries()) {
        if (options.signal?.aborted)
          return { summaryText: null, files: new Map(), error: 'aborted' };
        const result = await sandbox.run(code, { timeoutMs, signal: options.signal });
        if (result.status !== 'ok') failures.push(`cell ${i}: ${result.status}`);
      }
      const files: RunFolderFiles = await collectFiles(sandbox, [key], [configFile]);
      const summary = files.get('summary.json');
      return {
        summaryText: summary ? decoder.decode(summary) : null,
        files,
        ...(failures.length && !summary
          ? { error: `no summary.json; cells not ok: ${failures.join(', ')}` }
          : {}),
      };
    } finally {
      await sandbox.dispose();
    }
  };
}
