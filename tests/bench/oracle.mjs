// Scores a 1,000,000-event dataset with the TypeScript oracle and with a vectorised numpy/scipy
// oracle over the same file, and prints both times and their ratio.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AB_TEST_TABLE,
  computeOracle,
  generateEvents,
  scenarios,
  toJson,
} from '@localds/benchmarks';

const TARGET_EVENTS = 1_000_000;
const here = fileURLToPath(new URL('.', import.meta.url));

/** The first interpreter that has numpy and scipy: Debian's, then whatever is on PATH. */
function findPython() {
  for (const bin of ['/usr/bin/python3', 'python3']) {
    try {
      execFileSync(bin, ['-c', 'import numpy, scipy'], { stdio: 'ignore' });
      return bin;
    } catch {
      // try the next one
    }
  }
  throw new Error('no python3 with numpy and scipy found (apt-get install python3-scipy)');
}

/** The canonical game, scaled up until it yields about a million events. */
function millionEvents() {
  const base = scenarios.canonical;
  const sample = generateEvents(base, base.defaultSeed).length;
  const players = Math.ceil((base.players * TARGET_EVENTS) / sample);
  return generateEvents({ ...base, players }, base.defaultSeed);
}

function time(fn) {
  const start = process.hrtime.bigint();
  const value = fn();
  return { value, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

export const oracleBench = {
  title: 'Oracle on 1,000,000 events (TypeScript vs vectorised numpy/scipy)',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'localds-bench-'));
    try {
      const file = join(dir, 'rows.json');
      const rows = millionEvents();
      writeFileSync(file, toJson(rows, AB_TEST_TABLE));

      const parse = time(() => JSON.parse(readFileSync(file, 'utf8')));
      const compute = time(() => computeOracle(parse.value));
      const python = findPython();
      const numpy = JSON.parse(
        execFileSync(python, [join(here, 'oracle_numpy.py'), file], {
          encoding: 'utf8',
          maxBuffer: 1 << 20,
        }),
      );

      const oracle = compute.value;
      const agree = ['p_value', 'cohens_d', 'completion_rate_a', 'srm_p_value'].every(
        (key) => Math.abs(oracle[key] - numpy[key]) <= 1e-9 * Math.max(1, Math.abs(numpy[key])),
      );
      const ts = parse.seconds + compute.seconds;
      const py = numpy.parse_s + numpy.compute_s;
      const fmt = (s) => `${s.toFixed(3)} s`;
      return [
        `events: ${rows.length.toLocaleString('en')}  (same file for both; ${python} for numpy)`,
        `figures agree to 1e-9: ${agree ? 'yes' : 'NO'}`,
        `TypeScript  parse ${fmt(parse.seconds)}  compute ${fmt(compute.seconds)}  total ${fmt(ts)}`,
        `numpy/scipy parse ${fmt(numpy.parse_s)}  compute ${fmt(numpy.compute_s)}  total ${fmt(py)}`,
        `ratio TypeScript / numpy: compute ${(compute.seconds / numpy.compute_s).toFixed(2)}x, total ${(ts / py).toFixed(2)}x`,
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
