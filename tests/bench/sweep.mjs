// The sweep scheduler's overhead per trial: `localds sweep` over N trials against a plain loop of N
// `localds run` calls with the same options, measured in the same run. Each trial is a replay that
// answers DONE at once under native CPython, so the trial itself is as short as a trial can be and the
// figure is mostly what each side spends around it (process start, data, sandbox, scoring, the
// scheduler's bookkeeping and progress line). A negative overhead means the sweep's one process is
// cheaper than starting `localds` once per trial.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { timed } from './measure.mjs';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../packages/cli/bin/localds.js', import.meta.url));
const TRIALS = 4;

const localds = (args) => run(process.execPath, [CLI, ...args], { maxBuffer: 16 * 1024 * 1024 });

export const sweepBench = {
  title: `\`localds sweep\` of ${TRIALS} trials against a loop of ${TRIALS} \`localds run\` calls`,
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'localds-bench-sweep-'));
    try {
      const replay = join(dir, 'done.json');
      writeFileSync(replay, JSON.stringify({ responses: ['Nothing to run.\n\nDONE'] }));
      const common = ['--model', `replay:${replay}`, '--python', 'native'];
      const { ms: loopMs } = await timed(async () => {
        for (let i = 0; i < TRIALS; i++) {
          await localds([
            'run',
            '--benchmark',
            'ab-test-analysis',
            ...common,
            '--out',
            join(dir, 'loop'),
          ]);
        }
      });
      const { ms: sweepMs } = await timed(() =>
        localds([
          'sweep',
          '--models',
          `replay:${replay}`,
          '--benchmarks',
          'ab-test-analysis',
          '--python',
          'native',
          '--trials',
          String(TRIALS),
          '--out',
          join(dir, 'sweep'),
        ]),
      );
      const perTrial = (ms) => `${(ms / TRIALS / 1000).toFixed(2)} s`;
      return [
        `plain loop ${perTrial(loopMs)} per trial   sweep ${perTrial(sweepMs)} per trial   ratio ${(sweepMs / loopMs).toFixed(2)}x`,
        `scheduler overhead per trial: ${((sweepMs - loopMs) / TRIALS / 1000).toFixed(2)} s (negative: the sweep is cheaper)`,
        `load average while measuring: ${loadavg()[0].toFixed(1)}`,
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
